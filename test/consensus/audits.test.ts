import { test } from 'node:test'
import assert from 'node:assert/strict'
import { auditQuorum } from '../../src/consensus/audits.js'
import { DEFAULT_SCORING, HOSTER_SHARE, scoreHosters } from '../../src/consensus/scoring.js'
import { hosterRecords, peer, vector } from './fixtures.js'

test('a confirmed audit failure zeroes the hoster\'s score; the others share the hosters\' part', () => {
  const records = [0, 1, 2].map((i) => hosterRecords(peer(i), vector(1, 64, 0.001 * (i + 1))))
  const before = scoreHosters(records, 64)
  assert.ok(before.peers.every((p) => p.score > 0))
  const after = scoreHosters(records, 64, DEFAULT_SCORING, new Set([peer(1)]))
  const failed = after.peers.find((p) => p.peerId === peer(1))!
  assert.equal(failed.verdict, 'audit-failed')
  assert.equal(failed.score, 0)
  assert.ok(Math.abs(after.peers.reduce((s, p) => s + p.score, 0) - HOSTER_SHARE) < 1e-12)
})

test('confirmations needed: a majority of the other nodes', () => {
  assert.deepEqual([1, 2, 3, 4, 5, 8].map(auditQuorum), [1, 2, 2, 3, 3, 5])
})
