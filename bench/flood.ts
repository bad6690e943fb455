// `npm run bench -- flood [--seconds N] [--rate N] [--json]`: honest signed calls/s from a staked
// caller, with and without a flood of calls the server refuses (forged signatures, unstaked
// callers, replays) from other hosts, in one run (alternating rounds, so that load from
// elsewhere hits both alike). Three event loops: the server, the honest caller (here) and the
// flooders each in a thread of their own. The flood is `--rate` refused calls/s in all (default
// 300: each of the three flooding peers at the default per-peer rate limit, 100/s, the most a
// peer gets through to the full refusal path); the server's rate limit is lifted so that no
// flood call is cut short by it, the worst case for the server. With `--rate 0` the flooders go
// as fast as they can (on one machine, that measures the flooders' CPU as much as the server's).
// `--control` sends accepted calls instead, at the same pace, from a staked peer: what the same
// traffic costs when it is not refused. The server's busy time per honest and per flood call
// comes from its event-loop utilization.
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads'
import { fileURLToPath } from 'node:url'
import { randomBytes } from 'node:crypto'
import { devSubnet } from '../src/chain/local/bootstrap.js'
import { LocalChain } from '../src/chain/local/local-chain.js'
import { LocalChainRuntime } from '../src/chain/local/runtime.js'
import { configureLogging } from '../src/log.js'
import { startHost, type Host } from '../src/p2p/host.js'
import { generateIdentity, peerIdOf } from '../src/p2p/keys.js'
import { parsePeerId } from '../src/p2p/multiaddrs.js'
import { Signer } from '../src/p2p/signing.js'
import { RpcClient } from '../src/rpc/client.js'
import { FramedStream } from '../src/rpc/framed-stream.js'
import { NONCE_BYTES, ResponseKind, decodeResponse, encodeRequest } from '../src/rpc/frames.js'
import { bytesCodec, methodProtocol, unaryMethod } from '../src/rpc/method.js'
import { RpcServer } from '../src/rpc/server.js'
import { positiveOption } from './lib/options.js'

export const description = 'honest RPC calls/s with and without a concurrent flood of refused calls (bad signatures, unstaked callers, replays)'

const IN_FLIGHT = 16
/** Streams each flooding peer sends on at once. */
const LANES = 4
const LOOPBACK = { hostMaddrs: ['/ip4/127.0.0.1/tcp/0'], privateAddresses: true, autoNat: false, inboundConnectionThreshold: 10_000 }
const echo = unaryMethod({ name: 'bench-flood-echo', version: '1.0.0', request: bytesCodec, response: bytesCodec })
const KINDS = ['forged', 'unstaked', 'replay'] as const
type Kind = (typeof KINDS)[number]

interface Ready { peerId: string; addrs: string[]; subnetId: number }

/** The serving node: a local chain on which the honest caller and the replaying flooder are staked. */
async function serve(staked: string[]): Promise<void> {
  const key = await generateIdentity()
  const runtime = new LocalChainRuntime({ params: { epochLength: 100, minSubnetNodes: 1, seed: 'bench-flood' } })
  const { subnetId } = await devSubnet(runtime, { nodes: [key, ...staked].map((peer) => ({ peerId: typeof peer === 'string' ? peer : peerIdOf(peer).toString() })) })
  const host = await startHost({ privateKey: key, subnetId, newSwarm: true, ...LOOPBACK })
  const server = new RpcServer({ host, chain: new LocalChain(runtime) }, { rateLimit: false, maxInboundStreams: 256 })
  await server.handle(echo, (request) => request)
  parentPort!.on('message', async (message: string) => {
    // The server thread's busy time so far (event-loop utilization), to split its work between calls.
    if (message === 'busy') return parentPort!.postMessage(performance.eventLoopUtilization().active)
    await server.close()
    await host.close()
    runtime.stop()
    parentPort!.postMessage('closed')
  })
  parentPort!.postMessage({ peerId: host.peerId.toString(), addrs: host.addresses().map(String), subnetId } satisfies Ready)
}

/**
 * The flooders: one host per kind, each with LANES streams sending one refused request after
 * another while the main thread says so; counts the refusal codes it hears. Forgers and the
 * unstaked have no stake; the replayer is staked (a replay is refused before its stake matters).
 */
