// Adversaries at scale: one subnet of many nodes in one process (subnet-harness.ts: the real
// LocalChain, real libp2p hosts and DHT, real signatures, the real epoch game), hosters running
// DriftEngines. One swarm plays one scenario an epoch: the behaviours of the nodes switch at the
// epoch boundary (each adversary looks up what it is in the epoch its record or call belongs to).
// Used by test/consensus/simulation.test.ts (small) and bench/simulation.ts (50 + 10 nodes).
import { performance } from 'node:perf_hooks'
import type { ConsensusEntry } from '../../src/chain/chain.js'
import type { PeerScore, Verdict } from '../../src/consensus/scoring.js'
import { epochKey, parseKey } from '../../src/dht/keys.js'
import { alteringChain, boundaryCopier, copier, identityMultiplier, lateInjector, LateRevealStore, lyingEngine, lyingReplica, madeUpScores, mismatchedReveal, tamperingStore, type Tamper } from './adversaries.js'
import { DriftEngine, uniformsOf } from './drift-engine.js'
import { type AuditRound, SimulatedAudits } from './simulation-audits.js'
import { EPOCH_LENGTH, TestSubnet, type NodeSpec, type TestNode } from './subnet-harness.js'

/** Naive hoster adversaries, then the rational ones of PROTOCOL v2 (each exploit of its review). */
export const HOSTER_ADVERSARIES = [
  'wrong-model', 'random', 'copier', 'late', 'mismatched-reveal',
  'outlier', 'boundary-copier', 'identity-multiplier', 'lying-replica', 'late-injector',
  // Lying replicas that hide only the others' records: where they hold 4 of a key's 8 replicas, the honest score 0 and they do not.
  'hiding-coalition',
  // Answers the challenge honestly and serves clients another model: caught by audits (simulation-audits.ts).
  'audit-cheater',
] as const
export type HosterAdversary = (typeof HOSTER_ADVERSARIES)[number]
export type ScenarioKind = 'honest' | HosterAdversary | 'colluding-validators' | 'lying-elected'

/** What one epoch plays: `fraction` of the hosters (or of the validators, when they collude) are dishonest. */
export interface Scenario {
  kind: ScenarioKind
  fraction: number
}

export interface SimulationOptions {
  hosters: number
  validators: number
  scenarios: Scenario[]
  /** Width of the hidden states (default 64). */
  nEmbd?: number
  /** Honest drift relative to the true vector (default 1e-3). */
  noise?: number
  /** Blocks per epoch (default 10). */
  epochLength?: number
  /** Seeds the chain's election draw (default 'simulation'). */
  seed?: string
  /** Called with a line of progress now and then. */
  progress?: (line: string) => void
}

export interface ScenarioResult {
  scenario: string
  kind: ScenarioKind
  /** The epoch whose scores the scenario is judged on. */
  epoch: number
  honest: number
  dishonest: number
  /** Lowest raw score s = 1 / (1 + d/τ) of an honest node of the judged role, and highest of a dishonest one. */
  lowestHonest: number
  highestDishonest: number | null
  /**
   * Every honest node of the role scored above every dishonest one (null: nobody dishonest was
   * scored, or the adversary hosts honestly and attacks the store: a lying replica).
   */
  honestAbove: boolean | null
  /** Every honest node of the role was scored on a valid reveal (none hidden, none dropped). */
  honestValid: boolean
  /** Verdicts of the dishonest nodes' outputs, counted. */
  dishonestVerdicts: Partial<Record<Verdict, number>>
  /** Every honest node computed the same entries, and every honest attestor made the same decision. */
  agreed: boolean
  /** Honest attestors that attested, and that refused, the submission of the judged scores. */
  attested: number
  refused: number
  /** Attestations ÷ Validator-class nodes of that submission (null: nothing was submitted). */
  attestationRatio: number | null
  /** Records the honest reader read and did not count (a writer not a node's own peer id, a hoster's validator records). */
  ignoredRecords: number
  /** Late reveals the storing nodes refused. */
  lateRefused?: number
  /**
   * A lying-replica or hiding-coalition scenario: how many of the 8 replicas of the epoch's hoster-commit and
   * hoster-reveal keys were liars (4 of 8 hide every record of a key: a quorum is 5).
   */
  liarReplicas?: { commit: number; reveal: number }
  /** An audit-cheater scenario's round of audits, and the hosters the judged scores zeroed for a confirmed failure. */
  audits?: AuditRound & { zeroed: number }
}

