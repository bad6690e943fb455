// From the scores of an epoch to the entries the elected validator proposes on chain
// (PROTOCOL.md, "Scoring"): `score = floor(s × 1e18)`, Included+ nodes only, peer id → node id
// from the chain's node list.
import { hasClass, type ConsensusEntry, type SubnetNode } from '../chain/chain.js'
import type { RoleScores } from './scoring.js'

const UNIT = 1e18

/** floor(s × 1e18) as an integer; s × 1e18 < 2^63 for s ≤ 1, so the double converts exactly. */
export function toChainScore(s: number): bigint {
  if (!(s >= 0 && s <= 1)) throw new RangeError(`score ${s} is not in [0, 1]`)
  return BigInt(Math.floor(s * UNIT))
}

/**
 * The submission entries for the scores of one epoch, proposed in `chainEpoch` (the next one):
 * each node of `nodes` that is Included+ in `chainEpoch` and has a hoster or a validator score
 * (the sum when it has both), ordered by peer id.
 */
export function buildEntries(hosters: RoleScores, validators: RoleScores, nodes: readonly SubnetNode[], chainEpoch: number): ConsensusEntry[] {
  const byPeer = new Map<string, SubnetNode>()
  for (const node of nodes) byPeer.set(node.peerId, node)
  const totals = new Map<string, number>()
  for (const p of [...hosters.peers, ...validators.peers]) totals.set(p.peerId, (totals.get(p.peerId) ?? 0) + p.score)
  const entries: Array<{ peerId: string; entry: ConsensusEntry }> = []
  for (const [peerId, s] of totals) {
    const node = byPeer.get(peerId)
    if (node === undefined || !hasClass(node, 'Included', chainEpoch)) continue
    entries.push({ peerId, entry: { nodeId: node.id, score: toChainScore(s) } })
  }
  entries.sort((a, b) => (a.peerId < b.peerId ? -1 : a.peerId > b.peerId ? 1 : 0))
  return entries.map((e) => e.entry)
}
