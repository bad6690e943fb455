import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import type { GenerateChunk } from '../../src/inference/engine.js'
import { testModelFile } from '../../src/inference/gguf/test-model-file.js'
import { type LlamaEngine, openLlamaEngine } from '../../src/inference/llama-engine.js'
import { deriveChallenge } from '../../src/consensus/challenge.js'
import { InferenceService, chunkFromWire, generateMethod, requestToWire } from '../../src/inference/service.js'
import { RpcClient } from '../../src/rpc/client.js'
import { RpcError } from '../../src/rpc/errors.js'
import { RpcServer } from '../../src/rpc/server.js'
import { type StakedSwarm, stakedSwarm } from '../helpers/rpc.js'
import { createHash } from 'node:crypto'
import { MeshError } from '../../src/errors.js'
import { openTranscript } from '../../src/inference/transcript.js'

let engine: LlamaEngine
let swarm: StakedSwarm
let server: RpcServer
let client: RpcClient

before(async () => {
  engine = await openLlamaEngine({ model: testModelFile({ quant: 'q8_0' }), threads: 1, parallel: 2 })
  swarm = await stakedSwarm(2)
  server = new RpcServer({ host: swarm.hosts[0], chain: swarm.chain })
  await new InferenceService({ engine }).register(server)
  client = new RpcClient({ host: swarm.hosts[1] })
})
after(async () => {
  client?.close()
  await server?.close()
  await swarm?.close()
  await engine?.close()
})

async function remote(request: Parameters<typeof requestToWire>[1], model = engine.model.id): Promise<GenerateChunk[]> {
  const chunks: GenerateChunk[] = []
  for await (const chunk of client.stream(swarm.hosts[0].peerId, generateMethod, requestToWire(model, request))) chunks.push(chunkFromWire(chunk))
  return chunks
}

test('a remote generation streams the same tokens as the engine, with usage on the last chunk', async () => {
  const request = { input: { prompt: 'hello world' }, maxTokens: 12, temperature: 0.7, seed: 3 }
  const chunks = await remote(request)
  let local = ''
  for await (const c of engine.generate(request)) local += c.text
  assert.equal(chunks.map((c) => c.text).join(''), local)
  const last = chunks[chunks.length - 1]
  assert.ok(last.finish === 'length' || last.finish === 'stop')
  assert.ok(last.usage !== undefined && last.usage.promptTokens > 0)
  assert.equal(chunks.reduce((n, c) => n + c.tokens, 0), last.usage!.completionTokens)
})

test('chat messages travel with their roles', async () => {
  const messages = [{ role: 'system' as const, content: 'be brief' }, { role: 'user' as const, content: 'hello' }]
  const chunks = await remote({ input: { messages }, maxTokens: 6, temperature: 0 })
  let local = ''
  for await (const c of engine.generate({ input: { messages }, maxTokens: 6, temperature: 0 })) local += c.text
  assert.equal(chunks.map((c) => c.text).join(''), local)
})

test('refusals reach the caller with their codes', async () => {
  const code = (c: string) => (err: unknown) => err instanceof RpcError && err.code === c && err.remote
  await assert.rejects(remote({ input: { prompt: 'hi' } }, 'ab'.repeat(32)), code('MODEL_NOT_FOUND'))
  await assert.rejects(remote({ input: { prompt: 'hi' }, temperature: -1 }), code('INVALID_REQUEST'))
  const bad = { ...requestToWire(engine.model.id, { input: { prompt: 'hi' } }), messages: [{ role: 'user', content: 'x' }] }
  await assert.rejects(async () => { for await (const _ of client.stream(swarm.hosts[0].peerId, generateMethod, bad)) { /* drain */ } }, code('INVALID_REQUEST'))
  const tool = { ...requestToWire(engine.model.id, { input: { messages: [{ role: 'user', content: 'x' }] } }), messages: [{ role: 'function', content: 'x', toolCalls: [] }] }
  await assert.rejects(async () => { for await (const _ of client.stream(swarm.hosts[0].peerId, generateMethod, tool)) { /* drain */ } }, code('INVALID_REQUEST'))
})

test("a prompt made of the epoch challenge's text is served normally (version 2 removed the refusal)", async () => {
  const { tokens } = deriveChallenge(new Uint8Array(32).fill(7), 1, 1, engine.model.id, engine.challengeVocabulary())
  const text = engine.detokenize(tokens)
  for (const input of [{ prompt: text }, { messages: [{ role: 'user' as const, content: `please answer: ${text}` }] }]) {
    const request = { input, maxTokens: 4, temperature: 0 }
    const chunks = await remote(request)
    let local = ''
    for await (const c of engine.generate(request)) local += c.text
    assert.equal(chunks.map((c) => c.text).join(''), local)
    assert.equal(chunks.at(-1)!.usage!.completionTokens, 4)
  }
})

test('breaking out of the stream cancels the generation on the hoster', async () => {
  const served = engine.stats().tokensServed
  let n = 0
  for await (const _ of client.stream(swarm.hosts[0].peerId, generateMethod, requestToWire(engine.model.id, { input: { prompt: 'hi' }, maxTokens: 4000, seed: 1 }))) {
    if (++n === 3) break
  }
  // The hoster's engine is free again long before 4000 tokens.
  const next = await remote({ input: { prompt: 'hello' }, maxTokens: 3, temperature: 0 })
  assert.equal(next[next.length - 1].usage!.completionTokens, 3)
  assert.ok(engine.stats().tokensServed - served < 1000)
})

test('the last chunk carries the transcript, signed by the hoster; the chunks before it go unsigned', async () => {
  const chunks = await remote({ input: { prompt: 'hello world' }, maxTokens: 10, temperature: 0.8 })
  const last = chunks[chunks.length - 1]
  assert.ok(last.transcript !== undefined && chunks.slice(0, -1).every((c) => c.transcript === undefined))
  const { transcript: t } = openTranscript(last.transcript.bytes, last.transcript.signature)
  assert.equal(t.hoster.toString(), swarm.hosts[0].peerId.toString())
  assert.equal(t.model, engine.model.id)
  assert.equal(t.record.outputTokens.length, last.usage!.completionTokens)
  assert.equal(t.record.promptTokens.length, last.usage!.promptTokens)
  // No seed asked for: the hoster drew one, and the transcript says which.
  assert.ok(Number.isInteger(t.record.sampling.seed))
  assert.deepEqual(Buffer.from(t.textSha256), createHash('sha256').update(chunks.map((c) => c.text).join('')).digest())
  // Any other signer, or a changed byte, is refused.
  const changed = Uint8Array.from(last.transcript.bytes)
  changed[changed.length - 1] ^= 1
  assert.throws(() => openTranscript(changed, last.transcript!.signature), (err: unknown) => err instanceof MeshError && err.code === 'BAD_TRANSCRIPT')
  assert.ok(!generateMethod.signChunks)
})
