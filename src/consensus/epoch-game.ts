// The per-node loop of the commit-reveal game (PROTOCOL.md, "Epochs and phases"). Each chain
// tick runs the actions whose window holds the current block and that are not done yet for the
// epoch; a failed action (store refused, chain unreachable) is tried again on the next tick while
// its window lasts. A node that starts mid-epoch simply finds the windows it missed closed, and
// takes part from the next action it can still do correctly. Transactions (propose, attest) are
// sent and watched beside the ticks: waiting for a block to include one never delays the DHT work.
import { hasClass, type Chain, type EpochInfo, type SubnetNode, type TxReceipt } from '../chain/chain.js'
import { epochKey, maxExpiration, parseKey, PHASES } from '../dht/keys.js'
import type { RecordStore } from '../dht/record-store.js'
import { Priority, type Engine } from '../inference/engine.js'
import { encodeTensor } from '../inference/tensor.js'
import { errorMessage } from '../errors.js'
import { logger, type Logger } from '../log.js'
import { churnedNodes, compareEntries, describeDifferences } from './attestation.js'
import { deriveChallenge, encodeChallenge, type Challenge } from './challenge.js'
import { commitFor, encodeReveal, makeCommit, type Reveal } from './commit.js'
import type { CommitRole, CommitSecrets } from './commit-secrets.js'
import { checkStoredChallenge, includedIds, repairScores, scoreEpoch, type EpochScores, type ScoreEpochOptions, type StoredChallengeCheck } from './epoch-data.js'
import { EpochReports, type EpochReport } from './epoch-report.js'
import type { EpochTicker } from './epoch-ticker.js'
import type { Role } from './heartbeat-record.js'
import { digestHex, sameDigest } from './record-set.js'
import { encodeScores } from './scores-codec.js'
import { DEFAULT_TAU } from './scoring.js'

export interface EpochGameComponents {
  /** Signs as this node's hotkey (propose, attest). */
  chain: Chain
  store: RecordStore
  ticker: EpochTicker
  /** The hoster's engine; validators may have none. */
  engine?: Engine
  /** Where the secrets of open commits are kept across a restart; without it, in memory only. */
  secrets?: CommitSecrets
}

export interface EpochGameInit {
  subnetId: number
  peerId: string
  role: Role
  /** The subnet's model: its identity (GGUF sha256) and the width of its output. */
  model: { id: string; nEmbd: number }
  /**
   * The model file's challenge vocabulary (ModelFileInfo.challengeVocabulary); default the engine's,
   * which is the same list. A hoster needs it to derive the challenge, the elected validator to store it.
   */
  vocabulary?: readonly number[]
  /** The tolerance τ of the score (default DEFAULT_TAU); the reference is always the median. */
  tau?: number
  /** Timeout of each record store read. */
  readTimeoutMs?: number
  reportsKept?: number
}

/** A transaction sent beside the game, and how it went. */
interface SentTx {
  epoch: number
  state: 'pending' | 'landed' | 'failed'
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
  private readonly chain: Chain
  private readonly store: RecordStore
  private readonly ticker: EpochTicker
  private readonly engine?: Engine
  private readonly secrets?: CommitSecrets
  private readonly init: EpochGameInit
  private readonly vocabulary?: readonly number[]
  /** Each epoch's challenge and its seed, derived once. */
  private readonly derived = new Map<number, { challenge: Challenge; seed: Uint8Array }>()
  private readonly log: Logger
  private readonly own = new Map<number, OwnState>()
  /** Scores of an epoch as computed in its 60–100% window, and re-read in the next epoch. */
  private readonly scoredInEpoch = new Map<number, EpochScores>()
  private readonly scoredAfter = new Map<number, EpochScores>()
  private readonly elected = new Map<number, number>()
  /** Transactions sent beside the game, by action and epoch. */
  private readonly sent = new Map<string, SentTx>()
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
    this.secrets = components.secrets
    this.init = init
    this.vocabulary = init.vocabulary ?? components.engine?.challengeVocabulary()
    this.reports = new EpochReports(init.reportsKept)
    this.log = logger('consensus:game').child(init.peerId.slice(-6))
    if (init.role === 'hoster' && components.engine === undefined) throw new RangeError('a hoster needs an engine')
    if (init.role === 'hoster' && !this.canDraw()) throw new RangeError('a hoster needs the challenge vocabulary')
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
   * can wait for it before it closes the chain and the store the step uses. Transactions still
   * waiting for inclusion are not waited for (their outcome is only logged).
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
      for (const map of [this.scoredInEpoch, this.scoredAfter, this.elected, this.derived]) {
        for (const old of map.keys()) if (old < epoch - 3) map.delete(old)
      }
      for (const [key, tx] of this.sent) if (tx.epoch < epoch - 2) this.sent.delete(key)
      // A validator reveals in e the commit of e - 1: older secrets are spent.
      this.secrets?.prune(epoch - 1).catch((err: unknown) => this.log.warn('cannot remove old commit secrets', { err: errorMessage(err) }))
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

