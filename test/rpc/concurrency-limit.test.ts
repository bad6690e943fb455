import { test } from 'node:test'
import assert from 'node:assert/strict'
import { ConcurrencyLimit } from '../../src/rpc/concurrency-limit.js'

test('past the limit, holders wait in order and take over freed slots', async () => {
  const limit = new ConcurrencyLimit(2)
  const signal = new AbortController().signal
  const a = await limit.acquire('k', signal)
  const b = await limit.acquire('k', signal)
  await limit.acquire('other', signal)
  const order: string[] = []
  const c = limit.acquire('k', signal).then((free) => { order.push('c'); return free })
  const d = limit.acquire('k', signal).then((free) => { order.push('d'); return free })
  assert.deepEqual(limit.load('k'), { active: 2, waiting: 2 })
  a()
  a() // freeing twice frees once
  const freeC = await c
  assert.deepEqual(order, ['c'])
  assert.deepEqual(limit.load('k'), { active: 2, waiting: 1 })
  b()
  const freeD = await d
  freeC()
  freeD()
  assert.deepEqual(limit.load('k'), { active: 0, waiting: 0 })
})

test('a waiter whose signal aborts leaves the queue with the signal\'s reason', async () => {
  const limit = new ConcurrencyLimit(1)
  const free = await limit.acquire('k', new AbortController().signal)
  const controller = new AbortController()
  const waiting = limit.acquire('k', controller.signal)
  controller.abort(new Error('gave up'))
  await assert.rejects(waiting, /gave up/)
  assert.deepEqual(limit.load('k'), { active: 1, waiting: 0 })
  free()
  await assert.rejects(limit.acquire('k', AbortSignal.abort(new Error('already'))), /already/)
  assert.throws(() => new ConcurrencyLimit(0), RangeError)
})
