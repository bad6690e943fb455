import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createHmac } from 'node:crypto'
import { CHALLENGE_TOKENS, decodeChallenge, deriveChallenge, encodeChallenge, sameChallenge } from '../../src/consensus/challenge.js'
import { RecordDecodeError } from '../../src/consensus/wire.js'

const MODEL = 'ab'.repeat(32)
const SEED = Uint8Array.from({ length: 32 }, (_, i) => i)

test('the challenge is derived from the seed, subnet and epoch: 32 tokens of the vocabulary, and it round-trips', () => {
  const vocabulary = [3, 5, 7, 11, 13]
  const challenge = deriveChallenge(SEED, 1, 9, MODEL, vocabulary)
  assert.equal(challenge.tokens.length, CHALLENGE_TOKENS)
  for (const t of challenge.tokens) assert.ok(vocabulary.includes(t))
  assert.deepEqual(deriveChallenge(SEED, 1, 9, MODEL, vocabulary), challenge, 'anyone derives the same')
  assert.deepEqual(decodeChallenge(encodeChallenge(challenge)), challenge)
  assert.ok(sameChallenge(decodeChallenge(encodeChallenge(challenge)), challenge))
  for (const other of [deriveChallenge(SEED, 2, 9, MODEL, vocabulary), deriveChallenge(SEED, 1, 10, MODEL, vocabulary), deriveChallenge(new Uint8Array(32), 1, 9, MODEL, vocabulary)]) {
    assert.ok(!sameChallenge(other, challenge))
  }
  assert.ok(!sameChallenge({ ...challenge, modelId: 'cd'.repeat(32) }, challenge))
})

test('the derivation follows the protocol: HMAC-SHA256 blocks, little-endian u32 draws, rejection above the largest multiple of n', () => {
  // n = 3: 2^32 mod 3 = 1, so only the draw 0xffffffff is refused; the i-th token is the i-th accepted draw mod 3.
  const vocabulary = [10, 20, 30]
  const expected: number[] = []
  for (let counter = 0; expected.length < CHALLENGE_TOKENS; counter++) {
    const message = Buffer.alloc(17 + 12)
    message.write('mesh/challenge/v1')
    message.writeUInt32LE(4, 17)
    message.writeUInt32LE(77, 21)
    message.writeUInt32LE(counter, 25)
    const block = createHmac('sha256', SEED).update(message).digest()
    for (let o = 0; o < 32 && expected.length < CHALLENGE_TOKENS; o += 4) {
      const draw = block.readUInt32LE(o)
      if (draw < 2 ** 32 - 1) expected.push(vocabulary[draw % 3]!)
    }
  }
  assert.deepEqual(deriveChallenge(SEED, 4, 77, MODEL, vocabulary).tokens, expected)
})

test('the draw is uniform over the vocabulary (no modulo bias)', () => {
  const vocabulary = Array.from({ length: 6 }, (_, i) => i)
  const counts = new Array(6).fill(0)
  for (let epoch = 0; epoch < 600; epoch++) for (const t of deriveChallenge(SEED, 1, epoch, MODEL, vocabulary).tokens) counts[t]++
  // 19,200 draws, 3,200 expected per token; 5 sigma ≈ 5 × 52
  for (const c of counts) assert.ok(Math.abs(c - 3200) < 260, `count ${c}`)
})

test('a vocabulary that is empty or not strictly ascending is refused', () => {
  assert.throws(() => deriveChallenge(SEED, 1, 1, MODEL, []), /empty/)
  assert.throws(() => deriveChallenge(SEED, 1, 1, MODEL, [1, 1, 2]), /strictly ascending/)
  assert.throws(() => deriveChallenge(SEED, 1, 1, MODEL, [3, 2]), /strictly ascending/)
})

test('the encoder and decoder refuse malformed challenges', () => {
  assert.throws(() => encodeChallenge({ epoch: 0, modelId: 'xyz', tokens: new Array(32).fill(0) }), /not a sha256/)
  assert.throws(() => encodeChallenge({ epoch: 0, modelId: MODEL, tokens: [1] }), /32 tokens, not 1/)
  const good = encodeChallenge(deriveChallenge(SEED, 1, 1, MODEL, [1]))
  const cases: Array<[string, Uint8Array, RegExp]> = [
    ['empty', new Uint8Array(0), /truncated/],
    ['magic', Uint8Array.from([1, ...good.subarray(1)]), /bad magic/],
    ['count', Uint8Array.from([...good.subarray(0, 41), 31, ...good.subarray(42, good.length - 4)]), /31 tokens/],
    ['truncated', good.subarray(0, good.length - 2), /truncated at token id/],
    ['trailing', Uint8Array.from([...good, 0]), /trailing/],
  ]
  for (const [name, bytes, message] of cases) {
    assert.throws(() => decodeChallenge(bytes), (err: unknown) => err instanceof RecordDecodeError && message.test(err.message), name)
  }
})