export interface SimulationRun {
  nodes: number
  startMs: number
  epochs: number
  msPerEpoch: number
  results: ScenarioResult[]
}

export function scenarioName(s: Scenario): string {
  return s.kind === 'honest' || s.kind === 'lying-elected' ? s.kind : `${s.kind} ${Math.round(s.fraction * 100)}%`
}

/** The role a scenario's dishonest nodes have, and the epoch after `epoch` whose scores judge it. */
function judged(kind: ScenarioKind): { role: 'hoster' | 'validator'; offset: number } {
  // A validator's commit of epoch e is revealed, and scored, in epoch e + 1.
  return kind === 'colluding-validators' ? { role: 'validator', offset: 1 } : { role: 'hoster', offset: 0 }
}

const SUBNET_MODEL = 'subnet-model'

export async function runSimulation(options: SimulationOptions): Promise<SimulationRun> {
  const nEmbd = options.nEmbd ?? 64
  const noise = options.noise ?? 1e-3
  const log = options.progress ?? (() => {})
  const subnetEngine = new DriftEngine({ modelSeed: SUBNET_MODEL, nodeSeed: 'reader', nEmbd, noise })
  const otherModel = new DriftEngine({ modelSeed: 'another-model', nodeSeed: 'shared', nEmbd, noise })

  // Filled in once the subnet runs; every adversary asks it which epoch the chain is in.
  let subnet: TestSubnet | undefined
  let slot = 0
  const epochLength = options.epochLength ?? EPOCH_LENGTH
  const epochNow = (): number => {
    if (subnet === undefined) throw new Error('the simulation has not started')
    return Math.floor((subnet.block - slot) / epochLength)
  }
  let firstEpoch = Number.POSITIVE_INFINITY
  const scenarioAt = (epoch: number): Scenario | undefined => options.scenarios[epoch - firstEpoch]
  const dishonestCount = (s: Scenario, role: 'hoster' | 'validator'): number =>
    judged(s.kind).role !== role || s.kind === 'honest' || s.kind === 'lying-elected' ? 0 : Math.floor(s.fraction * (role === 'hoster' ? options.hosters : options.validators))
  /** What node `index` of `role` is in `epoch` ('honest' or the scenario's kind). */
  const behaviour = (role: 'hoster' | 'validator', index: number, epoch: number): ScenarioKind => {
    const s = scenarioAt(epoch)
    return s !== undefined && index < dishonestCount(s, role) ? s.kind : 'honest'
  }

  /** Hosters that may play `kind` in some scenario of the run (the first ones, as `behaviour` picks them). */
  const mayPlay = (kind: ScenarioKind, index: number): boolean =>
    options.scenarios.some((s) => s.kind === kind && index < dishonestCount(s, 'hoster'))
  /** Honest hosters in `epoch`: the reveals a copier waits for. */
  const honestHosters = (epoch: number): number => options.hosters - (scenarioAt(epoch) === undefined ? 0 : dishonestCount(scenarioAt(epoch)!, 'hoster'))
  const hosterSpec = (index: number): NodeSpec => {
    const honest = new DriftEngine({ modelSeed: SUBNET_MODEL, nodeSeed: `hoster-${index}`, nEmbd, noise })
    let lastOutput: Float32Array | undefined
    const engine = lyingEngine(honest, honest.model, async (tokens) => {
      const kind = behaviour('hoster', index, epochNow())
      if (kind === 'wrong-model' || kind === 'identity-multiplier') lastOutput = await otherModel.hiddenState(tokens)
      else if (kind === 'random') lastOutput = Float32Array.from(uniformsOf(`random-${index}|${tokens.join(',')}`, nEmbd), (u) => u * 2 - 1)
      else if (kind === 'outlier') lastOutput = new Float32Array(nEmbd).fill(1e30) // finite, as far as a float32 goes
      else lastOutput = await honest.hiddenState(tokens)
      return lastOutput
    })
    const kindOf = (key: string): ScenarioKind => {
      const parsed = parseKey(key)
      return parsed === null || parsed.kind === 'heartbeat' ? 'honest' : behaviour('hoster', index, parsed.epoch)
    }
    return {
      role: 'hoster',
      engine,
      aliases: mayPlay('identity-multiplier', index),
      dht: (dht, self) => {
        const kind = (epoch: number) => behaviour('hoster', index, epoch)
        // A coalition member hides the records of every writer outside the coalition.
        const outsider = (writer: string, epoch: number) => {
          const node = self.subnet.nodes.find((n) => n.peerId === writer)
          return node === undefined || node.spec.role !== 'hoster' || behaviour('hoster', node.index, epoch) !== 'hiding-coalition'
        }
        lyingReplica(dht, self.peerId, (epoch) => kind(epoch) === 'lying-replica' || kind(epoch) === 'hiding-coalition',
          (writer, epoch) => kind(epoch) === 'lying-replica' ? writer !== self.peerId : outsider(writer, epoch))
      },
      store: (inner, self) => {
        const late = new LateRevealStore(inner, (epoch) => epochNow() > epoch, (epoch) => behaviour('hoster', index, epoch) === 'late')
        lateStores.push(late)
        const victim = () => self.subnet.nodes[options.hosters - 1]!.peerId // the last hoster is always honest
        const copy = copier(inner, victim)
        const boundary = boundaryCopier(inner, self.peerId, nEmbd, honestHosters)
        const injectors = () => self.subnet.nodes.filter((n) => n.spec.role === 'hoster' && behaviour('hoster', n.index, epochNow()) === 'late-injector').map((n) => n.dht.dht)
        const inject = lateInjector(inner, self, nEmbd, honestHosters, injectors)
        const multiply = identityMultiplier(self, () => lastOutput)
        const tamper: Tamper = async (key, value, expiration) => {
          switch (kindOf(key)) {
            case 'copier': return copy(key, value, expiration)
            case 'mismatched-reveal': return mismatchedReveal(key, value, expiration)
            case 'boundary-copier': return boundary(key, value, expiration)
            case 'late-injector': return inject(key, value, expiration)
            case 'identity-multiplier': return multiply(key, value, expiration)
            default: return value
          }
        }
        return tamperingStore(late, tamper)
      },
      chain: (chain) => alteringChain(chain, () => scenarioAt(epochNow() - 1)?.kind === 'lying-elected'),
    }
  }
  const validatorSpec = (index: number): NodeSpec => ({
    role: 'validator',
    // Colluders reveal the same made-up scores: seeded by the epoch, not by the colluder.
    store: (inner, self) => madeUpScores(inner, self.peerId, (epoch) => {
      if (behaviour('validator', index, epoch) !== 'colluding-validators') return null
      const hosters = self.subnet.nodes.filter((n) => n.spec.role === 'hoster').map((n) => n.peerId).sort()
      const made = uniformsOf(`collusion-${epoch}`, hosters.length)
      return hosters.map((peerId, i) => [peerId, made[i]!])
    }),
    chain: (chain) => alteringChain(chain, () => scenarioAt(epochNow() - 1)?.kind === 'lying-elected'),
  })
  const lateStores: LateRevealStore[] = []

  const specs = [
    ...Array.from({ length: options.hosters }, (_, i) => hosterSpec(i)),
    ...Array.from({ length: options.validators }, (_, i) => validatorSpec(i)),
  ]
  const started = performance.now()
  log(`starting ${specs.length} nodes`)
  subnet = await TestSubnet.start(specs, subnetEngine, {
    epochLength,
    seed: options.seed ?? 'simulation',
    // Blocks come by hand and may take long on a loaded machine: records live by the wall clock.
    blockTimeMs: 600_000,
    onNodeStarted: (n, of) => { if (n % 10 === 0 || n === of) log(`${n}/${of} nodes up after ${Math.round((performance.now() - started) / 1000)} s`) },
    onConnected: () => log(`every pair of nodes connected after ${Math.round((performance.now() - started) / 1000)} s`),
  })
  const startMs = performance.now() - started
  let audits: SimulatedAudits | undefined
  const auditRounds = new Map<number, AuditRound>()
  try {
    slot = (await subnet.epochInfo()).slot
    // The first scenario plays in the next whole epoch.
    firstEpoch = (await subnet.untilEpochStart())
    const hosters = subnet.nodes.slice(0, options.hosters)
    const validators = subnet.nodes.slice(options.hosters)
    const last = firstEpoch + options.scenarios.length - 1
    if (options.scenarios.some((s) => s.kind === 'audit-cheater')) {
      audits = await SimulatedAudits.start(subnet, hosters, validators, (index, epoch) => behaviour('hoster', index, epoch) === 'audit-cheater')
    }
    const playing = performance.now()
    // Two epochs after the last: its validators are scored in the next, and their scores submitted in the one after.
    for (let epoch = firstEpoch; epoch <= last + 2; epoch++) {
      // At the epoch's start, before any record of it is scored: clients audit every hoster, hosters confirm failures.
      if (audits !== undefined && scenarioAt(epoch)?.kind === 'audit-cheater') {
        const round = await audits.round(epoch)
        auditRounds.set(epoch, round)
        log(`epoch ${epoch}: ${round.audited} answers audited, ${round.failed} failed, ${round.published} published, ${round.rerun} re-run, ${round.confirmed} confirmations, ${round.errors} errors`)
      }
      await subnet.until(epoch + 1, 0)
      log(`epoch ${epoch} done${scenarioAt(epoch) === undefined ? '' : ` (${scenarioName(scenarioAt(epoch)!)})`} after ${Math.round((performance.now() - playing) / 1000)} s`)
    }
    await subnet.until(last + 3, 0.2)
    const msPerEpoch = (performance.now() - playing) / (last + 3 - firstEpoch + 0.2)

    const results: ScenarioResult[] = []
    for (const [i, scenario] of options.scenarios.entries()) {
      const epoch = firstEpoch + i
      const { role, offset } = judged(scenario.kind)
      const group = role === 'hoster' ? hosters : validators
      const bad = group.slice(0, dishonestCount(scenario, role))
      const liar = scenario.kind === 'lying-elected' ? await proposerOf(subnet, epoch + 1) : undefined
      results.push({
        scenario: scenarioName(scenario),
        kind: scenario.kind,
        ...(scenario.kind === 'late' ? { lateRefused: lateStores.reduce((n, s) => n + s.refused.filter((e) => e === epoch).length, 0) } : {}),
        ...(auditRounds.has(epoch) ? { audits: { ...auditRounds.get(epoch)!, zeroed: zeroedFor(subnet, epoch) } } : {}),
        ...(scenario.kind === 'lying-replica' || scenario.kind === 'hiding-coalition' ? { liarReplicas: await liarReplicas(subnet.nodes.at(-1)!, epoch, new Set(bad.map((n) => n.peerId))) } : {}),
        ...await judge(subnet, epoch + offset, role, bad, liar, scenario.kind),
      })
    }
    return {
      nodes: specs.length,
      startMs: Math.round(startMs),
      epochs: last + 3 - firstEpoch,
      msPerEpoch: Math.round(msPerEpoch),
      results,
    }
  } finally {
    await subnet.close()
    await audits?.close()
  }
}

