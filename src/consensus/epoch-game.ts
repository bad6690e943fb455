// The per-node loop of the commit-reveal game (PROTOCOL.md, "Epochs and phases"). Each chain
// tick runs the actions whose window holds the current block and that are not done yet for the
// epoch; a failed action (store refused, chain unreachable) is tried again on the next tick while
// its window lasts. A node that starts mid-epoch simply finds the windows it missed closed, and
// takes part from the next action it can still do correctly.
import { type Chain, type EpochInfo, type SubnetNode } from '../chain/chain.js'
import { epochKey, maxExpiration, parseKey, PHASES } from '../dht/keys.js'
import type { RecordStore } from '../dht/record-store.js'
import { Priority, type Engine } from '../inference/engine.js'
import { encodeTensor } from '../inference/tensor.js'
import { errorMessage } from '../errors.js'
import { logger, type Logger } from '../log.js'
import { churnedNodes, compareEntries, describeDifferences } from './attestation.js'
import { drawChallenge, encodeChallenge } from './challenge.js'
import { ChallengeGuard } from './challenge-guard.js'
import { encodeReveal, makeCommit, type Reveal } from './commit.js'
import { chooseChallenge, includedIds, repairScores, scoreEpoch, type EpochScores, type ScoreEpochOptions } from './epoch-data.js'
import { EpochReports, type EpochReport } from './epoch-report.js'
import type { EpochTicker } from './epoch-ticker.js'
import type { Role } from './heartbeat-record.js'
import { digestHex, sameDigest } from './record-set.js'
import { encodeScores } from './scores-codec.js'
import { DEFAULT_TAU } from './scoring.js'
import { hasClass } from './submission.js'

/** From this progress on, any node stores a challenge when none is stored yet. */
export const FALLBACK_CHALLENGE_AT = 0.1

export interface EpochGameComponents {
  /** Signs as this node's hotkey (propose, attest). */
  chain: Chain
  store: RecordStore
  ticker: EpochTicker
  /** The hoster's engine; validators may have none. */
  engine?: Engine
  guard?: ChallengeGuard
}

export interface EpochGameInit {
  subnetId: number
  peerId: string
  role: Role
  /** The subnet's model: its identity (GGUF sha256) and the width of its output. */
  model: { id: string; nEmbd: number }
  /** Token ids a challenge is drawn from; default the engine's challenge vocabulary. Without either, the node stores no challenge. */
  vocabulary?: readonly number[]
  /** The tolerance τ of the score (default DEFAULT_TAU); the reference is always the median. */
  tau?: number
  /** Timeout of each record store read. */
  readTimeoutMs?: number
  reportsKept?: number
}

/** What a node keeps of its own part in an epoch, to reveal later. */
interface OwnState {
  hosterReveal?: Reveal
  validatorReveal?: Reveal
  done: Set<string>
}

interface TickContext {
  info: EpochInfo
  epoch: number
  nodes: SubnetNode[]
  self?: SubnetNode
  electedId: number | null
  electedPeerId?: string
  report: EpochReport
  own: OwnState
}

interface Action {
  name: string
  /** Window as fractions of the epoch: [from, to). */
  from: number
  to: number
  /** Whether this node has the action at all this tick. */
  applies(ctx: TickContext): boolean
  /** Returns true when done for the epoch; false (or a throw) to try again next tick. */
  run(ctx: TickContext): Promise<boolean>
}

/** Whether the tick's block is inside [from, to) of its epoch, counted in blocks as the storing nodes count. */
export function inWindow(info: EpochInfo, from: number, to: number): boolean {
  const index = info.epochLength - info.blocksRemaining
  const first = (fraction: number) => Math.ceil(fraction * info.epochLength - 1e-9)
  return index >= first(from) && index < first(to)
}

export class EpochGame {
  readonly reports: EpochReports
  readonly guard: ChallengeGuard
  private readonly chain: Chain
  private readonly store: RecordStore
  private readonly ticker: EpochTicker
  private readonly engine?: Engine
  private readonly init: EpochGameInit
  private readonly vocabulary?: readonly number[]
  private readonly vocabularySet: ReadonlySet<number>
  private readonly log: Logger
  private readonly own = new Map<number, OwnState>()
  /** Scores of an epoch as computed in its 60–100% window, and re-read in the next epoch. */
  private readonly scoredInEpoch = new Map<number, EpochScores>()
  private readonly scoredAfter = new Map<number, EpochScores>()
  private readonly elected = new Map<number, number>()
  private readonly actions: Action[]
  private offTick: (() => void) | null = null
  private pending: EpochInfo | undefined
  private stepping = false
  /** The loop that plays the ticks, while one runs: `stop` waits for it. */
  private driving: Promise<void> = Promise.resolve()
  private steppedBlock = -1
  private waiters: Array<{ block: number; resolve: () => void }> = []

