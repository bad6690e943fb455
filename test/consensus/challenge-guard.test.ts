import { test } from 'node:test'
import assert from 'node:assert/strict'
import { ChallengeGuard } from '../../src/consensus/challenge-guard.js'

test("the guard knows the current epoch's challenges, and requests that begin with one", () => {
  const guard = new ChallengeGuard()
  assert.equal(guard.carriesChallenge([1, 2, 3]), false)
  guard.add(5, [1, 2, 3])
  guard.add(5, [7, 8, 9])
  assert.ok(guard.carriesChallenge([1, 2, 3]))
  assert.ok(guard.carriesChallenge([7, 8, 9, 10]))
  assert.ok(!guard.carriesChallenge([1, 2]))
  assert.ok(!guard.carriesChallenge([0, 1, 2, 3]))
})

test('a newer epoch replaces the older challenges; an older one is ignored', () => {
  const guard = new ChallengeGuard()
  guard.add(5, [1, 2, 3])
  guard.add(6, [4, 5, 6])
  assert.ok(!guard.carriesChallenge([1, 2, 3]))
  assert.ok(guard.carriesChallenge([4, 5, 6]))
  guard.add(5, [1, 2, 3])
  assert.ok(!guard.carriesChallenge([1, 2, 3]))
})
