import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { commitOf, decodeCommit, decodeReveal, encodeReveal, makeCommit, opens, saltOf } from '../../src/consensus/commit.js'
import { RecordDecodeError } from '../../src/consensus/wire.js'

const WRITER = '12D3KooWGzxzKZYveHXtpG6AsrUJBcWxHBFS2HsEoGTxrMLvKXtf'
const OTHER = '12D3KooWHFrmLWTTDD4NodngtRMEVYgxrsDMp4F83uFMPTvb7b8m'

test('a commit is sha256(salt16 ‖ payload) with the salt bound to the writer, and only its own reveal opens it', () => {
  const payload = Uint8Array.from([5, 6, 7])
  const { reveal, commit } = makeCommit(WRITER, payload)
  assert.equal(reveal.nonce.length, 16)
  const salt = createHash('sha256').update('mesh/commit-salt/v1').update(Uint8Array.of(0)).update(WRITER).update(reveal.nonce).digest().subarray(0, 16)
  assert.deepEqual(Buffer.from(saltOf(WRITER, reveal.nonce)), salt)
  assert.deepEqual(Buffer.from(commit), createHash('sha256').update(Buffer.concat([salt, payload])).digest())
  assert.ok(opens(commit, WRITER, reveal))
  assert.ok(!opens(commit, OTHER, reveal), 'a copier cannot open the writer\'s commit')
  assert.ok(!opens(commit, WRITER, { nonce: reveal.nonce, payload: Uint8Array.from([5, 6, 8]) }))
  assert.ok(!opens(commit, WRITER, { nonce: new Uint8Array(16), payload }))
  assert.ok(!opens(commit.subarray(1), WRITER, reveal))
  assert.notDeepEqual(makeCommit(WRITER, payload).reveal.nonce, reveal.nonce)
  assert.throws(() => commitOf(new Uint8Array(15), payload), /16 bytes/)
  assert.throws(() => saltOf(WRITER, new Uint8Array(15)), /16 bytes/)
})

test('a reveal round-trips', () => {
  const { reveal } = makeCommit(WRITER, new Uint8Array(1000).fill(3))
  const back = decodeReveal(encodeReveal(reveal), 1000)
  assert.deepEqual(back, reveal)
})

test('the decoders refuse malformed commits and reveals', () => {
  assert.throws(() => decodeCommit(new Uint8Array(31)), RecordDecodeError)
  assert.throws(() => decodeCommit(new Uint8Array(33)), RecordDecodeError)
  const good = encodeReveal(makeCommit(WRITER, Uint8Array.from([1, 2, 3, 4])).reveal)
  const cases: Array<[string, Uint8Array, RegExp]> = [
    ['empty', new Uint8Array(0), /truncated at header/],
    ['magic', Uint8Array.from([0, ...good.subarray(1)]), /bad magic/],
    ['version', Uint8Array.from([...good.subarray(0, 4), 9, ...good.subarray(5)]), /version 9/],
    ['short nonce', good.subarray(0, 12), /truncated at nonce/],
    ['short payload', good.subarray(0, good.length - 1), /truncated at payload/],
    ['trailing', Uint8Array.from([...good, 0]), /1 trailing bytes/],
  ]
  for (const [name, bytes, message] of cases) {
    assert.throws(() => decodeReveal(bytes, 100), (err: unknown) => err instanceof RecordDecodeError && message.test(err.message), name)
  }
  assert.throws(() => decodeReveal(good, 3), /over the limit of 3/)
  for (let i = 0; i < 2000; i++) {
    const bytes = Uint8Array.from({ length: Math.floor(Math.random() * 40) }, () => Math.floor(Math.random() * 256))
    assert.throws(() => decodeReveal(bytes, 100), RecordDecodeError)
  }
})
