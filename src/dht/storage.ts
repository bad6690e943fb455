// Local record storage: key → subkey → signed record, expired on time, bounded in records, bytes
// and records per writer. It trusts its caller to have validated what it puts.
import type { SignedRecord } from './crypto.js'
import { RecordRefused } from './errors.js'

export interface StorageLimits {
  maxRecords: number
  /** Bytes of keys, subkeys, values and signatures together. */
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

export interface StorageSize {
  keys: number
  records: number
  bytes: number
  writers: number
}

/** The bookkeeping bytes one record costs besides its strings and value (an estimate). */
const RECORD_OVERHEAD = 96

function recordBytes(record: SignedRecord): number {
  return RECORD_OVERHEAD + record.key.length * 2 + record.subkey.length * 2 + record.value.length + record.signature.length
}

/** A min-heap of expirations; entries that no longer match a stored record are skipped when popped. */
class ExpiryQueue {
  private readonly heap: Array<{ expiration: number; record: SignedRecord }> = []

  push(record: SignedRecord): void {
    const heap = this.heap
    heap.push({ expiration: record.expiration, record })
    for (let i = heap.length - 1; i > 0;) {
      const parent = (i - 1) >> 1
      if (heap[parent]!.expiration <= heap[i]!.expiration) break
      ;[heap[parent], heap[i]] = [heap[i]!, heap[parent]!]
      i = parent
    }
  }

  /** Removes and returns the earliest entry if it expires at or before `now`. */
  popDue(now: number): SignedRecord | undefined {
    const heap = this.heap
    if (heap.length === 0 || heap[0]!.expiration > now) return undefined
    const top = heap[0]!
    const last = heap.pop()!
    if (heap.length > 0) {
      heap[0] = last
      for (let i = 0; ;) {
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
    return top.record
  }
}

export class RecordStorage {
  readonly limits: StorageLimits
  private readonly byKey = new Map<string, Map<string, SignedRecord>>()
  private readonly perWriter = new Map<string, number>()
  private readonly expiry = new ExpiryQueue()
  private records = 0
  private bytes = 0

  constructor(limits: Partial<StorageLimits> = {}) {
    this.limits = { ...DEFAULT_STORAGE_LIMITS, ...limits }
  }

  /**
   * Keeps `record`, replacing the writer's own record under the key when this one expires later.
   * Returns false when the very same record is already held. Throws RecordRefused when it is
   * older than the held one or a bound would be exceeded.
   */
  put(record: SignedRecord, now = Date.now()): boolean {
    this.purge(now)
    const held = this.byKey.get(record.key)?.get(record.subkey)
    if (held !== undefined) {
      if (held.expiration === record.expiration && sameBytes(held.signature, record.signature)) return false
      if (held.expiration >= record.expiration) {
        throw new RecordRefused('DHT_STALE', `${record.subkey} already has a record under ${record.key} expiring at or after this one`)
      }
    }
    const size = recordBytes(record)
    const freed = held === undefined ? 0 : recordBytes(held)
    if (held === undefined && this.records >= this.limits.maxRecords) {
      throw new RecordRefused('DHT_STORAGE_FULL', `storage holds its maximum of ${this.limits.maxRecords} records`)
    }
    if (this.bytes - freed + size > this.limits.maxBytes) {
      throw new RecordRefused('DHT_STORAGE_FULL', `storage would exceed its maximum of ${this.limits.maxBytes} bytes`)
    }
    const writerCount = this.perWriter.get(record.subkey) ?? 0
    if (held === undefined && writerCount >= this.limits.maxPerWriter) {
      throw new RecordRefused('DHT_WRITER_LIMIT', `${record.subkey} already has ${writerCount} records here, the most one writer may have`)
    }
    let subkeys = this.byKey.get(record.key)
    if (subkeys === undefined) {
      subkeys = new Map()
      this.byKey.set(record.key, subkeys)
    }
    subkeys.set(record.subkey, record)
    if (held === undefined) {
      this.records++
      this.perWriter.set(record.subkey, writerCount + 1)
    }
    this.bytes += size - freed
    this.expiry.push(record)
    return true
  }

  /** The live records under `key`. */
  get(key: string, now = Date.now()): SignedRecord[] {
    const subkeys = this.byKey.get(key)
    if (subkeys === undefined) return []
    return [...subkeys.values()].filter((r) => r.expiration > now)
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
    for (let record = this.expiry.popDue(now); record !== undefined; record = this.expiry.popDue(now)) {
      const subkeys = this.byKey.get(record.key)
      // A replaced record stays queued; only the one still held is dropped.
      if (subkeys?.get(record.subkey) !== record) continue
      subkeys.delete(record.subkey)
      if (subkeys.size === 0) this.byKey.delete(record.key)
      this.records--
      this.bytes -= recordBytes(record)
      const left = (this.perWriter.get(record.subkey) ?? 1) - 1
      if (left === 0) this.perWriter.delete(record.subkey)
      else this.perWriter.set(record.subkey, left)
      dropped++
    }
    return dropped
  }

  size(): StorageSize {
    return { keys: this.byKey.size, records: this.records, bytes: this.bytes, writers: this.perWriter.size }
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i])
}
