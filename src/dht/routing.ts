// Which peers hold a key: Kademlia's XOR distance between sha256 of the subnet-namespaced key and
// sha256 of each peer id (the ids @libp2p/kad-dht uses). The candidates are the subnet's members
// as the chain lists them (members.ts): every node sorts the same list, so writers and readers
// agree on the replicas, which is what lets every node read every record of an epoch. Only when
// the chain has not answered yet does it fall back to Kademlia alone: the closest peers of
// kad-dht's routing table, the peers we are connected to, and what kad-dht's network lookup found
// (run in the background and cached; waited for only when this node knows fewer peers than it
// needs, or when asked for the freshest answer).
//
// Salted placement (PROTOCOL.md, "DHT records"): an epoch key is placed by its distance to
// sha256(namespaced key ‖ seed of the epoch), the seed being the hash of the epoch's first block,
// so that nobody can grind peer ids near a key before its epoch starts. Heartbeat keys are placed
// by sha256(namespaced key). `closest` is the single source of a key's replica set: writers,
// readers and whoever checks who may vouch for a record all call it.
import { createHash } from 'node:crypto'
import type { PeerId, PeerRouting } from '@libp2p/interface'
import { MeshError, errorMessage } from '../errors.js'
import { logger } from '../log.js'
import { parseKey } from './keys.js'

const log = logger('dht:routing')

export interface RoutingComponents {
  peerId: PeerId
  peerRouting: Pick<PeerRouting, 'getClosestPeers'>
  /** Peers with an open connection now. */
  getPeers(): PeerId[]
  /** The `count` peers of the local routing table closest to a Kademlia id. */
  localClosest(kadId: Uint8Array, count: number): PeerId[]
  /** The subnet's members from the chain, or null while the chain has not answered. */
  members(): Promise<PeerId[] | null>
  /** The seed of `epoch`: the hash of its first block (`epochSeed` in src/chain/chain.ts); throws when the block does not exist yet. */
  epochSeed(epoch: number): Promise<Uint8Array>
}

export interface RoutingInit {
  subnetId: number
  /** How long a lookup's answer is reused before a new one starts in the background (default 5 min). */
  cacheTtlMs?: number
  /** How long an operation waits for a Kademlia lookup it needs before it uses the peers it knows (default 5 s). */
  lookupTimeoutMs?: number
  /** Peers an operation needs (the replica count, default 8): with fewer known, it waits for the lookup. */
  wanted?: number
}

interface LookupEntry {
  peers: Promise<PeerId[]>
  /** The peers found, once the lookup is over. */
  done?: PeerId[]
  until: number
}

function sha256(bytes: Uint8Array): Buffer {
  return createHash('sha256').update(bytes).digest()
}

