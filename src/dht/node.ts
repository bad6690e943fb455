// The DHT algorithm: a write goes to the k closest peers of its key that answer, each of which
// signs a receipt for an epoch key's record; a read asks them for digests, counts what a quorum
// vouches for, fetches each value once and re-reads until two reads agree; and a schedule hands
// records (with their receipts) over to peers that became closest since. Storing-side checks live
// in the validator chain; this file decides who to ask and what to believe.
import { setMaxListeners } from 'node:events'
import type { Ed25519PrivateKey, PeerId } from '@libp2p/interface'
import type { EpochInfo } from '../chain/chain.js'
import { MeshError, errorMessage } from '../errors.js'
import { logger } from '../log.js'
import { RPC_CODES, RpcError } from '../rpc/errors.js'
import { signRecord, type SignedRecord } from './crypto.js'
import { cachedValueHash, compare, findPage, type FindPage, type FindQuery } from './digest.js'
import { RecordRefused } from './errors.js'
import { parseKey, PHASE_SLACK_BLOCKS, writableBlocks, type EpochKeyKind } from './keys.js'
import { KeyRead, type EpochRule, type ReadNode } from './read.js'
import { ReceiptJudge, ReceiptSigner, quorum, verifyReceipt, type Receipt } from './receipt.js'
import type { DhtRecord, GetOptions, StoreResult } from './record-store.js'
import type { KeyRouting } from './routing.js'
import type { RecordStorage } from './storage.js'
import type { ValidatorChain } from './validation.js'

const log = logger('dht:node')

/** One replica's answer to one record of a store. */
export interface StoreAnswer {
  accepted: boolean
  code: string
  message: string
}

/** What the node needs of the wire (src/dht/protocol.ts implements it on the signed RPC layer). */
export interface ReplicaClient {
  store(peer: PeerId, records: SignedRecord[], handoff: boolean, signal: AbortSignal): Promise<StoreAnswer[]>
  /** One page of what `peer` holds under a key, as it sent it (not yet verified), and how many entries did not even decode. */
  find(peer: PeerId, query: FindQuery, signal: AbortSignal): Promise<FindAnswer>
}

export interface FindAnswer extends FindPage {
  malformed: number
}

export interface DhtNodeComponents {
  peerId: PeerId
  privateKey: Ed25519PrivateKey
  routing: KeyRouting
  client: ReplicaClient
  storage: RecordStorage
  validators: ValidatorChain
  /** Whether a connection to `peer` is open now. */
  isConnected(peer: PeerId): boolean
  /** The chain's clock as this node sees it: receipts carry its block, readers take windows from it. */
  clock: { now(): Promise<EpochInfo> }
}

export interface DhtNodeInit {
  subnetId: number
  /** Replicas per key (default 8). */
  replicas?: number
  /** Time for one peer to answer a store or find, dialing included (default 10 s). */
  requestTimeoutMs?: number
  /** Time a `get` waits for replicas before it returns what it found (default 5 s). */
  getTimeoutMs?: number
  /** Blocks of slack on each side of a key's window for the blocks of receipts (default PHASE_SLACK_BLOCKS, the storing nodes' slack). */
  slackBlocks?: number
}

/** Counts of what the node saw, for logs, tests and /metrics. */
export interface DhtNodeStats {
  /** Records, digests and receipts peers sent back that failed verification, by peer id: forged, altered or misfiled. */
  invalidRecordsFrom: Map<string, number>
  /** Records this node refused as a storing node, by error code (RecordRefused codes). */
  refused: Map<string, number>
  /** What readers did not count, by code (READ_DISCARD_CODES, and the record checks' codes). */
  readDiscards: Map<string, number>
}

const UNREACHABLE = 'DHT_PEER_UNREACHABLE'
/**
 * How long a peer that could not be reached is asked last. The replicas come from the chain's
 * member list, which still names a member that is down: without this, every operation on its keys
 * would wait for a dial to it to time out.
 */
const UNREACHABLE_FOR_MS = 60_000

