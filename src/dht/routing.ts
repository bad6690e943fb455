// Which peers hold a key: Kademlia's XOR distance between sha256 of the subnet-namespaced key and
// sha256 of each peer id (the ids @libp2p/kad-dht uses), over the peers kad-dht's lookup finds and
// the peers we are connected to. Lookups are cached briefly: a key is read and written many times
// an epoch, and its closest peers change only when peers come and go.
import { createHash } from 'node:crypto'
import { setMaxListeners } from 'node:events'
import type { PeerId, PeerRouting } from '@libp2p/interface'
import { errorMessage } from '../errors.js'
import { logger } from '../log.js'

const log = logger('dht:routing')

export interface RoutingComponents {
  peerId: PeerId
  peerRouting: Pick<PeerRouting, 'getClosestPeers'>
  /** Peers with an open connection now. */
  getPeers(): PeerId[]
}

export interface RoutingInit {
  subnetId: number
  /** How long a lookup's answer is reused (default 30 s). */
  cacheTtlMs?: number
  /** How long one Kademlia lookup may take before the peers found so far are used (default 5 s). */
  lookupTimeoutMs?: number
  /** Lookups that find fewer peers than this are not cached (default 8, the replica count). */
  minCached?: number
}

function sha256(bytes: Uint8Array): Buffer {
  return createHash('sha256').update(bytes).digest()
}

/** The Kademlia id of a peer, as kad-dht computes it. */
export function kadIdOfPeer(peerId: PeerId): Buffer {
  return sha256(peerId.toMultihash().bytes)
}

function compareDistance(target: Buffer, a: Buffer, b: Buffer): number {
  for (let i = 0; i < target.length; i++) {
    const da = a[i]! ^ target[i]!
    const db = b[i]! ^ target[i]!
    if (da !== db) return da - db
  }
  return 0
}

export class KeyRouting {
  private readonly components: RoutingComponents
  private readonly subnetId: number
  private readonly cacheTtlMs: number
  private readonly lookupTimeoutMs: number
  private readonly minCached: number
  private readonly lookups = new Map<string, { peers: Promise<PeerId[]>; until: number }>()
  private readonly kadIds = new Map<string, Buffer>()

  constructor(components: RoutingComponents, init: RoutingInit) {
    this.components = components
    this.subnetId = init.subnetId
    this.cacheTtlMs = init.cacheTtlMs ?? 30_000
    this.lookupTimeoutMs = init.lookupTimeoutMs ?? 5_000
    this.minCached = init.minCached ?? 8
  }

  /** The bytes kad-dht looks up for a record key: keys of different subnets never meet. */
  routingKey(key: string): Uint8Array {
    return new TextEncoder().encode(`/hypertensor/${this.subnetId}/dht/${key}`)
  }

  /**
   * Every peer known to be near `key`, this node included, nearest first. Callers take the first
   * k that answer. `fresh` skips the cache (re-replication wants the current set).
   */
  async closest(key: string, options: { fresh?: boolean; signal?: AbortSignal } = {}): Promise<PeerId[]> {
    const now = Date.now()
    const cached = this.lookups.get(key)
    const found = cached !== undefined && cached.until > now && options.fresh !== true
      ? cached.peers
      : this.lookup(key, now)
    const target = sha256(this.routingKey(key))
    const peers = new Map<string, PeerId>()
    for (const peer of [this.components.peerId, ...this.components.getPeers(), ...(await found)]) peers.set(peer.toString(), peer)
    return [...peers.values()].sort((a, b) => compareDistance(target, this.kadId(a), this.kadId(b)))
  }

  /** Forgets cached lookups that contain `peer` (it went away). */
  forget(peer: PeerId): void {
    for (const [key, entry] of this.lookups) {
      entry.peers.then((peers) => { if (peers.some((p) => p.equals(peer))) this.lookups.delete(key) }, () => {})
    }
  }

  private lookup(key: string, now: number): Promise<PeerId[]> {
    for (const [old, entry] of this.lookups) if (entry.until <= now) this.lookups.delete(old)
    const entry = { peers: this.walk(key), until: now + this.cacheTtlMs }
    this.lookups.set(key, entry)
    entry.peers.then((found) => {
      // A short answer (a swarm still forming, peers that did not answer) is not worth keeping.
      const enough = Math.min(this.minCached, this.components.getPeers().length)
      if (found.length < enough && this.lookups.get(key) === entry) this.lookups.delete(key)
    }, () => {})
    return entry.peers
  }

  private async walk(key: string): Promise<PeerId[]> {
    const found: PeerId[] = []
    const signal = AbortSignal.timeout(this.lookupTimeoutMs)
    setMaxListeners(Infinity, signal) // kad-dht listens on it once per path and peer
    try {
      for await (const info of this.components.peerRouting.getClosestPeers(this.routingKey(key), { signal })) {
        found.push(info.id)
      }
    } catch (err) {
      // A lookup that timed out or met no peer still leaves the connected peers to use.
      log.debug('lookup ended early', { key, found: found.length, err: errorMessage(err) })
    }
    return found
  }

  private kadId(peer: PeerId): Buffer {
    const name = peer.toString()
    let id = this.kadIds.get(name)
    if (id === undefined) {
      if (this.kadIds.size >= 100_000) this.kadIds.clear()
      id = kadIdOfPeer(peer)
      this.kadIds.set(name, id)
    }
    return id
  }
}
