// A whole subnet in one process for the consensus tests and the simulation: the real LocalChain
// (blocks advanced by hand), real libp2p hosts with the real DHT on loopback, the real engine on
// tiny generated models (or a DriftEngine). Adversaries are honest parts wrapped where the test
// says (adversaries.ts: a lying engine, a tampering record store, a chain view that alters its
// proposals).
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { ConnectionGater } from '@libp2p/interface'
import type { Chain } from '../../src/chain/chain.js'
import { DEFAULT_MIN_STAKE, devSubnet } from '../../src/chain/local/bootstrap.js'
import { drawValidator } from '../../src/chain/local/election.js'
import { LocalChain, type LocalChainFaults } from '../../src/chain/local/local-chain.js'
import { LocalChainRuntime } from '../../src/chain/local/runtime.js'
import { Dht } from '../../src/dht/dht.js'
import type { PeerId } from '@libp2p/interface'
import { signRecord } from '../../src/dht/crypto.js'
import { replicaClient } from '../../src/dht/protocol.js'
import type { DhtRecord, RecordStore, StoreResult } from '../../src/dht/record-store.js'
import { startHost, type Host } from '../../src/p2p/host.js'
import { RpcClient } from '../../src/rpc/client.js'
import { RpcServer } from '../../src/rpc/server.js'
import type { Engine } from '../../src/inference/engine.js'
import { CommitSecrets } from '../../src/consensus/commit-secrets.js'
import { EpochGame } from '../../src/consensus/epoch-game.js'
import { EpochTicker } from '../../src/consensus/epoch-ticker.js'
import type { Role } from '../../src/consensus/heartbeat-record.js'
import { generateIdentity, peerIdOf, type Ed25519PrivateKey } from '../../src/p2p/keys.js'
import { connectAll } from '../helpers/dht-swarm.js'

// The Hypertensor testnet's epoch: the shortest common length the v2 windows serve with a guard gap of 2 blocks.
export const EPOCH_LENGTH = 20

export interface NodeSpec {
  role: Role
  /** The engine a hoster runs (default: the subnet's). */
  engine?: Engine
  /** Wraps this node's record store (an adversary's tampering). */
  store?: (store: RecordStore, self: NodeSelf) => RecordStore
  /** Wraps this node's chain view (an adversary's proposals). */
  chain?: (chain: Chain) => Chain
  /** Alters this node's storing side once its DHT runs (a lying replica). */
  dht?: (dht: Dht, self: NodeSelf) => void
  /** Registers the node with a bootnode and a client peer id too (an identity multiplier writes under them). */
  aliases?: boolean
}

/** What an adversary's wrappers know of their own node. */
export interface NodeSelf {
  peerId: string
  privateKey: Ed25519PrivateKey
  subnet: TestSubnet
  /** Writers under its bootnode and client peer ids, when registered with `aliases`. */
  aliases: Array<{ peerId: string; store: RecordStore }>
}

/**
 * Stores records signed by another identity of the node (its bootnode or client peer id) from the
 * node's own host, as replication hand-offs, which storing nodes accept from any sender: to every
 * node of the subnet, so that each key's replicas get them. No host runs under that identity;
 * nothing reads through it.
 */
class HandoffWriter implements RecordStore {
  constructor(private readonly key: Ed25519PrivateKey, private readonly subnetId: number, private readonly client: RpcClient, private readonly peers: () => PeerId[]) {}

  async store(key: string, value: Uint8Array, expiration: number): Promise<StoreResult> {
    const record = await signRecord(this.key, peerIdOf(this.key), this.subnetId, { key, value, expiration })
    const replicas = replicaClient(this.client)
    const result: StoreResult = { accepted: 0, tried: 0, refusals: {} }
    await Promise.all(this.peers().map(async (peer) => {
      result.tried++
      try {
        const [answer] = await replicas.store(peer, [record], true, AbortSignal.timeout(30_000))
        if (answer?.accepted === true) result.accepted++
        else result.refusals[answer?.code ?? 'none'] = (result.refusals[answer?.code ?? 'none'] ?? 0) + 1
      } catch {
        result.refusals.unreachable = (result.refusals.unreachable ?? 0) + 1
      }
    }))
    return result
  }

  async get(): Promise<DhtRecord[]> {
    throw new Error('a hand-off writer does not read')
  }
}

export interface SubnetOptions {
  /** Seeds the chain's election draw (default 'consensus'). */
  seed?: string
  /** Blocks per epoch (default EPOCH_LENGTH). */
  epochLength?: number
  /** Wall-clock length of a block for record lifetimes (default 60 s, see `start`). */
  blockTimeMs?: number
  /** Told how many nodes are up, as they start, and when all are connected to each other. */
  onNodeStarted?: (started: number, of: number) => void
  onConnected?: () => void
  /** Faults injected into every node's propose and attest (the local chain's test hook). */
  chainFaults?: LocalChainFaults
  /** Each node's connection gater, by its peer id (a test's network partition). */
  gater?: (peerId: string) => ConnectionGater
  /** The chain view each node's DHT judges records by (default the chain itself): a storing node one block behind. */
  dhtChain?: (chain: Chain) => Chain
}

