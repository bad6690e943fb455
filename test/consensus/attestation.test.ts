import { test } from 'node:test'
import assert from 'node:assert/strict'
import { churnedNodes, compareEntries, describeDifferences } from '../../src/consensus/attestation.js'

const e = (nodeId: number, score: bigint) => ({ nodeId, score })

test('the same set of entries in any order matches', () => {
  const c = compareEntries([e(2, 5n), e(1, 7n)], [e(1, 7n), e(2, 5n)], new Set())
  assert.deepEqual(c, { matches: true, differences: [] })
  assert.equal(describeDifferences(c.differences), 'no differences')
})

test('a score off by one unit does not match, and says exactly where', () => {
  const c = compareEntries([e(1, 7n), e(2, 6n)], [e(1, 7n), e(2, 5n)], new Set([2]))
  assert.equal(c.matches, false)
  assert.deepEqual(c.differences, [{ nodeId: 2, kind: 'score', proposed: 6n, own: 5n }])
  assert.equal(describeDifferences(c.differences), 'node 2: proposed score 6, own 5 (Δ 1)')
})

test('an entry present on one side only matches only when the node churned at the boundary', () => {
  const extra = compareEntries([e(1, 7n), e(3, 1n)], [e(1, 7n)], new Set())
  assert.equal(extra.matches, false)
  assert.match(describeDifferences(extra.differences), /node 3: proposed \(score 1\) but absent from own data$/)
  const tolerated = compareEntries([e(1, 7n), e(3, 1n)], [e(1, 7n), e(4, 2n)], new Set([3, 4]))
  assert.equal(tolerated.matches, true)
  assert.equal(tolerated.differences.length, 2)
  assert.match(describeDifferences(tolerated.differences), /node 4: own score 2 but absent from the proposal \(tolerated/)
})

test('a node proposed twice never matches', () => {
  const c = compareEntries([e(1, 7n), e(1, 7n)], [e(1, 7n)], new Set())
  assert.equal(c.matches, false)
  assert.equal(describeDifferences(c.differences), 'node 1: proposed 2 times')
})

test('churned nodes are those whose membership changed between epochs or during the boundary', () => {
  const churned = churnedNodes([e(1, 1n), e(2, 1n)], [e(2, 1n), e(3, 1n)], new Set([2, 3, 5]), new Set([2, 3, 6]))
  assert.deepEqual([...churned].sort(), [1, 3, 5, 6])
})
