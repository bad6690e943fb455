import { test } from 'node:test'
import assert from 'node:assert/strict'
import { meanReference, medianReference, REFERENCES } from '../../src/consensus/reference.js'
import { scoreHosters } from '../../src/consensus/scoring.js'
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
  assert.deepEqual([...meanReference([[1], [4], [2], [10]], 1)], [4.25])
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
  // The mean is not robust: one outlier moves it as far as it likes.
  const one = Float32Array.from({ length: dim }, () => 1e9)
  assert.ok(Math.abs(meanReference([...honest, one], dim)[0]! - truth[0]!) > 1e6)
})

test('scoring against the median: 2 of 5 outputs far off cannot bring the honest scores down', () => {
  const records = [
    ...[0, 1, 2].map((i) => hosterRecords(peer(i), [1, 2, 3 + i * 1e-4])),
    hosterRecords(peer(3), [100, -50, 7]),
    hosterRecords(peer(4), [100, -50, 7]),
  ]
  const median = scoreHosters(records, 3, { tau: 0.05, reference: REFERENCES.median })
  const mean = scoreHosters(records, 3, { tau: 0.05, reference: REFERENCES.mean })
  for (const p of median.peers.slice(0, 3)) assert.ok(p.raw > 0.99, `honest raw ${p.raw} against the median`)
  for (const p of median.peers.slice(3)) assert.ok(p.raw < 0.01)
  for (const p of mean.peers.slice(0, 3)) assert.ok(p.raw < 0.1, `honest raw ${p.raw} against the mean`)
})