/** A node's libp2p host, RPC server and client, and the DHT over them. */
interface DhtParts {
  host: Host
  server: RpcServer
  client: RpcClient
  dht: Dht
}

/** Starts a node's DHT, joining through `entries` (none: a new swarm). */
async function startDht(key: Ed25519PrivateKey, chain: Chain, subnetId: number, entries: Host[], gater?: ConnectionGater): Promise<DhtParts> {
  const host = await startHost({
    ...(gater === undefined ? {} : { connectionGater: gater }),
    privateKey: key,
    subnetId,
    hostMaddrs: ['/ip4/127.0.0.1/tcp/0'],
    privateAddresses: true,
    inboundConnectionThreshold: 10_000,
    autoNat: false,
    // A large swarm on a loaded machine takes a while to answer the joining lookup.
    bootstrapTimeoutMs: 120_000,
    ...(entries.length === 0 ? { newSwarm: true } : { initialPeers: entries.map((e) => e.addresses()[0]!.toString()) }),
  })
  const server = new RpcServer({ host, chain }, { rateLimit: false })
  const client = new RpcClient({ host })
  const dht = await Dht.start({ host, chain, rpcServer: server, rpcClient: client }, { replicateIntervalMs: 0, requestTimeoutMs: 30_000 })
  return { host, server, client, dht }
}

async function stopDht(parts: DhtParts): Promise<void> {
  await parts.dht.stop()
  await parts.server.close()
  await parts.host.close()
}

export interface TestNode {
  spec: NodeSpec
  index: number
  peerId: string
  /** Its identity's key (what the node signs with). */
  privateKey: Ed25519PrivateKey
  nodeId: number
  chain: Chain
  dht: DhtParts
  ticker: EpochTicker
  game: EpochGame
  /** A new game for this node, as a restarted process makes it (the same folder of commit secrets). */
  makeGame: () => EpochGame
  running: boolean
}

export class TestSubnet {
  readonly nodes: TestNode[] = []
  /** The nodes' folders of commit secrets, one each. */
  readonly dataDir = mkdtempSync(join(tmpdir(), 'mesh-subnet-'))

  private constructor(
    readonly runtime: LocalChainRuntime,
    readonly subnetId: number,
    readonly engine: Engine,
    readonly reader: Chain,
  ) {}

