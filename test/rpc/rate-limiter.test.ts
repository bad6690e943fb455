import { test } from 'node:test'
import assert from 'node:assert/strict'
import { RateLimiter } from '../../src/rpc/rate-limiter.js'

test('a peer gets its burst, then the sustained rate', () => {
  let now = 0
  const limiter = new RateLimiter({ perSecond: 10, burst: 3 }, { now: () => now })
  assert.deepEqual([1, 2, 3, 4].map(() => limiter.take('a')), [true, true, true, false])
  assert.equal(limiter.take('b'), true, 'buckets are per peer')
  now = 100
  assert.equal(limiter.take('a'), true)
  assert.equal(limiter.take('a'), false)
  now = 10_000
  assert.deepEqual([1, 2, 3, 4].map(() => limiter.take('a')), [true, true, true, false], 'refills up to the burst only')
})

test('memory stays bounded by maxPeers', () => {
  let now = 0
  const limiter = new RateLimiter({ perSecond: 1, burst: 1 }, { maxPeers: 2, now: () => now })
  assert.equal(limiter.take('a'), true)
  assert.equal(limiter.take('b'), true)
  assert.equal(limiter.take('c'), true)
  assert.equal((limiter as unknown as { buckets: Map<string, unknown> }).buckets.size, 2)
  now = 5000
  assert.equal(limiter.take('d'), true)
})

test('nonsense limits are refused', () => {
  assert.throws(() => new RateLimiter({ perSecond: 0, burst: 1 }), RangeError)
  assert.throws(() => new RateLimiter({ perSecond: 1, burst: 0 }), RangeError)
})
