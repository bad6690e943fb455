// `npm run bench -- audits [--requests N] [--tokens N] [--only <words>] [--save-served <file>]
// [--audit-served <file>] [--json]`: the calibration of audits (docs/reliability.md, "Audits"). One set of float weights is written as F16, Q8_0 and Q4_0
// (the test-model writer's fromFloats); answers served by one engine are audited by another
// (the committed model, on a context with other threads and batch size, as other hardware
// would run it). For each scenario and temperature: the share of audited requests that fail,
// the share of output positions whose seeded draw differs, and the audited requests needed to
// catch the hoster with 99% probability. `--save-served` writes the served transcripts to a file and
// `--audit-served` audits a file's transcripts instead of serving: so that answers served by one
// process (one CPU variant of llama.cpp) are audited by another.
import { readFileSync, writeFileSync } from 'node:fs'
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
  const only = stringOption(args, '--only') ?? ''
  const saveServed = stringOption(args, '--save-served')
  const auditServed = stringOption(args, '--audit-served')
  const given = auditServed === undefined ? undefined : readServed(auditServed)
  const served: ServedRecord[] = []
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
      const auditor = await engine(scenario.committed, 'auditor')
      for (const temperature of TEMPERATURES) {
        const records = given?.filter((r) => r.scenario === scenario.name && r.temperature === temperature).map((r) => r.record) ??
          await serve(await engine(scenario.served, 'server'), requests, tokens, temperature)
        if (records.length === 0) continue
        served.push(...records.map((record) => ({ scenario: scenario.name, temperature, record })))
        let failed = 0
        let positions = 0
        let mismatches = 0
        let worst = 0
        for (const record of records) {
          const audit = await auditor.scoreTokens(record)
          const verdict = judgeAudit({ transcriptSha256: new Uint8Array(32), auditor: self, hoster: self, model: '', timeMs: 0, positions: audit }, temperature)
          if (verdict.failed) failed++
          positions += verdict.positions
          mismatches += verdict.mismatches
          worst = Math.max(worst, verdict.mismatches / verdict.positions)
        }
        const failRate = failed / records.length
        rows.push({
          scenario: scenario.name, temperature, requests: records.length, failRate: round(failRate), mismatchedPositions: round(mismatches / positions),
          worstRequestMismatch: round(worst), requestsToCatch99: toCatch(failRate),
        })
      }
    }
  } finally {
    for (const e of engines.values()) await e.close()
  }
  if (saveServed !== undefined) writeFileSync(saveServed, JSON.stringify(served))
  return { tokensPerRequest: tokens, audited: auditServed ?? 'served here', rows }
}

/** A served answer kept for another process to audit. */
interface ServedRecord { scenario: string; temperature: number; record: GenerationRecord }

async function serve(server: LlamaEngine, requests: number, tokens: number, temperature: number): Promise<GenerationRecord[]> {
  const records: GenerationRecord[] = []
  for (let i = 0; i < requests; i++) {
    for await (const c of server.generate({ input: { prompt: `calibration prompt number ${i}: tell me something` }, maxTokens: tokens, temperature })) {
      if (c.record !== undefined) records.push(c.record)
    }
  }
  return records
}

function readServed(file: string): ServedRecord[] {
  const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'))
  if (!Array.isArray(parsed)) throw new Error(`--audit-served ${file}: not a list of served records (write one with --save-served)`)
  return parsed as ServedRecord[]
}

function stringOption(args: string[], name: string): string | undefined {
  const at = args.indexOf(name)
  if (at < 0) return undefined
  const value = args[at + 1]
  if (value === undefined || value.startsWith('--')) throw new Error(`${name} needs a value`)
  return value
}
