// Adversaries at scale: 50 hosters and 10 validators in one process (real DHT, signatures, epoch
// game and LocalChain; hosters on DriftEngines), one scenario an epoch, scored against the median
// as every subnet is. Prints a readable table on stderr; the figures are the per-scenario results.
// `npm run bench -- simulation [--hosters 50] [--validators 10] [--scenarios kind:fraction,…] [--json]`
import { cpus, loadavg } from 'node:os'
import { formatResults, fullScenarios, runSimulation, type Scenario, type ScenarioKind } from '../test/consensus/simulation.js'
import { survivingKadDhtAborts } from './lib/kad-dht-aborts.js'

export const description = 'adversaries at scale: 50 hosters + 10 validators, each naive and rational hoster adversary at 10/30/45%, colluding and lying validators'

function flag(args: string[], name: string, fallback: string): string {
  const at = args.indexOf(`--${name}`)
  return at === -1 ? fallback : args[at + 1] ?? fallback
}

export async function run(args: string[]): Promise<Record<string, unknown>> {
  const aborts = survivingKadDhtAborts()
  try {
    return { ...await measure(args), kadDhtAborts: aborts.count() }
  } finally {
    aborts.stop()
  }
}

/** `kind:fraction` pairs, or the full table. */
function scenariosOf(text: string | undefined): Scenario[] {
  if (text === undefined) return fullScenarios()
  return text.split(',').map((item) => {
    const [kind, fraction] = item.split(':')
    const known = [...new Set(fullScenarios().map((s) => s.kind))]
    if (!known.includes(kind as ScenarioKind)) throw new RangeError(`--scenarios: ${kind} is not one of ${known.join(', ')}`)
    return { kind: kind as ScenarioKind, fraction: Number(fraction ?? 0) }
  })
}

async function measure(args: string[]): Promise<Record<string, unknown>> {
  const hosters = Number(flag(args, 'hosters', '50'))
  const validators = Number(flag(args, 'validators', '10'))
  if (!(hosters >= 3 && validators >= 1)) throw new RangeError('--hosters must be at least 3 and --validators at least 1')
  const scenarios = scenariosOf(args.includes('--scenarios') ? flag(args, 'scenarios', '') : undefined)
  const started = Date.now()
  const run = await runSimulation({ hosters, validators, scenarios, progress: (line) => console.error(`  ${line}`) })
  console.error(formatResults(run.results))
  const held = run.results.filter((r) => r.honestAbove === true).length
  const judged = run.results.filter((r) => r.honestAbove !== null).length
  return {
    date: new Date().toISOString(),
    machine: { cpus: cpus().length, model: cpus()[0]?.model, loadavg: loadavg().map((l) => Number(l.toFixed(2))) },
    hosters,
    validators,
    nodes: run.nodes,
    startMs: run.startMs,
    epochs: run.epochs,
    msPerEpoch: run.msPerEpoch,
    wallMs: Date.now() - started,
    honestAboveDishonest: `${held}/${judged}`,
    results: run.results,
  }
}
