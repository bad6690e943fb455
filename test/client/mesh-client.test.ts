import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { devSubnet } from '../../src/chain/local/bootstrap.js'
import { LocalChain } from '../../src/chain/local/local-chain.js'
import { LocalChainRuntime } from '../../src/chain/local/runtime.js'
import { MeshClient } from '../../src/client/mesh-client.js'
import { Heartbeater } from '../../src/consensus/heartbeat.js'
import { Dht } from '../../src/dht/dht.js'
import type { RecordStore } from '../../src/dht/record-store.js'
import type { GenerateChunk } from '../../src/inference/engine.js'
import { testModelFile } from '../../src/inference/gguf/test-model-file.js'
import { type LlamaEngine, openLlamaEngine } from '../../src/inference/llama-engine.js'
import { InferenceService } from '../../src/inference/service.js'
import { startHost, type Host } from '../../src/p2p/host.js'
import { generateIdentity, peerIdOf, type Ed25519PrivateKey } from '../../src/p2p/keys.js'
import { RpcClient } from '../../src/rpc/client.js'
import { RpcServer } from '../../src/rpc/server.js'
import { LOOPBACK } from '../helpers/swarm.js'

interface Hoster { host: Host; server: RpcServer; rpc: RpcClient; dht: Dht; heartbeat: Heartbeater }

let runtime: LocalChainRuntime
let chain: LocalChain
let subnetId: number
let engine: LlamaEngine
let clientKey: Ed25519PrivateKey
/** A second client identity, for a client over parts the test watches. */
let watchedKey: Ed25519PrivateKey
const hosters: Hoster[] = []
let client: MeshClient
/** The hosters the client's requests went to, in order. */
const served: string[] = []

async function startHoster(key: Ed25519PrivateKey, initialPeers: string[]): Promise<Hoster> {
  const host = await startHost({ ...LOOPBACK, privateKey: key, subnetId, ...(initialPeers.length === 0 ? { newSwarm: true } : { initialPeers }) })
  const server = new RpcServer({ host, chain })
  const rpc = new RpcClient({ host })
  const dht = await Dht.start({ host, chain, rpcServer: server, rpcClient: rpc }, { replicateIntervalMs: 0 })
  await new InferenceService({ engine }).register(server)
  const heartbeat = new Heartbeater({ store: dht, engine }, { role: 'hoster', peerId: host.peerId.toString(), version: 'test', addresses: () => host.addresses().map(String), epochMs: 60_000 })
  heartbeat.start()
  return { host, server, rpc, dht, heartbeat }
}

async function stopHoster(h: Hoster): Promise<void> {
  h.heartbeat.stop()
  await h.dht.stop()
  await h.server.close()
  h.rpc.close()
  await h.host.close()
}

before(async () => {
  // Both hosters run one engine: what matters here is the network between them and the client.
  engine = await openLlamaEngine({ model: testModelFile({ quant: 'q8_0' }), threads: 1, parallel: 4 })
  runtime = new LocalChainRuntime({ params: { epochLength: 20, seed: 'mesh-client' } })
  const keys = await Promise.all([generateIdentity(), generateIdentity(), generateIdentity()])
  clientKey = await generateIdentity()
  watchedKey = await generateIdentity()
  const clientOf = [clientKey, watchedKey]
  const subnet = await devSubnet(runtime, {
    nodes: keys.map((k, i) => ({ peerId: peerIdOf(k).toString(), ...(i < clientOf.length ? { clientPeerId: peerIdOf(clientOf[i]).toString() } : {}) })),
  })
  subnetId = subnet.subnetId
  runtime.advance(1)
  chain = new LocalChain(runtime)
  for (const key of keys) hosters.push(await startHoster(key, hosters.length === 0 ? [] : [hosters[0].host.addresses()[0].toString()]))
  client = await MeshClient.connect({
    subnetId, identity: clientKey, chain, initialPeers: [hosters[0].host.addresses()[0].toString()],
    host: LOOPBACK, dht: { replicateIntervalMs: 0 }, directory: { refreshMs: 200 }, session: { stallTimeoutMs: 10_000, onHoster: (peer) => served.push(peer) },
  })
  // Every hoster's heartbeat is readable before the tests start.
  for (let i = 0; (await client.directory.all()).length < keys.length; i++) {
    if (i > 100) throw new Error('heartbeats did not arrive')
    await new Promise((r) => setTimeout(r, 200))
  }
})

after(async () => {
  await client?.close()
  for (const h of hosters) await stopHoster(h).catch(() => {})
  runtime?.stop()
  await engine?.close()
})

