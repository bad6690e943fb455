// `npm run bench -- audits [--requests N] [--tokens N] [--only <words>] [--json]`: the calibration of audits
// (docs/reliability.md, "Audits"). One set of float weights is written as F16, Q8_0 and Q4_0
// (the test-model writer's fromFloats); answers served by one engine are audited by another
// (the committed model, on a context with other threads and batch size, as other hardware
// would run it). For each scenario and temperature: the share of audited requests that fail,
// the share of output positions whose seeded draw differs, and the audited requests needed to
// catch the hoster with 99% probability.
import { judgeAudit } from '../src/inference/audit.js'
import type { GenerationRecord } from '../src/inference/engine.js'
import { testModelFile } from '../src/inference/gguf/test-model-file.js'
import type { TestModelQuant } from '../src/inference/gguf/llama-model.js'
import { type LlamaEngine, openLlamaEngine } from '../src/inference/llama-engine.js'
import { peerIdOf, generateIdentity } from '../src/p2p/keys.js'
import { configureLogging } from '../src/log.js'
import { positiveOption } from './lib/options.js'

export const description = 'audit calibration: honest, another model, Q4_0 served for F16/Q8_0 (failure rates, mismatched positions, requests to catch)'

const TEMPERATURES = [0, 0.8, 1.2]

interface Scenario {
  name: string
  served: { quant: TestModelQuant; seed: number }
  committed: { quant: TestModelQuant; seed: number }
}

const SCENARIOS: Scenario[] = [
  { name: 'honest F16', served: { quant: 'f16', seed: 1 }, committed: { quant: 'f16', seed: 1 } },
  { name: 'honest Q8_0', served: { quant: 'q8_0', seed: 1 }, committed: { quant: 'q8_0', seed: 1 } },
  { name: 'another model (seed 2) for F16', served: { quant: 'f16', seed: 2 }, committed: { quant: 'f16', seed: 1 } },
  { name: 'Q8_0 served for F16', served: { quant: 'q8_0', seed: 1 }, committed: { quant: 'f16', seed: 1 } },
  { name: 'Q4_0 served for F16', served: { quant: 'q4_0', seed: 1 }, committed: { quant: 'f16', seed: 1 } },
  { name: 'Q4_0 served for Q8_0', served: { quant: 'q4_0', seed: 1 }, committed: { quant: 'q8_0', seed: 1 } },
]

const round = (n: number, digits = 3): number => Number(n.toFixed(digits))

/** Audited requests to catch a hoster failing a share `p` of audits, with 99% probability. */
function toCatch(p: number): number | null {
  if (p <= 0) return null
  if (p >= 1) return 1
  return Math.ceil(Math.log(0.01) / Math.log(1 - p))
}

export async function run(args: string[]): Promise<Record<string, unknown>> {
  configureLogging({ level: 'warn' })
  const requests = positiveOption(args, '--requests', 12)
  const tokens = positiveOption(args, '--tokens', 32)
  // Only the scenarios whose name contains this (e.g. `--only honest` for a long false-positive run).
  const only = args.includes('--only') ? args[args.indexOf('--only') + 1] ?? '' : ''
  const engines = new Map<string, LlamaEngine>()
  // Servers and auditors differ in threads and batch (parallel sequences), as hardware does.
  const engine = async (m: { quant: TestModelQuant; seed: number }, role: 'server' | 'auditor') => {
    const key = `${m.quant}-${m.seed}-${role}`
    let e = engines.get(key)
    if (e === undefined) {
      const model = testModelFile({ quant: m.quant, seed: m.seed, fromFloats: true })
      e = await openLlamaEngine({ model, threads: role === 'server' ? 1 : 2, parallel: role === 'server' ? 2 : 1, contextSize: 512 })
      engines.set(key, e)
    }
    return e
  }
  const self = peerIdOf(await generateIdentity())
  const rows: Array<Record<string, unknown>> = []
  try {
    for (const scenario of SCENARIOS.filter((x) => x.name.includes(only))) {
      const server = await engine(scenario.served, 'server')
      const auditor = await engine(scenario.committed, 'auditor')
      for (const temperature of TEMPERATURES) {
        let failed = 0
        let positions = 0
        let mismatches = 0
        let worst = 0
        for (let i = 0; i < requests; i++) {
          let record: GenerationRecord | undefined
          for await (const c of server.generate({ input: { prompt: `calibration prompt number ${i}: tell me something` }, maxTokens: tokens, temperature })) {
            record ??= c.record
          }
          const audit = await auditor.scoreTokens(record!)
          const verdict = judgeAudit({ transcriptSha256: new Uint8Array(32), auditor: self, hoster: self, model: '', timeMs: 0, positions: audit }, temperature)
          if (verdict.failed) failed++
          positions += verdict.positions
          mismatches += verdict.mismatches
          worst = Math.max(worst, verdict.mismatches / verdict.positions)
        }
        const failRate = failed / requests
        rows.push({
          scenario: scenario.name, temperature, requests, failRate: round(failRate), mismatchedPositions: round(mismatches / positions),
          worstRequestMismatch: round(worst), requestsToCatch99: toCatch(failRate),
        })
      }
    }
  } finally {
    for (const e of engines.values()) await e.close()
  }
  return { tokensPerRequest: tokens, rows }
}
