import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { MeshError } from '../../src/errors.js'
import { AuditService, auditMethod, judgeAudit, openReport, requestAudit } from '../../src/inference/audit.js'
import type { Engine, GenerateRequest } from '../../src/inference/engine.js'
import { testModelFile } from '../../src/inference/gguf/test-model-file.js'
import { type LlamaEngine, openLlamaEngine } from '../../src/inference/llama-engine.js'
import { InferenceService, chunkFromWire, generateMethod, requestToWire } from '../../src/inference/service.js'
import { openTranscript, type SignedTranscript } from '../../src/inference/transcript.js'
import { RpcClient } from '../../src/rpc/client.js'
import { RpcError } from '../../src/rpc/errors.js'
import { RpcServer } from '../../src/rpc/server.js'
import { impostor } from '../helpers/impostor-engine.js'
import { type StakedSwarm, stakedSwarm } from '../helpers/rpc.js'

// hosts[0] serves the model honestly, hosts[1] serves another model (seed 2) under its
// identity, hosts[2] audits, hosts[3] is the client.
let honest: LlamaEngine
let other: LlamaEngine
let swarm: StakedSwarm
const servers: RpcServer[] = []
let client: RpcClient

before(async () => {
  honest = await openLlamaEngine({ model: testModelFile({ quant: 'q8_0' }), threads: 1, parallel: 2 })
  other = await openLlamaEngine({ model: testModelFile({ quant: 'q8_0', seed: 2 }), threads: 1, parallel: 1 })
  swarm = await stakedSwarm(4)
  const serve = async (host: number, engine: Engine) => {
    const server = new RpcServer({ host: swarm.hosts[host], chain: swarm.chain })
    await new InferenceService({ engine }).register(server)
    servers.push(server)
    return server
  }
  await serve(0, honest)
  await serve(1, impostor(other, honest.model))
  const auditor = new RpcServer({ host: swarm.hosts[2], chain: swarm.chain })
  await new AuditService({ engine: honest }).register(auditor)
  servers.push(auditor)
  client = new RpcClient({ host: swarm.hosts[3] })
})
after(async () => {
  client?.close()
  for (const s of servers) await s.close()
  await swarm?.close()
  await honest?.close()
  await other?.close()
})

async function served(hoster: number, request: GenerateRequest): Promise<SignedTranscript> {
  let last
  for await (const m of client.stream(swarm.hosts[hoster].peerId, generateMethod, requestToWire(honest.model.id, request))) last = chunkFromWire(m)
  return openTranscript(last!.transcript!.bytes, last!.transcript!.signature)
}

const PROMPTS = ['hello world', 'the quick brown fox', 'once upon a time', 'tell me a story', 'what is two plus two']

test('honest answers pass their audits, at every temperature', async () => {
  for (const [i, prompt] of PROMPTS.entries()) {
    for (const temperature of [0, 0.8, 1.5]) {
      const signed = await served(0, { input: { prompt }, maxTokens: 24, temperature, seed: 100 + i })
      const { report } = await requestAudit(client, swarm.hosts[2].peerId, signed)
      const verdict = judgeAudit(report, temperature)
      assert.equal(verdict.failed, false, `${prompt} at ${temperature}: ${JSON.stringify(verdict)}`)
      assert.equal(verdict.mismatches, 0)
    }
  }
})

test('another model served under the committed identity fails its audits', async () => {
  let failed = 0
  const trials = 10
  for (let i = 0; i < trials; i++) {
    const signed = await served(1, { input: { prompt: PROMPTS[i % PROMPTS.length] }, maxTokens: 24, temperature: [0, 0.8][i % 2] })
    const { report } = await requestAudit(client, swarm.hosts[2].peerId, signed)
    if (judgeAudit(report, signed.transcript.record.sampling.temperature).failed) failed++
  }
  assert.equal(failed, trials)
})

test('an audit refuses transcripts it cannot check, with clear codes', async () => {
  const signed = await served(0, { input: { prompt: 'hi' }, maxTokens: 4 })
  const changed = Uint8Array.from(signed.bytes)
  changed[changed.length - 1] ^= 1
  const code = (c: string) => (err: unknown) => err instanceof RpcError && err.code === c && err.remote
  await assert.rejects(client.call(swarm.hosts[2].peerId, auditMethod, { transcript: changed, signature: signed.signature as Uint8Array<ArrayBuffer> }), code('INVALID_REQUEST'))
  await assert.rejects(client.call(swarm.hosts[2].peerId, auditMethod, { transcript: new Uint8Array([1, 2, 3]), signature: new Uint8Array(64) }), code('INVALID_REQUEST'))
  // A report is evidence only for the transcript it names.
  const report = await requestAudit(client, swarm.hosts[2].peerId, signed)
  const another = await served(0, { input: { prompt: 'hello' }, maxTokens: 4 })
  assert.throws(() => openReport(report.bytes, report.signature, another), (err: unknown) => err instanceof MeshError && err.code === 'BAD_AUDIT_REPORT')
  const forged = Uint8Array.from(report.bytes)
  forged[forged.length - 1] ^= 1
  assert.throws(() => openReport(forged, report.signature), (err: unknown) => err instanceof MeshError && err.code === 'BAD_AUDIT_REPORT')
})
