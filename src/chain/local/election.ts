// The election draw: a seeded hash of (seed, subnet, epoch) picks among Validator-class nodes, so a
// run reproduces exactly from its seed, and no draw depends on the order calls arrived in.
import { createHash } from 'node:crypto'
import { hasClass } from '../chain.js'
import { nodesOf, type ChainState, type SubnetRecord } from './state.js'

export function drawValidator(state: ChainState, subnet: SubnetRecord, epoch: number): number | undefined {
  const candidates = nodesOf(subnet).filter((n) => hasClass(n, 'Validator', epoch) && (subnet.stakes[n.hotkey] ?? 0n) >= subnet.minStake)
  if (candidates.length === 0) return undefined
  const digest = createHash('sha256').update(`${state.params.seed}:${subnet.id}:${epoch}`).digest()
  return candidates[Number(digest.readBigUInt64BE(0) % BigInt(candidates.length))]!.id
}
