// Transcripts (PROTOCOL.md, "Served inference: transcripts and audits"): what a hoster served
// for one request — model, prompt tokens, sampling and seed, output tokens — signed by the
// hoster at the end of the stream. Signed bytes are kept as received, never re-encoded; the
// domain string keeps a transcript signature from passing for any other signed object.
import { createHash } from 'node:crypto'
import type { PeerId } from '@libp2p/interface'
import { peerIdFromString } from '@libp2p/peer-id'
import { MeshError, errorMessage } from '../errors.js'
import { Verifier } from '../p2p/signing.js'
import type { FinishReason, GenerationRecord } from './engine.js'
import * as wire from './messages.js'

export const TRANSCRIPT_DOMAIN = 'mesh-transcript/1'
/** Prompt + output tokens a transcript may carry (the largest context served here is far below). */
export const MAX_TRANSCRIPT_TOKENS = 32_768

export interface Transcript {
  model: string
  hoster: PeerId
  timeMs: number
  record: GenerationRecord
  finish: FinishReason
  textSha256: Uint8Array
}

/** A transcript as signed: its exact bytes, the signature, and what they say. */
export interface SignedTranscript {
  bytes: Uint8Array
  signature: Uint8Array
  transcript: Transcript
}

export function sha256(bytes: Uint8Array | string): Uint8Array {
  return createHash('sha256').update(bytes).digest()
}

export function encodeTranscript(t: Transcript): Uint8Array<ArrayBuffer> {
  const s = t.record.sampling
  return wire.Transcript.encode({
    domain: TRANSCRIPT_DOMAIN,
    model: t.model,
    hoster: t.hoster.toString(),
    timeMs: t.timeMs,
    promptTokens: t.record.promptTokens,
    maxTokens: s.maxTokens,
    temperature: s.temperature,
    topP: s.topP,
    topK: s.topK,
    seed: s.seed,
    repeatPenalty: s.repeatPenalty,
    outputTokens: t.record.outputTokens,
    finish: t.finish,
    textSha256: t.textSha256,
  } as wire.Transcript)
}

function bad(message: string): MeshError {
  return new MeshError('BAD_TRANSCRIPT', message)
}

/** Decodes transcript bytes; MeshError BAD_TRANSCRIPT for anything malformed. */
export function decodeTranscript(bytes: Uint8Array): Transcript {
  let m: wire.Transcript
  try {
    m = wire.Transcript.decode(bytes)
  } catch (err) {
    throw bad(`unreadable transcript: ${errorMessage(err)}`)
  }
  if (m.domain !== TRANSCRIPT_DOMAIN) throw bad('not a transcript (wrong domain)')
  if (!/^[0-9a-f]{64}$/.test(m.model)) throw bad('the model is not a sha256')
  if (m.promptTokens.length === 0 || m.outputTokens.length + m.promptTokens.length > MAX_TRANSCRIPT_TOKENS) {
    throw bad(`a transcript carries 1..${MAX_TRANSCRIPT_TOKENS} tokens`)
  }
  if (m.finish !== 'stop' && m.finish !== 'length' && m.finish !== 'abort') throw bad(`unknown finish ${JSON.stringify(m.finish)}`)
  if (m.textSha256.byteLength !== 32) throw bad('the text hash is not 32 bytes')
  let hoster: PeerId
  try {
    hoster = peerIdFromString(m.hoster)
  } catch (err) {
    throw bad(`the hoster is not a peer id: ${errorMessage(err)}`)
  }
  return {
    model: m.model,
    hoster,
    timeMs: m.timeMs,
    record: {
      promptTokens: m.promptTokens,
      outputTokens: m.outputTokens,
      sampling: { maxTokens: m.maxTokens, temperature: m.temperature, topP: m.topP, topK: m.topK, seed: m.seed, repeatPenalty: m.repeatPenalty },
    },
    finish: m.finish,
    textSha256: m.textSha256,
  }
}

const verifier = new Verifier()

/** Checks a signed transcript: decodable, and signed by the hoster it names. */
export function openTranscript(bytes: Uint8Array, signature: Uint8Array): SignedTranscript {
  const transcript = decodeTranscript(bytes)
  if (!verifier.verify(transcript.hoster, bytes, signature)) throw bad(`the transcript is not signed by ${transcript.hoster.toString()}`)
  return { bytes, signature, transcript }
}
