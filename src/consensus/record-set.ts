// One record set (PROTOCOL.md, "One record set"): the digest of the records an epoch's scores are
// computed from. The elected validator puts it in its submission's `args`; an attestor whose own
// digest differs knows its read (or the proposer's) lacks something before it compares scores.
import { createHash } from 'node:crypto'
import type { DhtRecord } from '../dht/record-store.js'

const DOMAIN = 'mesh/record-set/v1'
export const RECORD_SET_DIGEST_BYTES = 32

function byKeyThenWriter(a: DhtRecord, b: DhtRecord): number {
  if (a.key !== b.key) return a.key < b.key ? -1 : 1
  return a.subkey < b.subkey ? -1 : a.subkey > b.subkey ? 1 : 0
}

/**
 * sha256 of the records sorted by (key, writer), each as `key ‖ 0 ‖ writer ‖ 0 ‖ sha256(value)`
 * after the domain `mesh/record-set/v1 ‖ 0`. Keys and peer ids hold no zero byte, so the encoding
 * is unambiguous; expirations are left out (each writer picks its own, and they score nothing).
 */
export function recordSetDigest(records: Iterable<DhtRecord>): Uint8Array {
  const hash = createHash('sha256').update(DOMAIN).update(Uint8Array.of(0))
  for (const r of [...records].sort(byKeyThenWriter)) {
    hash.update(r.key).update(Uint8Array.of(0)).update(r.subkey).update(Uint8Array.of(0))
    hash.update(createHash('sha256').update(r.value).digest())
  }
  return new Uint8Array(hash.digest())
}

export function sameDigest(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i])
}

export function digestHex(digest: Uint8Array): string {
  return Buffer.from(digest).toString('hex')
}
