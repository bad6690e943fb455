// Confirming published audit failures: a node that runs the model reads the epoch's
// hoster-audit records, re-runs each failure published against another hoster on its own
// engine, and when its own audit fails the hoster too, publishes the evidence again with its
// own signed report: that is its confirmation (audits.ts counts them). The work a publisher can
// cause is bounded: one re-run per transcript, a few per publisher and per epoch, none once this
// node has confirmed that hoster in the epoch, and none more from a publisher one of whose
// failures did not hold here: records come sorted by writer, and a flood of false failures from
// peer ids that sort first spent the epoch's re-runs before any real failure (4 nodes with their
// client peer ids were enough). Now it takes as many lying publishers as the epoch's re-runs (32).
import type { PeerId } from '@libp2p/interface'
import type { Chain } from '../chain/chain.js'
import { epochKey } from '../dht/keys.js'
import type { RecordStore } from '../dht/record-store.js'
import { errorMessage } from '../errors.js'
import { auditLocally, encodeReport, judgeAudit, openReport } from '../inference/audit.js'
import type { Engine, TokenScorer } from '../inference/engine.js'
import { logger } from '../log.js'
import type { Signer } from '../p2p/signing.js'
import { AuditPublisher } from './audit-publisher.js'
import { decodeAuditRecord } from './audits.js'

const log = logger('consensus:audit-confirmer')

export interface AuditConfirmerOptions {
  subnetId: number
  /** How often the epoch's records are read (default 10 s). */
  intervalMs?: number
  /** Re-runs for one publisher's evidence per epoch (default 4). */
  perPublisher?: number
  /** Re-runs per epoch in all (default 32). */
  perEpoch?: number
  /** A transcript older than this is not confirmed (default: 2 epochs), so one failure is not counted again and again. */
  maxAgeMs?: number
}

export interface AuditConfirmerComponents {
  store: RecordStore
  chain: Chain
  engine: Engine & TokenScorer
  self: PeerId
  signer: Signer
}

export class AuditConfirmer {
  /** Failures re-run, and those this node confirmed, since start (for the dashboard and metrics). */
  readonly counts = { rerun: 0, confirmed: 0, rejected: 0 }
  private readonly publisher: AuditPublisher
  private readonly checked = new Set<string>()
  private epoch = -1
  private perPublisher = new Map<string, number>()
  /** Publishers one of whose failures did not hold here this epoch: none of theirs is re-run again. */
  private disproved = new Set<string>()
  private confirmedHosters = new Set<string>()
  private reruns = 0
  private timer?: NodeJS.Timeout
  private running?: Promise<void>
  private stopped = false

  constructor(private readonly components: AuditConfirmerComponents, private readonly options: AuditConfirmerOptions) {
    this.publisher = new AuditPublisher({ store: components.store, chain: components.chain }, { subnetId: options.subnetId })
  }

  start(): void {
    const tick = (): void => {
      if (this.stopped) return
      this.running = this.check().catch((err) => log.warn('audit confirmation round failed', { error: errorMessage(err) }))
      this.timer = setTimeout(() => void this.running?.then(tick), this.options.intervalMs ?? 10_000)
    }
    tick()
  }

  async stop(): Promise<void> {
    this.stopped = true
    clearTimeout(this.timer)
    await this.running
  }

  /** One round: re-runs what was published against others this epoch and not checked yet. */
  async check(): Promise<void> {
    const { chain, store, engine, self, signer } = this.components
    const info = await chain.epochInfo(this.options.subnetId)
    if (info.epoch !== this.epoch) {
      this.epoch = info.epoch
      this.perPublisher = new Map()
      this.disproved = new Set()
      this.confirmedHosters = new Set()
      this.reruns = 0
    }
    const maxAgeMs = this.options.maxAgeMs ?? 2 * info.epochLength * chain.blockTimeMs
    const records = await store.get(epochKey('hoster-audit', info.epoch), { timeoutMs: 10_000 })
    for (const record of records) {
      if (record.subkey === self.toString() || this.disproved.has(record.subkey)) continue
      let evidence
      try {
        evidence = decodeAuditRecord(record.value)
      } catch {
        continue
      }
      for (const e of evidence) {
        const t = e.transcript.transcript
        const hoster = t.hoster.toString()
        const hash = Buffer.from(e.report.report.transcriptSha256).toString('hex')
        if (hoster === self.toString() || this.confirmedHosters.has(hoster) || this.checked.has(hash)) continue
        if (t.model !== engine.model.id || Date.now() - t.timeMs > maxAgeMs) continue
        const used = this.perPublisher.get(record.subkey) ?? 0
        if (used >= (this.options.perPublisher ?? 4) || this.reruns >= (this.options.perEpoch ?? 32)) continue
        this.perPublisher.set(record.subkey, used + 1)
        this.reruns++
        this.checked.add(hash)
        this.counts.rerun++
        const report = await auditLocally(engine, self, e.transcript)
        const verdict = judgeAudit(report, t.record.sampling.temperature)
        if (!verdict.failed) {
          this.counts.rejected++
          this.disproved.add(record.subkey)
          log.info('a published audit failure did not hold here', { hoster, publisher: record.subkey, mismatches: verdict.mismatches, positions: verdict.positions })
          break
        }
        const bytes = encodeReport(report)
        const own = openReport(bytes, signer.sign(bytes), e.transcript)
        if (await this.publisher.publish({ transcript: e.transcript, report: own })) {
          this.confirmedHosters.add(hoster)
          this.counts.confirmed++
          log.warn('confirmed an audit failure', { hoster, publisher: record.subkey, mismatches: verdict.mismatches, positions: verdict.positions })
        }
      }
    }
  }
}
