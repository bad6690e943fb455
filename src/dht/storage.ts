// Local record storage: key → subkey → signed record, expired on time, bounded in records, bytes
// and records per writer, counting everything it still holds (its expiry queue included). It keeps
// its own copy of each value, signature and receipt, so that a stored record never pins the buffer
// of the request it came in, and a replaced record is released at once. It trusts its caller to have
// validated what it puts; how often a writer may replace its record under a key is its own rule.
import type { SignedRecord } from './crypto.js'
import { RecordRefused, type RefusalCode } from './errors.js'
import type { Receipt } from './receipt.js'

export interface StorageLimits {
  maxRecords: number
  /** Bytes of keys, subkeys, values, signatures, receipts and bookkeeping together. */
  maxBytes: number
  /** Records of one writer across all keys (it has at most one per key). */
  maxPerWriter: number
}

export const DEFAULT_STORAGE_LIMITS: StorageLimits = {
  maxRecords: 100_000,
  maxBytes: 256 * 1024 * 1024,
  // Two heartbeats and five consensus keys over the three epochs a record may live.
  maxPerWriter: 64,
}

/**
 * How a writer may replace its own record under a key (PROTOCOL.md, "Epochs and phases"):
 * - `free`: any record that expires later;
 * - `once`: write-once (commits, reveals, the challenge): a different value is refused, the same
 *   value again is accepted (re-replication) and keeps the later expiration;
 * - `per-block`: at most once per block of this node's chain view (heartbeats).
 */
export type ReplacementRule = 'free' | 'once' | 'per-block'

export interface StorageRules {
  /** The rule of a key (default: free). */
  replacement?: (key: string) => ReplacementRule
  /** The latest block this node has seen, or undefined before it has seen one. */
  block?: () => number | undefined
}

export interface StorageSize {
  keys: number
  records: number
  bytes: number
  writers: number
  /** Entries of the expiry queue, live and stale (bounded: the queue is compacted). */
  queued: number
}

/** The bookkeeping bytes one record costs besides its strings and value (an estimate). */
const RECORD_OVERHEAD = 160
/** The bytes one expiry-queue entry costs besides its strings (an estimate). */
const QUEUE_ENTRY_OVERHEAD = 64
/** The bookkeeping bytes one receipt costs besides its storer's peer id and its signature (an estimate). */
const RECEIPT_OVERHEAD = 48

/** The bytes one receipt costs: about 220 for an Ed25519 storer (a record of an epoch key holds up to a replica set's). */
export function receiptBytes(receipt: Receipt): number {
  return RECEIPT_OVERHEAD + receipt.storer.length * 2 + receipt.signature.length
}

/** The bytes a held record costs, its receipts included. */
export function recordBytes(record: SignedRecord): number {
  let bytes = RECORD_OVERHEAD + record.key.length * 2 + record.subkey.length * 2 + record.value.length + record.signature.length
  for (const receipt of record.receipts ?? []) bytes += receiptBytes(receipt)
  return bytes
}

/** A copy of a receipt that does not pin the buffer it was decoded from. */
function copyReceipt(receipt: Receipt): Receipt {
  return { storer: receipt.storer, block: receipt.block, signature: new Uint8Array(receipt.signature) }
}

interface QueueEntry {
  expiration: number
  key: string
  subkey: string
}

function entryBytes(entry: QueueEntry): number {
  return QUEUE_ENTRY_OVERHEAD + entry.key.length * 2 + entry.subkey.length * 2
}

interface Held {
  record: SignedRecord
  bytes: number
  /** The block at which this node accepted it (undefined when it knew none). */
  block: number | undefined
}

/**
 * A min-heap of expirations. It names records, never holds them: a replaced record is gone from
 * memory at once, and the entry left behind is skipped when popped (or dropped by `rebuild`).
 */
class ExpiryQueue {
  heap: QueueEntry[] = []

  push(entry: QueueEntry): void {
    const heap = this.heap
    heap.push(entry)
    for (let i = heap.length - 1; i > 0;) {
      const parent = (i - 1) >> 1
      if (heap[parent]!.expiration <= heap[i]!.expiration) break
      ;[heap[parent], heap[i]] = [heap[i]!, heap[parent]!]
      i = parent
    }
  }

  /** Removes and returns the earliest entry if it expires at or before `now`. */
  popDue(now: number): QueueEntry | undefined {
    const heap = this.heap
    if (heap.length === 0 || heap[0]!.expiration > now) return undefined
    const top = heap[0]!
    const last = heap.pop()!
    if (heap.length > 0) {
      heap[0] = last
      this.siftDown(0)
    }
    return top
  }