async function text(stream: AsyncIterable<string>): Promise<string> {
  let out = ''
  for await (const piece of stream) out += piece
  return out
}

test('lists the served model by name and generates through the network', async () => {
  const models = await client.models()
  assert.deepEqual(models.map((m) => m.id), [engine.model.name])
  const messages = [{ role: 'user' as const, content: 'hello' }]
  const remote = await text(client.chat({ model: engine.model.name, messages, maxTokens: 10, temperature: 0 }))
  let local = ''
  for await (const c of engine.generate({ input: { messages }, maxTokens: 10, temperature: 0 })) local += c.text
  assert.equal(remote, local)
  assert.equal(await text(client.generate({ model: engine.model.id, prompt: 'the', maxTokens: 5, temperature: 0 })),
    await text(client.generate({ model: `${engine.model.name}@${engine.model.id}`, prompt: 'the', maxTokens: 5, temperature: 0 })))
})

test('unknown models and ambiguous names are clear errors', async () => {
  await assert.rejects(text(client.generate({ model: 'gpt-4', prompt: 'x' })), (err: unknown) => (err as { code?: string }).code === 'MODEL_NOT_FOUND')
  await assert.rejects(text(client.generate({ model: 'ab'.repeat(32), prompt: 'x' })), (err: unknown) => (err as { code?: string }).code === 'NO_HOSTER')
})

test('a request routes by the last readings: no DHT read before its first chunk, the next readings start after it', async () => {
  const host = await startHost({ ...LOOPBACK, privateKey: watchedKey, subnetId, initialPeers: [hosters[0].host.addresses()[0].toString()] })
  const rpc = new RpcClient({ host })
  const events: string[] = []
  const dht = hosters[1].dht
  // The record store of a hoster, read through by the client: each read is logged in order with the chunks.
  const records: RecordStore = {
    store: (key, value, expiration) => dht.store(key, value, expiration),
    get: (key, options) => {
      events.push(`get ${key}`)
      return dht.get(key, options)
    },
  }
  // Readings due at every request: the old path re-read the heartbeats and the eligibility before routing each one.
  const watched = MeshClient.over({ rpc, records, chain, subnetId, self: host.peerId.toString() }, { directory: { refreshMs: 0 }, eligibility: { refreshMs: 0 } })
  try {
    for (let round = 0; round < 2; round++) {
      events.length = 0
      for await (const chunk of watched.stream(engine.model.id, { input: { prompt: 'the' }, maxTokens: 4, temperature: 0 })) events.push(chunk.text === '' ? 'chunk' : 'token')
      const first = events.findIndex((e) => e === 'chunk' || e === 'token')
      assert.ok(first >= 0, 'the request was served')
      if (round === 0) {
        // The first request waits for the first readings.
        assert.ok(events.slice(0, first).some((e) => e.startsWith('get ')), events.join(', '))
        continue
      }
      // (A reading of the eligibility started after the last request may still be reading audit records.)
      assert.deepEqual(events.slice(0, first).filter((e) => e.startsWith('get hoster_')), [], 'no read of the heartbeats before the first chunk')
      assert.ok(events.slice(first).some((e) => e.startsWith('get hoster_')), `the heartbeats are read again after it: ${events.join(', ')}`)
    }
  } finally {
    await watched.close()
    rpc.close()
    await host.close()
  }
})

test('a hoster that dies mid-stream: the stream continues on another, as one stream', async () => {
  const request = { input: { prompt: 'hello world' }, maxTokens: 40, temperature: 0 }
  let whole = ''
  for await (const c of engine.generate(request)) whole += c.text
  const chunks: GenerateChunk[] = []
  let killed: string | undefined
  for await (const chunk of client.stream(engine.model.id, request)) {
    chunks.push(chunk)
    if (chunks.length === 5) {
      killed = served[served.length - 1]
      const victim = hosters.find((h) => h.host.peerId.toString() === killed)!
      await stopHoster(victim)
      hosters.splice(hosters.indexOf(victim), 1)
    }
  }
  assert.ok(killed !== undefined)
  assert.notEqual(served[served.length - 1], killed)
  const last = chunks[chunks.length - 1]
  assert.ok(last.finish === 'length' || last.finish === 'stop')
  assert.equal(last.usage?.completionTokens, chunks.reduce((n, c) => n + c.tokens, 0))
  const streamed = chunks.map((c) => c.text).join('')
  // Greedy decoding continued from the same text on the same model: the same answer.
  assert.equal(streamed, whole)
})
