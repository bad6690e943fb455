// The public face of the DHT: signed dictionary records over Kademlia (PROTOCOL.md, "DHT records").
// Built from a started host, the chain and the node's RPC server and client:
//
//   const dht = await Dht.start({ host, chain, rpcServer, rpcClient }, { replicas: 8 })
//   await dht.store(epochKey('hoster-commit', epoch), commit, expiration)
//   const records = await dht.get(epochKey('hoster-commit', epoch))
import type { PeerId } from '@libp2p/interface'
import { ChainCache } from '../chain/chain-cache.js'
import { epochSeed, type Chain, type NodeClass } from '../chain/chain.js'
import { errorMessage } from '../errors.js'
import { logger } from '../log.js'
import type { Host } from '../p2p/host.js'
import type { RpcClient } from '../rpc/client.js'
import type { RpcServer } from '../rpc/server.js'
import { EpochClock } from './epoch-clock.js'
import { parseKey, type EpochKeyKind } from './keys.js'
import { SubnetMembers } from './members.js'
import { DhtNode, type DhtNodeStats } from './node.js'
import { phaseValidator } from './phase-validator.js'
import { replicaClient, serveDht, unserveDht } from './protocol.js'
import type { DhtRecord, GetOptions, RecordStore, StoreResult } from './record-store.js'
import { KeyRouting } from './routing.js'
import { stakeValidator } from './stake-validator.js'
import { RecordStorage, type ReplacementRule, type StorageLimits, type StorageSize } from './storage.js'
import {
  DEFAULT_RECORD_LIMITS, ValidatorChain, expiryValidator, keyValidator, ownerValidator, shapeValidator, signatureValidator,
  type RecordLimits, type RecordValidator,
} from './validation.js'

const log = logger('dht')

export interface DhtComponents {
  host: Host
  chain: Chain
  rpcServer: RpcServer
  rpcClient: RpcClient
}

export interface DhtOptions {
  /** Replicas per key: the k closest peers (default 8; every peer when the swarm is smaller). */
  replicas?: number
  /** How long `get` waits for replicas by default (default 5 s). */
  getTimeoutMs?: number
  /** How long one replica has to answer, dialing included (default 10 s). */
  requestTimeoutMs?: number
  /** Period of re-replication to peers that became closest (default 60 s; 0 turns it off). */
  replicateIntervalMs?: number
  /** Period of dropping expired records (default 10 s); reads never return them in between. */
  purgeIntervalMs?: number
  /** How long a key's closest-peer lookup is reused (default 5 min). */
  lookupCacheTtlMs?: number
  storage?: Partial<StorageLimits>
  records?: Partial<RecordLimits>
  /** Blocks of slack at phase boundaries (default PHASE_SLACK_BLOCKS). */
  phaseSlackBlocks?: number
  /** The least node class whose records are kept (default Registered). */
  minWriterClass?: NodeClass
  /** More validators, in the chain before the first record can arrive (consensus's per-key value checks). */
  validators?: RecordValidator[]
}

/** The epoch game's commits, reveals and challenge: write-once per writer and key (PROTOCOL.md, "Epochs and phases"). */
const WRITE_ONCE: ReadonlySet<string> = new Set<EpochKeyKind>(['consensus-epoch', 'hoster-commit', 'hoster-reveal', 'validator-commit', 'validator-reveal'])

/** Heartbeats may be replaced once a block; the records of the epoch game are write-once; any other key by a later record. */
function replacementRule(key: string): ReplacementRule {
  const parsed = parseKey(key)
  if (parsed === null) return 'free'
  if (parsed.kind === 'heartbeat') return 'per-block'
  return WRITE_ONCE.has(parsed.kind) ? 'once' : 'free'
}

export class Dht implements RecordStore {
  /** The checks every stored record passes; consensus adds its own with `validators.add(…)`. */
  readonly validators: ValidatorChain
  readonly storage: RecordStorage
  private readonly node: DhtNode
  private readonly clock: EpochClock
  /** The follower of heads the clock rides on when the DHT was given a bare chain (a client's); the node's own otherwise. */
  private readonly ownHeads: ChainCache | undefined
  private readonly server: RpcServer
  private readonly libp2p: Host['libp2p']
  private readonly routing: KeyRouting
  private readonly onDisconnect = (event: CustomEvent<PeerId>): void => { this.routing.forget(event.detail) }
  private readonly onConnect = (event: CustomEvent<PeerId>): void => { this.node.reachable(event.detail) }
  private readonly timers: NodeJS.Timeout[] = []
  private replicating: Promise<number> | null = null
  private stopped = false

