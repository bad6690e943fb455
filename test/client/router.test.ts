import { test } from 'node:test'
import assert from 'node:assert/strict'
import { Router } from '../../src/client/router.js'

const hoster = (peerId: string, throughput: number, queueLength = 0) => ({ peerId, throughput, queueLength })

test('picks the lowest expected time to first token', () => {
  const router = new Router({ random: () => 0 })
  router.recordRtt('near', 2)
  router.recordRtt('far', 80)
  assert.equal(router.pick([hoster('far', 30), hoster('near', 30)])?.peerId, 'near')
  // A long queue outweighs a short round trip.
  assert.equal(router.pick([hoster('far', 30), hoster('near', 30, 5)])?.peerId, 'far')
  // A hoster that has served nothing yet counts its queue as slow, but an idle one is worth a try.
  assert.equal(router.pick([hoster('new', 0, 1), hoster('far', 30, 1)])?.peerId, 'far')
  assert.equal(router.pick([hoster('new', 0), hoster('far', 30)])?.peerId, 'new')
})

test('spreads requests over equal hosters by counting its own in-flight requests', () => {
  const router = new Router()
  const hosters = [hoster('a', 30), hoster('b', 30), hoster('c', 30)]
  const ends: Array<() => void> = []
  const chosen = new Set<string>()
  for (let i = 0; i < 3; i++) {
    const pick = router.pick(hosters)!
    chosen.add(pick.peerId)
    ends.push(router.begin(pick.peerId))
  }
  assert.equal(chosen.size, 3)
  ends.forEach((end) => { end(); end() }) // ending twice counts once
  assert.equal(router.expectedWaitMs(hosters[0]), 50)
})

test('failed hosters are banned with a doubling backoff, and forgiven on success', () => {
  let now = 0
  const router = new Router({ banMs: 1000, maxBanMs: 3000, now: () => now })
  const hosters = [hoster('a', 30), hoster('b', 10)]
  router.recordRtt('a', 1)
  assert.equal(router.failed('a'), 1000)
  assert.equal(router.pick(hosters)?.peerId, 'b')
  now = 1000
  assert.equal(router.pick(hosters)?.peerId, 'a')
  assert.equal(router.failed('a'), 2000)
  assert.equal(router.failed('a'), 3000) // capped
  assert.ok(router.isBanned('a'))
  router.succeeded('a')
  assert.ok(!router.isBanned('a'))
  assert.equal(router.failed('a'), 1000)
  assert.equal(router.pick(hosters, new Set(['b'])), undefined)
})
