// A loopback swarm of DHT nodes on one LocalChain, for the DHT's tests and benchmark: real libp2p
// hosts, the real signed RPC layer, blocks advanced by hand.
import { createHash } from 'node:crypto'
import type { PeerId } from '@libp2p/interface'
import type { Chain } from '../../src/chain/chain.js'
import { devSubnet } from '../../src/chain/local/bootstrap.js'
import { LocalChain } from '../../src/chain/local/local-chain.js'
import type { ChainParams } from '../../src/chain/local/params.js'
import { LocalChainRuntime } from '../../src/chain/local/runtime.js'
import { Dht, type DhtOptions } from '../../src/dht/dht.js'
import type { RecordStorage } from '../../src/dht/storage.js'
import { inPhase, type EpochKeyKind } from '../../src/dht/keys.js'
import { startHost, type Host } from '../../src/p2p/host.js'
import { generateIdentity, peerIdOf, type Ed25519PrivateKey } from '../../src/p2p/keys.js'
import { RpcClient } from '../../src/rpc/client.js'
import { RpcServer } from '../../src/rpc/server.js'

const JOIN_BATCH = 4

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest()

/**
 * `peers` nearest first to `key` by Kademlia's XOR distance, computed here apart from
 * src/dht/routing.ts: to sha256(namespaced key), or with the epoch's `seed` to sha256(namespaced key ‖ seed).
 */
export function byXorDistance(subnetId: number, key: string, peers: readonly PeerId[], seed?: Uint8Array): PeerId[] {
  const name = new TextEncoder().encode(`/hypertensor/${subnetId}/dht/${key}`)
  const target = sha256(seed === undefined ? name : Buffer.concat([name, seed]))
  const distance = (p: PeerId) => Buffer.from(sha256(p.toMultihash().bytes).map((b, i) => b ^ target[i]!)).toString('hex')
  return [...peers].sort((a, b) => distance(a).localeCompare(distance(b)))
}

export interface SwarmNode {
  key: Ed25519PrivateKey
  peerId: string
  host: Host
  server: RpcServer
  client: RpcClient
  dht: Dht
  running: boolean
}

export interface SwarmOptions {
  /** Staked nodes to register and start. */
  nodes: number
  dht?: DhtOptions
  epochLength?: number
  /** More of the local chain's parameters (the epoch length and seed are the swarm's own). */
  params?: Partial<ChainParams>
  /** Register the first node with a bootnode and a client peer id too (`Swarm.aliases`). */
  aliases?: boolean
}

/**
 * Dials every pair of hosts that is not yet connected, a few dials at a time, as a swarm that has
 * run a while is: tests then measure the DHT and the game, not a storm of first handshakes.
 */
export async function connectAll(hosts: readonly Host[]): Promise<void> {
  const pairs: Array<[Host, Host]> = []
  for (const [i, a] of hosts.entries()) for (const b of hosts.slice(i + 1)) pairs.push([a, b])
  const dial = async ([a, b]: [Host, Host]): Promise<void> => {
    if (a.libp2p.getConnections(b.peerId).length > 0) return
    for (let attempt = 1; ; attempt++) {
      try {
        await a.libp2p.dial(b.addresses()[0]!, { signal: AbortSignal.timeout(60_000) })
        return
      } catch (err) {
        if (attempt === 3) throw err
      }
    }
  }
  for (let i = 0; i < pairs.length; i += JOIN_BATCH) await Promise.all(pairs.slice(i, i + JOIN_BATCH).map(dial))
}

export class Swarm {
  readonly runtime: LocalChainRuntime
  readonly chain: Chain
  readonly subnetId: number
  readonly nodes: SwarmNode[] = []
  /** The keys of the first node's bootnode and client peer ids, when asked for (SwarmOptions.aliases). */
  aliases?: { bootnode: Ed25519PrivateKey; client: Ed25519PrivateKey }
  private readonly dhtOptions: DhtOptions

  private constructor(runtime: LocalChainRuntime, subnetId: number, dhtOptions: DhtOptions) {
    this.runtime = runtime
    this.chain = new LocalChain(runtime, {})
    this.subnetId = subnetId
    this.dhtOptions = dhtOptions
  }

  static async start(options: SwarmOptions): Promise<Swarm> {
    const runtime = new LocalChainRuntime({ params: { ...options.params, epochLength: options.epochLength ?? 20, seed: 'dht-swarm' } })
    const keys = await Promise.all(Array.from({ length: options.nodes }, () => generateIdentity()))
    const aliases = options.aliases === true ? { bootnode: await generateIdentity(), client: await generateIdentity() } : undefined
    const made = await devSubnet(runtime, {
      nodes: keys.map((key, i) => ({
        peerId: peerIdOf(key).toString(),
        ...(i === 0 && aliases !== undefined ? { bootnodePeerId: peerIdOf(aliases.bootnode).toString(), clientPeerId: peerIdOf(aliases.client).toString() } : {}),
      })),
    })
    runtime.advance(1)
    const swarm = new Swarm(runtime, made.subnetId, { replicateIntervalMs: 0, requestTimeoutMs: 30_000, ...options.dht })
    if (aliases !== undefined) swarm.aliases = aliases
    try {
      await swarm.startNode(keys[0]!)
      // Nodes join a few at a time, each through a node already in: one entry node takes only
      // so many handshakes at once (libp2p's pending inbound connection limit).
      for (let i = 1; i < keys.length; i += JOIN_BATCH) {
        await Promise.all(keys.slice(i, i + JOIN_BATCH).map((key, j) => swarm.startNode(key, {}, swarm.nodes[(i + j) % swarm.nodes.length])))
      }
      await swarm.connectAll()
    } catch (err) {
      await swarm.close()
      throw err
    }
    return swarm
  }