/** The Kademlia id of a peer, as kad-dht computes it. */
function kadIdOfPeer(peerId: PeerId): Buffer {
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
  private readonly wanted: number
  private readonly lookups = new Map<string, LookupEntry>()
  private readonly kadIds = new Map<string, Buffer>()
  /** Seeds by epoch (a block hash never changes); only the latest few epochs are kept. */
  private readonly seeds = new Map<number, Promise<Uint8Array>>()

  constructor(components: RoutingComponents, init: RoutingInit) {
    this.components = components
    this.subnetId = init.subnetId
    this.cacheTtlMs = init.cacheTtlMs ?? 5 * 60_000
    this.lookupTimeoutMs = init.lookupTimeoutMs ?? 5_000
    this.wanted = init.wanted ?? 8
  }

  /** The bytes kad-dht looks up for a record key: keys of different subnets never meet. */
  routingKey(key: string): Uint8Array {
    return new TextEncoder().encode(`/hypertensor/${this.subnetId}/dht/${key}`)
  }

  /**
   * The bytes whose sha256 places `key`: the namespaced key, followed for an epoch key by its
   * epoch's seed. Kademlia lookups use the same bytes (kad-dht hashes them the same way).
   */
  async placement(key: string): Promise<Uint8Array> {
    const name = this.routingKey(key)
    const parsed = parseKey(key)
    if (parsed === null || parsed.kind === 'heartbeat') return name
    let seed: Uint8Array
    try {
      seed = await this.seedOf(parsed.epoch)
    } catch (err) {
      throw new MeshError('DHT_NO_SEED', `the replicas of ${key} depend on the hash of epoch ${parsed.epoch}'s first block, which cannot be read: ${errorMessage(err)}`)
    }
    const bytes = new Uint8Array(name.length + seed.length)
    bytes.set(name)
    bytes.set(seed, name.length)
    return bytes
  }

  private seedOf(epoch: number): Promise<Uint8Array> {
    let seed = this.seeds.get(epoch)
    if (seed === undefined) {
      seed = this.components.epochSeed(epoch)
      this.seeds.set(epoch, seed)
      // A failure (the block is not there yet, the chain is down) is asked again next time.
      seed.catch(() => { if (this.seeds.get(epoch) === seed) this.seeds.delete(epoch) })
      for (const old of this.seeds.keys()) if (this.seeds.size > 8 && old !== epoch) this.seeds.delete(old)
    }
    return seed
  }

  /**
   * The peers that hold `key`, nearest first: the subnet's members (this node among them when it
   * is one), or, without a member list, every peer known to be near it, this node included.
   * Callers take the first k that answer. `fresh` waits for a new network lookup when routing by
   * Kademlia (re-replication wants the current set).
   */
  async closest(key: string, options: { fresh?: boolean } = {}): Promise<PeerId[]> {
    const placement = await this.placement(key)
    const target = sha256(placement)
    const members = await this.components.members()
    if (members !== null && members.length > 0) return this.byDistance(target, members)
    return this.byDistance(target, await this.kademliaCandidates(placement, target, options.fresh === true))
  }

  private byDistance(target: Buffer, peers: Iterable<PeerId>): PeerId[] {
    return [...peers].sort((a, b) => compareDistance(target, this.kadId(a), this.kadId(b)))
  }

  private async kademliaCandidates(placement: Uint8Array, target: Buffer, fresh: boolean): Promise<PeerId[]> {
    const key = Buffer.from(placement).toString('base64')
    const now = Date.now()
    const local = [...this.components.localClosest(target, 2 * this.wanted), ...this.components.getPeers()]
    let entry = this.lookups.get(key)
    if (entry === undefined || entry.until <= now || fresh) entry = this.lookup(key, placement, now)
    const known = new Set(local.map(String))
    if (entry.done === undefined && (known.size < this.wanted || fresh)) await this.waitFor(entry)
    const found = entry.done ?? []
    const peers = new Map<string, PeerId>()
    for (const peer of [this.components.peerId, ...local, ...found]) peers.set(peer.toString(), peer)
    return [...peers.values()]
  }

  /** Drops `peer` from cached lookups (it went away). */
  forget(peer: PeerId): void {
    for (const entry of this.lookups.values()) {
      if (entry.done?.some((p) => p.equals(peer)) === true) entry.done = entry.done.filter((p) => !p.equals(peer))
    }
  }

  private lookup(key: string, placement: Uint8Array, now: number): LookupEntry {
    for (const [old, cached] of this.lookups) if (cached.until <= now) this.lookups.delete(old)
    const entry: LookupEntry = { peers: this.walk(placement), until: now + this.cacheTtlMs }
    this.lookups.set(key, entry)
    entry.peers.then((found) => { entry.done = found }, () => { entry.done = [] })
    return entry
  }

  /** Waits for a lookup to finish, or `lookupTimeoutMs`, whichever comes first. */
  private async waitFor(entry: LookupEntry): Promise<void> {
    let timer: NodeJS.Timeout | undefined
    await Promise.race([entry.peers, new Promise((resolve) => { timer = setTimeout(resolve, this.lookupTimeoutMs) })])
    clearTimeout(timer)
  }

  /**
   * A Kademlia lookup of the key. It is never aborted from here (kad-dht 16 can throw an unhandled
   * AbortError from a query path aborted by its caller); it ends on its own or with the host.
   */
  private async walk(placement: Uint8Array): Promise<PeerId[]> {
    const found: PeerId[] = []
    try {
      for await (const info of this.components.peerRouting.getClosestPeers(placement)) found.push(info.id)
    } catch (err) {
      // A lookup that met no peer or ended with the host still leaves the known peers to use.
      log.debug('lookup ended early', { found: found.length, err: errorMessage(err) })
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
