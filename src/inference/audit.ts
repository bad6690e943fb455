// The audit call (PROTOCOL.md, "Served inference: transcripts and audits"): a node running the
// model re-runs a signed transcript's prompt + output as one prefill and returns, signed, per
// output position the served token's rank and log-probability under its own sampling
// distribution and whether its sampler with the transcript's seed drew the same token. The
// verdict is a pure function of a report, so every node judges published evidence alike.
import type { PeerId } from '@libp2p/interface'
import { peerIdFromString } from '@libp2p/peer-id'
import { timingSafeEqual } from 'node:crypto'
import { MeshError, errorMessage } from '../errors.js'
import { Verifier } from '../p2p/signing.js'
import type { Access } from '../rpc/admission.js'
import type { CallOptions, RpcClient } from '../rpc/client.js'
import { RpcError } from '../rpc/errors.js'
import { unaryMethod } from '../rpc/method.js'
import type { CallContext, RpcServer } from '../rpc/server.js'
import type { Engine, TokenAudit, TokenScorer } from './engine.js'
import * as wire from './messages.js'
import { MAX_TRANSCRIPT_TOKENS, openTranscript, sha256, type SignedTranscript } from './transcript.js'

export const REPORT_DOMAIN = 'mesh-audit-report/1'
/** The rank a report gives a token its sampler could not have drawn. */
const OUTSIDE = 0xffffffff

/**
 * When an audit fails: more output positions whose seeded draw differs than honest numeric
 * drift explains. Drift makes an honest replay differ at a rate of at most `greedyDrift` of
 * the positions at temperature 0 and `sampledDrift` above it (measured in docs/reliability.md,
 * "Audits", with margin); an audit fails when so many mismatches or more would come from such
 * drift with probability under `falsePositive` (only the first `maxPositions` are judged, so
 * that an underestimated drift cannot add up over a very long answer). The binomial tail is
 * computed exactly, in integers, so that every node reaches the same verdict on a report.
 */
export const AUDIT_THRESHOLDS = { greedyDrift: [1, 16], sampledDrift: [3, 20], falsePositive: [1, 100_000], maxPositions: 256 } as const
type Fraction = readonly [number, number]
export interface AuditThresholds { greedyDrift: Fraction; sampledDrift: Fraction; falsePositive: Fraction; maxPositions: number }

const thresholdCache = new Map<string, number>()

/**
 * The least m with P(Binomial(n, p) ≥ m) < alpha, p = a/b and alpha = c/d: the mismatches out
 * of n that fail an audit (n + 1 when none can).
 */
export function mismatchThreshold(n: number, [a, b]: Fraction, [c, d]: Fraction): number {
  const key = `${n} ${a}/${b} ${c}/${d}`
  const known = thresholdCache.get(key)
  if (known !== undefined) return known
  const [A, B, C, D] = [a, b, c, d].map(BigInt)
  const whole = B ** BigInt(n)
  // tail(k) = Σ_{j ≥ k} C(n, j) a^j (b − a)^(n − j), over b^n; walk k down from n.
  let tail = 0n
  let choose = 1n // C(n, k), from k = n
  let m = n + 1
  for (let k = n; k >= 0; k--) {
    if (k < n) choose = (choose * BigInt(k + 1)) / BigInt(n - k)
    tail += choose * A ** BigInt(k) * (B - A) ** BigInt(n - k)
    if (tail * D >= C * whole) break // P(X ≥ k) ≥ alpha: k mismatches do not fail
    m = k
  }
  thresholdCache.set(key, m)
  return m
}

export const auditMethod = unaryMethod<wire.SignedTranscript, wire.SignedAuditReport>({
  name: 'inference-audit',
  version: '1.0.0',
  request: { encode: (m) => wire.SignedTranscript.encode(m), decode: (b) => wire.SignedTranscript.decode(b) },
  response: { encode: (m) => wire.SignedAuditReport.encode(m), decode: (b) => wire.SignedAuditReport.decode(b) },
  maxRequestBytes: 256 * 1024,
  maxResponseBytes: 1024 * 1024,
})

export interface AuditReport {
  transcriptSha256: Uint8Array
  auditor: PeerId
  hoster: PeerId
  model: string
  timeMs: number
  positions: TokenAudit[]
}

export interface SignedAuditReport {
  bytes: Uint8Array
  signature: Uint8Array
  report: AuditReport
}

export interface AuditVerdict {
  failed: boolean
  positions: number
  mismatches: number
  /** Served tokens the auditor's sampler could not have drawn at all. */
  outside: number
  meanLogprob: number
}

/** The verdict on a report of a transcript sampled at `temperature`, the same on every node. */
export function judgeAudit(report: AuditReport, temperature: number, thresholds: AuditThresholds = AUDIT_THRESHOLDS): AuditVerdict {
  const judged = report.positions.slice(0, thresholds.maxPositions)
  const n = judged.length
  const mismatches = judged.filter((p) => !p.sampledSame).length
  const outside = judged.filter((p) => p.rank < 0).length
  const finite = judged.filter((p) => Number.isFinite(p.logprob))
  const meanLogprob = finite.length === 0 ? -Infinity : finite.reduce((s, p) => s + p.logprob, 0) / finite.length
  const drift = temperature === 0 ? thresholds.greedyDrift : thresholds.sampledDrift
  const failed = mismatches >= mismatchThreshold(n, drift, thresholds.falsePositive)
  return { failed, positions: n, mismatches, outside, meanLogprob }
}

