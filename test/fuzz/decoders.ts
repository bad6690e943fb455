// Every decoder a node runs on bytes from others, as the node runs it: the RPC frames, each RPC
// method's payloads with the checks that follow (DHT records through the validator chain,
// inference requests and chunks), the consensus records and the output tensor. For each, valid
// inputs to mutate and the error codes a refusal may carry. decoders.test.ts and the soak fuzz them.
import { randomBytes } from 'node:crypto'
import { MeshError } from '../../src/errors.js'
import { encodeChallenge, decodeChallenge } from '../../src/consensus/challenge.js'
import { decodeCommit, decodeReveal, encodeReveal, makeCommit } from '../../src/consensus/commit.js'
import { decodeHeartbeat, encodeHeartbeat } from '../../src/consensus/heartbeat-record.js'
import { decodeScores, encodeScores } from '../../src/consensus/scores-codec.js'
import { auditRecordValidator, encodeAuditRecord } from '../../src/consensus/audits.js'
import { decodeReport, encodeReport, openReport } from '../../src/inference/audit.js'
import { decodeTranscript, encodeTranscript, openTranscript, sha256 } from '../../src/inference/transcript.js'
import { signRecord } from '../../src/dht/crypto.js'
import { findMethod, storeMethod } from '../../src/dht/protocol.js'
import { FindMode } from '../../src/dht/messages.js'
import { ValidatorChain, expiryValidator, ownerValidator, shapeValidator, signatureValidator } from '../../src/dht/validation.js'
import { fromWire, toWire } from '../../src/dht/wire.js'
import { chunkFromWire, generateMethod, requestFromWire } from '../../src/inference/service.js'
import { decodeTensor, encodeTensor } from '../../src/inference/tensor.js'
import { generateIdentity, peerIdOf } from '../../src/p2p/keys.js'
import { Signer } from '../../src/p2p/signing.js'
import { NONCE_BYTES, ResponseKind, decodeRequest, decodeResponse, encodeRequest, encodeResponse } from '../../src/rpc/frames.js'
import { decodePayload } from '../../src/rpc/method.js'
import { type FuzzBudget, fuzz, hex, nextInput } from '../helpers/fuzz.js'

export interface DecoderTarget {
  name: string
  /** Well-formed inputs, the starting points of mutations. */
  valid: Uint8Array[]
  /** Decodes as the node does; returns what it accepted or throws. */
  decode(bytes: Uint8Array): unknown
  /** The codes a refusal may carry: anything else (or a non-MeshError) is a defect. */
  codes: readonly string[]
}

