// Published audit failures (PROTOCOL.md, "Served inference: transcripts and audits"). A writer's
// record under hoster-audit_epoch_{e} lists evidence: a hoster's signed transcript and an
// auditor's signed report that fails it. A gateway's evidence is a claim; a failure is
// **confirmed** when a majority of the epoch's other hosters of the model (Included+ nodes that
// wrote a hoster commit in the epoch) each published the same hoster failing under their own
// signature, having re-run it themselves (audit-confirmer.ts). Validators that do not load the
// model cannot re-run anything, so they neither confirm nor count towards the majority: in a
// subnet of many validators and few hosters, the hosters decide. Every node computes the
// confirmed set from the records alone (the epoch's hoster-audit and hoster-commit records), so
// the scores agree.
import { hasClass, type SubnetNode } from '../chain/chain.js'
import type { DhtRecord } from '../dht/record-store.js'
import { RecordRefused } from '../dht/errors.js'
import { parseKey } from '../dht/keys.js'
import type { RecordValidator } from '../dht/validation.js'
import { errorMessage } from '../errors.js'
import { judgeAudit, openReport, type SignedAuditReport } from '../inference/audit.js'
import * as wire from '../inference/messages.js'
import { openTranscript, type SignedTranscript } from '../inference/transcript.js'

/**
 * Evidence one record may list, and so the hosters one node can confirm in an epoch (as many as
 * a confirmer re-runs an epoch). A record is at most the DHT's value limit, 96 KiB, in any case.
 */
export const MAX_EVIDENCE_PER_RECORD = 32

export interface Evidence {
  transcript: SignedTranscript
  report: SignedAuditReport
}

export function encodeAuditRecord(evidence: readonly Evidence[]): Uint8Array {
  return wire.AuditRecord.encode({
    evidence: evidence.map((e) => ({
      transcript: { transcript: e.transcript.bytes, signature: e.transcript.signature },
      report: { report: e.report.bytes, signature: e.report.signature },
    })),
  } as wire.AuditRecord)
}

/**
 * The evidence of a record, each item checked: both signatures, the report about that
 * transcript, and a failing verdict (passing evidence proves nothing against anyone). Throws
 * on anything else, naming the item.
 */
export function decodeAuditRecord(bytes: Uint8Array): Evidence[] {
  const record = wire.AuditRecord.decode(bytes)
  if (record.evidence.length === 0 || record.evidence.length > MAX_EVIDENCE_PER_RECORD) {
    throw new RangeError(`an audit record lists 1 to ${MAX_EVIDENCE_PER_RECORD} items of evidence, not ${record.evidence.length}`)
  }
  return record.evidence.map((e, i) => {
    try {
      if (e.transcript === undefined || e.report === undefined) throw new Error('a transcript and a report are both needed')
      const transcript = openTranscript(e.transcript.transcript, e.transcript.signature)
      const report = openReport(e.report.report, e.report.signature, transcript)
      if (!judgeAudit(report.report, transcript.transcript.record.sampling.temperature).failed) throw new Error('the report passes the hoster')
      return { transcript, report }
    } catch (err) {
      throw new RangeError(`evidence ${i}: ${errorMessage(err)}`)
    }
  })
}

/** Storing nodes (and readers) keep only well-formed, signed, failing evidence under hoster-audit keys. */
export function auditRecordValidator(): RecordValidator {
  return {
    name: 'hoster-audit-value',
    priority: 40,
    validate(record) {
      if (parseKey(record.key)?.kind !== 'hoster-audit') return
      try {
        decodeAuditRecord(record.value)
      } catch (err) {
        throw new RecordRefused('DHT_BAD_RECORD', `${record.key}: ${errorMessage(err)}`)
      }
    },
  }
}

export interface AuditTally {
  /** Hosters with a confirmed failure, each with the peer ids that confirmed it (sorted). */
  confirmed: Map<string, string[]>
  /** Hosters named in failing evidence that is not (yet) confirmed. */
  published: Set<string>
}

/**
 * Confirmations needed against a hoster when `confirmers` other hosters may confirm: a majority of
 * them. Hosters that commit and never confirm count here, so k of n withholding block a failure
 * exactly when k >= n/2: the bound of the scores' median, outside the honest-majority assumption.
 */
export function auditQuorum(confirmers: number): number {
  return Math.floor(confirmers / 2) + 1
}

/**
 * Tallies an epoch's audit records. A writer confirms a failure of hoster h when it is one of
 * `confirmers` (auditConfirmers: the epoch's Included+ hosters of the model), is not h, and lists evidence
 * against h whose report it signed itself. h's failure is confirmed by a majority of the
 * confirmers other than h. Unreadable records count for nothing.
 */
export function tallyAudits(records: readonly DhtRecord[], confirmers: ReadonlySet<string>): AuditTally {
  const by = new Map<string, Set<string>>()
  const published = new Set<string>()
  for (const record of records) {
    let evidence: Evidence[]
    try {
      evidence = decodeAuditRecord(record.value)
    } catch {
      continue
    }
    for (const e of evidence) {
      const hoster = e.transcript.transcript.hoster.toString()
      published.add(hoster)
      const auditor = e.report.report.auditor.toString()
      if (auditor !== record.subkey || auditor === hoster || !confirmers.has(auditor)) continue
      by.set(hoster, (by.get(hoster) ?? new Set()).add(auditor))
    }
  }
  const confirmed = new Map<string, string[]>()
  for (const [hoster, writers] of by) {
    const others = confirmers.size - (confirmers.has(hoster) ? 1 : 0)
    if (writers.size >= auditQuorum(others)) confirmed.set(hoster, [...writers].sort())
  }
  for (const hoster of confirmed.keys()) published.delete(hoster)
  return { confirmed, published }
}

/**
 * Who may confirm audit failures in `epoch`: the own peer ids of the nodes Included+ in it that
 * wrote a hoster commit in it (`hosterCommits`, the epoch's hoster-commit records), that is,
 * that run the model and so can re-run a transcript.
 */
export function auditConfirmers(nodes: readonly SubnetNode[], epoch: number, hosterCommits: readonly DhtRecord[]): Set<string> {
  const hosters = new Set(hosterCommits.map((r) => r.subkey))
  return new Set(nodes.filter((n) => hosters.has(n.peerId) && hasClass(n, 'Included', epoch)).map((n) => n.peerId))
}
