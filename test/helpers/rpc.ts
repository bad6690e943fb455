// RPC test fixtures: hosts staked on a real LocalChain, and raw access to a method's stream for
// sending what no honest client would.
import { randomBytes } from 'node:crypto'
import type { Ed25519PrivateKey, PeerId, Stream } from '@libp2p/interface'
import { randomAccount } from '../../src/chain/accounts.js'
import { DEFAULT_MIN_STAKE, devSubnet } from '../../src/chain/local/bootstrap.js'
import { LocalChain } from '../../src/chain/local/local-chain.js'
import { LocalChainRuntime } from '../../src/chain/local/runtime.js'
import type { Host } from '../../src/p2p/host.js'
import { generateIdentity, peerIdOf } from '../../src/p2p/keys.js'
import { FramedStream } from '../../src/rpc/framed-stream.js'
import { NONCE_BYTES, type RequestFields } from '../../src/rpc/frames.js'
import { bytesCodec, streamMethod, unaryMethod } from '../../src/rpc/method.js'
import { closeAll, startLoopbackHost } from './swarm.js'

export const echo = unaryMethod({ name: 'echo', version: '1.0.0', request: bytesCodec, response: bytesCodec, maxRequestBytes: 4096, maxResponseBytes: 4096 })
/** A request's fields as an honest client makes them, from `caller` to `service` (unsigned: encode with a Signer). */
export function requestFields(protocol: string, caller: Host, service: Host, over: Partial<RequestFields> = {}): RequestFields {
  return {
    protocol,
    caller: caller.peerId.toMultihash().bytes,
    service: service.peerId.toMultihash().bytes,
    timeMs: Date.now(),
    nonce: randomBytes(NONCE_BYTES),
    payload: Uint8Array.of(1),
    ...over,
  }
}

export const count = streamMethod({ name: 'count', version: '1.0.0', request: bytesCodec, response: bytesCodec })

/**
 * Registers each of `peerIds` in an active subnet as a new node (one coldkey pays every stake) and
 * produces blocks until all have left the registration queue as Idle class: the least class that
 * proves stake. The chain lets `churnLimit` nodes out of the queue an epoch.
 */
export async function registerLate(runtime: LocalChainRuntime, subnetId: number, ...peerIds: string[]): Promise<void> {
  const coldkey = await randomAccount()
  runtime.fund(coldkey.address)
  for (const peerId of peerIds) {
    const hotkey = await randomAccount()
    runtime.fund(hotkey.address)
    const chain = new LocalChain(runtime, { hotkey, coldkey })
    await chain.registerSubnetNode({ subnetId, hotkey: hotkey.address, peerId, stake: DEFAULT_MIN_STAKE })
  }
  const waiting = new Set(peerIds)
  const view = new LocalChain(runtime, {})
  for (let blocks = 0; blocks < 1000; blocks++) {
    for (const node of await view.subnetNodes(subnetId)) if (node.class === 'Idle') waiting.delete(node.peerId)
    if (waiting.size === 0) return
    runtime.advance(1)
  }
  throw new Error(`${waiting.size} of ${peerIds.length} nodes did not leave the registration queue (${[...waiting][0]}…)`)
}

export interface StakedSwarm {
  /** The chain every host checks stake against (a view with no signer). */
  chain: LocalChain
  runtime: LocalChainRuntime
  subnetId: number
  /** Hosts whose peer ids are registered and staked, then `unstaked` hosts that are not. */
  hosts: Host[]
  close(): Promise<void>
}

/** A local chain with a subnet of `staked` registered nodes, and their hosts plus `unstaked` others. */
export async function stakedSwarm(staked: number, unstaked = 0): Promise<StakedSwarm> {
  const runtime = new LocalChainRuntime({ params: { epochLength: 8, minSubnetNodes: 1, seed: 'rpc-test' } })
  const keys: Ed25519PrivateKey[] = []
  for (let i = 0; i < staked + unstaked; i++) keys.push(await generateIdentity())
  const { subnetId } = await devSubnet(runtime, { nodes: keys.slice(0, staked).map((k) => ({ peerId: peerIdOf(k).toString() })) })
  const hosts: Host[] = []
  const close = async (): Promise<void> => {
    await closeAll(hosts)
    runtime.stop()
  }
  try {
    for (const privateKey of keys) {
      hosts.push(await startLoopbackHost(hosts.length === 0
        ? { subnetId, privateKey }
        : { subnetId, privateKey, newSwarm: false, initialPeers: hosts[0].addresses().map(String) }))
    }
  } catch (err) {
    await close()
    throw err
  }
  return { chain: new LocalChain(runtime), runtime, subnetId, hosts, close }
}

/** Opens a stream on `protocol` and hands it over bare, for hostile-peer tests. */
export async function rawStream(from: Host, to: PeerId, protocol: string, maxFrame = 1 << 20): Promise<FramedStream> {
  const stream: Stream = await from.libp2p.dialProtocol(to, protocol, { signal: AbortSignal.timeout(30_000) })
  return new FramedStream(stream, maxFrame)
}

/** Resolves when `stream` has closed (either side), or rejects after `timeoutMs`. */
export function closed(stream: Stream, timeoutMs = 30_000): Promise<void> {
  if (stream.status !== 'open') return Promise.resolve()
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`stream still ${stream.status} after ${timeoutMs} ms`)), timeoutMs)
    stream.addEventListener('close', () => { clearTimeout(timer); resolve() }, { once: true })
  })
}