  /** Replaces the queue with `entries` (heapified in linear time). */
  rebuild(entries: QueueEntry[]): void {
    this.heap = entries
    for (let i = (entries.length >> 1) - 1; i >= 0; i--) this.siftDown(i)
  }

  get length(): number {
    return this.heap.length
  }

  private siftDown(from: number): void {
    const heap = this.heap
    for (let i = from; ;) {
      const left = 2 * i + 1
      const right = left + 1
      let least = i
      if (left < heap.length && heap[left]!.expiration < heap[least]!.expiration) least = left
      if (right < heap.length && heap[right]!.expiration < heap[least]!.expiration) least = right
      if (least === i) break
      ;[heap[least], heap[i]] = [heap[i]!, heap[least]!]
      i = least
    }
  }
}

export class RecordStorage {
  readonly limits: StorageLimits
  /** Refusals of this storage, by code (the validator chain counts its own). */
  readonly refusals = new Map<RefusalCode, number>()
  private readonly rules: Required<StorageRules>
  private readonly byKey = new Map<string, Map<string, Held>>()
  private readonly perWriter = new Map<string, number>()
  private readonly expiry = new ExpiryQueue()
  private records = 0
  /** Bytes of the held records plus those of every queue entry, stale ones included. */
  private bytes = 0

  constructor(limits: Partial<StorageLimits> = {}, rules: StorageRules = {}) {
    this.limits = { ...DEFAULT_STORAGE_LIMITS, ...limits }
    this.rules = { replacement: rules.replacement ?? (() => 'free'), block: rules.block ?? (() => undefined) }
  }

  /**
   * Keeps a copy of `record`, replacing the writer's own record under the key when its key's
   * replacement rule allows it. Returns false when nothing changed (the same record, or for a
   * write-once key the same value, is already held). Throws RecordRefused when the record is older
   * than the held one, breaks its key's replacement rule, or a bound would be exceeded.
   */
  put(record: SignedRecord, now = Date.now()): boolean {
    this.purge(now)
    const held = this.byKey.get(record.key)?.get(record.subkey)
    const block = this.rules.block()
    if (held !== undefined) {
      const old = held.record
      if (old.expiration === record.expiration && sameBytes(old.signature, record.signature)) return false
      const rule = this.rules.replacement(record.key)
      if (rule === 'once') {
        if (!sameBytes(old.value, record.value)) {
          this.refuse('DHT_WRITE_ONCE', `${record.subkey} already wrote a different value under ${record.key}, which is write-once`)
        }
        if (old.expiration >= record.expiration) return false
      }
      if (old.expiration >= record.expiration) {
        this.refuse('DHT_STALE', `${record.subkey} already has a record under ${record.key} expiring at or after this one`)
      }
      if (rule === 'per-block' && block !== undefined && held.block !== undefined && block <= held.block) {
        this.refuse('DHT_TOO_FREQUENT', `${record.subkey} already replaced its record under ${record.key} at block ${held.block}: once a block at most`)
      }
    }
    const copy: SignedRecord = {
      key: record.key,
      subkey: record.subkey,
      // Copies: a decoded value is a view into the whole request it arrived in.
      value: new Uint8Array(record.value),
      expiration: record.expiration,
      signature: new Uint8Array(record.signature),
    }
    if (record.receipts !== undefined) {
      // Receipts vouch for (key, writer, value), not the expiration: the same value stored again keeps
      // the ones already held first (this node's own, signed when it first accepted it, among them).
      const receipts = held !== undefined && sameBytes(held.record.value, record.value) ? [...(held.record.receipts ?? [])] : []
      const storers = new Set(receipts.map((r) => r.storer))
      for (const receipt of record.receipts) if (!storers.has(receipt.storer)) receipts.push(copyReceipt(receipt))
      copy.receipts = receipts
    }
    const size = recordBytes(copy)
    const entry: QueueEntry = { expiration: copy.expiration, key: copy.key, subkey: copy.subkey }
    const added = size + entryBytes(entry) - (held?.bytes ?? 0)
    if (held === undefined && this.records >= this.limits.maxRecords) {
      this.refuse('DHT_STORAGE_FULL', `storage holds its maximum of ${this.limits.maxRecords} records: try other replicas, or later`)
    }
    if (this.bytes + added > this.limits.maxBytes) {
      this.compact()
      if (this.bytes + added > this.limits.maxBytes) {
        this.refuse('DHT_STORAGE_FULL', `storage holds ${this.bytes} bytes and would exceed its maximum of ${this.limits.maxBytes}: try other replicas, or later`)
      }
    }
    const writerCount = this.perWriter.get(record.subkey) ?? 0
    if (held === undefined && writerCount >= this.limits.maxPerWriter) {
      this.refuse('DHT_WRITER_LIMIT', `${record.subkey} already has ${writerCount} records here, the most one writer may have`)
    }
    let subkeys = this.byKey.get(record.key)
    if (subkeys === undefined) {
      subkeys = new Map()
      this.byKey.set(record.key, subkeys)
    }
    subkeys.set(record.subkey, { record: copy, bytes: size, block })
    if (held === undefined) {
      this.records++
      this.perWriter.set(record.subkey, writerCount + 1)
    }
    this.bytes += added
    this.expiry.push(entry)
    // Stale entries (of replaced records) never outnumber the live ones by much.
    if (this.expiry.length > 2 * this.records + 1024) this.compact()
    return true
  }