  /** Dials every pair of running nodes that is not yet connected (see `connectAll`). */
  async connectAll(): Promise<void> {
    await connectAll(this.running().map((n) => n.host))
  }

  /** Starts a node with `key` (staked or not), joining through `entry` or the first running node. */
  async startNode(key: Ed25519PrivateKey, dhtOptions: DhtOptions = {}, entry = this.nodes.find((n) => n.running)): Promise<SwarmNode> {
    const host = await startHost({
      privateKey: key,
      subnetId: this.subnetId,
      hostMaddrs: ['/ip4/127.0.0.1/tcp/0'],
      privateAddresses: true,
      inboundConnectionThreshold: 10_000,
      autoNat: false,
      bootstrapTimeoutMs: 120_000,
      ...(entry === undefined ? { newSwarm: true } : { initialPeers: [entry.host.addresses()[0]!.toString()] }),
    })
    const server = new RpcServer({ host, chain: this.chain }, { rateLimit: false })
    const client = new RpcClient({ host })
    const dht = await Dht.start({ host, chain: this.chain, rpcServer: server, rpcClient: client }, { ...this.dhtOptions, ...dhtOptions })
    const node: SwarmNode = { key, peerId: host.peerId.toString(), host, server, client, dht, running: true }
    const at = this.nodes.findIndex((n) => n.peerId === node.peerId)
    if (at === -1) this.nodes.push(node)
    else this.nodes[at] = node
    return node
  }

  /** Stops a node (its records go with it). */
  async stopNode(node: SwarmNode): Promise<void> {
    if (!node.running) return
    node.running = false
    await node.dht.stop()
    await node.server.close()
    await node.host.close()
  }

  running(): SwarmNode[] {
    return this.nodes.filter((n) => n.running)
  }

  /** Produces blocks until the phase window of `kind` in the current or next epoch is open; returns that epoch. */
  async advanceInto(kind: EpochKeyKind): Promise<number> {
    for (let i = 0; i < 10 * this.runtime.params.epochLength; i++) {
      const clock = await this.chain.epochInfo(this.subnetId)
      if (inPhase(kind, clock.epoch, clock)) return clock.epoch
      this.runtime.advance(1)
    }
    throw new Error(`the phase of ${kind} never opened`)
  }

  async close(): Promise<void> {
    await Promise.allSettled(this.nodes.map((n) => this.stopNode(n)))
    this.runtime.stop()
  }
}

/**
 * Puts `count` records of fresh writers under an epoch `key` straight into the storage of each of
 * `holders`, each with that holder's receipt at `block`: a dictionary as large as a big subnet's,
 * without a big subnet's writers. Keys come from libsodium directly (a peer id carries its public
 * key); a writer whose peer id `accept` refuses is drawn again. Returns the writers' peer ids:
 * readers count their records only where the chain's node list names them (PROTOCOL v2: a
 * registered node's own peer id), which a swarm's LocalChain does not until they are registered.
 */
export async function plantRecords(
  subnetId: number, holders: ReadonlyArray<{ key: Ed25519PrivateKey; storage: RecordStorage }>, key: string, count: number, block: number, expiration: number,
  accept: (writer: string) => boolean = () => true,
): Promise<string[]> {
  const { default: sodium } = await import('sodium-native')
  const { publicKeyFromRaw } = await import('@libp2p/crypto/keys')
  const { peerIdFromPublicKey } = await import('@libp2p/peer-id')
  const { signingPayload } = await import('../../src/dht/crypto.js')
  const { ReceiptSigner, valueHash } = await import('../../src/dht/receipt.js')
  const signers = holders.map((n) => new ReceiptSigner(n.key, peerIdOf(n.key), subnetId))
  const writers: string[] = []
  for (let i = 0; i < count; i++) {
    const publicKey = Buffer.alloc(32)
    const secretKey = Buffer.alloc(64)
    let writer: string
    do {
      sodium.crypto_sign_keypair(publicKey, secretKey)
      writer = peerIdFromPublicKey(publicKeyFromRaw(publicKey)).toString()
    } while (!accept(writer))
    const fields = { key, subkey: writer, value: createHash('sha256').update(`${key} ${i}`).digest(), expiration }
    const signature = Buffer.alloc(64)
    sodium.crypto_sign_detached(signature, Buffer.from(signingPayload(subnetId, fields)), secretKey)
    const about = { key, writer: fields.subkey, valueHash: valueHash(fields.value) }
    for (const [h, holder] of holders.entries()) holder.storage.put({ ...fields, signature, receipts: [signers[h]!.sign(about, block)] })
    writers.push(fields.subkey)
  }
  return writers
}