  constructor(components: EpochGameComponents, init: EpochGameInit) {
    this.chain = components.chain
    this.store = components.store
    this.ticker = components.ticker
    this.engine = components.engine
    this.guard = components.guard ?? new ChallengeGuard()
    this.init = init
    this.vocabulary = init.vocabulary ?? components.engine?.challengeVocabulary()
    this.vocabularySet = new Set(this.vocabulary ?? [])
    this.reports = new EpochReports(init.reportsKept)
    this.log = logger('consensus:game').child(init.peerId.slice(-6))
    if (init.role === 'hoster' && components.engine === undefined) throw new RangeError('a hoster needs an engine')
    if (components.engine !== undefined && components.engine.model.id !== init.model.id) {
      throw new RangeError(`the engine runs model ${components.engine.model.id}, the subnet's is ${init.model.id}`)
    }
    this.actions = this.buildActions()
  }

  start(): void {
    if (this.offTick !== null) return
    this.offTick = this.ticker.onTick((info) => this.onTick(info))
    if (this.ticker.latest !== undefined) this.onTick(this.ticker.latest)
  }

  /**
   * Stops playing: no step starts after this call, and whoever waits in `settled` is released at
   * once. The step in progress, if any, runs to its end; the promise resolves then, so that a node
   * can wait for it before it closes the chain and the store the step uses.
   */
  stop(): Promise<void> {
    this.offTick?.()
    this.offTick = null
    this.pending = undefined
    for (const w of this.waiters.splice(0)) w.resolve()
    return this.driving
  }

  /** Resolves once the game has finished its step for `block` (or a later one), or is stopped. */
  settled(block: number): Promise<void> {
    if ((this.steppedBlock >= block && !this.stepping) || this.offTick === null) return Promise.resolve()
    return new Promise((resolve) => this.waiters.push({ block, resolve }))
  }

  private onTick(info: EpochInfo): void {
    this.pending = info
    if (!this.stepping) this.driving = this.drive()
  }

  private async drive(): Promise<void> {
    this.stepping = true
    while (this.offTick !== null && this.pending !== undefined) {
      const info = this.pending
      this.pending = undefined
      await this.step(info)
      this.steppedBlock = Math.max(this.steppedBlock, info.block)
    }
    this.stepping = false
    const ready = this.waiters.filter((w) => w.block <= this.steppedBlock)
    this.waiters = this.waiters.filter((w) => w.block > this.steppedBlock)
    for (const w of ready) w.resolve()
  }

  private ownState(epoch: number): OwnState {
    let state = this.own.get(epoch)
    if (state === undefined) {
      state = { done: new Set() }
      this.own.set(epoch, state)
      for (const old of this.own.keys()) if (old < epoch - 2) this.own.delete(old)
      for (const map of [this.scoredInEpoch, this.scoredAfter, this.elected]) {
        for (const old of map.keys()) if (old < epoch - 3) map.delete(old)
      }
    }
    return state
  }

  private async step(info: EpochInfo): Promise<void> {
    const epoch = info.epoch
    const own = this.ownState(epoch)
    const due = this.actions.filter((a) => !own.done.has(a.name) && inWindow(info, a.from, a.to))
    if (due.length === 0) return
    let ctx: TickContext
    try {
      const nodes = await this.chain.subnetNodes(this.init.subnetId)
      const electedId = await this.electedOf(epoch)
      ctx = {
        info,
        epoch,
        nodes,
        self: nodes.find((n) => n.peerId === this.init.peerId),
        electedId,
        electedPeerId: nodes.find((n) => n.id === electedId)?.peerId,
        report: this.reports.of(epoch),
        own,
      }
    } catch (err) {
      this.log.warn('chain read failed, retrying next block', { epoch, block: info.block, err: errorMessage(err) })
      return
    }
    for (const action of due) {
      if (!action.applies(ctx)) continue
      try {
        if (await action.run(ctx)) own.done.add(action.name)
      } catch (err) {
        this.log.warn(`${action.name} failed, retrying next block`, { epoch, block: info.block, err: errorMessage(err) })
      }
    }
  }

