import { test } from 'node:test'
import assert from 'node:assert/strict'
import { HosterDirectory } from '../../src/client/hoster-directory.js'
import { encodeHeartbeat } from '../../src/consensus/heartbeat-record.js'
import { heartbeatKey, heartbeatKeys } from '../../src/dht/keys.js'
import type { DhtRecord, RecordStore } from '../../src/dht/record-store.js'

/**
 * A test double of the record store: each read of the heartbeats takes `readMs`, as a quorum read
 * does; a hoster's heartbeat is under its shard's key. `reads` counts readings (of the first shard).
 */
class SlowHeartbeats implements RecordStore {
  reads = 0
  constructor(private readonly readMs: number, public hosters: string[]) {}
  async store(): Promise<never> {
    throw new Error('not used')
  }

  async get(key: string): Promise<DhtRecord[]> {
    assert.ok(heartbeatKeys('hoster').includes(key), `${key} is a hoster heartbeat shard`)
    if (key === heartbeatKeys('hoster')[0]) this.reads++
    const hosters = this.hosters.filter((peer) => heartbeatKey('hoster', peer) === key)
    await new Promise((r) => setTimeout(r, this.readMs))
    return hosters.map((peer) => ({
      key, subkey: peer, expiration: Date.now() + 60_000,
      value: encodeHeartbeat({ role: 'hoster', modelId: 'ab'.repeat(32), modelName: 'm', version: 't', addresses: [], throughput: 1, queueLength: 0 }),
    }))
  }
}

test('a request waits for the first reading of the heartbeats only: later ones are read behind it (the 1.3 s of API time to first token)', async () => {
  const store = new SlowHeartbeats(300, ['a'])
  let now = 1_000_000
  const directory = new HosterDirectory({ records: store }, { refreshMs: 5_000, now: () => now })
  let started = performance.now()
  assert.deepEqual((await directory.all()).map((e) => e.peerId), ['a'])
  assert.ok(performance.now() - started >= 250)
  store.hosters = ['a', 'b']
  now += 6_000 // past the refresh interval: a new reading starts, the last one answers at once
  started = performance.now()
  assert.deepEqual((await directory.all()).map((e) => e.peerId), ['a'])
  assert.ok(performance.now() - started < 100, `waited ${performance.now() - started} ms`)
  assert.equal(store.reads, 2)
  await new Promise((r) => setTimeout(r, 400))
  assert.deepEqual((await directory.all()).map((e) => e.peerId), ['a', 'b'])
  assert.equal(store.reads, 2)
  // A read that misses a hoster whose heartbeat is still live keeps it.
  store.hosters = ['b']
  now += 6_000
  await directory.all()
  await new Promise((r) => setTimeout(r, 400))
  assert.deepEqual((await directory.all()).map((e) => e.peerId).sort(), ['a', 'b'])
})

test('the request path takes the last reading as it is: only refresh() starts the next, when due', async () => {
  const store = new SlowHeartbeats(50, ['a'])
  let now = 1_000_000
  const directory = new HosterDirectory({ records: store }, { refreshMs: 5_000, now: () => now })
  assert.deepEqual((await directory.current()).map((e) => e.peerId), ['a'], 'the first reading is waited for')
  assert.equal(store.reads, 1)
  store.hosters = ['a', 'b']
  now += 6_000
  assert.deepEqual((await directory.current()).map((e) => e.peerId), ['a'])
  assert.equal(store.reads, 1, 'a stale reading is used as it is')
  directory.refresh()
  directory.refresh()
  assert.equal(store.reads, 2, 'one reading started, not two')
  await new Promise((r) => setTimeout(r, 150))
  assert.deepEqual((await directory.current()).map((e) => e.peerId), ['a', 'b'])
  directory.refresh()
  assert.equal(store.reads, 2, 'not due again before the interval')
})
