// Commit-reveal (PROTOCOL.md, "Epochs and phases"): commit = sha256(salt16 ‖ payload), stored
// first; the reveal {salt, payload} comes later and must hash to the commit.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import { ByteReader, ByteWriter, RecordDecodeError } from './wire.js'

export const SALT_BYTES = 16
export const COMMIT_BYTES = 32

export interface Reveal {
  salt: Uint8Array
  payload: Uint8Array
}

export function commitOf(salt: Uint8Array, payload: Uint8Array): Uint8Array {
  if (salt.length !== SALT_BYTES) throw new RangeError(`a salt is ${SALT_BYTES} bytes, not ${salt.length}`)
  return createHash('sha256').update(salt).update(payload).digest()
}

/** A fresh salt and the commit of `payload` under it. */
export function makeCommit(payload: Uint8Array): { reveal: Reveal; commit: Uint8Array } {
  const salt = new Uint8Array(randomBytes(SALT_BYTES))
  return { reveal: { salt, payload }, commit: commitOf(salt, payload) }
}

/** Whether `reveal` opens `commit`. */
export function opens(commit: Uint8Array, reveal: Reveal): boolean {
  if (commit.length !== COMMIT_BYTES) return false
  return timingSafeEqual(commitOf(reveal.salt, reveal.payload), commit)
}

/** The commit record's value: the 32 digest bytes, nothing else. */
export function decodeCommit(bytes: Uint8Array): Uint8Array {
  if (bytes.length !== COMMIT_BYTES) throw new RecordDecodeError('commit', `${bytes.length} bytes, a commit is ${COMMIT_BYTES}`)
  return bytes
}

// Reveal record: "MRVL" | u8 version 1 | salt (16) | u32 payload length | payload
const MAGIC = 'MRVL'
const VERSION = 1

export function encodeReveal(reveal: Reveal): Uint8Array {
  if (reveal.salt.length !== SALT_BYTES) throw new RangeError(`a salt is ${SALT_BYTES} bytes, not ${reveal.salt.length}`)
  return new ByteWriter().header(MAGIC, VERSION).raw(reveal.salt).bytes32(reveal.payload).finish()
}

/** Decodes a reveal whose payload is at most `maxPayload` bytes. */
export function decodeReveal(bytes: Uint8Array, maxPayload: number): Reveal {
  const r = new ByteReader(bytes, 'reveal').header(MAGIC, VERSION)
  const salt = r.raw(SALT_BYTES, 'salt')
  const payload = r.bytes32('payload', maxPayload)
  r.end()
  return { salt, payload }
}