  /**
   * Registers one node per spec (all Validator class, as in a subnet's registration), starts
   * their hosts and DHT, and their games at the start of the next epoch.
   */
  static async start(specs: NodeSpec[], engine: Engine, options: SubnetOptions = {}): Promise<TestSubnet> {
    // Blocks come by hand, each when every node has played the last one, which takes seconds on a
    // loaded machine; records live by the wall clock (block time × blocks), so a long block time
    // keeps an epoch's records alive until they are scored, as 6 s blocks do on the real chain.
    const runtime = new LocalChainRuntime({
      params: { epochLength: options.epochLength ?? EPOCH_LENGTH, blockTimeMs: options.blockTimeMs ?? 60_000, seed: options.seed ?? 'consensus' },
    })
    const keys: Ed25519PrivateKey[] = []
    const aliasKeys: Ed25519PrivateKey[][] = []
    for (const spec of specs) {
      keys.push(await generateIdentity())
      aliasKeys.push(spec.aliases === true ? [await generateIdentity(), await generateIdentity()] : [])
    }
    const made = await devSubnet(runtime, {
      // 5× the minimum, as the devnet stakes: an elected validator slashed for a lie (or an epoch
      // too few attested) stays a member and plays on, instead of falling under the minimum and
      // being refused by every replica from then on.
      nodes: keys.map((k, i) => {
        const [bootnode, client] = aliasKeys[i]!.map((a) => peerIdOf(a).toString())
        return { peerId: peerIdOf(k).toString(), stake: 5n * DEFAULT_MIN_STAKE, ...(bootnode === undefined ? {} : { bootnodePeerId: bootnode, clientPeerId: client! }) }
      }),
    })
    const subnet = new TestSubnet(runtime, made.subnetId, engine, new LocalChain(runtime, {}))
    try {
      for (let i = 0; i < specs.length; i++) {
        const spec = specs[i]!
        const dev = made.nodes[i]!
        const base = new LocalChain(runtime, { hotkey: dev.hotkey, coldkey: dev.coldkey }, options.chainFaults)
        const chain = spec.chain?.(base) ?? base
        // Each joins through the first node and the last one in, so that no node takes every handshake.
        const entries = [...new Set([subnet.nodes[0], subnet.nodes[i - 1]])].filter((n) => n !== undefined).map((n) => n.dht.host)
        const dhtChain = options.dhtChain?.(subnet.reader) ?? subnet.reader
        const dht = await startDht(keys[i]!, dhtChain, made.subnetId, entries, options.gater?.(dev.peerId))
        const aliases = aliasKeys[i]!.map((key) => ({
          peerId: peerIdOf(key).toString(),
          store: new HandoffWriter(key, made.subnetId, dht.client, () => subnet.nodes.map((n) => n.dht.host.peerId)),
        }))
        const self: NodeSelf = { peerId: dev.peerId, privateKey: keys[i]!, subnet, aliases }
        spec.dht?.(dht.dht, self)
        const store = spec.store?.(dht.dht, self) ?? dht.dht
        const ticker = new EpochTicker({ chain }, { subnetId: made.subnetId })
        const hosted = spec.role === 'hoster' ? spec.engine ?? engine : undefined
        const secrets = join(subnet.dataDir, dev.peerId)
        const makeGame = (): EpochGame => new EpochGame(
          { chain, store, ticker, secrets: new CommitSecrets({ dir: secrets }), ...(hosted === undefined ? {} : { engine: hosted }) },
          {
            subnetId: made.subnetId,
            peerId: dev.peerId,
            role: spec.role,
            model: { id: engine.model.id, nEmbd: engine.model.nEmbd },
            vocabulary: engine.challengeVocabulary(),
            // Blocks come by hand, when every node has played: a slow read costs time, an incomplete one agreement.
            readTimeoutMs: 60_000,
            // The tests judge every epoch they played (the full simulation plays 23).
            reportsKept: 1_000,
          },
        )
        subnet.nodes.push({ spec, index: i, peerId: dev.peerId, privateKey: keys[i]!, nodeId: dev.nodeId, chain, dht, ticker, game: makeGame(), makeGame, running: false })
        options.onNodeStarted?.(i + 1, specs.length)
      }
      // Connected as a subnet that has run a while is: every node dials the replicas of every key.
      await connectAll(subnet.nodes.map((n) => n.dht.host))
      options.onConnected?.()
      await subnet.untilEpochStart()
      for (const node of subnet.nodes) subnet.resume(node)
      await subnet.settle()
      return subnet
    } catch (err) {
      await subnet.close()
      throw err
    }
  }

  get block(): number {
    return this.runtime.block
  }

  async epochInfo() {
    return this.reader.epochInfo(this.subnetId)
  }

  /** The node the chain will elect in `epoch`, from the chain's own draw on today's state. */
  predictElected(epoch: number): TestNode {
    const state = this.runtime.snapshot()
    const id = drawValidator(state, state.subnets[String(this.subnetId)]!, epoch)
    const node = this.nodes.find((n) => n.nodeId === id)
    if (node === undefined) throw new Error(`no node would be elected in epoch ${epoch}`)
    return node
  }

  /** Produces one block and waits until every running node has played it. */
  async step(): Promise<void> {
    this.runtime.advance(1)
    await this.settle()
  }

  private async settle(): Promise<void> {
    const block = this.runtime.block
    await Promise.all(this.nodes.filter((n) => n.running).map((n) => n.game.settled(block)))
  }

  /** Steps until the first block of the next epoch. */
  async untilEpochStart(): Promise<number> {
    const info = await this.epochInfo()
    const target = info.epoch + 1
    while ((await this.epochInfo()).epoch < target) await this.step()
    return target
  }

  /** Steps until the chain is at `epoch` with progress ≥ `progress`. */
  async until(epoch: number, progress: number): Promise<void> {
    for (;;) {
      const info = await this.epochInfo()
      if (info.epoch > epoch || (info.epoch === epoch && info.progress >= progress)) return
      await this.step()
    }
  }

  /** Takes a node offline: its game and ticker stop (its DHT host stays, as a peer's would until it times out). */
  pause(node: TestNode): void {
    node.game.stop()
    node.ticker.stop()
    node.running = false
  }

  /** Restarts a node's game as a new process would: nothing kept in memory, the commit secrets on disk read back. */
  async restart(node: TestNode): Promise<void> {
    this.pause(node)
    await node.game.stop()
    node.game = node.makeGame()
    this.resume(node)
  }

  resume(node: TestNode): void {
    node.ticker.start()
    node.game.start()
    node.running = true
  }

  async close(): Promise<void> {
    for (const node of this.nodes) this.pause(node)
    await Promise.allSettled(this.nodes.map((n) => stopDht(n.dht)))
    for (const node of this.nodes) await node.chain.close()
    await this.reader.close()
    this.runtime.stop()
    rmSync(this.dataDir, { recursive: true, force: true })
  }
}
