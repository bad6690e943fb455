import { test } from 'node:test'
import assert from 'node:assert/strict'
import { Refreshed } from '../../src/client/refreshed.js'

test('a reading that fails keeps the last one in use, and the next call reads again', async () => {
  let now = 0
  let reads = 0
  let fail = false
  const reading = new Refreshed(async (last: number | undefined) => {
    reads++
    if (fail) throw new Error('the DHT did not answer')
    return (last ?? 0) + 1
  }, { refreshMs: 1_000, now: () => now })
  assert.equal(await reading.get(), 1)
  fail = true
  now += 2_000
  assert.equal(await reading.get(), 1, 'the last reading while the next one is read')
  await new Promise((r) => setImmediate(r))
  assert.equal(reads, 2)
  assert.equal(await reading.current(), 1, 'a failed reading leaves the last one')
  fail = false
  assert.equal(await reading.get(), 1, 'the failed reading is retried at once, not after the interval')
  assert.equal(reads, 3)
  await new Promise((r) => setImmediate(r))
  assert.equal(await reading.current(), 2, 'the new reading was given the last one')
})

test('the first reading is waited for, and its failure reaches the caller', async () => {
  const reading = new Refreshed<number>(async () => {
    throw new Error('no peers yet')
  }, { refreshMs: 1_000, now: () => 0 })
  await assert.rejects(reading.current(), /no peers yet/)
})

test('a reading older than maxAgeMs is not routed by: the caller waits for the next', async () => {
  let now = 0
  let reads = 0
  const reading = new Refreshed(async () => ++reads, { refreshMs: 1_000, maxAgeMs: 5_000, now: () => now })
  assert.equal(await reading.current(), 1)
  now += 4_000
  assert.equal(await reading.current(), 1, 'within maxAgeMs the last reading is taken as it is')
  assert.equal(reads, 1, 'current() starts no reading while the last is young enough')
  now += 2_000
  assert.equal(await reading.current(), 2, 'past maxAgeMs the next reading is waited for')
})

test('past maxAgeMs, a next reading that fails gives the old one back rather than nothing', async () => {
  let now = 0
  let fail = false
  const reading = new Refreshed(async () => {
    if (fail) throw new Error('the DHT did not answer')
    return 'first'
  }, { refreshMs: 1_000, maxAgeMs: 5_000, now: () => now })
  assert.equal(await reading.current(), 'first')
  fail = true
  now += 10_000
  assert.equal(await reading.current(), 'first')
})