export function encodeReport(r: AuditReport): Uint8Array<ArrayBuffer> {
  return wire.AuditReport.encode({
    domain: REPORT_DOMAIN,
    transcriptSha256: r.transcriptSha256,
    auditor: r.auditor.toString(),
    hoster: r.hoster.toString(),
    model: r.model,
    timeMs: r.timeMs,
    ranks: r.positions.map((p) => (p.rank < 0 ? OUTSIDE : p.rank)),
    logprobs: r.positions.map((p) => p.logprob),
    sampledSame: r.positions.map((p) => p.sampledSame),
  } as wire.AuditReport)
}

function bad(message: string): MeshError {
  return new MeshError('BAD_AUDIT_REPORT', message)
}

export function decodeReport(bytes: Uint8Array): AuditReport {
  let m: wire.AuditReport
  try {
    m = wire.AuditReport.decode(bytes)
  } catch (err) {
    throw bad(`unreadable audit report: ${errorMessage(err)}`)
  }
  if (m.domain !== REPORT_DOMAIN) throw bad('not an audit report (wrong domain)')
  if (m.transcriptSha256.byteLength !== 32) throw bad('the transcript hash is not 32 bytes')
  const n = m.ranks.length
  if (n === 0 || n > MAX_TRANSCRIPT_TOKENS || m.logprobs.length !== n || m.sampledSame.length !== n) {
    throw bad('a report has as many ranks, log-probabilities and draws as output positions (1 or more)')
  }
  if (m.logprobs.some((l) => Number.isNaN(l) || l > 0)) throw bad('log-probabilities are at most 0')
  let auditor: PeerId
  let hoster: PeerId
  try {
    auditor = peerIdFromString(m.auditor)
    hoster = peerIdFromString(m.hoster)
  } catch (err) {
    throw bad(`a peer id of the report is malformed: ${errorMessage(err)}`)
  }
  return {
    transcriptSha256: m.transcriptSha256,
    auditor,
    hoster,
    model: m.model,
    timeMs: m.timeMs,
    positions: m.ranks.map((rank, i) => ({ rank: rank === OUTSIDE ? -1 : rank, logprob: m.logprobs[i], sampledSame: m.sampledSame[i] })),
  }
}

const verifier = new Verifier()

/** Checks a signed report: decodable, signed by its auditor, and about `transcript` when one is given. */
export function openReport(bytes: Uint8Array, signature: Uint8Array, transcript?: SignedTranscript): SignedAuditReport {
  const report = decodeReport(bytes)
  if (!verifier.verify(report.auditor, bytes, signature)) throw bad(`the report is not signed by ${report.auditor.toString()}`)
  if (transcript !== undefined) {
    const t = transcript.transcript
    if (!timingSafeEqual(report.transcriptSha256, sha256(transcript.bytes))) throw bad('the report is about another transcript')
    if (!report.hoster.equals(t.hoster) || report.model !== t.model || report.positions.length !== t.record.outputTokens.length) {
      throw bad('the report\'s hoster, model or positions differ from the transcript\'s')
    }
  }
  return { bytes, signature, report }
}

/** Audits `signed` on the local engine: the report, unsigned. */
export async function auditLocally(engine: Engine & TokenScorer, self: PeerId, signed: SignedTranscript, signal?: AbortSignal): Promise<AuditReport> {
  const t = signed.transcript
  if (t.model !== engine.model.id) throw new MeshError('MODEL_NOT_FOUND', `this node runs model ${engine.model.id}, not ${t.model}`)
  const positions = await engine.scoreTokens(t.record, { signal })
  return { transcriptSha256: sha256(signed.bytes), auditor: self, hoster: t.hoster, model: t.model, timeMs: Date.now(), positions }
}

/** Serves audits of transcripts for the model this node runs. */
export class AuditService {
  constructor(private readonly components: { engine: Engine & TokenScorer }) {}

  async register(server: RpcServer, access: Access = 'Registered'): Promise<void> {
    await server.handle(auditMethod, (request, context) => this.audit(request, context), { access })
  }

  async audit(request: wire.SignedTranscript, context: CallContext): Promise<wire.SignedAuditReport> {
    if (context.sign === undefined) throw new RpcError('UNSUPPORTED', 'this node runs without authentication: it cannot sign audit reports')
    let signed: SignedTranscript
    try {
      signed = openTranscript(request.transcript, request.signature)
    } catch (err) {
      throw new RpcError('INVALID_REQUEST', errorMessage(err))
    }
    let report: AuditReport
    try {
      report = await auditLocally(this.components.engine, context.self, signed, context.signal)
    } catch (err) {
      if (err instanceof MeshError && !(err instanceof RpcError)) throw new RpcError(err.code, err.message)
      throw err
    }
    const bytes = encodeReport(report)
    return { report: bytes, signature: context.sign(bytes) as Uint8Array<ArrayBuffer> }
  }
}

/** Asks `auditor` to audit `signed`; the report, checked against the transcript and signed by that auditor. */
export async function requestAudit(rpc: RpcClient, auditor: PeerId, signed: SignedTranscript, options?: CallOptions): Promise<SignedAuditReport> {
  const response = await rpc.call(auditor, auditMethod, {
    transcript: signed.bytes as Uint8Array<ArrayBuffer>, signature: signed.signature as Uint8Array<ArrayBuffer>,
  }, options)
  const opened = openReport(response.report, response.signature, signed)
  if (!opened.report.auditor.equals(auditor)) throw bad(`${auditor.toString()} sent a report signed as ${opened.report.auditor.toString()}`)
  return opened
}