  private async electedOf(epoch: number): Promise<number | null> {
    const cached = this.elected.get(epoch)
    if (cached !== undefined) return cached
    const id = await this.chain.electedValidator(this.init.subnetId, epoch)
    if (id !== null) this.elected.set(epoch, id)
    return id
  }

  private event(report: EpochReport, info: EpochInfo, what: string, fields: Record<string, unknown> = {}): void {
    report.events.push({ at: Date.now(), block: info.block, progress: info.progress, what })
    this.log.info(what, { epoch: report.epoch, block: info.block, ...fields })
  }

  /** Stores under an epoch key with the longest expiration the storing nodes accept. */
  private async put(key: string, value: Uint8Array, info: EpochInfo): Promise<void> {
    const parsed = parseKey(key)!
    const expiration = maxExpiration(parsed, info, this.chain.blockTimeMs, Date.now()) - this.chain.blockTimeMs
    const result = await this.store.store(key, value, Math.floor(expiration))
    if (result.accepted === 0) throw new Error(`no replica accepted ${key} (of ${result.tried}: ${JSON.stringify(result.refusals)})`)
  }

  private get(key: string) {
    return this.store.get(key, { timeoutMs: this.init.readTimeoutMs ?? 10_000 })
  }

  private scoreOptions(): ScoreEpochOptions {
    return {
      subnetId: this.init.subnetId,
      nEmbd: this.init.model.nEmbd,
      tau: this.init.tau ?? DEFAULT_TAU,
      timeoutMs: this.init.readTimeoutMs ?? 10_000,
    }
  }

  private score(epoch: number): Promise<EpochScores> {
    return scoreEpoch({ store: this.store, chain: this.chain }, epoch, this.scoreOptions())
  }

  /** The scores of `epoch` read after it ended (the data is complete), once. */
  private async settledScores(epoch: number): Promise<EpochScores> {
    let scores = this.scoredAfter.get(epoch)
    if (scores === undefined) {
      scores = await this.score(epoch)
      this.keepSettled(scores)
    }
    return scores
  }

  private keepSettled(scores: EpochScores): void {
    this.scoredAfter.set(scores.epoch, scores)
    this.reports.of(scores.epoch).scores = { ...this.scoresForReport(scores), computedAtBlock: (this.ticker.latest?.block ?? -1) }
  }

  private scoresForReport(scores: EpochScores) {
    return { hosters: scores.hosters.peers, validators: scores.validators.peers, entries: scores.entries, digest: digestHex(scores.digest), ignored: scores.ignored }
  }

  private canDraw(): boolean {
    return this.vocabulary !== undefined && this.vocabulary.length > 0
  }

  private async storeChallenge(ctx: TickContext, fallback: boolean): Promise<void> {
    const challenge = drawChallenge(this.vocabulary!, this.init.model.id, ctx.epoch)
    await this.put(epochKey('consensus-epoch', ctx.epoch), encodeChallenge(challenge), ctx.info)
    this.event(ctx.report, ctx.info, fallback ? 'stored a fallback challenge' : 'stored the challenge as elected validator')
  }

