import { test } from 'node:test'
import assert from 'node:assert/strict'
import { encodeReveal, makeCommit } from '../../src/consensus/commit.js'
import { encodeTensor } from '../../src/inference/tensor.js'
import { HOSTER_SHARE, scoreHosters, scoreValidators, VALIDATOR_SHARE, type PeerRecords, type RoleScores } from '../../src/consensus/scoring.js'
import { hosterRecords, peer, validatorRecords, vector } from './fixtures.js'

function bits(scores: RoleScores): string {
  return scores.peers.map((p) => `${p.peerId}:${Buffer.from(new Float64Array([p.raw, p.score]).buffer).toString('hex')}`).join(',')
}

function shuffled<T>(items: T[], seed: number): T[] {
  const out = [...items]
  let x = seed + 1
  for (let i = out.length - 1; i > 0; i--) {
    x = (x * 1103515245 + 12345) % 2 ** 31
    const j = x % (i + 1)
    ;[out[i], out[j]] = [out[j], out[i]]
  }
  return out
}

function sum(scores: RoleScores): number {
  return scores.peers.reduce((a, p) => a + p.score, 0)
}

test('hoster scores match the formula computed by hand', () => {
  const records = [hosterRecords(peer(0), [1, 0]), hosterRecords(peer(1), [1, 0]), hosterRecords(peer(2), [1, 0.375])]
  const scores = scoreHosters(records, 2)
  const [a, b, c] = scores.peers
  // m = the coordinate-wise median = [1, 0]; d = ‖o − m‖ / ‖m‖; s = 1 / (1 + d / 0.05)
  assert.equal(a.distance, 0)
  assert.equal(c.distance, 0.375)
  assert.equal(a.raw, 1)
  assert.ok(Math.abs(c.raw - 1 / 8.5) < 1e-15)
  // normalized to 0.4: 0.4 / (2 + 1/8.5) and 0.4 × (1/8.5) / (2 + 1/8.5)
  assert.ok(Math.abs(a.score - 0.18888888888888888) < 1e-15)
  assert.equal(a.score, b.score)
  assert.ok(Math.abs(c.score - 0.022222222222222223) < 1e-15)
  assert.deepEqual([...scores.reference], [1, 0])
})

test('validator scores match the formula computed by hand, on the union of hosters', () => {
  // v3 leaves hoster 0 out (counts as 0): vectors [1, 0.5], [1, 0.5], [0, 0.5]; median [1, 0.5]
  const records = [
    validatorRecords(peer(10), 4, [[peer(0), 1], [peer(1), 0.5]]),
    validatorRecords(peer(11), 4, [[peer(0), 1], [peer(1), 0.5]]),
    validatorRecords(peer(12), 4, [[peer(1), 0.5]]),
  ]
  const scores = scoreValidators(records, 4)
  const [a, , c] = scores.peers
  assert.equal(a.distance, 0)
  assert.ok(Math.abs(c.distance! - 1 / Math.sqrt(1.25)) < 1e-15)
  assert.ok(Math.abs(a.score - 0.29226347262627933) < 1e-15)
  assert.ok(Math.abs(c.score - 0.015473054747441374) < 1e-15)
  assert.ok(Math.abs(sum(scores) - VALIDATOR_SHARE) < 1e-15)
})

test('scores are identical to the bit whatever order the records arrive in', () => {
  const hosters = Array.from({ length: 40 }, (_, i) => hosterRecords(peer(i), vector(7, 256, 1e-3 * (i % 5), 1 + i * 1e-6)))
  const first = bits(scoreHosters(hosters, 256))
  for (let seed = 0; seed < 20; seed++) assert.equal(bits(scoreHosters(shuffled(hosters, seed), 256)), first)

  const validators = Array.from({ length: 8 }, (_, i) =>
    validatorRecords(peer(100 + i), 1, Array.from({ length: 30 }, (_, h) => [peer(h), ((h * 7 + i) % 13) / 13] as [string, number])),
  )
  const firstV = bits(scoreValidators(validators, 1))
  for (let seed = 0; seed < 20; seed++) assert.equal(bits(scoreValidators(shuffled(validators, seed), 1)), firstV)
})

test('hoster scores sum to 0.4, validator scores to 0.6, and honest drift keeps s ≥ 0.86', () => {
  const hosters = Array.from({ length: 10 }, (_, i) => hosterRecords(peer(i), vector(i, 512, 1e-3)))
  const scores = scoreHosters(hosters, 512)
  assert.ok(Math.abs(sum(scores) - HOSTER_SHARE) < 1e-15)
  for (const p of scores.peers) assert.ok(p.raw >= 0.86, `raw ${p.raw}`)
  const validators = [validatorRecords(peer(50), 0, [[peer(1), 0.9]]), validatorRecords(peer(51), 0, [[peer(1), 0.8]])]
  assert.ok(Math.abs(sum(scoreValidators(validators, 0)) - VALIDATOR_SHARE) < 1e-15)
})

