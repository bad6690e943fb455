// The epoch's challenge (PROTOCOL.md, "The challenge"): derived from chain randomness, so that
// anyone can compute and check it and nobody can choose it. seed = the hash of the epoch's first
// block; the i-th HMAC block is HMAC-SHA256(seed, "mesh/challenge/v1" ‖ u32 subnet ‖ u32 epoch ‖
// u32 i) (little-endian, as the records); each 4 bytes of it, read as a little-endian u32, draw
// one token by rejection sampling over the model's challenge vocabulary (ascending ids), until 32
// tokens are drawn. Record: "MCHL" | u8 version 1 | u32 epoch | 32 bytes model sha256 | u8 count
// (32) | count × u32 token id.
import { createHmac } from 'node:crypto'
import { ByteReader, ByteWriter } from './wire.js'

export const CHALLENGE_TOKENS = 32
export const CHALLENGE_DOMAIN = 'mesh/challenge/v1'
const MAGIC = 'MCHL'
const VERSION = 1
const MODEL_ID = /^[0-9a-f]{64}$/
const RANGE = 2 ** 32

export interface Challenge {
  epoch: number
  /** The model's GGUF sha256, lowercase hex. */
  modelId: string
  tokens: number[]
}

/**
 * The challenge of `epoch` in subnet `subnetId`, from `seed` (the hash of the epoch's first block)
 * and the model's challenge vocabulary (strictly ascending token ids, as the model file lists them).
 */
export function deriveChallenge(seed: Uint8Array, subnetId: number, epoch: number, modelId: string, vocabulary: readonly number[]): Challenge {
  const n = vocabulary.length
  if (n === 0) throw new RangeError('the challenge vocabulary is empty')
  if (n > RANGE) throw new RangeError(`a challenge vocabulary has at most 2^32 tokens, not ${n}`)
  if (vocabulary.some((id, i) => i > 0 && id <= vocabulary[i - 1]!)) throw new RangeError('the challenge vocabulary must be strictly ascending')
  // Draws at or above `limit` are refused, so that every token has the same floor(2^32 / n) draws.
  const limit = RANGE - (RANGE % n)
  const tokens: number[] = []
  for (let counter = 0; tokens.length < CHALLENGE_TOKENS; counter++) {
    const message = new ByteWriter().raw(new TextEncoder().encode(CHALLENGE_DOMAIN)).u32(subnetId).u32(epoch).u32(counter).finish()
    const block = createHmac('sha256', seed).update(message).digest()
    for (let offset = 0; offset < block.length && tokens.length < CHALLENGE_TOKENS; offset += 4) {
      const draw = block.readUInt32LE(offset)
      if (draw < limit) tokens.push(vocabulary[draw % n]!)
    }
  }
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

/** Whether two challenges are the same: epoch, model and tokens. */
export function sameChallenge(a: Challenge, b: Challenge): boolean {
  return a.epoch === b.epoch && a.modelId === b.modelId && a.tokens.length === b.tokens.length && a.tokens.every((t, i) => t === b.tokens[i])
}
