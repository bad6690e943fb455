// Scoring (PROTOCOL.md, "Scoring"): pure functions of what every node reads from the DHT, so
// every node computes the same doubles. Peers are taken in peer id order; every sum runs in
// that order.
import { decodeTensor, TensorDecodeError } from '../inference/tensor.js'
import { decodeCommit, decodeReveal, opens, type Reveal } from './commit.js'
import { medianReference } from './reference.js'
import { decodeScores } from './scores-codec.js'
import { RecordDecodeError } from './wire.js'

/** Share of the epoch's scores that goes to hosters and to validators. */
export const HOSTER_SHARE = 0.4
export const VALIDATOR_SHARE = 0.6
export const DEFAULT_TAU = 0.05
/** Floor of the reference norm in d = ‖o − m‖ / max(‖m‖, ε). */
export const EPSILON = 1e-12

export interface ScoringParams {
  /** The tolerance τ in s = 1 / (1 + d / τ). */
  tau: number
}

export const DEFAULT_SCORING: ScoringParams = { tau: DEFAULT_TAU }

/** What one peer stored for the epoch, as raw record values (undefined when absent). */
export interface PeerRecords {
  peerId: string
  commit?: Uint8Array
  reveal?: Uint8Array
}

export type Verdict =
  | 'valid'
  | 'no-commit'
  | 'no-reveal'
  | 'malformed-commit'
  | 'malformed-reveal'
  | 'reveal-mismatch'
  | 'malformed-payload'
  | 'wrong-epoch'
  | 'not-finite'
  | 'audit-failed'

export interface PeerScore {
  peerId: string
  verdict: Verdict
  /** Relative distance to the reference (valid peers only). */
  distance?: number
  /** s = 1 / (1 + d / τ), in [0, 1]; 0 unless valid. */
  raw: number
  /** The peer's share of the epoch: raw scores normalized to the role's share. */
  score: number
  /** Why the verdict, for the epoch report. */
  reason?: string
}

export interface RoleScores {
  /** By peer id, ascending. */
  peers: PeerScore[]
  /** The reference vector, the coordinate-wise median (empty when no peer is valid). */
  reference: Float64Array
}

function byPeerId<T extends { peerId: string }>(a: T, b: T): number {
  return a.peerId < b.peerId ? -1 : a.peerId > b.peerId ? 1 : 0
}

function sortedUnique(records: readonly PeerRecords[]): PeerRecords[] {
  const sorted = [...records].sort(byPeerId)
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i].peerId === sorted[i - 1].peerId) throw new RangeError(`peer ${sorted[i].peerId} appears twice`)
  }
  return sorted
}

type Opened = { ok: true; payload: Uint8Array } | { ok: false; verdict: Verdict; reason: string }

function open(records: PeerRecords, maxPayload: number): Opened {
  if (records.commit === undefined) return { ok: false, verdict: 'no-commit', reason: 'no commit stored' }
  if (records.reveal === undefined) return { ok: false, verdict: 'no-reveal', reason: 'no reveal stored' }
  let commit: Uint8Array
  let reveal: Reveal
  try {
    commit = decodeCommit(records.commit)
  } catch (err) {
    return { ok: false, verdict: 'malformed-commit', reason: (err as Error).message }
  }
  try {
    reveal = decodeReveal(records.reveal, maxPayload)
  } catch (err) {
    return { ok: false, verdict: 'malformed-reveal', reason: (err as Error).message }
  }
  if (!opens(commit, records.peerId, reveal)) return { ok: false, verdict: 'reveal-mismatch', reason: 'sha256(salt ‖ payload) is not the commit' }
  return { ok: true, payload: reveal.payload }
}