  private buildActions(): Action[] {
    const hoster = this.init.role === 'hoster'
    const validator = this.init.role === 'validator'
    const isElected = (ctx: TickContext) => ctx.self !== undefined && ctx.self.id === ctx.electedId
    const window = PHASES
    return [
      {
        name: 'challenge',
        ...span(window['consensus-epoch']),
        applies: (ctx) => isElected(ctx) && this.canDraw(),
        run: async (ctx) => {
          await this.storeChallenge(ctx, false)
          return true
        },
      },
      {
        name: 'propose',
        ...span(window['consensus-epoch']),
        applies: (ctx) => isElected(ctx) && ctx.epoch > 0,
        run: async (ctx) => {
          if ((await this.chain.consensusSubmission(this.init.subnetId, ctx.epoch)) !== null) return true
          const scores = await this.settledScores(ctx.epoch - 1)
          const previous = this.reports.of(ctx.epoch - 1)
          if (scores.entries.length === 0) {
            this.event(previous, ctx.info, 'nothing to propose: no scored node is Included+')
            return true
          }
          // The digest of the record set goes with the scores: an attestor whose own differs repairs its read.
          await this.chain.proposeAttestation(this.init.subnetId, scores.entries, scores.digest)
          previous.submission = { chainEpoch: ctx.epoch, proposerNodeId: ctx.self!.id, entries: scores.entries }
          this.event(previous, ctx.info, 'proposed the scores on chain', { entries: scores.entries.length, records: digestHex(scores.digest) })
          return true
        },
      },
      {
        name: 'attest',
        ...span(window['consensus-epoch']),
        applies: (ctx) => ctx.epoch > 0 && ctx.self !== undefined && hasClass(ctx.self, 'Validator', ctx.epoch) && !isElected(ctx),
        run: (ctx) => this.attest(ctx),
      },
      {
        name: 'fallback-challenge',
        from: FALLBACK_CHALLENGE_AT,
        to: window['consensus-epoch'].end,
        applies: () => this.canDraw(),
        run: async (ctx) => {
          const chosen = chooseChallenge(await this.get(epochKey('consensus-epoch', ctx.epoch)), ctx.electedPeerId, ctx.epoch, this.init.model.id, this.vocabularySet)
          if (chosen === null) await this.storeChallenge(ctx, true)
          return true
        },
      },
      {
        // Refuse the challenge to other peers as soon as it exists, not only once this node runs it.
        name: 'guard-challenge',
        ...span(window['consensus-epoch']),
        applies: () => hoster,
        run: async (ctx) => {
          const chosen = chooseChallenge(await this.get(epochKey('consensus-epoch', ctx.epoch)), ctx.electedPeerId, ctx.epoch, this.init.model.id, this.vocabularySet)
          for (const candidate of chosen?.candidates ?? []) this.guard.add(ctx.epoch, candidate.tokens)
          return chosen?.fromElected === true // a fallback may still come: keep looking
        },
      },
      {
        name: 'hoster-commit',
        ...span(window['hoster-commit']),
        applies: () => hoster,
        run: (ctx) => this.commitOutput(ctx),
      },
      {
        name: 'hoster-reveal',
        ...span(window['hoster-reveal']),
        applies: (ctx) => hoster && ctx.own.hosterReveal !== undefined,
        run: async (ctx) => {
          await this.put(epochKey('hoster-reveal', ctx.epoch), encodeReveal(ctx.own.hosterReveal!), ctx.info)
          this.event(ctx.report, ctx.info, 'revealed the output')
          return true
        },
      },
      {
        name: 'validator-reveal',
        ...span(window['validator-reveal']),
        applies: (ctx) => validator && this.own.get(ctx.epoch - 1)?.validatorReveal !== undefined,
        run: async (ctx) => {
          await this.put(epochKey('validator-reveal', ctx.epoch), encodeReveal(this.own.get(ctx.epoch - 1)!.validatorReveal!), ctx.info)
          this.event(ctx.report, ctx.info, 'revealed the scores committed last epoch')
          return true
        },
      },
      {
        name: 'score',
        ...span(window['validator-commit']),
        applies: () => true,
        run: async (ctx) => {
          const scores = await this.score(ctx.epoch)
          this.scoredInEpoch.set(ctx.epoch, scores)
          ctx.report.records = scores.records
          ctx.report.scores = { ...this.scoresForReport(scores), computedAtBlock: ctx.info.block }
          this.event(ctx.report, ctx.info, 'scored the epoch', { hosters: scores.hosters.peers.length, validators: scores.validators.peers.length })
          return true
        },
      },
      {
        name: 'validator-commit',
        ...span(window['validator-commit']),
        applies: (ctx) => validator && this.scoredInEpoch.has(ctx.epoch),
        run: async (ctx) => {
          const scores = this.scoredInEpoch.get(ctx.epoch)!
          const payload = encodeScores({ epoch: ctx.epoch, scores: scores.hosters.peers.map((p) => [p.peerId, p.raw]) })
          const { reveal, commit } = makeCommit(this.init.peerId, payload)
          await this.put(epochKey('validator-commit', ctx.epoch), commit, ctx.info)
          ctx.own.validatorReveal = reveal
          this.event(ctx.report, ctx.info, 'committed the scores')
          return true
        },
      },
      {
        name: 'result',
        from: window['consensus-epoch'].end,
        to: 1,
        applies: (ctx) => ctx.epoch > 0,
        run: async (ctx) => {
          const previous = this.reports.of(ctx.epoch - 1)
          const submission = await this.chain.consensusSubmission(this.init.subnetId, ctx.epoch)
          if (submission === null) {
            this.event(previous, ctx.info, 'no submission on chain')
            return true
          }
          previous.submission = {
            ...previous.submission,
            chainEpoch: ctx.epoch,
            proposerNodeId: submission.validatorId,
            entries: submission.data,
            attestations: submission.attestations.length,
            validatorCount: submission.validatorCount,
          }
          this.event(previous, ctx.info, 'submission on chain', { attestations: submission.attestations.length, validators: submission.validatorCount })
          return true
        },
      },
    ]
  }