/** Liars among the replica sets of `epoch`'s hoster keys, as `node` places them. */
async function liarReplicas(node: TestNode, epoch: number, liars: Set<string>): Promise<{ commit: number; reveal: number }> {
  const count = async (kind: 'hoster-commit' | 'hoster-reveal') => (await node.dht.dht.replicaSet(epochKey(kind, epoch))).filter((p) => liars.has(p)).length
  return { commit: await count('hoster-commit'), reveal: await count('hoster-reveal') }
}

/** Hosters whose score of `epoch` a confirmed audit failure zeroed, as the last node computed them. */
function zeroedFor(subnet: TestSubnet, epoch: number): number {
  return subnet.nodes.at(-1)!.game.reports.get(epoch)?.scores?.hosters.filter((p) => p.verdict === 'audit-failed').length ?? 0
}

async function proposerOf(subnet: TestSubnet, chainEpoch: number): Promise<TestNode | undefined> {
  const submission = await subnet.reader.consensusSubmission(subnet.subnetId, chainEpoch)
  return subnet.nodes.find((n) => n.nodeId === submission?.validatorId)
}

/** Adversaries that run the model honestly and attack the store instead: judged by `honestValid`, not by rank. */
const HOSTS_HONESTLY: readonly ScenarioKind[] = ['lying-replica', 'hiding-coalition']

