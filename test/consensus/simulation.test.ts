// The simulation harness, small: 12 hosters and 4 validators on DriftEngines play the naive
// adversaries' hardest cases, each rational adversary of PROTOCOL v2 at 30%, and audit cheaters
// at 45% (served answers on llama.cpp with the tiny test model, simulation-audits.ts). The bench
// (bench/simulation.ts) plays the full table.
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { formatResults, runSimulation } from './simulation.js'

describe('adversaries in a simulated subnet', { timeout: 60 * 60_000 }, () => {
  it('neither naive nor rational adversaries bring honest nodes down, split them or stop attestation', async () => {
    const run = await runSimulation({
      hosters: 12,
      validators: 4,
      scenarios: [
        { kind: 'wrong-model', fraction: 0.45 },
        { kind: 'colluding-validators', fraction: 0.25 },
        { kind: 'outlier', fraction: 0.3 },
        { kind: 'identity-multiplier', fraction: 0.3 },
        { kind: 'lying-replica', fraction: 0.3 },
        { kind: 'boundary-copier', fraction: 0.3 },
        { kind: 'late-injector', fraction: 0.3 },
        { kind: 'audit-cheater', fraction: 0.45 },
      ],
      progress: (line) => console.error(`  simulation: ${line}`),
    })
    console.error(formatResults(run.results))
    const [wrongModel, colluding] = run.results
    assert.ok(wrongModel !== undefined && colluding !== undefined)
    for (const result of run.results) {
      assert.notEqual(result.honestAbove, false, `${result.scenario}: lowest honest ${result.lowestHonest}, highest dishonest ${result.highestDishonest} (${JSON.stringify(result.dishonestVerdicts)})`)
      assert.equal(result.honestValid, true, `${result.scenario}: an honest node's reveal did not count`)
      assert.equal(result.agreed, true, `${result.scenario}: honest nodes disagree (${result.attested} attested, ${result.refused} refused)`)
      assert.ok(result.attestationRatio !== null && result.attestationRatio >= 0.66, `${result.scenario}: attestation ratio ${result.attestationRatio}`)
    }
    assert.equal(wrongModel.dishonest, 5)
    assert.deepEqual(wrongModel.dishonestVerdicts, { valid: 5 })
    // Against the median the 5 of 12 barely move the reference; against the mean the honest would
    // score about 0.1 (their distance to a mean pulled 5/12 of the way to the other model).
    assert.ok(wrongModel.lowestHonest > 0.9, `lowest honest hoster ${wrongModel.lowestHonest}`)
    assert.ok(wrongModel.highestDishonest! < 0.1)
    // They pass the challenge: only their confirmed audit failures (by the 7 honest hosters; the
    // validators cannot re-run, so they only tally) put them under every honest hoster.
    const cheaters = run.results.find((r) => r.kind === 'audit-cheater')!
    assert.equal(cheaters.dishonest, 5)
    assert.deepEqual(cheaters.dishonestVerdicts, { 'audit-failed': 5 })
    assert.equal(cheaters.highestDishonest, 0)
    assert.equal(cheaters.audits?.zeroed, 5, JSON.stringify(cheaters.audits))
    assert.equal(colluding.dishonest, 1)
    assert.ok(colluding.lowestHonest > 0.9, `lowest honest validator ${colluding.lowestHonest}`)
  })
})