/** The targets, with valid inputs made from fresh keys. */
export async function decoderTargets(): Promise<DecoderTarget[]> {
  const key = await generateIdentity()
  const peer = peerIdOf(key)
  const signer = new Signer(key)
  const nonce = randomBytes(NONCE_BYTES)
  const subnetId = 1
  const modelId = 'ab'.repeat(32)

  const requestFields = {
    protocol: '/hypertensor/1/echo/1.0.0', caller: peer.toMultihash().bytes, service: peerIdOf(await generateIdentity()).toMultihash().bytes,
    timeMs: Date.now(), nonce, payload: Uint8Array.of(1, 2, 3),
  }
  const record = await signRecord(key, peer, subnetId, { key: 'hoster/7', value: Uint8Array.of(1, 2, 3, 4), expiration: Date.now() + 60_000 })
  const validators = new ValidatorChain([shapeValidator(), ownerValidator(), expiryValidator(), signatureValidator()])
  const acceptRecords = async (records: Parameters<typeof fromWire>[0][]): Promise<void> => {
    for (const wire of records) await validators.validate(fromWire(wire), { subnetId, now: Date.now(), sender: peer.toString(), handoff: true })
  }
  const { commit, reveal } = makeCommit(peer.toString(), encodeTensor(Float32Array.of(0.5, -1, 2)))
  const heartbeat = { role: 'hoster' as const, modelId, modelName: 'tiny', version: '0.1.0', addresses: ['/ip4/127.0.0.1/tcp/4001'], throughput: 12.5, queueLength: 3 }
  const refusedRecord = ['DHT_BAD_RECORD', 'DHT_BAD_SIGNATURE', 'DHT_WRONG_OWNER', 'DHT_EXPIRED', 'DHT_VALUE_TOO_LARGE']
  const malformedRecord = ['CONSENSUS_RECORD_MALFORMED']
  const output = Array.from({ length: 16 }, (_, i) => 100 + i)
  const transcript = encodeTranscript({
    model: modelId, hoster: peer, timeMs: Date.now(), finish: 'length', textSha256: new Uint8Array(32),
    record: { promptTokens: [1, 2, 3], outputTokens: output, sampling: { maxTokens: 16, temperature: 0.8, topP: 0.95, topK: 40, seed: 7, repeatPenalty: 1 } },
  })
  const report = encodeReport({
    transcriptSha256: sha256(transcript), auditor: peer, hoster: peer, model: modelId, timeMs: Date.now(),
    positions: output.map((_, i) => ({ rank: i === 0 ? -1 : 3, logprob: i === 0 ? -Infinity : -2.5, sampledSame: false })),
  })

  return [
    {
      name: 'rpc request frame',
      valid: [await encodeRequest(requestFields, signer), await encodeRequest(requestFields)],
      decode: decodeRequest,
      codes: ['RPC_BAD_REQUEST'],
    },
    {
      name: 'rpc response frame',
      valid: [
        await encodeResponse({ kind: ResponseKind.DATA, nonce, seq: 1, payload: randomBytes(40) }, signer),
        await encodeResponse({ kind: ResponseKind.END, nonce, seq: 2 }, signer),
        await encodeResponse({ kind: ResponseKind.ERROR, nonce, seq: 0, errorCode: 'RPC_NO_STAKE', errorMessage: 'no' }, signer),
      ],
      decode: decodeResponse,
      codes: ['RPC_BAD_RESPONSE'],
    },
    {
      name: 'dht-store request and its records',
      valid: [storeMethod.request.encode({ records: [toWire(record), toWire(record)], handoff: true })],
      decode: async (bytes) => acceptRecords(decodePayload(storeMethod, 'request', bytes).records),
      codes: ['RPC_BAD_REQUEST', ...refusedRecord],
    },
    {
      name: 'dht-store response',
      valid: [storeMethod.response.encode({ answers: [{ accepted: true, code: '', message: '' }, { accepted: false, code: 'DHT_EXPIRED', message: 'old' }] })],
      decode: (bytes) => decodePayload(storeMethod, 'response', bytes),
      codes: ['RPC_BAD_RESPONSE'],
    },
    {
      name: 'dht-find request',
      valid: [findMethod.request.encode({ key: 'hoster/7', subkeys: ['12D3KooWx'], after: '', limit: 10, mode: FindMode.DIGESTS })],
      decode: (bytes) => decodePayload(findMethod, 'request', bytes),
      codes: ['RPC_BAD_REQUEST'],
    },
    {
      name: 'dht-find response and its records',
      valid: [findMethod.response.encode({ records: [toWire(record)], digests: [], next: '', summary: new Uint8Array(0) })],
      decode: async (bytes) => acceptRecords(decodePayload(findMethod, 'response', bytes).records),
      codes: ['RPC_BAD_RESPONSE', ...refusedRecord],
    },
    {
      name: 'inference request',
      valid: [
        generateMethod.request.encode({ model: modelId, prompt: 'hello', messages: [], maxTokens: 8, temperature: 0.5, stop: ['\n'], tools: [], logprobs: 2, presencePenalty: 0.5 }),
        generateMethod.request.encode({ model: modelId, messages: [{ role: 'user', content: 'hi', toolCalls: [] }], stop: [], seed: 3, continueFrom: 'so', tools: [] }),
        generateMethod.request.encode({
          model: modelId, stop: [], responseFormat: 'json_schema', jsonSchema: '{"type":"object","properties":{"a":{"type":"string"}}}', toolChoice: 'function:f',
          tools: [{ name: 'f', description: 'd', parameters: '{"type":"object","properties":{}}' }], parallelToolCalls: false,
          messages: [{ role: 'assistant', content: '', toolCalls: [{ id: 'call_1', name: 'f', arguments: '{}' }] }, { role: 'tool', content: '42', toolCallId: 'call_1', toolCalls: [] }],
        }),
      ],
      decode: (bytes) => requestFromWire(decodePayload(generateMethod, 'request', bytes), new AbortController().signal),
      codes: ['RPC_BAD_REQUEST', 'INVALID_REQUEST'],
    },
    {
      name: 'inference chunk',
      valid: [
        generateMethod.response.encode({ text: 'hello', tokens: 1, logprobs: [{ token: 'hello', logprob: -0.5, top: [{ token: 'hello', logprob: -0.5 }] }] }),
        generateMethod.response.encode({ text: '', tokens: 0, finish: 'length', promptTokens: 4, completionTokens: 8, logprobs: [] }),
      ],
      decode: (bytes) => chunkFromWire(decodePayload(generateMethod, 'response', bytes)),
      codes: ['RPC_BAD_RESPONSE', 'BAD_RESPONSE'],
    },
    {
      name: 'output tensor',
      valid: [encodeTensor(Float32Array.of(1, 2, 3, 4, 5, 6), [2, 3]), encodeTensor(new Float32Array(16))],
      decode: (bytes) => decodeTensor(bytes),
      codes: ['TENSOR_MALFORMED'],
    },
    {
      name: 'scores record',
      valid: [encodeScores({ epoch: 9, scores: [[peer.toString(), 0.5], [peerIdOf(await generateIdentity()).toString(), 1]].sort() as Array<[string, number]> })],
      decode: (bytes) => decodeScores(bytes),
      codes: malformedRecord,
    },
    {
      name: 'heartbeat record',
      valid: [encodeHeartbeat(heartbeat), encodeHeartbeat({ ...heartbeat, role: 'validator', modelId: '', addresses: [] })],
      decode: decodeHeartbeat,
      codes: malformedRecord,
    },
    {
      name: 'challenge record',
      valid: [encodeChallenge({ epoch: 4, modelId, tokens: Array.from({ length: 32 }, (_, i) => i * 7) })],
      decode: decodeChallenge,
      codes: malformedRecord,
    },
    {
      name: 'commit record',
      valid: [commit],
      decode: decodeCommit,
      codes: malformedRecord,
    },
    {
      name: 'reveal record',
      valid: [encodeReveal(reveal)],
      decode: (bytes) => decodeReveal(bytes, 96 * 1024),
      codes: malformedRecord,
    },
    {
      name: 'transcript',
      valid: [transcript],
      decode: decodeTranscript,
      codes: ['BAD_TRANSCRIPT'],
    },
    {
      name: 'audit report',
      valid: [report],
      decode: decodeReport,
      codes: ['BAD_AUDIT_REPORT'],
    },
    {
      name: 'hoster-audit record',
      valid: [encodeAuditRecord([{ transcript: openTranscript(transcript, signer.sign(transcript)), report: openReport(report, signer.sign(report)) }])],
      decode: (value) => auditRecordValidator().validate({ ...record, key: 'hoster-audit_epoch_3', value }, { subnetId, now: Date.now(), sender: peer.toString(), handoff: false }),
      codes: ['DHT_BAD_RECORD'],
    },
  ]
}

