// The libp2p host of a subnet node: TCP and QUIC, Noise, Yamux, identify, ping, a Kademlia DHT
// of the subnet's own, circuit relay v2 and AutoNAT. Started from an identity key; joins the
// swarm through initial peers or starts a new one.
import { createLibp2p, type Libp2p } from 'libp2p'
import { tcp } from '@libp2p/tcp'
import { quic } from '@chainsafe/libp2p-quic'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { identify, type Identify } from '@libp2p/identify'
import { ping, type Ping } from '@libp2p/ping'
import { kadDHT, passthroughMapper, removePrivateAddressesMapper, type KadDHT, type SingleKadDHT } from '@libp2p/kad-dht'
import { autoNAT } from '@libp2p/autonat'
import { circuitRelayServer, circuitRelayTransport, type CircuitRelayService } from '@libp2p/circuit-relay-v2'
import type { ConnectionGater, Ed25519PrivateKey, PeerId } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'
import { MeshError, errorMessage } from '../errors.js'
import { logger } from '../log.js'
import { peerIdOf } from './keys.js'
import { parseListenAddr, parseMultiaddr, parsePeerAddr, type PeerAddr } from './multiaddrs.js'

const log = logger('p2p:host')

export const DEFAULT_HOST_MADDRS = ['/ip4/0.0.0.0/tcp/0', '/ip4/0.0.0.0/udp/0/quic-v1']

/** The Kademlia protocol of one subnet: nodes of different subnets never share a routing table. */
export function dhtProtocol(subnetId: number): string {
  return `/hypertensor/${subnetId}/kad/1.0.0`
}

export interface HostOptions {
  /** The node's identity (src/p2p/keys.ts). */
  privateKey: Ed25519PrivateKey
  subnetId: number
  /** Addresses to listen on (--host_maddrs); default TCP and QUIC on every interface, any free port. */
  hostMaddrs?: string[]
  /** Addresses to tell other peers instead of the listen addresses (--announce_maddrs), e.g. behind port forwarding. */
  announceMaddrs?: string[]
  /** Peers to join the swarm through (--initial_peers), each ending in /p2p/<peer id>. */
  initialPeers?: string[]
  /** Start a new swarm with no initial peers: this node is the first bootstrap (--new_swarm). */
  newSwarm?: boolean
  /** Serve as a circuit relay for peers behind NAT (default false). */
  relayServer?: boolean
  /** Reserve a slot on a relay among the connected peers, to be reachable from behind NAT (default false). */
  relayClient?: boolean
  /** Ask peers whether our addresses are reachable, and answer them (default true). */
  autoNat?: boolean
  /**
   * Keep private and loopback addresses in the DHT (default false: only public ones travel).
   * Needed on a LAN and in tests on loopback.
   */
  privateAddresses?: boolean
  /** Connection limits (libp2p's connection manager). */
  maxConnections?: number
  /** New inbound connections a second from one host before it is refused; raise it for loopback swarms. */
  inboundConnectionThreshold?: number
  /**
   * Inbound connections still in their handshakes before more are refused (default 64; libp2p's
   * own is 10). The replicas of an epoch key are dialed by every node of the subnet in the same
   * block, so a subnet node takes bursts of first connections that libp2p's default would refuse.
   */
  maxIncomingPendingConnections?: number
  /** How long joining through the initial peers may take, in ms (default 30 s). */
  bootstrapTimeoutMs?: number
  /** Peers and addresses to refuse (libp2p's connection gater): a deny list, or a test's network partition. */
  connectionGater?: ConnectionGater
}

export type HostServices = {
  identify: Identify
  ping: Ping
  dht: KadDHT
  autoNat?: unknown
  relay?: CircuitRelayService
}

/** A started libp2p host. `close()` stops it; a closed host cannot be started again. */
export class Host {
  readonly libp2p: Libp2p<HostServices>
  readonly subnetId: number
  readonly privateKey: Ed25519PrivateKey
  private closed = false

  constructor(libp2p: Libp2p<HostServices>, subnetId: number, privateKey: Ed25519PrivateKey) {
    this.libp2p = libp2p
    this.subnetId = subnetId
    this.privateKey = privateKey
  }

  get peerId(): PeerId {
    return this.libp2p.peerId
  }

  get dht(): KadDHT {
    return this.libp2p.services.dht
  }

  /** The addresses other peers can dial, each ending in /p2p/<our peer id>. */
  addresses(): Multiaddr[] {
    return this.libp2p.getMultiaddrs()
  }

  /** Dials the given peers and fills the routing table; resolves once at least one answered. */
  async join(peers: PeerAddr[], timeoutMs = 30_000): Promise<void> {
    if (peers.length === 0) throw new MeshError('P2P_NO_INITIAL_PEERS', 'no peers to join the swarm through')
    const signal = AbortSignal.timeout(timeoutMs)
    const results = await Promise.allSettled(peers.map(async ({ peerId, addr }) => {
      await this.libp2p.peerStore.merge(peerId, { multiaddrs: [addr], tags: { 'initial-peer': { value: 50 } } })
      await this.libp2p.dial(addr, { signal })
    }))
    const failures = results.flatMap((r, i) => (r.status === 'rejected' ? [`${peers[i].addr.toString()}: ${errorMessage(r.reason)}`] : []))
    if (failures.length === peers.length) {
      throw new MeshError('P2P_BOOTSTRAP_FAILED', `could not reach any initial peer (${failures.join('; ')})`, {
        fix: 'check that the initial peers are up and their addresses are right, or pass --new_swarm to start a new swarm',
      })
    }
    for (const failure of failures) log.warn('initial peer unreachable', { failure })
    await this.lookupSelf(signal)
  }

