// What `mesh chain status` shows: one subnet's clock, nodes, election and last submission.
import { type Chain, type ConsensusSubmission, type EpochInfo, type EpochRewards, type SubnetInfo, type SubnetNode, epochAt } from '../chain/chain.js'
import { ChainError } from '../chain/errors.js'
import { formatTokens } from '../chain/tokens.js'

export interface SubnetStatus {
  subnet: SubnetInfo
  epoch: EpochInfo
  electedValidator: number | null
  nodes: SubnetNode[]
  lastSubmission: (ConsensusSubmission & { attestationRatio: number }) | null
  /** Seconds a block: measured from blocks arriving, else the runtime's slot (none arrived in time), or the local chain's own clock. */
  pace: { seconds: number; source: 'measured' | 'runtime slot' | 'local chain' }
  /** What the chain paid for each of the recent epochs (newest first), or null where the chain keeps no record. */
  rewards: Array<{ epoch: number; paid: EpochRewards | null }> | null
}

/**
 * The chain's real pace: the time between the next blocks to arrive (the runtime's slot says 6 s
 * whatever the chain does: a chopsticks devnet makes one a second). Waits at most `waitMs`.
 */
export async function measurePace(chain: Chain, waitMs: number): Promise<number | null> {
  const arrivals: number[] = []
  let done: () => void = () => undefined
  const enough = new Promise<void>((resolve) => { done = resolve })
  const unsubscribe = await chain.subscribeBlocks(() => {
    arrivals.push(Date.now())
    if (arrivals.length >= 3) done()
  })
  const timer = setTimeout(done, waitMs)
  await enough
  clearTimeout(timer)
  unsubscribe()
  // The first arrival may be the head as it stood when subscribing: only intervals after it count.
  return arrivals.length < 3 ? null : (arrivals[arrivals.length - 1]! - arrivals[1]!) / (arrivals.length - 2)
}

export interface StatusOptions {
  /** Most time spent measuring the pace; undefined for a chain whose block time is its pace (the local chain). */
  paceWaitMs?: number
  /** Recent epochs to show rewards for. */
  rewardEpochs: number
}

export async function subnetStatus(chain: Chain, subnetId: number, options: StatusOptions = { rewardEpochs: 0 }): Promise<SubnetStatus> {
  const subnet = await chain.subnet(subnetId)
  if (subnet === null) throw new ChainError('network.InvalidSubnetId', `network.InvalidSubnetId: subnet ${subnetId} doesn't exist`)
  const measured = options.paceWaitMs !== undefined && options.paceWaitMs > 0 ? await measurePace(chain, options.paceWaitMs) : null
  const pace: SubnetStatus['pace'] = {
    seconds: (measured ?? chain.blockTimeMs) / 1000,
    source: measured !== null ? 'measured' : options.paceWaitMs === undefined ? 'local chain' : 'runtime slot',
  }
  const read = await chain.epochInfo(subnetId)
  const epoch = epochAt(read.block, read.slot, read.epochLength, pace.seconds * 1000)
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
  let rewards: SubnetStatus['rewards'] = null
  if (chain.rewards !== undefined) {
    const epochs = Array.from({ length: Math.min(options.rewardEpochs, epoch.epoch) }, (_, i) => epoch.epoch - 1 - i)
    rewards = await Promise.all(epochs.map(async (e) => ({ epoch: e, paid: await chain.rewards!(subnetId, e) })))
  }
  return { subnet, epoch, electedValidator, nodes, lastSubmission, pace, rewards }
}

/** JSON with bigints as decimal strings of the chain's base unit (1e-18 token). */
export function statusJson(status: SubnetStatus): string {
  return JSON.stringify(status, (_k, v) => (typeof v === 'bigint' ? v.toString() : v), 2)
}

const PACE_SOURCE: Record<SubnetStatus['pace']['source'], string> = {
  'measured': 'measured',
  'runtime slot': "the runtime's slot: no blocks arrived to measure",
  'local chain': "the local chain's clock",
}

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`

export function statusText(status: SubnetStatus): string {
  const { subnet, epoch, nodes, lastSubmission } = status
  const lines = [
    `subnet ${subnet.id} "${subnet.name}": ${subnet.state}, slot ${subnet.slot}, stake ${formatTokens(subnet.minStake)}–${formatTokens(subnet.maxStake)}`,
    `block ${epoch.block}, epoch ${epoch.epoch} at ${pct(epoch.progress)} (${epoch.blocksRemaining} blocks, ~${Math.round(epoch.secondsRemaining)} s to the next, ` +
      `at ${status.pace.seconds.toFixed(1)} s a block, ${PACE_SOURCE[status.pace.source]})`,
    `elected validator: ${status.electedValidator === null ? 'none' : `node ${status.electedValidator}`}`,
    `nodes (${nodes.length}):`,
    ...nodes.map((n) => `  ${String(n.id).padStart(4)}  ${n.class.padEnd(10)} stake ${formatTokens(n.stake).padStart(12)}  reputation ${pct(n.reputation).padStart(6)}  ${n.peerId}  hotkey ${n.hotkey}`),
  ]
  if (lastSubmission === null) lines.push('last submission: none')
  else {
    lines.push(`last submission: epoch ${lastSubmission.epoch} by node ${lastSubmission.validatorId} at block ${lastSubmission.block}, ` +
      `${lastSubmission.data.length} entries, attested by ${lastSubmission.attestations.length}/${lastSubmission.validatorCount} (${pct(lastSubmission.attestationRatio)})`)
  }
  if (status.rewards === null) lines.push('rewards: the local chain keeps no record of them')
  else {
    for (const { epoch: e, paid } of status.rewards) {
      lines.push(paid === null ? `rewards for epoch ${e}: none paid`
        : `rewards for epoch ${e} (paid at block ${paid.block}): ${paid.nodes.length === 0 ? 'no node rewards' : paid.nodes.map((n) => `node ${n.nodeId} ${formatTokens(n.amount)}`).join(', ')}; delegate stakers ${formatTokens(paid.delegateStake)}`)
    }
  }
  return lines.join('\n')
}
