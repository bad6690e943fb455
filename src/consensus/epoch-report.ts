// What happened in one epoch, as this node saw it: the challenge, who committed and revealed,
// the scores, the submission made from them and its fate on chain. The node keeps the last few
// and shows them (`toJSON` gives plain JSON, bigints as decimal strings).
import type { ConsensusEntry } from '../chain/chain.js'
import type { PeerScore } from './scoring.js'

export interface ReportEvent {
  /** Unix ms. */
  at: number
  block: number
  progress: number
  what: string
}

export interface EpochReport {
  epoch: number
  /** The derived challenge the node ran; `fromElected`: the elected validator stored the same; `ignored`: writers of stored challenges that differ. */
  challenge?: { seed: string; tokens: number[]; modelId: string; fromElected: boolean; ignored: string[] }
  /** Peer ids with a record under each of the epoch's keys, when this node read them. */
  records?: { hosterCommits: string[]; hosterReveals: string[]; validatorCommits: string[]; validatorReveals: string[] }
  scores?: {
    hosters: PeerScore[]
    validators: PeerScore[]
    entries: ConsensusEntry[]
    computedAtBlock: number
    /** The digest of the record set the scores were computed from, hex. */
    digest: string
    /** Records read that did not count, and why. */
    ignored: string[]
  }
  /** The on-chain submission of this epoch's scores (proposed in the next epoch). */
  submission?: {
    chainEpoch: number
    proposerNodeId: number
    entries: ConsensusEntry[]
    /** This node's verdict as an attestor: undefined when it proposed or is not an attestor. */
    matches?: boolean
    differences?: string
    /** Whether the proposer's record-set digest (its args) equals this node's, after any repair. */
    sameRecords?: boolean
    /** Records this node lacked and fetched by subkey when its digest differed. */
    fetched?: number
    attested?: boolean
    attestations?: number
    validatorCount?: number
  }
  events: ReportEvent[]
}

export class EpochReports {
  private readonly reports = new Map<number, EpochReport>()

  constructor(private readonly keep = 16) {}

  /** The report of `epoch`, created empty on first use. */
  of(epoch: number): EpochReport {
    let report = this.reports.get(epoch)
    if (report === undefined) {
      report = { epoch, events: [] }
      this.reports.set(epoch, report)
      for (const old of this.reports.keys()) if (old <= epoch - this.keep) this.reports.delete(old)
    }
    return report
  }

  get(epoch: number): EpochReport | undefined {
    return this.reports.get(epoch)
  }

  /** Every kept report, oldest first. */
  all(): EpochReport[] {
    return [...this.reports.values()].sort((a, b) => a.epoch - b.epoch)
  }
}

/** A report as plain JSON: bigints become decimal strings. */
export function reportToJSON(report: EpochReport): unknown {
  return JSON.parse(JSON.stringify(report, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)))
}

/** A report as text for people: one line a fact, then the events in order. */
export function formatReport(report: EpochReport): string {
  const lines = [`epoch ${report.epoch}`]
  if (report.challenge !== undefined) {
    const { tokens, seed, fromElected, ignored } = report.challenge
    lines.push(`  challenge: ${tokens.length} tokens derived from block hash ${seed.slice(0, 16)}…` +
      `${fromElected ? ', stored alike by the elected validator' : ', none stored by the elected validator'}${ignored.length > 0 ? `; ignored ${ignored.length} other stored challenge(s)` : ''}`)
  }
  if (report.records !== undefined) {
    const r = report.records
    lines.push(`  records: ${r.hosterCommits.length} hoster commits, ${r.hosterReveals.length} reveals; ${r.validatorCommits.length} validator commits, ${r.validatorReveals.length} reveals`)
  }
  if (report.scores !== undefined) {
    lines.push(`  record set ${report.scores.digest.slice(0, 16)}…, scored against the median`)
    for (const line of report.scores.ignored) lines.push(`  ignored ${line}`)
    for (const p of [...report.scores.hosters, ...report.scores.validators]) {
      const distance = p.distance === undefined ? '' : ` d=${p.distance.toPrecision(3)}`
      lines.push(`  ${p.peerId}: ${p.verdict} score=${p.score.toFixed(6)}${distance}${p.reason === undefined ? '' : ` (${p.reason})`}`)
    }
  }
  const s = report.submission
  if (s !== undefined) {
    let line = `  submission in epoch ${s.chainEpoch} by node ${s.proposerNodeId}: ${s.entries.length} entries`
    if (s.attestations !== undefined) line += `, ${s.attestations}/${s.validatorCount} attested`
    if (s.sameRecords !== undefined) line += s.sameRecords ? ', same record set' : ', another record set'
    if (s.fetched !== undefined && s.fetched > 0) line += ` (${s.fetched} fetched by subkey)`
    if (s.matches !== undefined) line += s.matches ? ', matches own scores' : `, differs: ${s.differences}`
    lines.push(line)
  }
  for (const e of report.events) lines.push(`  [block ${e.block}, ${Math.round(e.progress * 100)}%] ${e.what}`)
  return lines.join('\n')
}