type Ranking = Pick<ScenarioResult, 'honestValid' | 'honest' | 'dishonest' | 'lowestHonest' | 'highestDishonest' | 'honestAbove' | 'dishonestVerdicts'>

/** Honest against dishonest nodes of `role` in `scores`. */
function rank(scores: Record<'hosters' | 'validators', PeerScore[]>, role: 'hoster' | 'validator', dishonest: Set<string>, bad: TestNode[], kind: ScenarioKind): Ranking {
  const peers = role === 'hoster' ? scores.hosters : scores.validators
  const roleHonest = peers.filter((p) => !dishonest.has(p.peerId))
  const roleBad = peers.filter((p) => bad.some((n) => n.peerId === p.peerId))
  const lowestHonest = Math.min(...roleHonest.map((p) => p.raw))
  const highestDishonest = roleBad.length === 0 ? null : Math.max(...roleBad.map((p) => p.raw))
  const dishonestVerdicts: Partial<Record<Verdict, number>> = {}
  for (const p of roleBad) dishonestVerdicts[p.verdict] = (dishonestVerdicts[p.verdict] ?? 0) + 1
  return {
    honest: roleHonest.length,
    dishonest: bad.length,
    lowestHonest,
    highestDishonest,
    honestAbove: highestDishonest === null || HOSTS_HONESTLY.includes(kind) ? null : lowestHonest > highestDishonest,
    honestValid: roleHonest.every((p) => p.verdict === 'valid'),
    dishonestVerdicts,
  }
}