/** Whether the peer itself answered with a refusal (the RPC layer marks those `remote`). */
function isRemoteRefusal(err: unknown): boolean {
  return err instanceof RpcError && err.remote
}

/**
 * Transport failures worth trying again: a dial or a new stream lost while two peers connect to
 * each other at once (libp2p keeps one of the two connections and closes the other under us).
 */
const TRANSIENT = new Set<string>([RPC_CODES.UNREACHABLE, RPC_CODES.CLOSED])
// Long enough for a loaded peer to finish the handshakes queued before ours.
const RETRY_DELAYS_MS = [250, 1000]

async function withRetries<T>(call: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await call()
    } catch (err) {
      if (!(err instanceof RpcError) || err.remote || !TRANSIENT.has(err.code) || attempt >= RETRY_DELAYS_MS.length) throw err
      log.debug('retrying a replica call', { code: err.code, err: err.message })
      await new Promise((resolve) => setTimeout(resolve, RETRY_DELAYS_MS[attempt]))
    }
  }
}

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex')

export class DhtNode implements ReadNode {
  readonly stats: DhtNodeStats = { invalidRecordsFrom: new Map(), refused: new Map(), readDiscards: new Map() }
  private readonly c: DhtNodeComponents
  private readonly subnetId: number
  private readonly replicas: number
  private readonly requestTimeoutMs: number
  private readonly getTimeoutMs: number
  private readonly slackBlocks: number
  private readonly self: string
  private readonly signer: ReceiptSigner
  /** Peers known to hold each key's records (they accepted or refused them), for re-replication. */
  private readonly holders = new Map<string, Set<string>>()
  /** Peers that could not be reached lately, and until when they are asked last. */
  private readonly unreachable = new Map<string, number>()

  constructor(components: DhtNodeComponents, init: DhtNodeInit) {
    this.c = components
    this.subnetId = init.subnetId
    this.replicas = init.replicas ?? 8
    this.requestTimeoutMs = init.requestTimeoutMs ?? 10_000
    this.getTimeoutMs = init.getTimeoutMs ?? 5_000
    this.slackBlocks = init.slackBlocks ?? PHASE_SLACK_BLOCKS
    this.self = components.peerId.toString()
    this.signer = new ReceiptSigner(components.privateKey, components.peerId, init.subnetId)
    if (!Number.isInteger(this.replicas) || this.replicas < 1) throw new RangeError(`replicas must be a positive integer, got ${this.replicas}`)
  }

  /**
   * Validates and keeps records a peer (or this node) sent; one answer per record, in order. For an
   * epoch key this node signs a receipt at its current block and keeps it with the record, beside
   * the receipts a handoff carried that still count (their storer in the key's current replica
   * set, their block inside the window). A handoff vouched for by a quorum of such receipts is
   * kept after the key's window; this node's own receipt, signed late, then counts for nobody.
   */
  async accept(records: SignedRecord[], sender: string, handoff: boolean): Promise<StoreAnswer[]> {
    const answers: StoreAnswer[] = []
    const rules = new Map<string, Promise<EpochRule | null>>()
    for (const record of records) {
      const now = Date.now()
      try {
        let rule = rules.get(record.key)
        if (rule === undefined) {
          rule = this.epochRule(record.key)
          rules.set(record.key, rule)
        }
        const epoch = await rule
        const about = { key: record.key, writer: record.subkey, valueHash: cachedValueHash(record.value) }
        // Only a handoff carries receipts; a writer's own store has none to give.
        const carried = epoch !== null && handoff ? epoch.judge.counted(about, (record.receipts ?? []).filter((r) => r.storer !== this.self)) : []
        const vouched = epoch !== null && carried.length >= quorum(epoch.replicas)
        await this.c.validators.validate(record, { subnetId: this.subnetId, now, sender, handoff, vouched })
        const kept: SignedRecord = { key: record.key, subkey: record.subkey, value: record.value, expiration: record.expiration, signature: record.signature }
        if (epoch !== null) kept.receipts = [this.signer.sign(about, (await this.c.clock.now()).block), ...carried]
        if (!this.c.storage.put(kept, now) && carried.length > 0) this.addReceipts(this.c.storage.get(record.key).find((r) => r.subkey === record.subkey), about.valueHash, carried)
        answers.push({ accepted: true, code: '', message: '' })
      } catch (err) {
        if (!(err instanceof RecordRefused)) throw err
        log.debug('record refused', { key: record.key, subkey: record.subkey, sender, code: err.code, reason: err.message })
        this.stats.refused.set(err.code, (this.stats.refused.get(err.code) ?? 0) + 1)
        answers.push({ accepted: false, code: err.code, message: err.message })
      }
    }
    return answers
  }

