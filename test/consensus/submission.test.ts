import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { NodeClass, SubnetNode } from '../../src/chain/chain.js'
import { scoreHosters, scoreValidators } from '../../src/consensus/scoring.js'
import { buildEntries, toChainScore } from '../../src/consensus/submission.js'
import { hosterRecords, peer, validatorRecords } from './fixtures.js'

function node(id: number, peerId: string, nodeClass: NodeClass): SubnetNode {
  return { id, hotkey: `0x${id}`, coldkey: `0x${id}`, peerId, class: nodeClass, classStartEpoch: 0, stake: 0n, reputation: 1 }
}

test('a chain score is floor(s × 1e18) as an exact integer', () => {
  assert.equal(toChainScore(0), 0n)
  assert.equal(toChainScore(1), 10n ** 18n)
  assert.equal(toChainScore(0.4), 400000000000000000n)
  // the product is taken in doubles: 0.1548063662255562 × 1e18 rounds to 154806366225556224
  assert.equal(toChainScore(0.1548063662255562), 154806366225556224n)
  assert.throws(() => toChainScore(Number.NaN), /not in \[0, 1\]/)
  assert.throws(() => toChainScore(1.01), /not in \[0, 1\]/)
})

test('entries cover Included+ nodes only, by peer id order, with node ids from the chain', () => {
  const hosters = scoreHosters([hosterRecords(peer(3), [1, 0]), hosterRecords(peer(1), [1, 0]), hosterRecords(peer(2), [1, 0]), hosterRecords(peer(9), [1, 0])], 2)
  const validators = scoreValidators([validatorRecords(peer(5), 0, [[peer(1), 1]])], 0)
  const nodes = [node(30, peer(3), 'Validator'), node(10, peer(1), 'Included'), node(20, peer(2), 'Idle'), node(50, peer(5), 'Validator')]
  const entries = buildEntries(hosters, validators, nodes, 1)
  assert.deepEqual(entries, [
    { nodeId: 10, score: 100000000000000000n },
    { nodeId: 30, score: 100000000000000000n },
    { nodeId: 50, score: 600000000000000000n },
  ])
})

test('a class counts only from its start epoch, as the chain judges', () => {
  const hosters = scoreHosters([hosterRecords(peer(1), [1, 0]), hosterRecords(peer(2), [1, 0])], 2)
  const none = scoreValidators([], 0)
  const late = { ...node(2, peer(2), 'Included'), classStartEpoch: 5 }
  assert.deepEqual(buildEntries(hosters, none, [node(1, peer(1), 'Included'), late], 4).map((e) => e.nodeId), [1])
  assert.deepEqual(buildEntries(hosters, none, [node(1, peer(1), 'Included'), late], 5).map((e) => e.nodeId), [1, 2])
})

test('a node scored in both roles gets the sum', () => {
  const hosters = scoreHosters([hosterRecords(peer(1), [1, 0])], 2)
  const validators = scoreValidators([validatorRecords(peer(1), 0, [[peer(1), 1]])], 0)
  assert.deepEqual(buildEntries(hosters, validators, [node(1, peer(1), 'Validator')], 1), [{ nodeId: 1, score: 10n ** 18n }])
})
