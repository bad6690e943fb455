import { test } from 'node:test'
import assert from 'node:assert/strict'
import { ReplayGuard } from '../../src/rpc/replay-guard.js'

test('a nonce is a replay until its time to live passes, per caller', () => {
  let now = 0
  const guard = new ReplayGuard({ ttlMs: 180_000, now: () => now })
  const nonce = Uint8Array.of(1, 2, 3)
  assert.equal(guard.remember('a', nonce), 'fresh')
  assert.equal(guard.remember('a', nonce), 'replay')
  assert.equal(guard.remember('b', nonce), 'fresh')
  now = 179_999
  assert.equal(guard.remember('a', nonce), 'replay')
  now = 180_000
  assert.equal(guard.remember('a', nonce), 'fresh')
  assert.equal(guard.size, 1, 'expired nonces are dropped')
})

test('a full guard refuses instead of forgetting early; forget undoes a remember', () => {
  let now = 0
  const guard = new ReplayGuard({ ttlMs: 1000, maxEntries: 2, now: () => now })
  assert.equal(guard.remember('a', Uint8Array.of(1)), 'fresh')
  assert.equal(guard.remember('a', Uint8Array.of(2)), 'fresh')
  assert.equal(guard.remember('a', Uint8Array.of(3)), 'full')
  assert.equal(guard.remember('a', Uint8Array.of(1)), 'replay')
  guard.forget('a', Uint8Array.of(2))
  assert.equal(guard.remember('a', Uint8Array.of(3)), 'fresh')
  now = 1000
  assert.equal(guard.remember('a', Uint8Array.of(4)), 'fresh')
  assert.equal(guard.size, 1)
})