  /**
   * Receipts that count for the value a writer has under a key: kept beside this node's if it holds
   * that value, one per storer (the storage counts their bytes). Their signatures are checked here
   * (a read trusts a replica's own receipt from its signed answer; a handoff passes receipts on to a
   * node that does not).
   */
  private addReceipts(held: SignedRecord | undefined, valueHash: Uint8Array, receipts: Receipt[]): void {
    if (held?.receipts === undefined || !Buffer.from(cachedValueHash(held.value)).equals(valueHash)) return
    const have = new Set(held.receipts.map((r) => r.storer))
    const about = { key: held.key, writer: held.subkey, valueHash }
    const good = receipts.filter((receipt) => !have.has(receipt.storer) && verifyReceipt(this.subnetId, about, receipt))
    if (good.length > 0) this.c.storage.addReceipts(held.key, held.subkey, good)
  }

  /**
   * For an epoch key: the judge of its receipts (the key's current replica set from
   * `routing.closest`, its window widened by the storing slack) and the set's size; null for other keys.
   */
  private async epochRule(key: string): Promise<EpochRule | null> {
    const parsed = parseKey(key)
    if (parsed === null || parsed.kind === 'heartbeat') return null
    const [set, clock] = await Promise.all([this.replicaSet(key), this.c.clock.now()])
    const window = writableBlocks(parsed.kind as EpochKeyKind, parsed.epoch, clock, this.slackBlocks)
    return { judge: new ReceiptJudge(this.subnetId, new Set(set), window), replicas: set.length }
  }

  /** The peer ids of `key`'s replica set, nearest first: the nodes that store it and whose receipts count for it. */
  async replicaSet(key: string): Promise<string[]> {
    return (await this.c.routing.closest(key)).slice(0, this.replicas).map(String)
  }

  /** One page of the records held under a key, for a reader (the dht-find call). */
  find(query: FindQuery): FindPage {
    return findPage(this.c.storage.get(query.key), query, this.self)
  }

  async store(key: string, value: Uint8Array, expiration: number, options: { signal?: AbortSignal } = {}): Promise<StoreResult> {
    const record = await signRecord(this.c.privateKey, this.c.peerId, this.subnetId, { key, value, expiration })
    const result: StoreResult = { accepted: 0, tried: 0, refusals: {} }
    const candidates = this.reachableFirst(await this.c.routing.closest(key))
    const holders = this.holdersOf(key)
    await this.askClosest(candidates, this.replicas, async (peer) => {
      result.tried++
      let answer: StoreAnswer
      try {
        answer = (await this.storeOn(peer, [record], false, options.signal))[0]!
      } catch (err) {
        // A refusal the peer sent (no stake, rate limit) is its answer; a peer that cannot be
        // reached gives its place to the next closest.
        const code = err instanceof MeshError ? err.code : UNREACHABLE
        result.refusals[code] = (result.refusals[code] ?? 0) + 1
        log.debug('replica failed', { key, peer: peer.toString(), err: errorMessage(err) })
        this.noteFailure(peer, err)
        return isRemoteRefusal(err)
      }
      holders.add(peer.toString())
      if (answer.accepted) result.accepted++
      else result.refusals[answer.code] = (result.refusals[answer.code] ?? 0) + 1
      return true
    })
    log.debug('stored', { key, accepted: result.accepted, tried: result.tried })
    return result
  }

