import { test } from 'node:test'
import assert from 'node:assert/strict'
import { decodeScores, encodeScores } from '../../src/consensus/scores-codec.js'
import { RecordDecodeError } from '../../src/consensus/wire.js'
import { peer } from './fixtures.js'

test('scores_bytes round-trip, and equal scores give equal bytes', () => {
  const vector = { epoch: 7, scores: [[peer(1), 0.5], [peer(2), 1], [peer(3), 0]] as Array<[string, number]> }
  const bytes = encodeScores(vector)
  assert.deepEqual(decodeScores(bytes), vector)
  assert.deepEqual(encodeScores(structuredClone(vector)), bytes)
  assert.equal(bytes.length, 4 + 1 + 4 + 4 + 3 * (1 + peer(1).length + 8))
})

test('the encoder refuses unsorted, duplicate, non-peer-id and out-of-range entries', () => {
  assert.throws(() => encodeScores({ epoch: 0, scores: [[peer(2), 0], [peer(1), 0]] }), /strictly ascending/)
  assert.throws(() => encodeScores({ epoch: 0, scores: [[peer(1), 0], [peer(1), 0]] }), /strictly ascending/)
  assert.throws(() => encodeScores({ epoch: 0, scores: [['not a peer', 0]] }), /not a peer id/)
  assert.throws(() => encodeScores({ epoch: 0, scores: [[peer(1), Number.NaN]] }), /not in \[0, 1\]/)
  assert.throws(() => encodeScores({ epoch: 0, scores: [[peer(1), 1.5]] }), /not in \[0, 1\]/)
})

test('the decoder refuses malformed scores_bytes', () => {
  const one = encodeScores({ epoch: 1, scores: [[peer(1), 0.25]] })
  const two = encodeScores({ epoch: 1, scores: [[peer(1), 0.25], [peer(2), 0.5]] })
  const withScore = (bytes: Uint8Array, offset: number, value: number) => {
    const out = Uint8Array.from(bytes)
    new DataView(out.buffer).setFloat64(offset, value, true)
    return out
  }
  const swapped = Uint8Array.from(two)
  const entry = 1 + peer(1).length + 8
  swapped.set(two.subarray(13 + entry, 13 + 2 * entry), 13)
  swapped.set(two.subarray(13, 13 + entry), 13 + entry)
  const badChar = Uint8Array.from(one)
  badChar[14] = 0x30 // '0' is not base58
  const cases: Array<[string, Uint8Array, RegExp]> = [
    ['empty', new Uint8Array(0), /truncated at header/],
    ['magic', Uint8Array.from([0, ...one.subarray(1)]), /bad magic/],
    ['count over', Uint8Array.from([...one.subarray(0, 9), 2, 0, 0, 0, ...one.subarray(13)]), /truncated/],
    ['count limit', Uint8Array.from([...one.subarray(0, 9), 255, 255, 255, 255]), /over the limit/],
    ['truncated', one.subarray(0, one.length - 1), /truncated at score/],
    ['trailing', Uint8Array.from([...one, 1]), /trailing/],
    ['NaN', withScore(one, one.length - 8, Number.NaN), /not in \[0, 1\]/],
    ['negative', withScore(one, one.length - 8, -0.1), /not in \[0, 1\]/],
    ['unsorted', swapped, /not strictly ascending/],
    ['bad peer id', badChar, /is not a peer id/],
  ]
  for (const [name, bytes, message] of cases) {
    assert.throws(() => decodeScores(bytes), (err: unknown) => err instanceof RecordDecodeError && message.test(err.message), name)
  }
})