  private constructor(components: DhtComponents, options: DhtOptions) {
    const { host, chain } = components
    const subnetId = host.subnetId
    this.server = components.rpcServer
    this.ownHeads = chain instanceof ChainCache ? undefined : new ChainCache(chain, { subnetId })
    const clock = new EpochClock({ chain: this.ownHeads ?? chain }, { subnetId })
    this.clock = clock
    this.storage = new RecordStorage(options.storage, { replacement: replacementRule, block: () => clock.latestBlock })
    const members = new SubnetMembers({ chain }, { subnetId })
    this.validators = new ValidatorChain([
      shapeValidator({ ...DEFAULT_RECORD_LIMITS, ...options.records }),
      keyValidator(),
      ownerValidator(),
      expiryValidator(),
      phaseValidator({ clock }, { slackBlocks: options.phaseSlackBlocks }),
      signatureValidator(),
      stakeValidator({ members }, { minClass: options.minWriterClass }),
      ...(options.validators ?? []),
    ])
    const libp2p = host.libp2p
    this.libp2p = libp2p
    // kad-dht's routing table is not part of its public types; its closestPeers is what kad-dht's own queries start from.
    const table = (host.dht as unknown as { routingTable: { closestPeers(kadId: Uint8Array, options: { count: number }): PeerId[] } }).routingTable
    this.routing = new KeyRouting({
      peerId: host.peerId,
      peerRouting: libp2p.peerRouting,
      getPeers: () => libp2p.getPeers(),
      localClosest: (kadId, count) => table.closestPeers(kadId, { count }),
      members: () => members.peers(),
      epochSeed: (epoch) => epochSeed(chain, subnetId, epoch),
    }, { subnetId, cacheTtlMs: options.lookupCacheTtlMs, wanted: options.replicas })
    this.node = new DhtNode({
      peerId: host.peerId,
      privateKey: host.privateKey,
      routing: this.routing,
      client: replicaClient(components.rpcClient),
      storage: this.storage,
      validators: this.validators,
      isConnected: (peer) => libp2p.getConnections(peer).length > 0,
      clock: this.clock,
    }, {
      subnetId,
      replicas: options.replicas,
      requestTimeoutMs: options.requestTimeoutMs,
      getTimeoutMs: options.getTimeoutMs,
      slackBlocks: options.phaseSlackBlocks,
    })
  }

  /** Serves the DHT's protocol on the host and starts the epoch clock (and its follower of heads, if its own) and the schedules. */
  static async start(components: DhtComponents, options: DhtOptions = {}): Promise<Dht> {
    const dht = new Dht(components, options)
    await dht.ownHeads?.start()
    await dht.clock.start()
    await serveDht(components.rpcServer, dht.node)
    dht.libp2p.addEventListener('peer:disconnect', dht.onDisconnect)
    dht.libp2p.addEventListener('peer:connect', dht.onConnect)
    const replicateMs = options.replicateIntervalMs ?? 60_000
    if (replicateMs > 0) dht.every(replicateMs, () => { void dht.replicate() })
    dht.every(options.purgeIntervalMs ?? 10_000, () => { dht.storage.purge() })
    log.info('dht started', { peer: components.host.peerId.toString(), subnet: components.host.subnetId })
    return dht
  }

  store(key: string, value: Uint8Array, expiration: number, options: { signal?: AbortSignal } = {}): Promise<StoreResult> {
    return this.node.store(key, value, expiration, options)
  }

  get(key: string, options: GetOptions = {}): Promise<DhtRecord[]> {
    return this.node.get(key, options)
  }

  /** The peer ids of `key`'s replica set, nearest first: the nodes that store it and whose receipts count for it. */
  replicaSet(key: string): Promise<string[]> {
    return this.node.replicaSet(key)
  }

  /** Runs one round of re-replication now (the schedule runs them too); returns the peers handed records. */
  replicate(): Promise<number> {
    if (this.replicating === null) {
      this.replicating = this.node.replicate()
        .catch((err: unknown) => {
          log.warn('re-replication failed', { err: errorMessage(err) })
          return 0
        })
        .finally(() => { this.replicating = null })
    }
    return this.replicating
  }

  size(): StorageSize {
    return this.storage.size()
  }

  get stats(): DhtNodeStats {
    return this.node.stats
  }

  /** Stops serving and the schedules; the host, server and chain stay open (their owner closes them). */
  async stop(): Promise<void> {
    if (this.stopped) return
    this.stopped = true
    for (const timer of this.timers) clearInterval(timer)
    this.clock.stop()
    await this.ownHeads?.close()
    this.libp2p.removeEventListener('peer:disconnect', this.onDisconnect)
    this.libp2p.removeEventListener('peer:connect', this.onConnect)
    await unserveDht(this.server)
    await this.replicating
  }

  private every(ms: number, run: () => void): void {
    const timer = setInterval(run, ms)
    timer.unref()
    this.timers.push(timer)
  }
}
