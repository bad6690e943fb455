// The dashboard's data from what any participant can read: the chain (nodes, classes, stake,
// elections, submissions) and the record store (heartbeats, and each recent epoch's challenge,
// commits, reveals and audit failures while their records live); and the audits of the client
// that serves it, when there is one.
import type { Chain } from '../../chain/chain.js'
import { formatTokens } from '../../chain/tokens.js'
import { decodeHeartbeat, type Heartbeat } from '../../consensus/heartbeat-record.js'
import { epochKey, heartbeatKeys } from '../../dht/keys.js'
import type { RecordStore } from '../../dht/record-store.js'
import { errorMessage } from '../../errors.js'
import { logger } from '../../log.js'
import { auditConfirmers, tallyAudits } from '../../consensus/audits.js'
import type { DashboardAudits, DashboardEpoch, DashboardNode, DashboardSource, DashboardState } from './state.js'

const log = logger('api:dashboard')
const SCORE_ONE = 10n ** 18n

export interface NetworkDashboardOptions {
  subnetId: number
  /** Past epochs shown (default 8). */
  epochs?: number
  /** How long a state is reused by polling pages (default 1 s). */
  cacheMs?: number
}

export class NetworkDashboard implements DashboardSource {
  private readonly epochs: number
  private readonly cacheMs: number
  private cached?: { at: number; state: Promise<DashboardState> }
  /** Epoch rows do not change once their epoch is two behind: read each once. */
  private readonly settled = new Map<number, DashboardEpoch>()

  constructor(
    private readonly components: { chain: Chain; records: RecordStore; audits?: () => Promise<DashboardAudits> },
    private readonly options: NetworkDashboardOptions,
  ) {
    this.epochs = options.epochs ?? 8
    this.cacheMs = options.cacheMs ?? 1_000
  }

  state(): Promise<DashboardState> {
    const now = Date.now()
    if (this.cached === undefined || now - this.cached.at >= this.cacheMs) {
      const state = this.read()
      this.cached = { at: now, state }
      state.catch(() => { if (this.cached?.state === state) this.cached = undefined })
    }
    return this.cached.state
  }

  private async read(): Promise<DashboardState> {
    const { chain } = this.components
    const subnetId = this.options.subnetId
    const [info, nodes, heartbeats] = await Promise.all([chain.epochInfo(subnetId), chain.subnetNodes(subnetId), this.heartbeats()])
    const first = Math.max(0, info.epoch - this.epochs + 1)
    for (const e of this.settled.keys()) if (e < first) this.settled.delete(e)
    const epochs: DashboardEpoch[] = []
    for (let e = info.epoch; e >= first; e--) epochs.push(await this.epoch(e, info.epoch))
    const lastScores = epochs.find((e) => e.submitted)?.scores ?? {}
    const rows: DashboardNode[] = nodes.map((n) => {
      const beat = heartbeats.get(n.peerId)
      return {
        nodeId: n.id,
        peerId: n.peerId,
        role: beat?.role ?? null,
        class: n.class,
        stake: formatTokens(n.stake),
        model: beat === undefined || beat.modelId === '' ? null : beat.modelName || beat.modelId,
        tokensPerSecond: beat?.role === 'hoster' ? beat.throughput : null,
        queueLength: beat?.role === 'hoster' ? beat.queueLength : null,
        lastScore: lastScores[String(n.id)] ?? null,
      }
    })
    const models = [...new Set([...heartbeats.values()].filter((b) => b.role === 'hoster' && b.modelName !== '').map((b) => b.modelName))].sort()
    return {
      subnetId,
      block: info.block,
      epoch: info.epoch,
      progress: info.progress,
      secondsRemaining: info.secondsRemaining,
      electedValidator: await chain.electedValidator(subnetId, info.epoch),
      models,
      nodes: rows,
      epochs,
      audits: await this.components.audits?.().catch(() => undefined),
    }
  }

  private async heartbeats(): Promise<Map<string, Heartbeat>> {
    const out = new Map<string, Heartbeat>()
    const reads = await Promise.all([...heartbeatKeys('hoster'), ...heartbeatKeys('validator')].map((key) => this.components.records.get(key).catch((err: unknown) => {
      log.debug('heartbeats unreadable', { key, error: errorMessage(err) })
      return []
    })))
    for (const record of reads.flat()) {
      try {
        out.set(record.subkey, decodeHeartbeat(record.value))
      } catch {
        // A malformed heartbeat shows as no heartbeat.
      }
    }
    return out
  }

  private async epoch(epoch: number, current: number): Promise<DashboardEpoch> {
    const known = this.settled.get(epoch)
    if (known !== undefined) return known
    const { chain, records } = this.components
    const subnetId = this.options.subnetId
    const count = async (key: string): Promise<number> => (await records.get(key).catch(() => [])).length
    const [validator, submission, challenges, commitRecords, reveals, audits, nodes] = await Promise.all([
      chain.electedValidator(subnetId, epoch),
      chain.consensusSubmission(subnetId, epoch),
      count(epochKey('consensus-epoch', epoch)),
      records.get(epochKey('hoster-commit', epoch)).catch(() => []),
      count(epochKey('hoster-reveal', epoch)),
      records.get(epochKey('hoster-audit', epoch)).catch(() => []),
      chain.subnetNodes(subnetId),
    ])
    const tally = tallyAudits(audits, auditConfirmers(nodes, epoch, commitRecords))
    const commits = commitRecords.length
    const row: DashboardEpoch = {
      epoch,
      challenge: challenges > 0,
      commits,
      reveals,
      validator,
      submitted: submission !== null,
      attestationRatio: submission === null || submission.validatorCount === 0 ? null : submission.attestations.length / submission.validatorCount,
      scores: Object.fromEntries((submission?.data ?? []).map((e) => [String(e.nodeId), Number((e.score * 1_000_000n) / SCORE_ONE) / 1_000_000])),
      auditFailures: tally.published.size,
      auditConfirmed: tally.confirmed.size,
    }
    // The submission of epoch e is proposed in e and attested until e+1 ends; records expire after.
    if (epoch < current - 1) this.settled.set(epoch, row)
    return row
  }
}