  /**
   * The records of `key` a reader may count (RecordStore.get): digests from every replica, the
   * tally (receipts of a quorum for epoch keys), each value fetched once from a replica that
   * offered it and checked (hash, signature, expiry, the read validators), then re-read (a summary
   * per replica, digests again only where it moved) until two reads agree or the timeout.
   */
  async get(key: string, options: GetOptions = {}): Promise<DhtRecord[]> {
    const deadline = AbortSignal.timeout(options.timeoutMs ?? this.getTimeoutMs)
    const signal = options.signal === undefined ? deadline : AbortSignal.any([options.signal, deadline])
    // Each replica's request listens on it: more than Node's default of 10 listeners is expected.
    setMaxListeners(Infinity, signal)
    const subkeys = options.subkeys === undefined ? [] : [...new Set(options.subkeys)].sort(compare)
    // Asked for no subkey at all: nothing to read (an empty list on the wire means every subkey).
    if (options.subkeys !== undefined && subkeys.length === 0) return []
    const [closest, rule] = await Promise.all([this.c.routing.closest(key), this.epochRule(key)])
    const candidates = this.reachableFirst(closest)
    const read = new KeyRead(this, key, subkeys, rule, signal)
    let last: string | null = null
    let result: SignedRecord[] = []
    for (let round = 0; ; round++) {
      await read.digests(candidates, round > 0)
      options.signal?.throwIfAborted()
      const offers = read.tally()
      result = await read.values(offers)
      options.signal?.throwIfAborted()
      const fingerprint = result.map((r) => `${r.subkey}:${r.expiration}:${hex(cachedValueHash(r.value))}`).join(',')
      if (fingerprint === last) break
      last = fingerprint
      if (signal.aborted) {
        this.discard('DHT_READ_UNSETTLED')
        log.warn('read ended at its timeout before two reads agreed', { key, records: result.length })
        break
      }
    }
    read.commitDiscards()
    // A replica that reads a key learns the other replicas' receipts of what it holds: it keeps them, so that its
    // handoffs after the window carry a quorum (accept, `vouched`).
    const vouched = read.vouched()
    if (vouched.length > 0) {
      const held = new Map(this.c.storage.get(key).map((r) => [r.subkey, r]))
      for (const offer of vouched) this.addReceipts(held.get(offer.writer), offer.valueHash, offer.receipts!)
    }
    return result.map(({ key: k, subkey, value, expiration }) => ({ key: k, subkey, value, expiration }))
  }

  /** Asks one peer (this node without the wire) for one page. */
  async findOn(peer: PeerId, query: FindQuery, signal: AbortSignal): Promise<FindAnswer> {
    if (peer.equals(this.c.peerId)) return { ...this.find(query), malformed: 0 }
    return withRetries(() => this.c.client.find(peer, query, this.requestSignal(signal)))
  }

  /** Walks `candidates` as reads do: the first `replicas` that answer. */
  askReplicas(candidates: PeerId[], signal: AbortSignal, ask: (peer: PeerId) => Promise<void>): Promise<void> {
    return this.askClosest(candidates, this.replicas, async (peer) => {
      if (signal.aborted) return true // past the deadline: stop walking
      try {
        await ask(peer)
        return true
      } catch (err) {
        log.debug('replica unreachable', { peer: peer.toString(), err: errorMessage(err) })
        if (!signal.aborted) this.noteFailure(peer, err)
        return false
      }
    })
  }

  validateRead(record: SignedRecord, from: string): Promise<void> {
    return this.c.validators.validateRead(record, { subnetId: this.subnetId, now: Date.now(), from })
  }

  get subnet(): number {
    return this.subnetId
  }

  discard(code: string, count = 1): void {
    this.stats.readDiscards.set(code, (this.stats.readDiscards.get(code) ?? 0) + count)
  }

  blame(from: string, key: string, what: string): void {
    this.stats.invalidRecordsFrom.set(from, (this.stats.invalidRecordsFrom.get(from) ?? 0) + 1)
    log.warn('peer returned records that do not verify', { peer: from, key, what })
  }

