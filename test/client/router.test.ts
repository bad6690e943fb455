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

/** A small seeded generator (mulberry32), so that shares are the same on every run. */
function seeded(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Routes `requests` requests, 4 at a time, to hosters whose real time to first token and speed are `real`. */
function share(real: Record<string, { ttftMs: number; tokensPerSecond: number }>, claims: Record<string, number>, requests = 200): Map<string, number> {
  const random = seeded(7)
  const router = new Router({ random })
  const candidates = Object.keys(real).map((p) => hoster(p, claims[p]))
  const served = new Map<string, number>()
  const inFlight: Array<{ peer: string; end: () => void }> = []
  for (let i = 0; i < requests; i++) {
    const pick = router.pick(candidates)!.peerId
    served.set(pick, (served.get(pick) ?? 0) + 1)
    inFlight.push({ peer: pick, end: router.begin(pick) })
    if (inFlight.length === 4) {
      const done = inFlight.shift()!
      const r = real[done.peer]
      // What the client measures, with a little noise.
      router.recordServed(done.peer, { ttftMs: r.ttftMs * (0.9 + 0.2 * random()) })
      router.recordServed(done.peer, { ttftMs: r.ttftMs, tokensPerSecond: r.tokensPerSecond * (0.9 + 0.2 * random()) })
      done.end()
    }
  }
  return served
}

test('a lying heartbeat (1e9 tokens/s) gets no more than its measured share', () => {
  const equal = { liar: { ttftMs: 120, tokensPerSecond: 30 }, honest: { ttftMs: 120, tokensPerSecond: 30 } }
  const claims = { liar: 1e9, honest: 30 }
  const sameSpeed = share(equal, claims)
  // As fast as the honest one in truth: about half, not 199 of 200.
  assert.ok(sameSpeed.get('liar')! <= 0.6 * 200, `liar served ${sameSpeed.get('liar')} of 200`)
  assert.ok(sameSpeed.get('honest')! >= 0.4 * 200)
  // Slower in truth: less than half, whatever it claims.
  const slower = share({ liar: { ttftMs: 400, tokensPerSecond: 10 }, honest: { ttftMs: 120, tokensPerSecond: 30 } }, claims)
  assert.ok(slower.get('liar')! < 0.5 * 200, `the slower liar served ${slower.get('liar')} of 200`)
})