/** Judges the scores of `epoch`, as the honest nodes computed them, and the fate of their submission. */
async function judge(
  subnet: TestSubnet,
  epoch: number,
  role: 'hoster' | 'validator',
  bad: TestNode[],
  liar: TestNode | undefined,
  kind: ScenarioKind,
): Promise<Omit<ScenarioResult, 'scenario' | 'kind'>> {
  const dishonest = new Set([...bad, ...(liar === undefined ? [] : [liar])].map((n) => n.peerId))
  const honestNodes = subnet.nodes.filter((n) => !dishonest.has(n.peerId))
  const scoresOf = (node: TestNode) => node.game.reports.get(epoch)?.scores
  const reader = honestNodes[honestNodes.length - 1]!
  const scores = scoresOf(reader)
  if (scores === undefined) throw new Error(`node ${reader.index} has no scores for epoch ${epoch}`)

  const entriesText = (entries: ConsensusEntry[] | undefined) => JSON.stringify(entries, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))
  const sameEntries = honestNodes.every((n) => entriesText(scoresOf(n)?.entries) === entriesText(scores.entries))
  const submission = await subnet.reader.consensusSubmission(subnet.subnetId, epoch + 1)
  const decisions = honestNodes
    .filter((n) => n.nodeId !== submission?.validatorId)
    .map((n) => n.game.reports.get(epoch)?.submission?.attested)
  const attested = decisions.filter((d) => d === true).length
  const refused = decisions.filter((d) => d === false).length
  return {
    epoch,
    ...rank(scores, role, dishonest, bad, kind),
    agreed: sameEntries && (attested === decisions.length || refused === decisions.length),
    attested,
    refused,
    attestationRatio: submission === null ? null : submission.attestations.length / submission.validatorCount,
    ignoredRecords: scores.ignored.length,
  }
}

/** The scenarios of the full table: each hoster adversary, naive and rational, at 10, 30 and 45%, validators colluding at the same, an elected validator lying. */
export function fullScenarios(): Scenario[] {
  const fractions = [0.1, 0.3, 0.45]
  return [
    { kind: 'honest', fraction: 0 },
    // Before the colluders: a lie proposed in epoch e + 1 would fall on their judged submission.
    { kind: 'lying-elected', fraction: 0 },
    ...HOSTER_ADVERSARIES.flatMap((kind) => fractions.map((fraction) => ({ kind, fraction }))),
    ...fractions.map((fraction) => ({ kind: 'colluding-validators' as const, fraction })),
  ]
}

/** A readable table of results. */
export function formatResults(results: readonly ScenarioResult[]): string {
  const head = ['scenario', 'bad', 'lowest honest', 'highest bad', 'honest > bad', 'honest valid', 'ignored', 'agreed', 'attested', 'ratio']
  const rows = results.map((r) => [
    r.scenario,
    `${r.dishonest}/${r.dishonest + r.honest}`,
    r.lowestHonest.toFixed(4),
    r.highestDishonest === null ? '—' : r.highestDishonest.toFixed(4),
    r.honestAbove === null ? '—' : r.honestAbove ? 'yes' : 'NO',
    r.honestValid ? 'yes' : 'NO',
    String(r.ignoredRecords),
    r.agreed ? 'yes' : 'NO',
    `${r.attested}/${r.attested + r.refused}`,
    r.attestationRatio === null ? '—' : r.attestationRatio.toFixed(3),
  ])
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)))
  return [head, ...rows].map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ')).join('\n')
}
