// Commit-reveal (PROTOCOL.md, "Epochs and phases"): commit = sha256(salt16 ‖ payload), stored
// first; the reveal comes later and must hash to the commit.
//
// The salt is bound to the writer: salt16 = sha256("mesh/commit-salt/v1" ‖ 0 ‖ writer peer id ‖
// nonce16)[0..16], and the reveal carries {nonce, payload}. A peer that copies another's commit
// and later its reveal cannot open the copy under its own peer id, so copying both records scores
// zero like any reveal that does not match its commit.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import { ByteReader, ByteWriter, RecordDecodeError } from './wire.js'

export const NONCE_BYTES = 16
export const SALT_BYTES = 16
export const COMMIT_BYTES = 32
const SALT_DOMAIN = 'mesh/commit-salt/v1'

export interface Reveal {
  nonce: Uint8Array
  payload: Uint8Array
}

/** The writer-bound salt of a commit. */
export function saltOf(writer: string, nonce: Uint8Array): Uint8Array {
  if (nonce.length !== NONCE_BYTES) throw new RangeError(`a nonce is ${NONCE_BYTES} bytes, not ${nonce.length}`)
  return createHash('sha256').update(SALT_DOMAIN).update(Uint8Array.of(0)).update(writer).update(nonce).digest().subarray(0, SALT_BYTES)
}

export function commitOf(salt: Uint8Array, payload: Uint8Array): Uint8Array {
  if (salt.length !== SALT_BYTES) throw new RangeError(`a salt is ${SALT_BYTES} bytes, not ${salt.length}`)
  return createHash('sha256').update(salt).update(payload).digest()
}

/** A fresh nonce and `writer`'s commit of `payload` under it. */
export function makeCommit(writer: string, payload: Uint8Array): { reveal: Reveal; commit: Uint8Array } {
  const nonce = new Uint8Array(randomBytes(NONCE_BYTES))
  return { reveal: { nonce, payload }, commit: commitOf(saltOf(writer, nonce), payload) }
}

/** `writer`'s commit of a reveal (a secret kept across a restart commits to the same value again). */
export function commitFor(writer: string, reveal: Reveal): Uint8Array {
  return commitOf(saltOf(writer, reveal.nonce), reveal.payload)
}

/** Whether `reveal`, published by `writer`, opens `commit`. */
export function opens(commit: Uint8Array, writer: string, reveal: Reveal): boolean {
  if (commit.length !== COMMIT_BYTES) return false
  return timingSafeEqual(commitOf(saltOf(writer, reveal.nonce), reveal.payload), commit)
}

/** The commit record's value: the 32 digest bytes, nothing else. */
export function decodeCommit(bytes: Uint8Array): Uint8Array {
  if (bytes.length !== COMMIT_BYTES) throw new RecordDecodeError('commit', `${bytes.length} bytes, a commit is ${COMMIT_BYTES}`)
  return bytes
}

// Reveal record: "MRVL" | u8 version 1 | nonce (16) | u32 payload length | payload
const MAGIC = 'MRVL'
const VERSION = 1

export function encodeReveal(reveal: Reveal): Uint8Array {
  if (reveal.nonce.length !== NONCE_BYTES) throw new RangeError(`a nonce is ${NONCE_BYTES} bytes, not ${reveal.nonce.length}`)
  return new ByteWriter().header(MAGIC, VERSION).raw(reveal.nonce).bytes32(reveal.payload).finish()
}

/** Decodes a reveal whose payload is at most `maxPayload` bytes. */
export function decodeReveal(bytes: Uint8Array, maxPayload: number): Reveal {
  const r = new ByteReader(bytes, 'reveal').header(MAGIC, VERSION)
  const nonce = r.raw(NONCE_BYTES, 'nonce')
  const payload = r.bytes32('payload', maxPayload)
  r.end()
  return { nonce, payload }
}
