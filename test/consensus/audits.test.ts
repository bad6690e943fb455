import { test } from 'node:test'
import assert from 'node:assert/strict'
import { auditQuorum, auditRecordValidator, encodeAuditRecord } from '../../src/consensus/audits.js'
import { RecordRefused } from '../../src/dht/errors.js'
import { AUDIT_THRESHOLDS, mismatchThreshold } from '../../src/inference/audit.js'
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

test('a coalition withholding confirmations blocks one exactly when it is half or more of the other hosters', () => {
  // n other hosters, k of them never confirming: the n - k others confirm (test/client/audits.test.ts plays it).
  for (let n = 1; n <= 64; n++) {
    for (let k = 0; k <= n; k++) assert.equal(n - k >= auditQuorum(n), 2 * k < n, `${k} of ${n} withholding`)
  }
})

test('the mismatches that fail an audit: what drift explains with probability under 1e-5, exactly', () => {
  const sampled = AUDIT_THRESHOLDS.sampledDrift
  const greedy = AUDIT_THRESHOLDS.greedyDrift
  const alpha = AUDIT_THRESHOLDS.falsePositive
  assert.deepEqual([1, 7, 8, 16, 32, 128].map((n) => mismatchThreshold(n, sampled, alpha)), [2, 7, 8, 11, 16, 39])
  assert.deepEqual([1, 4, 5, 7, 16, 32, 128].map((n) => mismatchThreshold(n, greedy, alpha)), [2, 5, 5, 6, 8, 11, 23])
})

test('storing nodes keep only well-formed failing evidence under hoster-audit keys', async () => {
  const validator = auditRecordValidator()
  const record = (value: Uint8Array, key = 'hoster-audit_epoch_3') => ({ key, subkey: peer(0), value, expiration: Date.now() + 1000, signature: new Uint8Array(64) })
  const refused = (err: unknown) => err instanceof RecordRefused && err.code === 'DHT_BAD_RECORD'
  await assert.rejects(async () => validator.validate(record(Uint8Array.of(0xff, 0xff)), context), refused)
  await assert.rejects(async () => validator.validate(record(encodeAuditRecord([])), context), refused)
  // Other keys are not its business.
  await validator.validate(record(Uint8Array.of(1), 'hoster'), context)
})

const context = { subnetId: 1, now: Date.now(), sender: peer(0), handoff: false }
