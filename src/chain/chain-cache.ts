// One node's reads of its subnet, once per block, shared by every part of the node (the DHT's member
// list and stake checks, the RPC server's admission, the epoch ticker and clock, the game). A public
// endpoint bears this: each new head arrives on one subscription; the node list is one request per
// block, pinned to that block's hash where the chain offers it; proof of stake is answered from that
// list; the subnet's parameters are read once an epoch; every other read is asked at most once a
// block, however many parts ask. Writes, and reads of other subnets, go straight to the chain.
import { errorMessage } from '../errors.js'
import { logger } from '../log.js'
import type { ChainCalls } from './calls.js'
import {
  type BlockHead, type Chain, type ConsensusEntry, type ConsensusSubmission, type EpochInfo, type NodeClass, type RegisterNodeParams,
  type RegisterSubnetParams, type SubnetInfo, type SubnetNode, type TxReceipt, type Unsubscribe, epochAt, provesStake,
} from './chain.js'

const log = logger('chain:cache')
/** Block hashes kept: a few epochs' seeds. */
const HASHES_KEPT = 16

export interface ChainCacheInit {
  subnetId: number
  /** With no new head for this long, reads go to the chain and the subscription is renewed (default 3 block times). */
  staleAfterMs?: number
  /** Most elected validators remembered (one an epoch). */
  maxEpochs?: number
}

export class ChainCache implements Chain {
  readonly #inner: Chain
  readonly #subnetId: number
  readonly #staleAfterMs: number
  readonly #maxEpochs: number
  readonly #listeners = new Set<(block: number) => void>()
  #unsubscribe: Unsubscribe | null = null
  #watchdog: NodeJS.Timeout | null = null
  #head: BlockHead | undefined
  #headAt = 0
  /** This block's reads, by what was asked: dropped at each new head. */
  #block = new Map<string, Promise<unknown>>()
  readonly #hashes = new Map<number, Promise<Uint8Array>>()
  #subnet: { info: SubnetInfo | null; block: number } | undefined
  #subnetReading: Promise<SubnetInfo | null> | null = null
  #epochLength: Promise<number> | undefined
  readonly #elected = new Map<number, number | null>()
  #running = false

  constructor(inner: Chain, init: ChainCacheInit) {
    this.#inner = inner
    this.#subnetId = init.subnetId
    this.#staleAfterMs = init.staleAfterMs ?? 3 * inner.blockTimeMs
    this.#maxEpochs = init.maxEpochs ?? 16
  }

  get blockTimeMs(): number {
    return this.#inner.blockTimeMs
  }

  get hotkey(): string | undefined {
    return this.#inner.hotkey
  }

  get calls(): ChainCalls | undefined {
    return this.#inner.calls
  }

