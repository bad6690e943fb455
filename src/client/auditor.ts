// Audits by clients (PROTOCOL.md, "Served inference: transcripts and audits"): a random share
// of finished requests goes, with its signed transcript, to a random other node that runs the
// model — never the hoster audited. A failed audit stops this client routing to the hoster and
// is published as evidence for the nodes that confirm it.
import { peerIdFromString } from '@libp2p/peer-id'
import type { AuditPublisher } from '../consensus/audit-publisher.js'
import { errorMessage } from '../errors.js'
import { type AuditVerdict, judgeAudit, requestAudit } from '../inference/audit.js'
import type { SignedTranscript } from '../inference/transcript.js'
import { logger } from '../log.js'
import type { RpcClient } from '../rpc/client.js'

const log = logger('client:auditor')

export const DEFAULT_AUDIT_RATE = 0.05

export interface AuditorOptions {
  /** Share of finished requests audited, 0..1 (default 0.05). */
  rate?: number
  /** Audits waiting or running at once; more requests are not audited (default 4). */
  maxPending?: number
  timeoutMs?: number
  random?: () => number
}

export interface AuditorComponents {
  rpc: RpcClient
  /** Peer ids of the nodes that serve `modelId` now (the auditors to choose from). */
  nodesOf(modelId: string): Promise<string[]>
  /** Where failures are published; none: this client only stops routing to the hoster. */
  publisher?: AuditPublisher
  /** This client's own peer id (never its own auditor). */
  self: string
}

export class ClientAuditor {
  /** Since start: audits run, failures found, failures published (for the dashboard). */
  readonly counts = { audits: 0, failures: 0, published: 0, disputed: 0, errors: 0 }
  /** Hosters this client saw fail an audit: it routes nothing more to them. */
  readonly failed = new Set<string>()
  private readonly rate: number
  private readonly maxPending: number
  private readonly random: () => number
  private readonly pending = new Set<Promise<unknown>>()

  constructor(private readonly components: AuditorComponents, private readonly options: AuditorOptions = {}) {
    this.rate = options.rate ?? DEFAULT_AUDIT_RATE
    if (!(this.rate >= 0 && this.rate <= 1)) throw new RangeError(`the audit rate is a share from 0 to 1, not ${this.rate}`)
    this.maxPending = options.maxPending ?? 4
    this.random = options.random ?? Math.random
  }

  /** Audits `signed` with probability `rate`, in the background. */
  consider(signed: SignedTranscript): void {
    if (this.rate === 0 || this.random() >= this.rate || this.pending.size >= this.maxPending) return
    const audit = this.audit(signed).catch((err) => {
      this.counts.errors++
      log.debug('audit not done', { hoster: signed.transcript.hoster.toString(), error: errorMessage(err) })
    })
    this.pending.add(audit)
    void audit.finally(() => this.pending.delete(audit))
  }

  /** Resolves when the audits started so far have ended. */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending])
  }

  /** Audits `signed` now at a random other node of its model; the verdict, or undefined when no auditor is there. */
  async audit(signed: SignedTranscript): Promise<AuditVerdict | undefined> {
    const t = signed.transcript
    const hoster = t.hoster.toString()
    const auditors = (await this.components.nodesOf(t.model)).filter((p) => p !== hoster && p !== this.components.self)
    if (auditors.length === 0) return undefined
    const pick = (from: string[]) => from[Math.floor(this.random() * from.length)]
    const ask = (auditor: string) => requestAudit(this.components.rpc, peerIdFromString(auditor), signed, { timeoutMs: this.options.timeoutMs ?? 60_000 })
    const auditor = pick(auditors)
    const report = await ask(auditor)
    const verdict = judgeAudit(report.report, t.record.sampling.temperature)
    this.counts.audits++
    if (!verdict.failed) return verdict
    // A lying auditor must not make this client drop an honest hoster: a second one, when
    // there is one, must find the failure too.
    const others = auditors.filter((p) => p !== auditor)
    if (others.length > 0) {
      const second = await ask(pick(others))
      if (!judgeAudit(second.report, t.record.sampling.temperature).failed) {
        this.counts.disputed++
        log.warn('two auditors disagree on an answer: neither verdict is acted on', { hoster, auditor, second: second.report.auditor.toString() })
        return judgeAudit(second.report, t.record.sampling.temperature)
      }
    }
    this.counts.failures++
    this.failed.add(hoster)
    log.warn('a hoster failed an audit', { hoster, auditor, mismatches: verdict.mismatches, positions: verdict.positions })
    if (this.components.publisher !== undefined && await this.components.publisher.publish({ transcript: signed, report })) this.counts.published++
    return verdict
  }
}
