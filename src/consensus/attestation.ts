// Does the elected validator's submission match this node's own scores? (PROTOCOL.md,
// "Scoring", determinism): the sets of entries must be equal, except that a node that joined or
// left around the epoch boundary may be present on one side only.
import type { ConsensusEntry } from '../chain/chain.js'

export type EntryDifference =
  | { nodeId: number; kind: 'score'; proposed: bigint; own: bigint }
  | { nodeId: number; kind: 'extra'; proposed: bigint; tolerated: boolean }
  | { nodeId: number; kind: 'missing'; own: bigint; tolerated: boolean }
  | { nodeId: number; kind: 'duplicate'; count: number }

export interface Comparison {
  matches: boolean
  /** Every difference, tolerated ones included, by node id. */
  differences: EntryDifference[]
}

function index(entries: readonly ConsensusEntry[]): Map<number, bigint> {
  return new Map(entries.map((e) => [e.nodeId, e.score]))
}

function duplicates(entries: readonly ConsensusEntry[]): EntryDifference[] {
  const counts = new Map<number, number>()
  for (const e of entries) counts.set(e.nodeId, (counts.get(e.nodeId) ?? 0) + 1)
  return [...counts].filter(([, count]) => count > 1).map(([nodeId, count]) => ({ nodeId, kind: 'duplicate', count }))
}

/**
 * Compares `proposed` with `own`. `churned` holds the node ids that joined or left around the
 * boundary (see `churnedNodes`): their presence on one side only is tolerated; a score that
 * differs never is.
 */
export function compareEntries(proposed: readonly ConsensusEntry[], own: readonly ConsensusEntry[], churned: ReadonlySet<number>): Comparison {
  const differences = duplicates(proposed)
  const p = index(proposed)
  const o = index(own)
  for (const [nodeId, score] of p) {
    const mine = o.get(nodeId)
    if (mine === undefined) differences.push({ nodeId, kind: 'extra', proposed: score, tolerated: churned.has(nodeId) })
    else if (mine !== score) differences.push({ nodeId, kind: 'score', proposed: score, own: mine })
  }
  for (const [nodeId, score] of o) {
    if (!p.has(nodeId)) differences.push({ nodeId, kind: 'missing', own: score, tolerated: churned.has(nodeId) })
  }
  differences.sort((a, b) => a.nodeId - b.nodeId)
  const matches = differences.every((d) => (d.kind === 'extra' || d.kind === 'missing') && d.tolerated)
  return { matches, differences }
}

/**
 * Node ids that joined or left around the boundary: present in this node's previous-epoch
 * entries or in its Included+ set at scoring time, but not in both of (own entries, the
 * Included+ set now) — i.e. whose membership changed between the two epochs or during the
 * boundary.
 */
export function churnedNodes(previous: readonly ConsensusEntry[], own: readonly ConsensusEntry[], includedAtScoring: ReadonlySet<number>, includedNow: ReadonlySet<number>): Set<number> {
  const out = new Set<number>()
  const prev = new Set(previous.map((e) => e.nodeId))
  const cur = new Set(own.map((e) => e.nodeId))
  for (const id of prev) if (!cur.has(id)) out.add(id)
  for (const id of cur) if (!prev.has(id)) out.add(id)
  for (const id of includedAtScoring) if (!includedNow.has(id)) out.add(id)
  for (const id of includedNow) if (!includedAtScoring.has(id)) out.add(id)
  return out
}

/** One line per difference, for the log and the epoch report. */
export function describeDifferences(differences: readonly EntryDifference[]): string {
  if (differences.length === 0) return 'no differences'
  return differences
    .map((d) => {
      switch (d.kind) {
        case 'score':
          return `node ${d.nodeId}: proposed score ${d.proposed}, own ${d.own} (Δ ${d.proposed - d.own})`
        case 'extra':
          return `node ${d.nodeId}: proposed (score ${d.proposed}) but absent from own data${d.tolerated ? ' (tolerated: joined or left at the boundary)' : ''}`
        case 'missing':
          return `node ${d.nodeId}: own score ${d.own} but absent from the proposal${d.tolerated ? ' (tolerated: joined or left at the boundary)' : ''}`
        case 'duplicate':
          return `node ${d.nodeId}: proposed ${d.count} times`
      }
    })
    .join('; ')
}
