// The subnet's members as the chain lists them: the peers that hold the DHT's records. Every node
// reads the same list from the chain, so every node computes the same k closest replicas of a key
// (XOR distance over this list) without a network lookup; Kademlia is left to find addresses and
// to route when the chain cannot be read. The list is kept for a short while and refreshed in the
// background, so a slow chain never delays a store or a read once it has been read once. The same
// list says who may write records: a registered node's own peer id (stake-validator.ts).
import type { PeerId } from '@libp2p/interface'
import { peerIdFromString } from '@libp2p/peer-id'
import type { Chain, SubnetNode } from '../chain/chain.js'
import { errorMessage } from '../errors.js'
import { logger } from '../log.js'

const log = logger('dht:members')

export interface MembersInit {
  subnetId: number
  /** How long a list read from the chain is used before a new read starts (default: a block, 1–12 s). */
  ttlMs?: number
}

/** What the node list says of a peer id. */
export type Membership =
  | { as: 'node'; node: SubnetNode; minStake: bigint }
  | { as: 'bootnode' | 'client'; node: SubnetNode; minStake: bigint }
  | { as: 'none' }

export class SubnetMembers {
  private readonly chain: Pick<Chain, 'subnetNodes' | 'subnet' | 'blockTimeMs'>
  private readonly subnetId: number
  private readonly ttlMs: number
  private list: PeerId[] | null = null
  private readAt = 0
  private reading: Promise<PeerId[] | null> | null = null
  private parsed = new Map<string, PeerId>()
  /** Every peer id the list names (own, bootnode and client), with the node it belongs to. */
  private byPeerId = new Map<string, { as: 'node' | 'bootnode' | 'client'; node: SubnetNode }>()
  private minStake = 0n

  constructor(components: { chain: Pick<Chain, 'subnetNodes' | 'subnet' | 'blockTimeMs'> }, init: MembersInit) {
    this.chain = components.chain
    this.subnetId = init.subnetId
    this.ttlMs = init.ttlMs ?? Math.min(12_000, Math.max(1_000, components.chain.blockTimeMs))
  }

  /**
   * The members' peer ids, or null when the chain has never answered (the caller then routes by
   * Kademlia alone). A stale list is returned at once while a fresh one is read.
   */
  async peers(): Promise<PeerId[] | null> {
    if (Date.now() - this.readAt >= this.ttlMs) {
      const reading = this.refresh()
      if (this.list === null) return reading
    }
    return this.list
  }

  /**
   * What the list says of `peerId`, or null when the chain has never answered. A peer id the list
   * does not name makes it re-read the chain first when the list is older than its time to live
   * (concurrent misses share one read), so that a node registered a moment ago is not refused.
   */
  async membership(peerId: string): Promise<Membership | null> {
    if (!this.byPeerId.has(peerId) && (this.list === null || Date.now() - this.readAt >= this.ttlMs)) await this.refresh()
    if (this.list === null) return null
    const found = this.byPeerId.get(peerId)
    if (found === undefined) return { as: 'none' }
    return { as: found.as, node: found.node, minStake: this.minStake }
  }

  private refresh(): Promise<PeerId[] | null> {
    this.reading ??= this.read().finally(() => { this.reading = null })
    return this.reading
  }

  private async read(): Promise<PeerId[] | null> {
    try {
      const [nodes, subnet] = await Promise.all([this.chain.subnetNodes(this.subnetId), this.chain.subnet(this.subnetId)])
      const parsed = new Map<string, PeerId>()
      const byPeerId = new Map<string, { as: 'node' | 'bootnode' | 'client'; node: SubnetNode }>()
      for (const node of nodes) {
        const peer = this.parsed.get(node.peerId) ?? parse(node.peerId)
        if (peer !== null) parsed.set(node.peerId, peer)
        // A node's own peer id wins over another node's bootnode or client id that repeats it.
        if (node.bootnodePeerId !== undefined && !byPeerId.has(node.bootnodePeerId)) byPeerId.set(node.bootnodePeerId, { as: 'bootnode', node })
        if (node.clientPeerId !== undefined && !byPeerId.has(node.clientPeerId)) byPeerId.set(node.clientPeerId, { as: 'client', node })
      }
      for (const node of nodes) byPeerId.set(node.peerId, { as: 'node', node })
      this.parsed = parsed
      this.byPeerId = byPeerId
      this.minStake = subnet?.minStake ?? 0n
      this.list = [...parsed.values()]
      this.readAt = Date.now()
    } catch (err) {
      // Keep the last list (members rarely change); try the chain again on the next call.
      log.debug('member list not read', { subnet: this.subnetId, err: errorMessage(err) })
    }
    return this.list
  }
}

/** A peer id from the chain's text, or null for a malformed one (nobody we can reach). */
function parse(text: string): PeerId | null {
  try {
    return peerIdFromString(text)
  } catch {
    return null
  }
}
