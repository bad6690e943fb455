import { test } from 'node:test'
import assert from 'node:assert/strict'
import { drawChallenge, encodeChallenge } from '../../src/consensus/challenge.js'
import { chooseChallenge, includedIds, pairRecords } from '../../src/consensus/epoch-data.js'
import type { DhtRecord } from '../../src/dht/record-store.js'
import type { NodeClass, SubnetNode } from '../../src/chain/chain.js'
import { peer } from './fixtures.js'

const MODEL = 'cd'.repeat(32)
const VOCAB = new Set([1, 2, 3])

function record(writer: string, value: Uint8Array, key = 'consensus-epoch_4'): DhtRecord {
  return { key, subkey: writer, value, expiration: Date.now() + 60_000 }
}

test("hosters take the elected validator's challenge when it is valid", () => {
  const mine = drawChallenge([1, 2, 3], MODEL, 4)
  const other = drawChallenge([1, 2, 3], MODEL, 4)
  const chosen = chooseChallenge([record(peer(1), encodeChallenge(other)), record(peer(5), encodeChallenge(mine))], peer(5), 4, MODEL, VOCAB)
  assert.deepEqual(chosen?.challenge, mine)
  assert.equal(chosen?.writer, peer(5))
  assert.equal(chosen?.fromElected, true)
  assert.equal(chosen?.candidates.length, 2)
})

test('else the valid challenge of the lowest writer peer id; invalid ones never count', () => {
  const valid = drawChallenge([1, 2, 3], MODEL, 4)
  const records = [
    record(peer(9), encodeChallenge(valid)),
    record(peer(2), encodeChallenge(drawChallenge([1, 2, 3], MODEL, 3))), // another epoch
    record(peer(3), encodeChallenge(drawChallenge([1, 2, 3], 'ef'.repeat(32), 4))), // another model
    record(peer(4), encodeChallenge(drawChallenge([7], MODEL, 4))), // outside the vocabulary
    record(peer(5), Uint8Array.from([1, 2, 3])), // malformed
    record(peer(6), encodeChallenge(drawChallenge([1, 2, 3], MODEL, 4))), // the elected's is malformed below
  ]
  records[5]!.value = records[5]!.value.subarray(1)
  const chosen = chooseChallenge(records, peer(6), 4, MODEL, VOCAB)
  assert.equal(chosen?.writer, peer(9))
  assert.equal(chosen?.fromElected, false)
  assert.equal(chooseChallenge(records.slice(1), undefined, 4, MODEL, VOCAB), null)
})

test("commits and reveals pair up by writer, either one may be missing", () => {
  const commit = (i: number) => record(peer(i), Uint8Array.of(i), 'hoster-commit_epoch_1')
  const reveal = (i: number) => record(peer(i), Uint8Array.of(100 + i), 'hoster-reveal_epoch_1')
  const pairs = pairRecords([commit(1), commit(2)], [reveal(2), reveal(3)])
  assert.deepEqual(pairs.map((p) => [p.peerId, p.commit?.[0], p.reveal?.[0]]), [
    [peer(1), 1, undefined],
    [peer(2), 2, 102],
    [peer(3), undefined, 103],
  ])
})

test('Included+ node ids count a class from its start epoch', () => {
  const node = (id: number, nodeClass: NodeClass, classStartEpoch: number): SubnetNode =>
    ({ id, hotkey: '', coldkey: '', peerId: peer(id), class: nodeClass, classStartEpoch, stake: 0n, reputation: 1 })
  const nodes = [node(1, 'Validator', 0), node(2, 'Included', 3), node(3, 'Idle', 0)]
  assert.deepEqual([...includedIds(nodes, 2)], [1])
  assert.deepEqual([...includedIds(nodes, 3)], [1, 2])
})