  /**
   * One round of re-replication: for each key held, the records go to the peers that are now among
   * the k closest and have not had them. Returns how many peers were handed records.
   */
  async replicate(): Promise<number> {
    this.c.storage.purge()
    let handed = 0
    for (const [key, records] of this.c.storage.entries()) {
      const holders = this.holdersOf(key)
      let candidates: PeerId[]
      try {
        candidates = this.reachableFirst(await this.c.routing.closest(key, { fresh: true }))
      } catch (err) {
        log.warn('re-replication lookup failed', { key, err: errorMessage(err) })
        continue
      }
      await this.askClosest(candidates, this.replicas, async (peer) => {
        const name = peer.toString()
        if (peer.equals(this.c.peerId) || (holders.has(name) && this.c.isConnected(peer))) return true
        try {
          await this.storeOn(peer, records, true)
        } catch (err) {
          holders.delete(name)
          this.noteFailure(peer, err)
          log.debug('handoff failed', { key, peer: name, err: errorMessage(err) })
          return false
        }
        holders.add(name)
        handed++
        return true
      })
    }
    for (const key of this.holders.keys()) if (this.c.storage.get(key).length === 0) this.holders.delete(key)
    if (handed > 0) log.info('re-replicated', { peers: handed })
    return handed
  }

  /** A peer was seen again (it connected): it is asked in its turn again. */
  reachable(peer: PeerId): void {
    this.unreachable.delete(peer.toString())
  }

  /** `candidates` in their order, but the peers that could not be reached lately at the end. */
  private reachableFirst(candidates: PeerId[]): PeerId[] {
    if (this.unreachable.size === 0) return candidates
    const now = Date.now()
    for (const [peer, until] of this.unreachable) if (until <= now) this.unreachable.delete(peer)
    const first: PeerId[] = []
    const last: PeerId[] = []
    for (const peer of candidates) (this.unreachable.has(peer.toString()) ? last : first).push(peer)
    return [...first, ...last]
  }

  /** A peer that answered nothing (no connection, no stream) is asked last for a while. */
  private noteFailure(peer: PeerId, err: unknown): void {
    if (err instanceof RpcError && !err.remote && err.code === RPC_CODES.UNREACHABLE) this.unreachable.set(peer.toString(), Date.now() + UNREACHABLE_FOR_MS)
  }

  private async storeOn(peer: PeerId, records: SignedRecord[], handoff: boolean, signal?: AbortSignal): Promise<StoreAnswer[]> {
    if (peer.equals(this.c.peerId)) return this.accept(records, this.c.peerId.toString(), handoff)
    const answers = await withRetries(() => this.c.client.store(peer, records, handoff, this.requestSignal(signal)))
    if (answers.length !== records.length) {
      throw new MeshError('DHT_BAD_ANSWER', `${peer.toString()} answered ${answers.length} records of ${records.length}`)
    }
    return answers
  }

  /**
   * Asks peers in order, `width` at a time, until `width` of them answered (`ask` resolves true)
   * or none is left: a peer that cannot be reached gives its place to the next one.
   */
  private async askClosest(candidates: PeerId[], width: number, ask: (peer: PeerId) => Promise<boolean>): Promise<void> {
    let next = 0
    let answered = 0
    let asking = 0
    const lane = async (): Promise<void> => {
      while (answered + asking < width && next < candidates.length) {
        asking++
        const ok = await ask(candidates[next++]!)
        asking--
        if (ok) answered++
      }
    }
    await Promise.all(Array.from({ length: Math.min(width, candidates.length) }, lane))
  }

  private holdersOf(key: string): Set<string> {
    let set = this.holders.get(key)
    if (set === undefined) {
      set = new Set()
      this.holders.set(key, set)
    }
    return set
  }

  private requestSignal(signal?: AbortSignal): AbortSignal {
    const timeout = AbortSignal.timeout(this.requestTimeoutMs)
    if (signal === undefined) return timeout
    const both = AbortSignal.any([signal, timeout])
    setMaxListeners(Infinity, both)
    return both
  }
}
