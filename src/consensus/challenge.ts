// The epoch's challenge (PROTOCOL.md, "The challenge and the output tensor"): 32 token ids
// drawn uniformly with a CSPRNG from the model's vocabulary without special tokens, and the
// model's identity. Record: "MCHL" | u8 version 1 | u32 epoch | 32 bytes model sha256 |
// u8 count (32) | count × u32 token id.
import { randomInt } from 'node:crypto'
import { ByteReader, ByteWriter } from './wire.js'

export const CHALLENGE_TOKENS = 32
const MAGIC = 'MCHL'
const VERSION = 1
const MODEL_ID = /^[0-9a-f]{64}$/

export interface Challenge {
  epoch: number
  /** The model's GGUF sha256, lowercase hex. */
  modelId: string
  tokens: number[]
}

export function drawChallenge(vocabulary: readonly number[], modelId: string, epoch: number): Challenge {
  if (vocabulary.length === 0) throw new RangeError('the challenge vocabulary is empty')
  const tokens = Array.from({ length: CHALLENGE_TOKENS }, () => vocabulary[randomInt(vocabulary.length)])
  return { epoch, modelId, tokens }
}

export function encodeChallenge(challenge: Challenge): Uint8Array {
  if (!MODEL_ID.test(challenge.modelId)) throw new RangeError(`model id ${JSON.stringify(challenge.modelId)} is not a sha256 hex digest`)
  if (challenge.tokens.length !== CHALLENGE_TOKENS) throw new RangeError(`a challenge has ${CHALLENGE_TOKENS} tokens, not ${challenge.tokens.length}`)
  const w = new ByteWriter().header(MAGIC, VERSION).u32(challenge.epoch).raw(Buffer.from(challenge.modelId, 'hex')).u8(CHALLENGE_TOKENS)
  for (const t of challenge.tokens) w.u32(t)
  return w.finish()
}

export function decodeChallenge(bytes: Uint8Array): Challenge {
  const r = new ByteReader(bytes, 'challenge').header(MAGIC, VERSION)
  const epoch = r.u32('epoch')
  const modelId = Buffer.from(r.raw(32, 'model id')).toString('hex')
  const count = r.u8('token count')
  if (count !== CHALLENGE_TOKENS) r.fail(`${count} tokens, a challenge has ${CHALLENGE_TOKENS}`)
  const tokens: number[] = []
  for (let i = 0; i < count; i++) tokens.push(r.u32('token id'))
  r.end()
  return { epoch, modelId, tokens }
}

/** Why `challenge` cannot be run for `epoch` on this model, or null when it can. */
export function challengeProblem(challenge: Challenge, epoch: number, modelId: string, vocabulary: ReadonlySet<number>): string | null {
  if (challenge.epoch !== epoch) return `challenge for epoch ${challenge.epoch}, not ${epoch}`
  if (challenge.modelId !== modelId) return `challenge for model ${challenge.modelId}, not ${modelId}`
  const outside = challenge.tokens.find((t) => !vocabulary.has(t))
  if (outside !== undefined) return `token ${outside} is not in the challenge vocabulary`
  return null
}

export function sameTokens(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((t, i) => t === b[i])
}
