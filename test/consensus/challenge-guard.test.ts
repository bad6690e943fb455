import { test } from 'node:test'
import assert from 'node:assert/strict'
import { ChallengeGuard } from '../../src/consensus/challenge-guard.js'

test("the guard knows the current epoch's challenges, each once", () => {
  const guard = new ChallengeGuard()
  assert.deepEqual(guard.challenges(), [])
  guard.add(5, [1, 2, 3])
  guard.add(5, [7, 8, 9])
  guard.add(5, [1, 2, 3])
  assert.deepEqual(guard.challenges(), [[1, 2, 3], [7, 8, 9]])
})

test('a newer epoch replaces the older challenges; an older one is ignored', () => {
  const guard = new ChallengeGuard()
  guard.add(5, [1, 2, 3])
  guard.add(6, [4, 5, 6])
  assert.deepEqual(guard.challenges(), [[4, 5, 6]])
  guard.add(5, [1, 2, 3])
  assert.deepEqual(guard.challenges(), [[4, 5, 6]])
})
