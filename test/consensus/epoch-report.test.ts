import { test } from 'node:test'
import assert from 'node:assert/strict'
import { EpochReports, reportToJSON } from '../../src/consensus/epoch-report.js'

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
