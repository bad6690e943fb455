import { test } from 'node:test'
import assert from 'node:assert/strict'
import { CHALLENGE_TOKENS, challengeProblem, decodeChallenge, drawChallenge, encodeChallenge, sameTokens } from '../../src/consensus/challenge.js'
import { RecordDecodeError } from '../../src/consensus/wire.js'

const MODEL = 'ab'.repeat(32)

test('a challenge draws 32 tokens from the vocabulary and round-trips', () => {
  const vocabulary = [3, 5, 7, 11, 13]
  const challenge = drawChallenge(vocabulary, MODEL, 9)
  assert.equal(challenge.tokens.length, CHALLENGE_TOKENS)
  for (const t of challenge.tokens) assert.ok(vocabulary.includes(t))
  assert.deepEqual(decodeChallenge(encodeChallenge(challenge)), challenge)
  assert.equal(challengeProblem(challenge, 9, MODEL, new Set(vocabulary)), null)
})

test('the draw is uniform over the vocabulary', () => {
  const vocabulary = Array.from({ length: 8 }, (_, i) => i)
  const counts = new Array(8).fill(0)
  for (let i = 0; i < 500; i++) for (const t of drawChallenge(vocabulary, MODEL, 0).tokens) counts[t]++
  // 16,000 draws, 2,000 expected per token; 5 sigma ≈ 5 × 42
  for (const c of counts) assert.ok(Math.abs(c - 2000) < 210, `count ${c}`)
})

test('a challenge for another epoch, model or vocabulary cannot be run', () => {
  const challenge = drawChallenge([1, 2], MODEL, 4)
  assert.match(challengeProblem(challenge, 5, MODEL, new Set([1, 2]))!, /epoch 4, not 5/)
  assert.match(challengeProblem(challenge, 4, 'cd'.repeat(32), new Set([1, 2]))!, /for model ab/)
  assert.match(challengeProblem({ ...challenge, tokens: [...challenge.tokens.slice(1), 99] }, 4, MODEL, new Set([1, 2]))!, /token 99/)
  assert.ok(sameTokens(challenge.tokens, [...challenge.tokens]))
  assert.ok(!sameTokens(challenge.tokens, challenge.tokens.slice(1)))
})

test('the encoder and decoder refuse malformed challenges', () => {
  assert.throws(() => encodeChallenge({ epoch: 0, modelId: 'xyz', tokens: new Array(32).fill(0) }), /not a sha256/)
  assert.throws(() => encodeChallenge({ epoch: 0, modelId: MODEL, tokens: [1] }), /32 tokens, not 1/)
  const good = encodeChallenge(drawChallenge([1], MODEL, 1))
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