test('every kind of invalid reveal scores 0, and honest hosters stay ranked above them', () => {
  const dim = 64
  const honest = [0, 1, 2, 3].map((i) => hosterRecords(peer(i), vector(i, dim, 1e-4)))
  const other = makeCommit(peer(5), encodeTensor(vector(9, dim)))
  const mismatched = hosterRecords(peer(10), vector(10, dim, 1e-4))
  const nonFinite = vector(11, dim)
  nonFinite[3] = Number.NaN
  const records: PeerRecords[] = [
    ...honest,
    { peerId: peer(4) }, // nothing at all
    { peerId: peer(5), commit: other.commit }, // never reveals
    { peerId: peer(6), reveal: encodeReveal(other.reveal) }, // reveal without a commit
    { peerId: peer(7), commit: other.commit.subarray(0, 31), reveal: encodeReveal(other.reveal) },
    { peerId: peer(8), commit: other.commit, reveal: encodeReveal(other.reveal).subarray(1) },
    { peerId: peer(9), ...(() => { const c = makeCommit(peer(9), encodeTensor(vector(9, dim + 1))); return { commit: c.commit, reveal: encodeReveal(c.reveal) } })() },
    { peerId: peer(10), commit: hosterRecords(peer(10), vector(12, dim)).commit, reveal: mismatched.reveal },
    hosterRecords(peer(11), nonFinite),
    { peerId: peer(12), ...(() => { const c = makeCommit(peer(12), Uint8Array.from([1, 2, 3])); return { commit: c.commit, reveal: encodeReveal(c.reveal) } })() },
  ]
  const verdicts = Object.fromEntries(scoreHosters(records, dim).peers.map((p) => [p.peerId, [p.verdict, p.score]]))
  const expect: Array<[number, string]> = [
    [4, 'no-commit'], [5, 'no-reveal'], [6, 'no-commit'], [7, 'malformed-commit'], [8, 'malformed-reveal'],
    [9, 'malformed-payload'], [10, 'reveal-mismatch'], [11, 'not-finite'], [12, 'malformed-payload'],
  ]
  for (const [i, verdict] of expect) assert.deepEqual(verdicts[peer(i)], [verdict, 0], `peer ${i}`)
  for (const i of [0, 1, 2, 3]) {
    assert.equal(verdicts[peer(i)][0], 'valid')
    assert.ok((verdicts[peer(i)][1] as number) > 0.09)
  }
})

test('a wrong model, random data and a copied reveal score below every honest hoster', () => {
  const dim = 128
  const honest = [0, 1, 2, 3, 4].map((i) => hosterRecords(peer(i), vector(1, dim, 1e-3)))
  const otherModel = hosterRecords(peer(5), vector(1, dim, 0, 1.7))
  const random = hosterRecords(peer(6), vector(99, dim, 1, 0))
  // A copier stores the victim's reveal under its own commit, or copies the victim's commit and
  // reveal both: the salt is bound to the writer, so neither opens under the copier's peer id.
  const copiedReveal: PeerRecords = { peerId: peer(7), commit: hosterRecords(peer(7), vector(1, dim)).commit, reveal: honest[0].reveal }
  const copiedBoth: PeerRecords = { peerId: peer(8), commit: honest[1].commit, reveal: honest[1].reveal }
  const scores = scoreHosters([...honest, otherModel, random, copiedReveal, copiedBoth], dim)
  const minHonest = Math.min(...scores.peers.slice(0, 5).map((p) => p.score))
  for (const p of scores.peers.slice(5)) assert.ok(p.score < minHonest, `${p.peerId} ${p.score} ≥ ${minHonest}`)
  assert.ok(scores.peers[5].raw < 0.1, `wrong model raw ${scores.peers[5].raw}`)
  assert.equal(scores.peers[7].verdict, 'reveal-mismatch')
  assert.equal(scores.peers[8].verdict, 'reveal-mismatch')
})

test('validators: wrong epoch, bad payload and missing reveal are invalid; an outlier scores lowest', () => {
  const honest = [[peer(0), 0.9], [peer(1), 0.88]] as Array<[string, number]>
  const records = [
    validatorRecords(peer(20), 3, honest),
    validatorRecords(peer(21), 3, honest),
    validatorRecords(peer(22), 3, [[peer(0), 0], [peer(1), 1]]),
    validatorRecords(peer(23), 2, honest),
    hosterRecords(peer(24), [1, 2]),
    { peerId: peer(25), commit: validatorRecords(peer(25), 3, honest).commit },
  ]
  const scores = scoreValidators(records, 3)
  const byPeer = Object.fromEntries(scores.peers.map((p) => [p.peerId, p]))
  assert.equal(byPeer[peer(23)].verdict, 'wrong-epoch')
  assert.equal(byPeer[peer(24)].verdict, 'malformed-payload')
  assert.equal(byPeer[peer(25)].verdict, 'no-reveal')
  assert.ok(byPeer[peer(22)].score < byPeer[peer(20)].score)
  assert.ok(byPeer[peer(22)].score > 0)
  assert.equal(byPeer[peer(20)].score, byPeer[peer(21)].score)
})

test('no valid reveal gives all zeros; one peer listed twice is refused', () => {
  const none = scoreHosters([{ peerId: peer(0) }, { peerId: peer(1), commit: new Uint8Array(32) }], 4)
  assert.deepEqual(none.peers.map((p) => p.score), [0, 0])
  assert.throws(() => scoreHosters([{ peerId: peer(0) }, { peerId: peer(0) }], 4), /appears twice/)
})
