import { test } from 'node:test'
import assert from 'node:assert/strict'
import { deriveChallenge, encodeChallenge } from '../../src/consensus/challenge.js'
import { checkStoredChallenge, includedIds, pairRecords } from '../../src/consensus/epoch-data.js'
import type { DhtRecord } from '../../src/dht/record-store.js'
import type { NodeClass, SubnetNode } from '../../src/chain/chain.js'
import { peer } from './fixtures.js'

const MODEL = 'cd'.repeat(32)

function record(writer: string, value: Uint8Array, key = 'consensus-epoch_4'): DhtRecord {
  return { key, subkey: writer, value, expiration: Date.now() + 60_000 }
}

const SEED = new Uint8Array(32).fill(9)
const derived = deriveChallenge(SEED, 1, 4, MODEL, [1, 2, 3])

test("the elected validator's stored challenge counts when it is the derivation", () => {
  const check = checkStoredChallenge([record(peer(5), encodeChallenge(derived)), record(peer(1), encodeChallenge(derived))], derived, peer(5))
  assert.deepEqual(check, { fromElected: true, ignored: [] })
})

test('a stored challenge that differs from the derivation is ignored, whoever wrote it; none stored: the derivation is run all the same', () => {
  const other = (changes: Partial<typeof derived>) => encodeChallenge({ ...derived, ...changes })
  const records = [
    record(peer(6), other({ tokens: [...derived.tokens.slice(1), derived.tokens[0] === 1 ? 2 : 1] })), // the elected's, other tokens
    record(peer(2), other({ epoch: 3 })), // another epoch
    record(peer(3), other({ modelId: 'ef'.repeat(32) })), // another model
    record(peer(4), encodeChallenge(deriveChallenge(new Uint8Array(32), 1, 4, MODEL, [1, 2, 3]))), // another seed
    record(peer(5), Uint8Array.from([1, 2, 3])), // malformed
  ]
  assert.deepEqual(checkStoredChallenge(records, derived, peer(6)), { fromElected: false, ignored: [2, 3, 4, 5, 6].map(peer).sort() })
  assert.deepEqual(checkStoredChallenge([], derived, peer(6)), { fromElected: false, ignored: [] })
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
