// `npm run bench -- api`: a generation through `mesh api` → the network → a hoster, against the
// same engine called directly, in one run: generation tokens/s ratio and the extra time to first
// token. Everything on loopback in this process: a local chain, one hoster node, the gateway;
// the HTTP client runs in a worker thread, as an app runs in its own process: in the gateway's
// event loop it would wait for whatever the gateway does next (the readings it starts behind a
// request's first chunk) before it saw that chunk.
import '../src/polyfill.js'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads'
import { ApiServer } from '../src/api/server.js'
import { devSubnet } from '../src/chain/local/bootstrap.js'
import { LocalChain } from '../src/chain/local/local-chain.js'
import { LocalChainRuntime } from '../src/chain/local/runtime.js'
import { MeshClient } from '../src/client/mesh-client.js'
import type { Engine } from '../src/inference/engine.js'
import { testModelFile } from '../src/inference/gguf/test-model-file.js'
import { DEVICES, type Device } from '../src/inference/llama-runtime.js'
import { SubnetNode } from '../src/node/subnet-node.js'
import { generateIdentity, peerIdOf } from '../src/p2p/keys.js'
import { sseEvents } from '../test/helpers/sse.js'
import { LOOPBACK } from '../test/helpers/swarm.js'
import { choice } from './lib/options.js'

export const description = 'generation through mesh api and the network vs the engine directly: tokens/s ratio, extra time to first token'


interface Sample { ttftMs: number; tokensPerSecond: number }

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

async function direct(engine: Engine, prompt: string, tokens: number): Promise<Sample> {
  const start = performance.now()
  let first = 0
  let count = 0
  for await (const chunk of engine.generate({ input: { prompt }, maxTokens: tokens, temperature: 0 })) {
    if (first === 0 && chunk.text !== '') first = performance.now()
    count += chunk.tokens
  }
  return { ttftMs: first - start, tokensPerSecond: (count - 1) / ((performance.now() - first) / 1000) }
}

interface ApiAsk { url: string; model: string; prompt: string; tokens: number }

async function viaApi({ url, model, prompt, tokens }: ApiAsk): Promise<Sample> {
  const start = performance.now()
  const res = await fetch(`${url}/v1/completions`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ model, prompt, max_tokens: tokens, temperature: 0, stream: true, stream_options: { include_usage: true } }),
  })
  if (!res.ok || res.body === null) throw new Error(`HTTP ${res.status}: ${await res.text()}`)
  let first = 0
  let count = 0
  for await (const event of sseEvents(res.body)) {
    if (!event.startsWith('data: {')) continue
    const data = JSON.parse(event.slice(6)) as { choices: Array<{ text: string }>; usage?: { completion_tokens: number } }
    if (first === 0 && (data.choices[0]?.text ?? '') !== '') first = performance.now()
    if (data.usage !== undefined) count = data.usage.completion_tokens
  }
  return { ttftMs: first - start, tokensPerSecond: (count - 1) / ((performance.now() - first) / 1000) }
}

/** The HTTP client's thread: answers each ask with its sample. */
if (!isMainThread && (workerData as { role?: string } | null)?.role === 'api-client') {
  parentPort!.on('message', (ask: ApiAsk) => {
    viaApi(ask).then((sample) => parentPort!.postMessage({ sample }), (err: unknown) => parentPort!.postMessage({ error: String(err) }))
  })
}

/** A generation through the API, timed by a client in its own thread. */
function askClient(worker: Worker, ask: ApiAsk): Promise<Sample> {
  return new Promise((resolve, reject) => {
    worker.once('error', reject)
    worker.once('message', (answer: { sample?: Sample; error?: string }) => {
      worker.off('error', reject)
      if (answer.sample !== undefined) resolve(answer.sample)
      else reject(new Error(answer.error))
    })
    worker.postMessage(ask)
  })
}

export async function run(args: string[]): Promise<Record<string, unknown>> {
  const rounds = Number(args[args.indexOf('--rounds') + 1]) || 5
  const tokens = Number(args[args.indexOf('--tokens') + 1]) || 64
  const shape = args.includes('--tiny') ? 'tiny' : 'tinyllama'
  const device = choice<Device>(args, 'device', DEVICES, 'cpu')
  const dir = join('.cache', 'models')
  mkdirSync(dir, { recursive: true })
  const modelPath = testModelFile({ shape, quant: 'q4_0', dir })

  const runtime = new LocalChainRuntime({ params: { epochLength: 20, seed: 'bench-api' }, blockTimeMs: 6000 })
  const keys = await Promise.all([generateIdentity(), generateIdentity(), generateIdentity()])
  const clientKey = await generateIdentity()
  const subnet = await devSubnet(runtime, { nodes: keys.map((k, i) => ({ peerId: peerIdOf(k).toString(), ...(i === 0 ? { clientPeerId: peerIdOf(clientKey).toString() } : {}) })) })
  runtime.advance(1)
  const node = await SubnetNode.start({
    role: 'hoster', model: modelPath, engine: { device }, subnetId: subnet.subnetId, identity: keys[0],
    chain: new LocalChain(runtime, { hotkey: subnet.nodes[0].hotkey }), host: { ...LOOPBACK, newSwarm: true },
  })
  const client = await MeshClient.connect({
    subnetId: subnet.subnetId, identity: clientKey, chain: new LocalChain(runtime), initialPeers: [node.host.addresses()[0].toString()], host: LOOPBACK,
  })
  const api = new ApiServer({ backend: client })
  const url = await api.listen(0)
  const worker = new Worker(new URL(import.meta.url), { workerData: { role: 'api-client' } })
  try {
    const engine = node.engine!
    for (let i = 0; (await client.directory.all()).length === 0; i++) {
      if (i > 100) throw new Error('the hoster heartbeat did not arrive')
      await new Promise((r) => setTimeout(r, 100))
    }
    const prompt = 'The quick brown fox jumps over the lazy dog and'
    await direct(engine, prompt, 8) // warm-up: the first evaluation is slower
    const ask = { url, model: engine.model.name, prompt }
    await askClient(worker, { ...ask, tokens: 8 })
    const directs: Sample[] = []
    const apis: Sample[] = []
    for (let r = 0; r < rounds; r++) {
      directs.push(await direct(engine, prompt, tokens))
      apis.push(await askClient(worker, { ...ask, tokens }))
    }
    const directTps = median(directs.map((s) => s.tokensPerSecond))
    const apiTps = median(apis.map((s) => s.tokensPerSecond))
    const directTtft = median(directs.map((s) => s.ttftMs))
    const apiTtft = median(apis.map((s) => s.ttftMs))
    return {
      model: shape === 'tiny' ? 'tiny random Llama, Q4_0' : 'TinyLlama-1.1B-shaped random Llama, Q4_0',
      device,
      rounds,
      tokens,
      directTokensPerSecond: Number(directTps.toFixed(2)),
      apiTokensPerSecond: Number(apiTps.toFixed(2)),
      ratio: Number((apiTps / directTps).toFixed(3)),
      directTtftMs: Number(directTtft.toFixed(1)),
      apiTtftMs: Number(apiTtft.toFixed(1)),
      extraTtftMs: Number((apiTtft - directTtft).toFixed(1)),
    }
  } finally {
    await worker.terminate()
    await api.close()
    await client.close()
    await node.stop()
    runtime.stop()
  }
}