async function flood(rate: number, control: boolean): Promise<void> {
  const keys = await Promise.all(KINDS.map(() => generateIdentity()))
  parentPort!.postMessage(keys.map((k) => peerIdOf(k).toString()))
  const ready = await new Promise<Ready>((resolve) => parentPort!.once('message', resolve))
  const server = parsePeerId(ready.peerId)
  const protocol = methodProtocol(ready.subnetId, echo)
  const hosts = await Promise.all(keys.map((privateKey) => startHost({ privateKey, subnetId: ready.subnetId, initialPeers: ready.addrs, ...LOOPBACK })))
  const codes: Record<string, number> = {}
  let running = false
  let lanesDone: Promise<void[]> = Promise.resolve([])

  const frameFor = async (kind: Kind | 'accepted', host: Host): Promise<() => Promise<Uint8Array>> => {
    const fields = () => ({
      protocol, caller: host.peerId.toMultihash().bytes, service: server.toMultihash().bytes, timeMs: Date.now(), nonce: randomBytes(NONCE_BYTES), payload: Uint8Array.of(1),
    })
    const own = new Signer(host.privateKey)
    const other = new Signer(await generateIdentity())
    // A captured request of this caller, sent again and again.
    const captured = await encodeRequest(fields(), own)
    if (kind === 'forged') return () => encodeRequest(fields(), other)
    if (kind === 'unstaked' || kind === 'accepted') return () => encodeRequest(fields(), own)
    return async () => captured
  }

  const lane = async (kind: Kind, flooder: Host): Promise<void> => {
    // The control: the same calls at the same pace, but well-formed ones from the staked peer.
    const host = control ? hosts[KINDS.indexOf('replay')] : flooder
    const next = await frameFor(control ? 'accepted' : kind, host)
    const intervalMs = rate === 0 ? 0 : (KINDS.length * LANES) / rate * 1000
    let due = performance.now()
    while (running) {
      const framed = new FramedStream(await host.libp2p.dialProtocol(server, protocol), 1 << 16)
      try {
        while (running) {
          due += intervalMs
          if (due > performance.now()) await new Promise((resolve) => setTimeout(resolve, due - performance.now()))
          await framed.write(await next())
          const frame = await framed.read()
          if (frame === null) break
          const response = decodeResponse(frame)
          const code = response.kind === ResponseKind.ERROR ? response.errorCode : 'SERVED'
          codes[code] = (codes[code] ?? 0) + 1
        }
      } catch {
        codes.reset = (codes.reset ?? 0) + 1
      } finally {
        framed.stream.abort(new Error('lane done'))
        framed.dispose()
      }
    }
  }

  parentPort!.on('message', async (message: string) => {
    if (message === 'start') {
      running = true
      lanesDone = Promise.all(KINDS.flatMap((kind, i) => Array.from({ length: LANES }, () => lane(kind, hosts[i]))))
      parentPort!.postMessage('started')
    } else if (message === 'stop') {
      running = false
      await lanesDone
      parentPort!.postMessage({ ...codes })
      for (const k of Object.keys(codes)) delete codes[k]
    } else {
      await Promise.all(hosts.map((h) => h.close()))
      parentPort!.postMessage('closed')
    }
  })
  parentPort!.postMessage('ready')
}

if (!isMainThread) {
  const data = workerData as { role?: string; staked: string[]; rate: number; control: boolean }
  if (data.role === 'flood-server') {
    configureLogging({ level: 'error' })
    await serve(data.staked)
  } else if (data.role === 'flood-attacker') {
    configureLogging({ level: 'error' })
    await flood(data.rate, data.control)
  }
}

/** A worker's next message. */
function next<T>(worker: Worker): Promise<T> {
  return new Promise((resolve, reject) => {
    worker.once('message', resolve)
    worker.once('error', reject)
  })
}

async function measure(seconds: number, call: () => Promise<unknown>): Promise<{ perSecond: number; latencies: number[]; errors: number }> {
  const latencies: number[] = []
  let errors = 0
  const started = performance.now()
  const end = started + seconds * 1000
  await Promise.all(Array.from({ length: IN_FLIGHT }, async () => {
    while (performance.now() < end) {
      const t0 = performance.now()
      try {
        await call()
        latencies.push(performance.now() - t0)
      } catch {
        errors++
      }
    }
  }))
  return { perSecond: latencies.length / ((performance.now() - started) / 1000), latencies, errors }
}

const percentile = (values: number[], p: number): number => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))] ?? 0
const round = (n: number, digits = 0): number => Number(n.toFixed(digits))

export interface FloodFigures extends Record<string, unknown> {
  honestCallsPerSecondQuiet: number
  honestCallsPerSecondFlooded: number
  slowdownPercent: number
  honestErrors: number
  floodCallsPerSecond: number
  floodOutcomes: Record<string, number>
}