  /**
   * Stores under an epoch key with the longest expiration the storing nodes accept. `again`: the
   * same value may be stored already (a commit stored again from its saved secret); a replica that
   * holds it with a later expiration refuses as stale, which counts as stored.
   */
  private async put(key: string, value: Uint8Array, info: EpochInfo, again = false): Promise<void> {
    const parsed = parseKey(key)!
    const expiration = maxExpiration(parsed, info, this.chain.blockTimeMs, Date.now()) - this.chain.blockTimeMs
    const result = await this.store.store(key, value, Math.floor(expiration))
    const stale = again ? (result.refusals.DHT_STALE ?? 0) : 0
    if (result.accepted + stale === 0) throw new Error(`no replica accepted ${key} (of ${result.tried}: ${JSON.stringify(result.refusals)})`)
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

  /** The epoch's challenge, derived from the hash of its first block (the seed `epochSeed` reads, here from the tick's clock). */
  private async challengeOf(ctx: TickContext): Promise<{ challenge: Challenge; seed: Uint8Array }> {
    let derived = this.derived.get(ctx.epoch)
    if (derived === undefined) {
      const seed = await this.chain.blockHash(ctx.info.slot + ctx.epoch * ctx.info.epochLength)
      derived = { seed, challenge: deriveChallenge(seed, this.init.subnetId, ctx.epoch, this.init.model.id, this.vocabulary!) }
      this.derived.set(ctx.epoch, derived)
    }
    return derived
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
          const { challenge } = await this.challengeOf(ctx)
          await this.put(epochKey('consensus-epoch', ctx.epoch), encodeChallenge(challenge), ctx.info)
          this.event(ctx.report, ctx.info, 'stored the challenge as elected validator')
          return true
        },
      },
      {
        name: 'propose',
        ...span(window['consensus-epoch']),
        applies: (ctx) => isElected(ctx) && ctx.epoch > 0,
        run: async (ctx) => {
          const sent = this.sentState('propose', ctx.epoch)
          if (sent !== undefined) return sent === 'landed'
          if ((await this.chain.consensusSubmission(this.init.subnetId, ctx.epoch)) !== null) return true
          const scores = await this.settledScores(ctx.epoch - 1)
          const previous = this.reports.of(ctx.epoch - 1)
          if (scores.entries.length === 0) {
            this.event(previous, ctx.info, 'nothing to propose: no scored node is Included+')
            return true
          }
          // The digest of the record set goes with the scores: an attestor whose own differs repairs its read.
          this.sendBeside('propose', ctx, previous, () => this.chain.proposeAttestation(this.init.subnetId, scores.entries, scores.digest), () => {
            previous.submission = { chainEpoch: ctx.epoch, proposerNodeId: ctx.self!.id, entries: scores.entries }
            this.event(previous, ctx.info, 'proposed the scores on chain', { entries: scores.entries.length, records: digestHex(scores.digest) })
          })
          return false // done once it lands
        },
      },
      {
        name: 'attest',
        ...span(window['consensus-epoch']),
        applies: (ctx) => ctx.epoch > 0 && ctx.self !== undefined && hasClass(ctx.self, 'Validator', ctx.epoch) && !isElected(ctx),
        run: (ctx) => this.attest(ctx),
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
        applies: () => hoster,
        run: async (ctx) => {
          const reveal = await this.secretOf('hoster', ctx.epoch)
          if (reveal === undefined) return true // no commit of this epoch to open
          await this.put(epochKey('hoster-reveal', ctx.epoch), encodeReveal(reveal), ctx.info)
          this.event(ctx.report, ctx.info, 'revealed the output')
          return true
        },
      },
      {
        name: 'validator-reveal',
        ...span(window['validator-reveal']),
        applies: () => validator,
        run: async (ctx) => {
          const reveal = await this.secretOf('validator', ctx.epoch - 1)
          if (reveal === undefined) return true // no commit of last epoch to open
          await this.put(epochKey('validator-reveal', ctx.epoch), encodeReveal(reveal), ctx.info)
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
          ctx.own.validatorReveal = await this.commit('validator', ctx, async () => payload)
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
    const { challenge, seed } = await this.challengeOf(ctx)
    let check: StoredChallengeCheck = { fromElected: false, ignored: [] }
    ctx.own.hosterReveal = await this.commit('hoster', ctx, async () => {
      // The derivation is run whatever is stored: the stored record is only checked, beside the engine.
      const [stored, output] = await Promise.all([
        this.get(epochKey('consensus-epoch', ctx.epoch)).catch((err: unknown) => {
          this.log.debug('challenge read failed: running the derivation', { epoch: ctx.epoch, err: errorMessage(err) })
          return []
        }),
        this.engine!.hiddenState(challenge.tokens, { priority: Priority.Challenge }),
      ])
      check = checkStoredChallenge(stored, challenge, ctx.electedPeerId)
      if (check.ignored.length > 0) this.log.warn('ignored stored challenges that are not the derivation', { epoch: ctx.epoch, writers: check.ignored })
      return encodeTensor(output)
    })
    ctx.report.challenge = { seed: Buffer.from(seed).toString('hex'), tokens: challenge.tokens, modelId: challenge.modelId, ...check }
    this.event(ctx.report, ctx.info, 'committed the output', { fromElected: check.fromElected })
    return true
  }

  /**
   * Stores `role`'s commit of the epoch and returns its secret. The secret is saved before the
   * commit is stored; a node that finds one saved for the epoch (it restarted, or a store failed)
   * stores that same commit again: a commit is write-once, and only its own secret opens it.
   */
  private async commit(role: CommitRole, ctx: TickContext, payload: () => Promise<Uint8Array>): Promise<Reveal> {
    let reveal = await this.secretOf(role, ctx.epoch)
    const again = reveal !== undefined
    if (reveal === undefined) {
      reveal = makeCommit(this.init.peerId, await payload()).reveal
      await this.secrets?.save(role, ctx.epoch, reveal)
    }
    await this.put(epochKey(role === 'hoster' ? 'hoster-commit' : 'validator-commit', ctx.epoch), commitFor(this.init.peerId, reveal), ctx.info, again)
    return reveal
  }

  /** The secret of `role`'s commit of `epoch`: in memory, or on disk after a restart. */
  private async secretOf(role: CommitRole, epoch: number): Promise<Reveal | undefined> {
    const own = this.own.get(epoch)
    return (role === 'hoster' ? own?.hosterReveal : own?.validatorReveal) ?? await this.secrets?.load(role, epoch)
  }

  private async attest(ctx: TickContext): Promise<boolean> {
    const sent = this.sentState('attest', ctx.epoch)
    if (sent !== undefined) return sent === 'landed'
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
    const seen = previous.submission
    this.sendBeside('attest', ctx, previous, () => this.chain.attest(this.init.subnetId), () => {
      seen.attested = true
      this.event(previous, ctx.info, 'attested the submission', { proposer: submission.validatorId, tolerated: comparison.differences.length })
    })
    return false // done once it lands
  }

  /**
   * Sends a transaction beside the game (PROTOCOL.md: no transaction holds the game up): the tick
   * goes on with its DHT work at once, and a later tick sees how the transaction went. One at a
   * time per action and epoch; a failed one (timeout, lost connection, refusal) is sent again by
   * the action's next tick, which first reads the chain in case it landed after all.
   */
  private sendBeside(name: string, ctx: TickContext, report: EpochReport, send: () => Promise<TxReceipt>, landed: () => void): void {
    const tx: SentTx = { epoch: ctx.epoch, state: 'pending' }
    this.sent.set(`${name}:${ctx.epoch}`, tx)
    this.event(report, ctx.info, `sent ${name}`)
    send().then(() => {
      tx.state = 'landed'
      landed()
    }, (err: unknown) => {
      tx.state = 'failed'
      if (this.offTick === null) {
        // Stopped: the node closes its chain without waiting for inclusions; nothing is sent again.
        this.log.debug(`${name} abandoned at stop`, { epoch: ctx.epoch, err: errorMessage(err) })
        return
      }
      const code = (err as { code?: unknown }).code
      this.log.warn(`${name} failed, sending again next block`, { epoch: ctx.epoch, err: errorMessage(err) })
      report.events.push({ at: Date.now(), block: this.ticker.latest?.block ?? ctx.info.block, progress: this.ticker.latest?.progress ?? ctx.info.progress,
        what: `${name} failed${typeof code === 'string' ? ` (${code})` : ''}: sending again next block` })
    })
  }

  /** How the action's transaction of `epoch` stands: pending, landed, or undefined (none sent, or the last one failed). */
  private sentState(name: string, epoch: number): 'pending' | 'landed' | undefined {
    const tx = this.sent.get(`${name}:${epoch}`)
    return tx === undefined || tx.state === 'failed' ? undefined : tx.state
  }
}

function span(window: { start: number; end: number }): { from: number; to: number } {
  return { from: window.start, to: window.end }
}
