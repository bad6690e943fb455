// What `mesh chain status` shows: one subnet's clock, nodes, election and last submission.
import type { Chain, ConsensusSubmission, EpochInfo, SubnetInfo, SubnetNode } from '../chain/chain.js'
import { ChainError } from '../chain/errors.js'
import { formatTokens } from '../chain/tokens.js'

export interface SubnetStatus {
  subnet: SubnetInfo
  epoch: EpochInfo
  electedValidator: number | null
  nodes: SubnetNode[]
  lastSubmission: (ConsensusSubmission & { attestationRatio: number }) | null
}

export async function subnetStatus(chain: Chain, subnetId: number): Promise<SubnetStatus> {
  const subnet = await chain.subnet(subnetId)
  if (subnet === null) throw new ChainError('network.InvalidSubnetId', `network.InvalidSubnetId: subnet ${subnetId} doesn't exist`)
  const epoch = await chain.epochInfo(subnetId)
  const [electedValidator, nodes, current, previous] = await Promise.all([
    chain.electedValidator(subnetId, epoch.epoch),
    chain.subnetNodes(subnetId),
    chain.consensusSubmission(subnetId, epoch.epoch),
    epoch.epoch > 0 ? chain.consensusSubmission(subnetId, epoch.epoch - 1) : Promise.resolve(null),
  ])
  const last = current ?? previous
  const lastSubmission = last === null ? null : {
    ...last,
    attestationRatio: last.validatorCount === 0 ? 0 : last.attestations.length / last.validatorCount,
  }
  return { subnet, epoch, electedValidator, nodes, lastSubmission }
}

/** JSON with bigints as decimal strings of the chain's base unit (1e-18 token). */
export function statusJson(status: SubnetStatus): string {
  return JSON.stringify(status, (_k, v) => (typeof v === 'bigint' ? v.toString() : v), 2)
}

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`

export function statusText(status: SubnetStatus): string {
  const { subnet, epoch, nodes, lastSubmission } = status
  const lines = [
    `subnet ${subnet.id} "${subnet.name}": ${subnet.state}, slot ${subnet.slot}, stake ${formatTokens(subnet.minStake)}–${formatTokens(subnet.maxStake)}`,
    `block ${epoch.block}, epoch ${epoch.epoch} at ${pct(epoch.progress)} (${epoch.blocksRemaining} blocks, ~${Math.round(epoch.secondsRemaining)} s to the next)`,
    `elected validator: ${status.electedValidator === null ? 'none' : `node ${status.electedValidator}`}`,
    `nodes (${nodes.length}):`,
    ...nodes.map((n) => `  ${String(n.id).padStart(4)}  ${n.class.padEnd(10)} stake ${formatTokens(n.stake).padStart(12)}  reputation ${pct(n.reputation).padStart(6)}  ${n.peerId}  hotkey ${n.hotkey}`),
  ]
  if (lastSubmission === null) lines.push('last submission: none')
  else {
    lines.push(`last submission: epoch ${lastSubmission.epoch} by node ${lastSubmission.validatorId} at block ${lastSubmission.block}, ` +
      `${lastSubmission.data.length} entries, attested by ${lastSubmission.attestations.length}/${lastSubmission.validatorCount} (${pct(lastSubmission.attestationRatio)})`)
  }
  return lines.join('\n')
}