export async function run(args: string[]): Promise<FloodFigures> {
  const seconds = positiveOption(args, '--seconds', 6)
  const rate = args.includes('--rate') ? Number(args[args.indexOf('--rate') + 1]) : 300
  if (!(rate >= 0)) throw new Error('--rate needs a number of calls per second, 0 for as fast as possible')
  configureLogging({ level: 'error' })
  const key = await generateIdentity()
  const here = fileURLToPath(import.meta.url)
  const control = args.includes('--control')
  const attacker = new Worker(here, { workerData: { role: 'flood-attacker', rate, control } })
  let serverWorker: Worker | undefined
  let host: Host | undefined
  let client: RpcClient | undefined
  try {
    const flooders = await next<string[]>(attacker)
    serverWorker = new Worker(here, { workerData: { role: 'flood-server', staked: [peerIdOf(key).toString(), flooders[KINDS.indexOf('replay')]] } })
    const ready = await next<Ready>(serverWorker)
    attacker.postMessage(ready)
    await next(attacker)
    host = await startHost({ privateKey: key, subnetId: ready.subnetId, initialPeers: ready.addrs, ...LOOPBACK })
    client = new RpcClient({ host })
    const server = parsePeerId(ready.peerId)
    const payload = new Uint8Array(64)
    const call = () => client!.call(server, echo, payload)
    await measure(1, call) // warm up
    const quiet = { calls: 0, latencies: [] as number[], errors: 0, served: 0, busyMs: 0, seconds: 0 }
    const flooded = { calls: 0, latencies: [] as number[], errors: 0, served: 0, busyMs: 0, seconds: 0 }
    const busy = async (): Promise<number> => {
      serverWorker!.postMessage('busy')
      return next<number>(serverWorker!)
    }
    const outcomes: Record<string, number> = {}
    let floodSeconds = 0
    // Many short alternating rounds: on a shared machine the load from elsewhere drifts, and
    // each round's ratio compares two neighbouring seconds.
    const rounds = Math.max(3, Math.round(seconds))
    const ratios: number[] = []
    for (let r = 0; r < rounds; r++) {
      const busy0 = await busy()
      const a = await measure(seconds / rounds, call)
      const busy1 = await busy()
      attacker.postMessage('start')
      await next(attacker)
      const floodStarted = performance.now()
      const busy2 = await busy()
      const b = await measure(seconds / rounds, call)
      const busy3 = await busy()
      attacker.postMessage('stop')
      quiet.busyMs += busy1 - busy0
      flooded.busyMs += busy3 - busy2
      for (const [code, n] of Object.entries(await next<Record<string, number>>(attacker))) outcomes[code] = (outcomes[code] ?? 0) + n
      floodSeconds += (performance.now() - floodStarted) / 1000
      ratios.push(b.perSecond / a.perSecond)
      for (const [into, from] of [[quiet, a], [flooded, b]] as const) {
        into.calls += from.perSecond / rounds
        into.latencies.push(...from.latencies)
        into.errors += from.errors
        into.served += from.latencies.length
      }
    }
    const floodCalls = Object.values(outcomes).reduce((a, b) => a + b, 0)
    // The server's busy time per honest call when quiet; what is left of its flooded busy time,
    // after the honest calls it served meanwhile, is the flood's (a rough split: honest calls
    // cost more when they batch less).
    const honestUs = quiet.busyMs / quiet.served * 1000
    const refusedUs = (flooded.busyMs - flooded.served * honestUs / 1000) / floodCalls * 1000
    return {
      inFlight: IN_FLIGHT,
      floodRateAsked: rate === 0 ? 'unbounded' : rate,
      flood: control ? 'control: accepted calls from a staked peer' : 'refused calls',
      secondsPerMode: seconds,
      honestCallsPerSecondQuiet: round(quiet.calls),
      honestCallsPerSecondFlooded: round(flooded.calls),
      slowdownPercent: round((1 - flooded.calls / quiet.calls) * 100, 1),
      medianRoundSlowdownPercent: round((1 - [...ratios].sort((x, y) => x - y)[Math.floor(ratios.length / 2)]) * 100, 1),
      rounds,
      honestErrors: quiet.errors + flooded.errors,
      quietLatencyMs: { p50: round(percentile(quiet.latencies, 0.5), 2), p99: round(percentile(quiet.latencies, 0.99), 2) },
      floodedLatencyMs: { p50: round(percentile(flooded.latencies, 0.5), 2), p99: round(percentile(flooded.latencies, 0.99), 2) },
      floodCallsPerSecond: round(floodCalls / floodSeconds),
      serverBusyPercentQuiet: round(quiet.busyMs / (seconds * 10), 1),
      serverBusyPercentFlooded: round(flooded.busyMs / (seconds * 10), 1),
      serverUsPerHonestCall: round(honestUs),
      serverUsPerFloodCall: round(refusedUs),
      floodOutcomes: outcomes,
      node: process.version,
    }
  } finally {
    client?.close()
    await host?.close()
    attacker.postMessage('close')
    await next(attacker).catch(() => undefined)
    await attacker.terminate()
    if (serverWorker !== undefined) {
      serverWorker.postMessage('close')
      await next(serverWorker).catch(() => undefined)
      await serverWorker.terminate()
    }
  }
}
