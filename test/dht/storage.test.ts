import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { SignedRecord } from '../../src/dht/crypto.js'
import { RecordRefused } from '../../src/dht/errors.js'
import type { Receipt } from '../../src/dht/receipt.js'
import { RecordStorage, receiptBytes } from '../../src/dht/storage.js'

function record(key: string, subkey: string, expiration: number, value = new Uint8Array(10), tag = 0): SignedRecord {
  return { key, subkey, value, expiration, signature: new Uint8Array(64).fill(tag) }
}

function refusedWith(code: string) {
  return (err: unknown) => err instanceof RecordRefused && err.code === code
}

describe('dht storage', () => {
  it('keeps one record per writer per key; a later expiration replaces it', () => {
    const storage = new RecordStorage()
    assert.equal(storage.put(record('k', 'a', 2000), 0), true)
    assert.equal(storage.put(record('k', 'b', 2000), 0), true)
    assert.equal(storage.put(record('k', 'a', 3000, new Uint8Array([7]), 1), 0), true)
    assert.deepEqual(storage.get('k', 0).map((r) => [r.subkey, r.expiration]), [['a', 3000], ['b', 2000]])
    assert.equal(storage.size().records, 2)
    // The very same record again is no change; an older or equally old different one is refused.
    assert.equal(storage.put(record('k', 'a', 3000, new Uint8Array([7]), 1), 0), false)
    assert.throws(() => storage.put(record('k', 'a', 2500), 0), refusedWith('DHT_STALE'))
    assert.throws(() => storage.put(record('k', 'a', 3000, new Uint8Array([8]), 2), 0), refusedWith('DHT_STALE'))
  })

  it('expires records on time and releases their bytes', () => {
    const storage = new RecordStorage()
    storage.put(record('k', 'a', 1000), 0)
    storage.put(record('k', 'b', 2000), 0)
    storage.put(record('j', 'a', 1500), 0)
    storage.put(record('k', 'a', 1800, new Uint8Array(10), 1), 0) // replaces; the old queue entry must not drop it
    assert.equal(storage.get('k', 1799).length, 2)
    assert.equal(storage.purge(1000), 0)
    assert.equal(storage.purge(1500), 1)
    assert.deepEqual(storage.size(), { keys: 1, records: 2, bytes: storage.size().bytes, writers: 2, queued: 2 })
    assert.equal(storage.get('k', 1800).length, 1, 'a read never returns an expired record')
    assert.equal(storage.purge(2000), 2)
    assert.deepEqual(storage.size(), { keys: 0, records: 0, bytes: 0, writers: 0, queued: 0 })
  })

  it('bounds records, bytes and records per writer', () => {
    const few = new RecordStorage({ maxRecords: 2 })
    few.put(record('a', 'w1', 1000), 0)
    few.put(record('b', 'w2', 1000), 0)
    assert.throws(() => few.put(record('c', 'w3', 1000), 0), refusedWith('DHT_STORAGE_FULL'))
    few.put(record('a', 'w1', 2000, new Uint8Array(10), 1), 0) // a replacement is not a new record
    assert.equal(few.put(record('c', 'w3', 3000), 1000), true, 'expired records make room')

    const small = new RecordStorage({ maxBytes: 1000 })
    small.put(record('a', 'w1', 1000, new Uint8Array(500)), 0)
    assert.throws(() => small.put(record('b', 'w2', 1000, new Uint8Array(500)), 0), refusedWith('DHT_STORAGE_FULL'))

    const perWriter = new RecordStorage({ maxPerWriter: 2 })
    perWriter.put(record('a', 'w', 1000), 0)
    perWriter.put(record('b', 'w', 1000), 0)
    assert.throws(() => perWriter.put(record('c', 'w', 1000), 0), refusedWith('DHT_WRITER_LIMIT'))
    perWriter.put(record('c', 'other', 1000), 0)
  })

  it('keeps write-once keys write-once: a different value is refused, the same value again is accepted', () => {
    const storage = new RecordStorage({}, { replacement: (key) => (key.startsWith('once') ? 'once' : 'free') })
    assert.equal(storage.put(record('once', 'w', 1000, new Uint8Array([1])), 0), true)
    assert.throws(() => storage.put(record('once', 'w', 2000, new Uint8Array([2]), 1), 0), refusedWith('DHT_WRITE_ONCE'))
    // Re-replication of the same value: accepted, and a later expiration of it is kept.
    assert.equal(storage.put(record('once', 'w', 900, new Uint8Array([1]), 2), 0), false)
    assert.equal(storage.put(record('once', 'w', 1500, new Uint8Array([1]), 3), 0), true)
    assert.deepEqual(storage.get('once', 0).map((r) => [r.expiration, [...r.value]]), [[1500, [1]]])
    assert.equal(storage.refusals.get('DHT_WRITE_ONCE'), 1)
  })

  it('lets a per-block key be replaced once a block', () => {
    let block = 10
    const storage = new RecordStorage({}, { replacement: () => 'per-block', block: () => block })
    storage.put(record('hb', 'w', 1000), 0)
    assert.throws(() => storage.put(record('hb', 'w', 2000, new Uint8Array(10), 1), 0), refusedWith('DHT_TOO_FREQUENT'))
    block = 11
    assert.equal(storage.put(record('hb', 'w', 2000, new Uint8Array(10), 1), 0), true)
    assert.throws(() => storage.put(record('hb', 'w', 3000, new Uint8Array(10), 2), 0), refusedWith('DHT_TOO_FREQUENT'))
    // Another writer of the same block is not limited by the first.
    assert.equal(storage.put(record('hb', 'v', 3000), 0), true)
  })

  it('counts what it still holds, and a refusal when full names the bound', () => {
    const storage = new RecordStorage({ maxBytes: 4096 })
    for (let i = 0; i < 100; i++) storage.put(record('k', 'w', 1000 + i, new Uint8Array(1000), i), 0)
    assert.equal(storage.size().records, 1)
    assert.ok(storage.size().bytes <= 4096)
    assert.throws(() => storage.put(record('j', 'w', 1000, new Uint8Array(3000)), 0), (err: unknown) =>
      err instanceof RecordRefused && err.code === 'DHT_STORAGE_FULL' && /maximum of 4096/.test(err.message))
  })

  it('keeps the receipts a record holds, and counts their bytes', () => {
    // Ed25519 peer ids of 52 characters, as storers are.
    const receipt = (i: number): Receipt => ({ storer: `12D3KooW${String(i).padStart(44, 'x')}`, block: 7, signature: new Uint8Array(64).fill(i) })
    const each = receiptBytes(receipt(0))
    assert.ok(each >= 140, `${each} bytes a receipt`)
    const bare = new RecordStorage()
    bare.put(record('k', 'w', 2000), 0)
    const one = bare.size().bytes
    const vouched = new RecordStorage()
    // A handoff carries up to a replica set's receipts (the storing node's own, and 8 more).
    vouched.put({ ...record('k', 'w', 2000), receipts: Array.from({ length: 9 }, (_, i) => receipt(i)) }, 0)
    assert.equal(vouched.size().bytes - bare.size().bytes, 9 * each)
    const held = vouched.get('k', 0)[0]!
    assert.equal(held.receipts!.length, 9)
    // Receipts learnt later (a read) are added once per storer, and counted.
    assert.equal(vouched.addReceipts('k', 'w', [receipt(3), receipt(9), receipt(10)]), 2)
    assert.equal(vouched.size().bytes - bare.size().bytes, 11 * each)
    // The same value stored again (a later expiration) keeps the receipts it had first; they are counted once.
    assert.equal(vouched.put({ ...record('k', 'w', 3000), receipts: [receipt(0), receipt(12)] }, 0), true)
    assert.deepEqual(vouched.get('k', 0)[0]!.receipts!.map((r) => r.signature[0]), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12])
    bare.put(record('k', 'w', 3000), 0)
    assert.equal(vouched.size().bytes - bare.size().bytes, 12 * each)
    // A receipt that would pass the byte bound is not added.
    const tight = new RecordStorage({ maxBytes: one + each })
    tight.put({ ...record('k', 'w', 2000), receipts: [receipt(0)] }, 0)
    assert.equal(tight.addReceipts('k', 'w', [receipt(1)]), 0)
    assert.equal(tight.size().bytes, one + each)
  })

  it('lists live records key by key', () => {
    const storage = new RecordStorage()
    storage.put(record('a', 'w', 1000), 0)
    storage.put(record('b', 'w', 5000), 0)
    assert.deepEqual([...storage.entries(2000)].map(([key, rs]) => [key, rs.length]), [['b', 1]])
  })
})
