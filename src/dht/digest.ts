// Digests and pages of a key's dictionary (PROTOCOL.md, "DHT records": reads that scale). A reader
// asks every replica for one digest per subkey (writer, sha256(value), expiration, receipts), then
// fetches each value once from a replica that vouched for it; a re-read asks only for the summary
// of the digests (32 bytes) and fetches the digests again only from a replica whose summary moved.
// Pages follow the subkeys' sort order: `after` is the last subkey of the previous page.
import { createHash } from 'node:crypto'
import type { SignedRecord } from './crypto.js'
import { valueHash, type Receipt } from './receipt.js'

export interface Digest {
  writer: string
  valueHash: Uint8Array
  expiration: number
  /** The serving node's own receipt has an empty storer (the reader knows whom it asked). */
  receipts: Receipt[]
}

export type FindMode = 'records' | 'digests' | 'summary'

export interface FindQuery {
  key: string
  /** Only these writers; all when empty. */
  subkeys: readonly string[]
  /** Only subkeys sorting after this one ('' = from the start). */
  after: string
  /** Most entries in the page (0 = the page maximum). */
  limit: number
  mode: FindMode
}

export interface FindPage {
  records: SignedRecord[]
  digests: Digest[]
  /** The last subkey of this page when more follow, else ''. */
  next: string
  /** sha256 of every digest of the query (all pages), in summary mode; else empty. */
  summary: Uint8Array
}

/** Most entries of one page. */
export const MAX_PAGE_ENTRIES = 4096
/**
 * Bytes of values and digests one page carries at most (estimated before encoding): half the
 * find response's frame limit, so that framing never pushes a full page over it.
 */
export const PAGE_BYTES = 2 * 1024 * 1024

// A record's value is immutable once stored: its hash is computed once, for every digest served.
const hashes = new WeakMap<Uint8Array, Uint8Array>()
export function cachedValueHash(value: Uint8Array): Uint8Array {
  let hash = hashes.get(value)
  if (hash === undefined) {
    hash = valueHash(value)
    hashes.set(value, hash)
  }
  return hash
}

/**
 * The digest a node serves of a record it holds: its own receipt only, with an empty storer. The
 * receipts of other replicas it keeps (learnt when reading the key) travel in handoffs, not in
 * digests: each replica vouches for itself, and a read costs one receipt per replica and record.
 */
export function digestOf(record: SignedRecord, self: string): Digest {
  return {
    writer: record.subkey,
    valueHash: cachedValueHash(record.value),
    expiration: record.expiration,
    receipts: (record.receipts ?? []).filter((r) => r.storer === self).map((r) => ({ ...r, storer: '' })),
  }
}

/** sha256 of digests in writer order, each field length-prefixed: server and reader compute it alike. */
export function digestSummary(digests: readonly Digest[]): Uint8Array {
  const hash = createHash('sha256')
  const u32 = (n: number) => { const b = Buffer.alloc(4); b.writeUInt32BE(n); hash.update(b) }
  const u64 = (n: number) => { const b = Buffer.alloc(8); b.writeBigUInt64BE(BigInt(n)); hash.update(b) }
  const field = (bytes: Uint8Array | string) => {
    const b = typeof bytes === 'string' ? Buffer.from(bytes) : bytes
    u32(b.length)
    hash.update(b)
  }
  const sorted = [...digests].sort((a, b) => compare(a.writer, b.writer))
  u32(sorted.length)
  for (const d of sorted) {
    field(d.writer)
    field(d.valueHash)
    u64(d.expiration)
    u32(d.receipts.length)
    for (const r of d.receipts) {
      field(r.storer)
      u64(r.block)
      field(r.signature)
    }
  }
  return hash.digest()
}

export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/** Bytes a record or digest takes on the wire, roughly (for page budgets). */
function entryBytes(entry: { receipts?: Receipt[] }, valueBytes: number): number {
  return 160 + valueBytes + (entry.receipts?.length ?? 0) * 140
}

/** One page of the held `records` of a key (live ones, any order) for `query`, as node `self` serves it. */
export function findPage(records: readonly SignedRecord[], query: FindQuery, self: string): FindPage {
  const wanted = query.subkeys.length === 0 ? null : new Set(query.subkeys)
  const matching = records.filter((r) => wanted === null || wanted.has(r.subkey)).sort((a, b) => compare(a.subkey, b.subkey))
  const page: FindPage = { records: [], digests: [], next: '', summary: new Uint8Array(0) }
  if (query.mode === 'summary') {
    page.summary = digestSummary(matching.map((r) => digestOf(r, self)))
    return page
  }
  const limit = query.limit === 0 ? MAX_PAGE_ENTRIES : Math.min(query.limit, MAX_PAGE_ENTRIES)
  let bytes = 0
  let count = 0
  for (const record of matching) {
    if (query.after !== '' && record.subkey <= query.after) continue
    const size = query.mode === 'records' ? entryBytes({}, record.value.length) : entryBytes(record, 0)
    if (count >= limit || (count > 0 && bytes + size > PAGE_BYTES)) {
      page.next = (query.mode === 'records' ? page.records.at(-1)!.subkey : page.digests.at(-1)!.writer)
      break
    }
    if (query.mode === 'records') page.records.push(record)
    else page.digests.push(digestOf(record, self))
    bytes += size
    count++
  }
  return page
}
