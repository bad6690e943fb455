// `npm run bench -- rpc [--seconds N] [--json]`: unary calls per second between two hosts on
// loopback with 16 calls in flight, with signing and proof of stake on and off in the same run
// (alternating rounds, so that load from elsewhere hits both alike), their ratio, and streamed
// chunks per second: every chunk signed, none, and as inference streams do (chunks unsigned, a
// transcript signature at the end). The serving host runs in a worker thread: two nodes, two
// event loops.
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads'
import { fileURLToPath } from 'node:url'
import { devSubnet } from '../src/chain/local/bootstrap.js'
import { LocalChain } from '../src/chain/local/local-chain.js'
import { LocalChainRuntime } from '../src/chain/local/runtime.js'
import { configureLogging } from '../src/log.js'
import { startHost, type Host } from '../src/p2p/host.js'
import { generateIdentity, peerIdOf } from '../src/p2p/keys.js'
import { parsePeerId } from '../src/p2p/multiaddrs.js'
import { RpcClient } from '../src/rpc/client.js'
import { bytesCodec, streamMethod, unaryMethod } from '../src/rpc/method.js'
import { RpcServer } from '../src/rpc/server.js'
import { positiveOption } from './lib/options.js'

export const description = 'RPC calls/s between two loopback hosts, 16 in flight, signing + proof of stake on vs off; streamed chunks/s'

const IN_FLIGHT = 16
const PAYLOAD_BYTES = 64
const CHUNKS_PER_STREAM = 200
const LOOPBACK = { hostMaddrs: ['/ip4/127.0.0.1/tcp/0'], privateAddresses: true, autoNat: false, inboundConnectionThreshold: 10_000 }

const signedEcho = unaryMethod({ name: 'bench-signed', version: '1.0.0', request: bytesCodec, response: bytesCodec })
const plainEcho = unaryMethod({ name: 'bench-plain', version: '1.0.0', request: bytesCodec, response: bytesCodec })
const signedChunks = streamMethod({ name: 'bench-signed-stream', version: '1.0.0', request: bytesCodec, response: bytesCodec })
const plainChunks = streamMethod({ name: 'bench-plain-stream', version: '1.0.0', request: bytesCodec, response: bytesCodec })
// As inference streams: chunks unsigned, the last one a signature over a transcript-sized body.
const transcriptChunks = streamMethod({ name: 'bench-transcript-stream', version: '1.0.0', request: bytesCodec, response: bytesCodec, signChunks: false })
const TRANSCRIPT_BYTES = 400

interface Ready { peerId: string; addrs: string[]; subnetId: number }

/** The serving node: a local chain on which the caller is staked, and both servers on one host. */
async function serve(callerPeerId: string): Promise<void> {
  configureLogging({ level: 'warn' })
  const key = await generateIdentity()
  const runtime = new LocalChainRuntime({ params: { epochLength: 100, minSubnetNodes: 1, seed: 'bench-rpc' } })
  const { subnetId } = await devSubnet(runtime, { nodes: [{ peerId: peerIdOf(key).toString() }, { peerId: callerPeerId }] })
  const host = await startHost({ privateKey: key, subnetId, newSwarm: true, ...LOOPBACK })
  const signed = new RpcServer({ host, chain: new LocalChain(runtime) }, { rateLimit: { perSecond: 1_000_000, burst: 1_000_000 }, maxInboundStreams: 128 })
  const plain = new RpcServer({ host }, { authenticate: false, rateLimit: false, maxInboundStreams: 128 })
  const chunk = new Uint8Array(PAYLOAD_BYTES)
  async function * chunks(): AsyncGenerator<Uint8Array> {
    for (let i = 0; i < CHUNKS_PER_STREAM; i++) yield chunk
  }
  await signed.handle(signedEcho, (request) => request)
  await signed.handle(signedChunks, chunks)
  const transcript = new Uint8Array(TRANSCRIPT_BYTES)
  await signed.handle(transcriptChunks, async function * (_request, context) {
    for (let i = 0; i < CHUNKS_PER_STREAM - 1; i++) yield chunk
    yield context.sign!(transcript)
  })
  await plain.handle(plainEcho, (request) => request, { access: 'public' })
  await plain.handle(plainChunks, chunks, { access: 'public' })
  parentPort!.on('message', async () => {
    await Promise.all([signed.close(), plain.close()])
    await host.close()
    runtime.stop()
    parentPort!.postMessage('closed')
  })
  const ready: Ready = { peerId: host.peerId.toString(), addrs: host.addresses().map(String), subnetId }
  parentPort!.postMessage(ready)
}

if (!isMainThread && (workerData as { role?: string })?.role === 'rpc-bench-server') {
  await serve((workerData as { caller: string }).caller)
}

