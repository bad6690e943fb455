import { test } from 'node:test'
import assert from 'node:assert/strict'
import { Priority } from '../../src/inference/engine.js'
import { InferenceError } from '../../src/inference/errors.js'
import { SlotQueue } from '../../src/inference/slot-queue.js'

const code = (c: string) => (err: unknown): boolean => err instanceof InferenceError && err.code === c

test('free slots are handed out at once, then by priority and arrival', async () => {
  const q = new SlotQueue(['s'], 8)
  const slot = await q.acquire(Priority.Client)
  const order: string[] = []
  const waits = [
    q.acquire(Priority.Client).then((s) => { order.push('client 1'); q.release(s) }),
    q.acquire(Priority.Client).then((s) => { order.push('client 2'); q.release(s) }),
    q.acquire(Priority.Challenge).then((s) => { order.push('challenge'); q.release(s) }),
  ]
  assert.equal(q.waiting, 3)
  q.release(slot)
  await Promise.all(waits)
  assert.deepEqual(order, ['challenge', 'client 1', 'client 2'])
  assert.equal(q.waiting, 0)
})

test('a full queue refuses clients but lets a challenge take the last client\'s place', async () => {
  const q = new SlotQueue([1], 2)
  const slot = await q.acquire(Priority.Client)
  const first = q.acquire(Priority.Client)
  const second = q.acquire(Priority.Client)
  await assert.rejects(q.acquire(Priority.Client), code('QUEUE_FULL'))
  const challenge = q.acquire(Priority.Challenge)
  await assert.rejects(second, code('QUEUE_FULL'))
  q.release(slot)
  assert.equal(await challenge, 1)
  q.release(1)
  assert.equal(await first, 1)
})

test('an aborted wait leaves the queue; close fails the waiting and the future', async () => {
  const q = new SlotQueue([1], 4)
  await q.acquire(Priority.Client)
  const controller = new AbortController()
  const waiting = q.acquire(Priority.Client, controller.signal)
  controller.abort()
  await assert.rejects(waiting, code('ABORTED'))
  assert.equal(q.waiting, 0)
  await assert.rejects(q.acquire(Priority.Client, controller.signal), code('ABORTED'))
  const pending = q.acquire(Priority.Client)
  q.close(new InferenceError('ENGINE_CLOSED', 'closed'))
  await assert.rejects(pending, code('ENGINE_CLOSED'))
  await assert.rejects(q.acquire(Priority.Challenge), code('ENGINE_CLOSED'))
})

test('clients that ask again as soon as they are served take turns: nobody is served twice while another waits', async () => {
  const q = new SlotQueue(['a', 'b'], 64)
  const turns = new Array<number>(10).fill(0)
  let worstSpread = 0
  await Promise.all(turns.map(async (_, client) => {
    for (let i = 0; i < 20; i++) {
      const slot = await q.acquire(Priority.Client)
      turns[client]++
      worstSpread = Math.max(worstSpread, Math.max(...turns) - Math.min(...turns))
      await new Promise((resolve) => setImmediate(resolve)) // the generation
      q.release(slot)
    }
  }))
  assert.deepEqual(turns, new Array(10).fill(20))
  // Two slots: at any moment the clients' turns differ by at most the two being served.
  assert.ok(worstSpread <= 2, `turns spread to ${worstSpread}`)
})

test('a free slot is chosen by preference when one is given (the sequence holding most of the prompt), else the last released', async () => {
  const q = new SlotQueue(['a', 'b', 'c'], 4)
  const held: Record<string, number> = { a: 5, b: 12, c: 0 }
  const best = await q.acquire(Priority.Client, undefined, (s) => held[s])
  assert.equal(best, 'b')
  assert.equal(await q.acquire(Priority.Client), 'c')
  q.release('b')
  q.release('c')
  assert.equal(await q.acquire(Priority.Client, undefined, (s) => (s === 'a' ? 1 : 0)), 'a')
})