  private async commitOutput(ctx: TickContext): Promise<boolean> {
    const chosen = chooseChallenge(await this.get(epochKey('consensus-epoch', ctx.epoch)), ctx.electedPeerId, ctx.epoch, this.init.model.id, this.vocabularySet)
    if (chosen === null) return false // none stored yet: look again next block
    for (const candidate of chosen.candidates) this.guard.add(ctx.epoch, candidate.tokens)
    ctx.report.challenge = { writer: chosen.writer, tokens: chosen.challenge.tokens, modelId: chosen.challenge.modelId, fromElected: chosen.fromElected }
    const output = await this.engine!.hiddenState(chosen.challenge.tokens, { priority: Priority.Challenge })
    const { reveal, commit } = makeCommit(this.init.peerId, encodeTensor(output))
    await this.put(epochKey('hoster-commit', ctx.epoch), commit, ctx.info)
    ctx.own.hosterReveal = reveal
    this.event(ctx.report, ctx.info, 'committed the output', { challengeFrom: chosen.writer, fromElected: chosen.fromElected })
    return true
  }

  private async attest(ctx: TickContext): Promise<boolean> {
    const submission = await this.chain.consensusSubmission(this.init.subnetId, ctx.epoch)
    if (submission === null) return false // not proposed yet
    const previous = this.reports.of(ctx.epoch - 1)
    if (submission.attestations.some((a) => a.nodeId === ctx.self!.id)) return true
    let own = await this.settledScores(ctx.epoch - 1)
    let fetched = 0
    if (!sameDigest(own.digest, submission.args)) {
      // Another record set than the proposer's: fetch by subkey the records this node lacks and
      // recompute. A read that still differs is not kept, so that the next try reads afresh.
      const repaired = await repairScores(this.store, own, this.scoreOptions())
      fetched = repaired.fetched
      own = repaired.scores
      if (sameDigest(own.digest, submission.args)) this.keepSettled(own)
      else this.scoredAfter.delete(ctx.epoch - 1)
      this.event(previous, ctx.info, `record set differed from the proposer's: fetched ${fetched} by subkey, ${sameDigest(own.digest, submission.args) ? 'now the same' : 'still another'}`)
    }
    const sameRecords = sameDigest(own.digest, submission.args)
    const before = this.scoredAfter.get(ctx.epoch - 2) ?? this.scoredInEpoch.get(ctx.epoch - 2)
    const atScoring = this.scoredInEpoch.get(ctx.epoch - 1)?.included ?? own.included
    const churned = churnedNodes(before?.entries ?? [], own.entries, atScoring, includedIds(ctx.nodes, ctx.epoch))
    const comparison = compareEntries(submission.data, own.entries, churned)
    const differences = describeDifferences(comparison.differences)
    previous.submission = { chainEpoch: ctx.epoch, proposerNodeId: submission.validatorId, entries: submission.data, sameRecords, fetched, matches: comparison.matches, differences }
    if (!comparison.matches) {
      this.log.warn('submission differs from own scores: not attesting', { epoch: ctx.epoch - 1, proposer: submission.validatorId, sameRecords, differences })
      this.event(previous, ctx.info, `did not attest: ${differences}`)
      previous.submission.attested = false
      // On the same records the proposal is wrong for good; on others a later read may still agree.
      return sameRecords
    }
    await this.chain.attest(this.init.subnetId)
    previous.submission.attested = true
    this.event(previous, ctx.info, 'attested the submission', { proposer: submission.validatorId, tolerated: comparison.differences.length })
    return true
  }
}

function span(window: { start: number; end: number }): { from: number; to: number } {
  return { from: window.start, to: window.end }
}