/**
 * Runs `work` on IN_FLIGHT loops for `seconds`: how many units were done a second, each call's
 * latency, and the cores this process kept busy (both hosts are in it: the server is a worker thread).
 */
async function measure(seconds: number, work: () => Promise<number>): Promise<{ perSecond: number; latencies: number[]; cores: number }> {
  const latencies: number[] = []
  let done = 0
  const cpu = process.cpuUsage()
  const started = performance.now()
  const end = started + seconds * 1000
  await Promise.all(Array.from({ length: IN_FLIGHT }, async () => {
    while (performance.now() < end) {
      const t0 = performance.now()
      const units = await work() // not `done += await work()`: that reads `done` before the await
      done += units
      latencies.push(performance.now() - t0)
    }
  }))
  const elapsedMs = performance.now() - started
  const used = process.cpuUsage(cpu)
  return { perSecond: done / (elapsedMs / 1000), latencies, cores: (used.user + used.system) / 1000 / elapsedMs }
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0
}

const round = (n: number, digits = 0): number => Number(n.toFixed(digits))

export async function run(args: string[]): Promise<Record<string, unknown>> {
  const seconds = positiveOption(args, '--seconds', 3)
  configureLogging({ level: 'warn' })

  const key = await generateIdentity()
  const worker = new Worker(fileURLToPath(import.meta.url), { workerData: { role: 'rpc-bench-server', caller: peerIdOf(key).toString() } })
  const ready = await new Promise<Ready>((resolve, reject) => {
    worker.once('message', resolve)
    worker.once('error', reject)
  })
  let host: Host | undefined
  const clients: RpcClient[] = []
  try {
    host = await startHost({ privateKey: key, subnetId: ready.subnetId, initialPeers: ready.addrs, ...LOOPBACK })
    const server = parsePeerId(ready.peerId)
    const signed = new RpcClient({ host })
    const plain = new RpcClient({ host }, { authenticate: false })
    clients.push(signed, plain)
    const payload = new Uint8Array(PAYLOAD_BYTES)
    const unary = (client: RpcClient, method: typeof signedEcho) => async (): Promise<number> => {
      await client.call(server, method, payload)
      return 1
    }
    const stream = (client: RpcClient, method: typeof signedChunks) => async (): Promise<number> => {
      let n = 0
      for await (const _ of client.stream(server, method, payload)) n++
      return n
    }

    await measure(1, unary(signed, signedEcho)) // warm up: connections, pools, JIT
    await measure(1, unary(plain, plainEcho))
    const on = { calls: 0, latencies: [] as number[], cores: 0 }
    const off = { calls: 0, latencies: [] as number[], cores: 0 }
    for (let i = 0; i < 2; i++) {
      const a = await measure(seconds / 2, unary(plain, plainEcho))
      const b = await measure(seconds / 2, unary(signed, signedEcho))
      off.calls += a.perSecond / 2
      on.calls += b.perSecond / 2
      off.latencies.push(...a.latencies)
      on.latencies.push(...b.latencies)
      off.cores += a.cores / 2
      on.cores += b.cores / 2
    }
    const streamOn = await measure(seconds / 2, stream(signed, signedChunks))
    const streamOff = await measure(seconds / 2, stream(plain, plainChunks))
    const streamTranscript = await measure(seconds / 2, stream(signed, transcriptChunks))

    return {
      inFlight: IN_FLIGHT,
      payloadBytes: PAYLOAD_BYTES,
      secondsPerMode: seconds,
      unaryCallsPerSecondSigned: round(on.calls),
      unaryCallsPerSecondUnsigned: round(off.calls),
      signedToUnsignedRatio: round(on.calls / off.calls, 3),
      signedLatencyMs: { p50: round(percentile(on.latencies, 0.5), 2), p99: round(percentile(on.latencies, 0.99), 2) },
      unsignedLatencyMs: { p50: round(percentile(off.latencies, 0.5), 2), p99: round(percentile(off.latencies, 0.99), 2) },
      coresBusySigned: round(on.cores, 2),
      coresBusyUnsigned: round(off.cores, 2),
      cpuMicrosecondsPerCallSigned: round(on.cores * 1e6 / on.calls),
      cpuMicrosecondsPerCallUnsigned: round(off.cores * 1e6 / off.calls),
      streamChunksPerSecondSigned: round(streamOn.perSecond),
      streamChunksPerSecondUnsigned: round(streamOff.perSecond),
      streamChunksPerSecondTranscript: round(streamTranscript.perSecond),
      transcriptToUnsignedStreamRatio: round(streamTranscript.perSecond / streamOff.perSecond, 3),
      chunksPerStream: CHUNKS_PER_STREAM,
      node: process.version,
    }
  } finally {
    for (const client of clients) client.close()
    await host?.close()
    worker.postMessage('close')
    await new Promise((resolve) => worker.once('message', resolve))
    await worker.terminate()
  }
}