/** Relative-distance scores of `vectors` against their median, normalized to `share`. */
function scoreVectors(
  candidates: Array<{ peerId: string; vector?: ArrayLike<number>; verdict: Verdict; reason?: string }>,
  dim: number,
  share: number,
  params: ScoringParams,
): RoleScores {
  const valid = candidates.filter((c) => c.vector !== undefined)
  const reference = valid.length === 0 ? new Float64Array(0) : medianReference(valid.map((c) => c.vector!), dim)
  let refNorm = 0
  for (let j = 0; j < reference.length; j++) refNorm += reference[j] * reference[j]
  const denominator = Math.max(Math.sqrt(refNorm), EPSILON)

  const peers: PeerScore[] = candidates.map((c) => {
    if (c.vector === undefined) return { peerId: c.peerId, verdict: c.verdict, raw: 0, score: 0, reason: c.reason }
    const v = c.vector
    let sq = 0
    for (let j = 0; j < dim; j++) {
      const diff = v[j] - reference[j]
      sq += diff * diff
    }
    const distance = Math.sqrt(sq) / denominator
    return { peerId: c.peerId, verdict: 'valid', distance, raw: 1 / (1 + distance / params.tau), score: 0 }
  })
  let total = 0
  for (const p of peers) total += p.raw
  if (total > 0) for (const p of peers) p.score = (p.raw * share) / total
  return { peers, reference }
}

/**
 * Scores the hosters of one epoch from their commit and reveal records. A valid reveal opens
 * its commit and carries a float32 tensor of shape [nEmbd] whose values are all finite. A
 * hoster in `auditFailed` (a confirmed audit failure in the epoch, audits.ts) gets 0 and
 * stays out of the reference.
 */
export function scoreHosters(records: readonly PeerRecords[], nEmbd: number, params: ScoringParams = DEFAULT_SCORING,
  auditFailed: ReadonlySet<string> = new Set()): RoleScores {
  const maxPayload = 64 + 4 * nEmbd
  const candidates = sortedUnique(records).map((r) => {
    if (auditFailed.has(r.peerId)) return { peerId: r.peerId, verdict: 'audit-failed' as const, reason: 'a confirmed audit failure this epoch' }
    const opened = open(r, maxPayload)
    if (!opened.ok) return { peerId: r.peerId, verdict: opened.verdict, reason: opened.reason }
    let data: Float32Array
    try {
      data = decodeTensor(opened.payload, [nEmbd]).data
    } catch (err) {
      if (!(err instanceof TensorDecodeError)) throw err
      return { peerId: r.peerId, verdict: 'malformed-payload' as const, reason: err.message }
    }
    for (let j = 0; j < data.length; j++) {
      if (!Number.isFinite(data[j])) return { peerId: r.peerId, verdict: 'not-finite' as const, reason: `value ${j} is ${data[j]}` }
    }
    return { peerId: r.peerId, vector: data, verdict: 'valid' as const }
  })
  return scoreVectors(candidates, nEmbd, HOSTER_SHARE, params)
}

/**
 * Scores the validators of epoch e: `records` pair each validator's commit of epoch e−1 with
 * its reveal in epoch e, whose payload is scores_bytes for `scoredEpoch` (= e − 1). Each valid
 * reveal is a vector over the union of the hosters named in valid reveals (absent = 0).
 */
export function scoreValidators(records: readonly PeerRecords[], scoredEpoch: number, params: ScoringParams = DEFAULT_SCORING): RoleScores {
  const decoded = sortedUnique(records).map((r) => {
    const opened = open(r, 16 * 1024 * 1024)
    if (!opened.ok) return { peerId: r.peerId, verdict: opened.verdict, reason: opened.reason }
    try {
      const vector = decodeScores(opened.payload)
      if (vector.epoch !== scoredEpoch) {
        return { peerId: r.peerId, verdict: 'wrong-epoch' as const, reason: `scores for epoch ${vector.epoch}, not ${scoredEpoch}` }
      }
      return { peerId: r.peerId, verdict: 'valid' as const, scores: vector.scores }
    } catch (err) {
      if (!(err instanceof RecordDecodeError)) throw err
      return { peerId: r.peerId, verdict: 'malformed-payload' as const, reason: err.message }
    }
  })
  const hosters = new Set<string>()
  for (const d of decoded) if ('scores' in d) for (const [peerId] of d.scores!) hosters.add(peerId)
  const axis = [...hosters].sort()
  const index = new Map(axis.map((peerId, i) => [peerId, i]))
  const candidates = decoded.map((d) => {
    if (!('scores' in d)) return d
    const vector = new Float64Array(axis.length)
    for (const [peerId, score] of d.scores!) vector[index.get(peerId)!] = score
    return { peerId: d.peerId, vector, verdict: d.verdict }
  })
  return scoreVectors(candidates, axis.length, VALIDATOR_SHARE, params)
}
