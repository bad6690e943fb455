import { test } from 'node:test'
import assert from 'node:assert/strict'
import { setTimeout as sleep } from 'node:timers/promises'
import { BatchRounds } from '../../src/inference/batch-rounds.js'

/** A generation: `steps` evaluations of `decodeMs` each; its caller reads each token when `read` resolves. */
async function generation(rounds: BatchRounds, name: string, log: string[], steps: number, decodeMs: number, read?: Promise<unknown>): Promise<void> {
  for (let i = 0; i < steps; i++) {
    await rounds.step(async () => {
      log.push(name)
      await sleep(decodeMs)
    })
    await read
  }
}

test('concurrent generations ask for their next tokens together, round after round', async () => {
  const rounds = new BatchRounds()
  const log: string[] = []
  // Without rounds the fast one would run ahead: a, a, a, b, ...
  await Promise.all([generation(rounds, 'a', log, 3, 1), generation(rounds, 'b', log, 3, 8), generation(rounds, 'c', log, 3, 20)])
  assert.equal(log.length, 9)
  for (let round = 0; round < 3; round++) assert.deepEqual(log.slice(3 * round, 3 * round + 3).sort(), ['a', 'b', 'c'], log.join(' '))
})

test('a generation whose caller is slow to read joins a later round; the others do not wait for it', async () => {
  const rounds = new BatchRounds()
  const log: string[] = []
  const others = Promise.all([generation(rounds, 'b', log, 4, 2), generation(rounds, 'c', log, 4, 2)])
  // The slow caller reads its first token only after the others are done (were they to wait
  // for it, this would never end).
  await Promise.all([generation(rounds, 'slow', log, 2, 1, others), others])
  assert.deepEqual(log.slice(-1), ['slow'])
  assert.equal(log.filter((n) => n === 'slow').length, 2)
})