  /** Follows new heads (one subscription for the whole node); never throws for a chain that is down. */
  async start(): Promise<void> {
    if (this.#running) return
    this.#running = true
    await this.#subscribe()
    this.#watchdog = setInterval(() => void this.#checkStale(), this.#staleAfterMs)
    this.#watchdog.unref()
  }

  /** Stops following the chain; the chain itself stays open (its owner closes it). */
  async close(): Promise<void> {
    this.#running = false
    if (this.#watchdog !== null) clearInterval(this.#watchdog)
    this.#watchdog = null
    this.#unsubscribe?.()
    this.#unsubscribe = null
    this.#listeners.clear()
  }

  // --- reads ----------------------------------------------------------------------------------

  async epochLength(): Promise<number> {
    this.#epochLength ??= this.#inner.epochLength()
    this.#epochLength.catch(() => { this.#epochLength = undefined })
    return this.#epochLength
  }

  async blockNumber(): Promise<number> {
    const head = this.#freshHead()
    return head === undefined ? this.#inner.blockNumber() : head.number
  }

  async epochInfo(subnetId: number): Promise<EpochInfo> {
    const head = this.#freshHead()
    if (subnetId !== this.#subnetId || head === undefined) return this.#inner.epochInfo(subnetId)
    const subnet = await this.subnet(subnetId)
    // An unknown subnet: the chain's own answer is the error.
    if (subnet === null) return this.#inner.epochInfo(subnetId)
    return epochAt(head.number, subnet.slot, await this.epochLength(), this.blockTimeMs)
  }

  /** The subnet's parameters, read again once an epoch (they change by the owner's rare calls). */
  async subnet(subnetId: number): Promise<SubnetInfo | null> {
    const head = this.#freshHead()
    if (subnetId !== this.#subnetId || head === undefined) return this.#inner.subnet(subnetId)
    const cached = this.#subnet
    if (cached !== undefined && head.number - cached.block < (await this.epochLength())) return cached.info
    if (this.#subnetReading === null) {
      const block = head.number
      this.#subnetReading = this.#inner.subnet(subnetId).then((info) => {
        this.#subnet = { info, block }
        return info
      }).finally(() => { this.#subnetReading = null })
    }
    // A stale answer now rather than a wait, once there is one.
    return cached === undefined ? this.#subnetReading : cached.info
  }

  async subnetNodes(subnetId: number): Promise<SubnetNode[]> {
    const head = this.#freshHead()
    if (subnetId !== this.#subnetId || head === undefined) return this.#inner.subnetNodes(subnetId)
    return this.#once('nodes', () => head.hash !== undefined && this.#inner.subnetNodesAt !== undefined
      ? this.#inner.subnetNodesAt(subnetId, head.hash)
      : this.#inner.subnetNodes(subnetId))
  }

  async nodeIdOf(subnetId: number, hotkey: string): Promise<number | null> {
    if (subnetId !== this.#subnetId || this.#freshHead() === undefined) return this.#inner.nodeIdOf(subnetId, hotkey)
    const nodes = await this.subnetNodes(subnetId)
    return nodes.find((n) => n.hotkey.toLowerCase() === hotkey.toLowerCase())?.id ?? null
  }

  /**
   * From this block's node list and the subnet's minimum stake; the chain is asked only when the
   * list cannot be had (no head yet, or the list failed to read this block).
   */
  async proofOfStake(subnetId: number, peerId: string, minClass: NodeClass = 'Registered'): Promise<boolean> {
    if (subnetId === this.#subnetId && this.#freshHead() !== undefined) {
      try {
        const [nodes, subnet, info] = await Promise.all([this.subnetNodes(subnetId), this.subnet(subnetId), this.epochInfo(subnetId)])
        if (subnet === null) return false
        return provesStake(nodes, peerId, { minClass, minStake: subnet.minStake, epoch: info.epoch })
      } catch (err) {
        log.debug('proof of stake from the node list failed, asking the chain', { err: errorMessage(err) })
      }
    }
    return this.#inner.proofOfStake(subnetId, peerId, minClass)
  }

  async electedValidator(subnetId: number, epoch: number): Promise<number | null> {
    if (subnetId !== this.#subnetId || this.#freshHead() === undefined) return this.#inner.electedValidator(subnetId, epoch)
    const known = this.#elected.get(epoch)
    if (known !== undefined) return known
    const id = await this.#once(`elected/${epoch}`, () => this.#inner.electedValidator(subnetId, epoch))
    // An election never changes once made, and is made at the epoch's first block (or the next):
    // none by the third block is none for the epoch.
    const info = await this.epochInfo(subnetId)
    if (id !== null || (info.epoch === epoch && info.epochLength - info.blocksRemaining >= 2)) {
      this.#elected.set(epoch, id)
      for (const old of this.#elected.keys()) if (this.#elected.size > this.#maxEpochs && old < epoch) this.#elected.delete(old)
    }
    return id
  }

  async consensusSubmission(subnetId: number, epoch: number): Promise<ConsensusSubmission | null> {
    if (subnetId !== this.#subnetId || this.#freshHead() === undefined) return this.#inner.consensusSubmission(subnetId, epoch)
    return this.#once(`submission/${epoch}`, () => this.#inner.consensusSubmission(subnetId, epoch))
  }

  // --- writes go to the chain; what they change is read again ----------------------------------

  /** A block's hash never changes: the last few are kept (the game and the DHT ask for each epoch's seed). */
  async blockHash(height: number): Promise<Uint8Array> {
    let hash = this.#hashes.get(height)
    if (hash === undefined) {
      hash = this.#inner.blockHash(height)
      this.#hashes.set(height, hash)
      hash.catch(() => this.#hashes.delete(height))
      if (this.#hashes.size > HASHES_KEPT) this.#hashes.delete(this.#hashes.keys().next().value!)
    }
    return hash
  }

  async proposeAttestation(subnetId: number, data: ConsensusEntry[], args?: Uint8Array): Promise<TxReceipt> {
    return this.#written(this.#inner.proposeAttestation(subnetId, data, args))
  }

  async attest(subnetId: number): Promise<TxReceipt> {
    return this.#written(this.#inner.attest(subnetId))
  }

  async registerSubnet(params: RegisterSubnetParams): Promise<number> {
    return this.#inner.registerSubnet(params)
  }

  async activateSubnet(subnetId: number): Promise<TxReceipt> {
    return this.#written(this.#inner.activateSubnet(subnetId))
  }

  async registerSubnetNode(params: RegisterNodeParams): Promise<number> {
    return this.#written(this.#inner.registerSubnetNode(params))
  }

  async addStake(subnetId: number, nodeId: number, hotkey: string, amount: bigint): Promise<TxReceipt> {
    return this.#written(this.#inner.addStake(subnetId, nodeId, hotkey, amount))
  }

  async removeStake(subnetId: number, amount: bigint): Promise<TxReceipt> {
    return this.#written(this.#inner.removeStake(subnetId, amount))
  }

  async subscribeBlocks(onBlock: (block: number) => void): Promise<Unsubscribe> {
    this.#listeners.add(onBlock)
    return () => { this.#listeners.delete(onBlock) }
  }

  // --- internals -----------------------------------------------------------------------------

  /** The head, unless none came for `staleAfterMs` (then reads go to the chain until one does). */
  #freshHead(): BlockHead | undefined {
    return this.#head !== undefined && Date.now() - this.#headAt <= this.#staleAfterMs ? this.#head : undefined
  }

  /** One read per key per block, however many ask; a failure is the block's answer too (no retry storm). */
  #once<T>(key: string, read: () => Promise<T>): Promise<T> {
    let reading = this.#block.get(key) as Promise<T> | undefined
    if (reading === undefined) {
      reading = read()
      reading.catch(() => undefined)
      this.#block.set(key, reading)
    }
    return reading
  }

  /** After a write of our own, this block's reads are read again (the writer expects to see it). */
  async #written<T>(write: Promise<T>): Promise<T> {
    const result = await write
    this.#block = new Map()
    return result
  }

  async #subscribe(): Promise<void> {
    if (!this.#running) return
    const onHead = (head: BlockHead): void => this.#onHead(head)
    try {
      const unsubscribe = this.#inner.subscribeHeads !== undefined
        ? await this.#inner.subscribeHeads(onHead)
        : await this.#inner.subscribeBlocks((block) => onHead({ number: block }))
      if (!this.#running) {
        unsubscribe()
        return
      }
      this.#unsubscribe?.()
      this.#unsubscribe = unsubscribe
    } catch (err) {
      // Reads go to the chain meanwhile; the watchdog tries again.
      log.warn('cannot follow new blocks, retrying', { subnet: this.#subnetId, err: errorMessage(err) })
    }
  }

  #onHead(head: BlockHead): void {
    if (this.#head !== undefined && head.number <= this.#head.number) return
    this.#head = head
    this.#headAt = Date.now()
    this.#block = new Map()
    for (const listener of this.#listeners) {
      try {
        listener(head.number)
      } catch (err) {
        log.error('block listener failed', { err: errorMessage(err) })
      }
    }
  }

  /** No head for a while: ask the chain for its block, and subscribe again if it moved on. */
  async #checkStale(): Promise<void> {
    if (!this.#running || this.#freshHead() !== undefined) return
    try {
      const block = await this.#inner.blockNumber()
      if (this.#head === undefined || block > this.#head.number) {
        log.warn('block subscription stalled, subscribing again', { subnet: this.#subnetId, block, last: this.#head?.number })
        this.#onHead({ number: block })
        await this.#subscribe()
      }
    } catch (err) {
      log.debug('chain unreachable', { subnet: this.#subnetId, err: errorMessage(err) })
    }
  }

}