  /**
   * A Kademlia lookup of our own id: it tells the closest peers about us and fills our buckets.
   * Waits for identify to put a peer in the routing table first (the lookup needs one).
   */
  private async lookupSelf(signal: AbortSignal): Promise<void> {
    // kadDHT() builds a single DHT; its routing table's declared type omits the events it emits
    const table = (this.dht as SingleKadDHT).routingTable as SingleKadDHT['routingTable'] & EventTarget
    if (table.size === 0) {
      await new Promise<void>((resolve, reject) => {
        const done = (): void => {
          table.removeEventListener('peer:add', done)
          signal.removeEventListener('abort', fail)
          resolve()
        }
        const fail = (): void => {
          table.removeEventListener('peer:add', done)
          reject(new MeshError('P2P_BOOTSTRAP_FAILED', 'connected, but no initial peer speaks this subnet\'s DHT', {
            fix: `check that the initial peers run subnet ${this.subnetId}`,
          }))
        }
        if (signal.aborted) return fail()
        table.addEventListener('peer:add', done)
        signal.addEventListener('abort', fail, { once: true })
      })
    }
    let found = 0
    try {
      for await (const event of this.dht.getClosestPeers(this.peerId.toMultihash().bytes, { signal })) {
        if (event.name === 'FINAL_PEER') found++
      }
    } catch (err) {
      throw new MeshError('P2P_BOOTSTRAP_FAILED', `the DHT lookup of our own id failed: ${errorMessage(err)}`, {
        fix: 'check that the initial peers are up, or raise the bootstrap timeout',
        cause: err,
      })
    }
    log.info('joined swarm', { peer: this.peerId.toString(), closest: found, routingTable: table.size })
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    await this.libp2p.stop()
    log.info('host stopped', { peer: this.peerId.toString() })
  }
}

/** Builds, starts and (unless it starts a new swarm) bootstraps a host. */
export async function startHost(options: HostOptions): Promise<Host> {
  const listen = (options.hostMaddrs ?? DEFAULT_HOST_MADDRS).map((a) => parseListenAddr(a).toString())
  const announce = (options.announceMaddrs ?? []).map((a) => parseMultiaddr(a, 'announce address').toString())
  const initialPeers = (options.initialPeers ?? []).map(parsePeerAddr)
  if (!Number.isInteger(options.subnetId) || options.subnetId < 0) {
    throw new MeshError('SUBNET_ID_INVALID', `subnet id ${options.subnetId} is not a non-negative integer`)
  }
  if (options.newSwarm === true && initialPeers.length > 0) {
    throw new MeshError('P2P_NEW_SWARM_WITH_PEERS', 'a new swarm has no initial peers', {
      fix: 'pass either --new_swarm or --initial_peers, not both',
    })
  }
  if (options.newSwarm !== true && initialPeers.length === 0) {
    throw new MeshError('P2P_NO_INITIAL_PEERS', 'no initial peers to join the swarm through', {
      fix: 'pass --initial_peers <multiaddr/p2p/peer id>, or --new_swarm to start the first node of a swarm',
    })
  }
  const self = options.privateKey
  if (initialPeers.some((p) => p.peerId.equals(peerIdOf(self)))) {
    throw new MeshError('P2P_SELF_AS_PEER', 'the initial peers include this node itself', { fix: 'list other nodes only' })
  }
  if (options.relayClient === true) listen.push('/p2p-circuit')

  const services = {
    identify: identify(),
    ping: ping(),
    dht: kadDHT({
      protocol: dhtProtocol(options.subnetId),
      clientMode: false,
      peerInfoMapper: options.privateAddresses === true ? passthroughMapper : removePrivateAddressesMapper,
    }),
    // AutoNAT of the subnet only (it prepends the slash): /hypertensor/<subnet>/autonat/1.0.0
    ...(options.autoNat === false ? {} : { autoNat: autoNAT({ protocolPrefix: `hypertensor/${options.subnetId}` }) }),
    // Subnet nodes relay each other's RPCs, so relayed connections carry no data or time cap.
    ...(options.relayServer === true ? { relay: circuitRelayServer({ reservations: { applyDefaultLimit: false } }) } : {}),
  }

  let libp2p: Libp2p<HostServices>
  try {
    libp2p = await createLibp2p({
      privateKey: self,
      addresses: { listen, announce },
      transports: [tcp(), quic(), circuitRelayTransport()],
      connectionEncrypters: [noise()],
      streamMuxers: [yamux()],
      connectionManager: {
        maxConnections: options.maxConnections ?? 300,
        inboundConnectionThreshold: options.inboundConnectionThreshold ?? 50,
        maxIncomingPendingConnections: options.maxIncomingPendingConnections ?? 64,
      },
      ...(options.connectionGater === undefined ? {} : { connectionGater: options.connectionGater }),
      services,
    })
  } catch (err) {
    throw new MeshError('P2P_START_FAILED', `cannot start the p2p host: ${errorMessage(err)}`, {
      fix: 'check that the listen addresses are free and belong to this machine',
      cause: err,
    })
  }
  const host = new Host(libp2p, options.subnetId, self)
  log.info('host started', {
    peer: libp2p.peerId.toString(),
    subnet: options.subnetId,
    addrs: libp2p.getMultiaddrs().map(String).join(','),
    newSwarm: options.newSwarm === true,
  })
  if (initialPeers.length > 0) {
    try {
      await host.join(initialPeers, options.bootstrapTimeoutMs)
    } catch (err) {
      await host.close()
      throw err
    }
  }
  return host
}