/** Throws unless `err` is a MeshError whose code the target may refuse with. */
export function checkRefusal(target: DecoderTarget, err: unknown): void {
  if (!(err instanceof MeshError)) throw new Error(`${target.name}: a ${(err as Error)?.name ?? typeof err} escaped: ${(err as Error)?.message ?? String(err)}`)
  if (!target.codes.includes(err.code)) throw new Error(`${target.name}: refused with ${err.code} (${err.message}), not one of ${target.codes.join(', ')}`)
}

/** The longest one input may take to be decoded or refused. */
export const DECODE_BOUND_MS = 1_000

export interface DecoderOutcome {
  inputs: number
  accepted: number
  /** Refusals by error code. */
  refused: Record<string, number>
  slowestMs: number
}

/** Fuzzes every target for its share of the budget; the outcome per target. Throws at the first defect. */
export async function fuzzDecoders(seed: number, budget: FuzzBudget): Promise<Record<string, DecoderOutcome>> {
  const outcomes: Record<string, DecoderOutcome> = {}
  const targets = await decoderTargets()
  for (const [i, target] of targets.entries()) {
    const outcome: DecoderOutcome = { inputs: 0, accepted: 0, refused: {}, slowestMs: 0 }
    outcome.inputs = await fuzz(target.name, (seed + i) >>> 0, budget, (rng) => nextInput(rng, target.valid), async (bytes) => {
      const started = performance.now()
      try {
        await target.decode(bytes)
        outcome.accepted++
      } catch (err) {
        checkRefusal(target, err)
        const code = (err as MeshError).code
        outcome.refused[code] = (outcome.refused[code] ?? 0) + 1
      }
      const ms = performance.now() - started
      outcome.slowestMs = Math.max(outcome.slowestMs, ms)
      if (ms > DECODE_BOUND_MS) throw new Error(`${target.name} took ${ms.toFixed(0)} ms on one input`)
    }, hex)
    outcomes[target.name] = outcome
  }
  return outcomes
}