  /**
   * Adds `receipts` (checked by the caller) to the record `subkey` holds under `key`, counting their
   * bytes; a storer whose receipt is held already is skipped. Returns how many were added: none when
   * no such record is held, or when they would exceed the byte bound.
   */
  addReceipts(key: string, subkey: string, receipts: readonly Receipt[]): number {
    const held = this.byKey.get(key)?.get(subkey)
    if (held === undefined) return 0
    const have = new Set((held.record.receipts ?? []).map((r) => r.storer))
    const added: Receipt[] = []
    let bytes = 0
    for (const receipt of receipts) {
      if (have.has(receipt.storer)) continue
      have.add(receipt.storer)
      added.push(copyReceipt(receipt))
      bytes += receiptBytes(receipt)
    }
    if (added.length === 0 || this.bytes + bytes > this.limits.maxBytes) return 0
    held.record.receipts = [...(held.record.receipts ?? []), ...added]
    held.bytes += bytes
    this.bytes += bytes
    return added.length
  }

  /** The live records under `key`. */
  get(key: string, now = Date.now()): SignedRecord[] {
    const subkeys = this.byKey.get(key)
    if (subkeys === undefined) return []
    const live: SignedRecord[] = []
    for (const { record } of subkeys.values()) if (record.expiration > now) live.push(record)
    return live
  }

  /** Every live record, key by key (for re-replication). */
  *entries(now = Date.now()): Generator<[string, SignedRecord[]]> {
    for (const key of [...this.byKey.keys()]) {
      const records = this.get(key, now)
      if (records.length > 0) yield [key, records]
    }
  }

  /** Drops every record that expired at or before `now`; returns how many. */
  purge(now = Date.now()): number {
    let dropped = 0
    for (let entry = this.expiry.popDue(now); entry !== undefined; entry = this.expiry.popDue(now)) {
      this.bytes -= entryBytes(entry)
      const subkeys = this.byKey.get(entry.key)
      const held = subkeys?.get(entry.subkey)
      // A replaced record's entry names a later expiration than the one now held: skip it.
      if (held === undefined || held.record.expiration !== entry.expiration) continue
      subkeys!.delete(entry.subkey)
      if (subkeys!.size === 0) this.byKey.delete(entry.key)
      this.records--
      this.bytes -= held.bytes
      const left = (this.perWriter.get(entry.subkey) ?? 1) - 1
      if (left === 0) this.perWriter.delete(entry.subkey)
      else this.perWriter.set(entry.subkey, left)
      dropped++
    }
    return dropped
  }

  size(): StorageSize {
    return { keys: this.byKey.size, records: this.records, bytes: this.bytes, writers: this.perWriter.size, queued: this.expiry.length }
  }

  /** Rebuilds the expiry queue from the held records, dropping the entries of replaced ones. */
  private compact(): void {
    const entries: QueueEntry[] = []
    let bytes = 0
    for (const [key, subkeys] of this.byKey) {
      for (const [subkey, held] of subkeys) {
        const entry = { expiration: held.record.expiration, key, subkey }
        entries.push(entry)
        bytes += held.bytes + entryBytes(entry)
      }
    }
    this.expiry.rebuild(entries)
    this.bytes = bytes
  }

  private refuse(code: RefusalCode, message: string): never {
    this.refusals.set(code, (this.refusals.get(code) ?? 0) + 1)
    throw new RecordRefused(code, message)
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i])
}
