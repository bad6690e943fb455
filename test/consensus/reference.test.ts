import { test } from 'node:test'
import assert from 'node:assert/strict'
import { medianReference } from '../../src/consensus/reference.js'
import { scoreHosters } from '../../src/consensus/scoring.js'
import { DriftEngine } from './drift-engine.js'
import { hosterRecords, peer } from './fixtures.js'

/** A small seeded generator (mulberry32) in [0, 1). */
function random(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function bitsOf(v: Float64Array): string {
  return Buffer.from(v.buffer).toString('hex')
}

test('the median of each coordinate: the middle value, or the mean of the two middle ones', () => {
  assert.deepEqual([...medianReference([[1, 5, -2], [3, 1, -2], [2, 9, 7]], 3)], [2, 5, -2])
  assert.deepEqual([...medianReference([[1], [4], [2], [10]], 1)], [3])
  assert.deepEqual([...medianReference([[0.5, -1]], 2)], [0.5, -1])
  assert.deepEqual([...medianReference([], 2)], [0, 0])
})

test('the median is the same doubles whatever the order of the vectors', () => {
  const next = random(7)
  const vectors = Array.from({ length: 24 }, () => Float32Array.from({ length: 33 }, () => next() * 2 - 1))
  const expected = bitsOf(medianReference(vectors, 33))
  for (let seed = 1; seed < 6; seed++) {
    const order = random(seed)
    const shuffled = [...vectors].sort(() => order() - 0.5)
    assert.equal(bitsOf(medianReference(shuffled, 33)), expected)
  }
})

test('fewer than half of outliers, however far, keep every coordinate of the median within the honest values', () => {
  const next = random(11)
  const dim = 16
  const truth = Array.from({ length: dim }, () => next() * 2 - 1)
  const honest = Array.from({ length: 11 }, () => Float32Array.from(truth, (t) => t + (next() - 0.5) * 1e-3))
  for (const outliers of [1, 5, 10]) {
    for (const scale of [1, 1e3, 1e9]) {
      const bad = Array.from({ length: outliers }, () => Float32Array.from({ length: dim }, () => (next() * 2 - 1) * scale))
      // The same outlier for every bad output (colluders) is the hardest case for the mean.
      const colluding = Array.from({ length: outliers }, () => Float32Array.from({ length: dim }, () => scale))
      for (const outputs of [bad, colluding]) {
        const median = medianReference([...honest, ...outputs], dim)
        for (let j = 0; j < dim; j++) {
          const column = honest.map((h) => h[j]!)
          assert.ok(median[j]! >= Math.min(...column) && median[j]! <= Math.max(...column), `coordinate ${j}: ${median[j]} with ${outliers} outliers at ${scale}`)
        }
      }
    }
  }
})

test('scoring against the median: 2 of 5 outputs far off cannot bring the honest scores down', () => {
  const records = [
    ...[0, 1, 2].map((i) => hosterRecords(peer(i), [1, 2, 3 + i * 1e-4])),
    hosterRecords(peer(3), [100, -50, 7]),
    hosterRecords(peer(4), [100, -50, 7]),
  ]
  const scores = scoreHosters(records, 3)
  for (const p of scores.peers.slice(0, 3)) assert.ok(p.raw > 0.99, `honest raw ${p.raw} against the median`)
  for (const p of scores.peers.slice(3)) assert.ok(p.raw < 0.01)
})

/** Hidden states of `count` nodes running `model`, each with its own hardware drift (1e-3), for one challenge. */
async function outputs(model: string, count: number, from = 0): Promise<Float32Array[]> {
  const tokens = Array.from({ length: 32 }, (_, i) => 3 + i)
  return Promise.all(Array.from({ length: count }, (_, i) =>
    new DriftEngine({ modelSeed: model, nodeSeed: `node-${from + i}`, nEmbd: 64 }).hiddenState(tokens)))
}

test('one finite 1e30 output moves no honest score by more than 1%', async () => {
  const honest = await outputs('subnet-model', 8)
  const before = scoreHosters(honest.map((o, i) => hosterRecords(peer(i), o)), 64)
  const outlier = new Float32Array(64).fill(1e30)
  assert.ok(Number.isFinite(outlier[0]!), '1e30 is a finite float32')
  const after = scoreHosters([...honest, outlier].map((o, i) => hosterRecords(peer(i), o)), 64)
  assert.equal(after.peers[8]!.verdict, 'valid')
  assert.ok(after.peers[8]!.raw < 1e-20, `the outlier's raw score ${after.peers[8]!.raw}`)
  for (let i = 0; i < 8; i++) {
    const [b, a] = [before.peers[i]!.raw, after.peers[i]!.raw]
    assert.ok(b > 0.9, `honest ${i} scores ${b} without the outlier`)
    assert.ok(Math.abs(a - b) / b < 0.01, `honest ${i}: raw ${b} → ${a} with the outlier`)
  }
})

test('3 of 9 registrations on another model, the most their stake buys: every honest hoster stays above them', async () => {
  const honest = await outputs('subnet-model', 6)
  const other = await outputs('another-model', 3, 6)
  const scores = scoreHosters([...honest, ...other].map((o, i) => hosterRecords(peer(i), o)), 64)
  const lowestHonest = Math.min(...scores.peers.slice(0, 6).map((p) => p.score))
  const highestOther = Math.max(...scores.peers.slice(6).map((p) => p.score))
  assert.ok(lowestHonest > highestOther, `lowest honest ${lowestHonest}, highest on another model ${highestOther}`)
  // The median stays among the honest outputs: their scores hardly move, the others' are near 0.
  for (const p of scores.peers.slice(0, 6)) assert.ok(p.raw > 0.9, `honest raw ${p.raw}`)
  for (const p of scores.peers.slice(6)) assert.ok(p.raw < 0.1, `other model raw ${p.raw}`)
})
