import { test } from 'node:test'
import assert from 'node:assert/strict'
import { EpochReports, formatReport, reportToJSON } from '../../src/consensus/epoch-report.js'

test('reports are kept for the last epochs only, oldest first', () => {
  const reports = new EpochReports(3)
  for (let e = 1; e <= 5; e++) reports.of(e).events.push({ at: 0, block: e, progress: 0, what: `epoch ${e}` })
  assert.deepEqual(reports.all().map((r) => r.epoch), [3, 4, 5])
  assert.equal(reports.get(2), undefined)
  assert.equal(reports.of(4).events[0]!.what, 'epoch 4')
})

test('a report shows as plain JSON, bigints as decimal strings', () => {
  const reports = new EpochReports()
  const report = reports.of(7)
  report.submission = { chainEpoch: 8, proposerNodeId: 2, entries: [{ nodeId: 1, score: 10n ** 18n }] }
  assert.deepEqual(reportToJSON(report), {
    epoch: 7,
    events: [],
    submission: { chainEpoch: 8, proposerNodeId: 2, entries: [{ nodeId: 1, score: '1000000000000000000' }] },
  })
})

test('a report reads as text: challenge, records, scores, submission, events', () => {
  const report = new EpochReports().of(3)
  report.challenge = { seed: '0123456789abcdef'.repeat(4), tokens: new Array(32).fill(1), modelId: 'ab', fromElected: false, ignored: ['X'] }
  report.records = { hosterCommits: ['A', 'B'], hosterReveals: ['A'], validatorCommits: [], validatorReveals: [] }
  report.scores = {
    hosters: [{ peerId: 'A', verdict: 'valid', distance: 0.001, raw: 0.98, score: 0.4 }, { peerId: 'B', verdict: 'no-reveal', raw: 0, score: 0, reason: 'no reveal stored' }],
    validators: [],
    entries: [],
    computedAtBlock: 12,
    digest: 'ab'.repeat(32),
    ignored: ['validator-reveal_epoch_3: C wrote a hoster commit in epoch 3, so it is a hoster there'],
  }
  report.submission = { chainEpoch: 4, proposerNodeId: 2, entries: [], sameRecords: false, fetched: 1, matches: false, differences: 'node 1: proposed score 6, own 5 (Δ 1)', attestations: 1, validatorCount: 6 }
  report.events.push({ at: 0, block: 70, progress: 0.1, what: 'committed the output' })
  assert.equal(formatReport(report), [
    'epoch 3',
    '  challenge: 32 tokens derived from block hash 0123456789abcdef…, none stored by the elected validator; ignored 1 other stored challenge(s)',
    '  records: 2 hoster commits, 1 reveals; 0 validator commits, 0 reveals',
    '  record set abababababababab…, scored against the median',
    '  ignored validator-reveal_epoch_3: C wrote a hoster commit in epoch 3, so it is a hoster there',
    '  A: valid score=0.400000 d=0.00100',
    '  B: no-reveal score=0.000000 (no reveal stored)',
    '  submission in epoch 4 by node 2: 0 entries, 1/6 attested, another record set (1 fetched by subkey), differs: node 1: proposed score 6, own 5 (Δ 1)',
    '  [block 70, 10%] committed the output',
  ].join('\n'))
})
