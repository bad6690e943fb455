// The constants and storage defaults of the pallet that the local chain simulates. Defaults are the
// Hypertensor testnet runtime's values (read from its metadata); tests and devnet shorten the clock.
import { TOKEN } from '../chain.js'

/** Fixed-point one (1e18), the pallet's "percentage factor" for ratios and reputations. */
export const ONE = 10n ** 18n

export interface ChainParams {
  /** Blocks per epoch (`network.epochLength`). */
  epochLength: number
  /** Milliseconds between blocks when the chain produces them on a timer. */
  blockTimeMs: number
  /** Seeds the election draw, so that a run can be reproduced. */
  seed: string
  /** Nodes needed to activate a subnet (`MinSubnetNodes`). */
  minSubnetNodes: number
  maxSubnetNodes: number
  /** Epochs a node waits in the registration queue before it becomes Idle. */
  queueEpochs: number
  /** Nodes that leave the queue per epoch (`ChurnLimit`). */
  churnLimit: number
  /** Epochs as Idle before a node can become Included (`IdleClassificationEpochs`). */
  idleEpochs: number
  /** Consecutive epochs in accepted data before an Included node becomes Validator. */
  includedEpochs: number
  /** Lowest and highest minimum stake a subnet may ask for; highest stake of a node. */
  minSubnetMinStake: bigint
  maxSubnetMinStake: bigint
  networkMaxStake: bigint
  /** Burned from the owner's coldkey to register a subnet. */
  subnetRegistrationCost: bigint
  /** Removed stake is returned to the coldkey this many epochs later (`StakeCooldownEpochs`). */
  stakeCooldownEpochs: number
  /** A balance may not fall below this (the existential deposit). */
  existentialDeposit: bigint
  /** Emission shared by a subnet's nodes each epoch, in proportion to their scores. */
  epochNodeRewards: bigint
  /** Paid to the elected validator on top of its share (`BaseValidatorReward`), scaled by how early it proposed. */
  baseValidatorReward: bigint
  /** Attestation ratio at or above which the submission is accepted (`MinAttestationPercentage`). */
  minAttestationRatio: bigint
  /** At or above this ratio non-attestors lose reputation (`SuperMajorityAttestationRatio`). */
  superMajorityRatio: bigint
  /** Part of stake slashed from a validator whose submission fails, scaled and capped. */
  baseSlashPercentage: bigint
  maxSlashAmount: bigint
  /** Nodes whose reputation falls below this are removed (`MinSubnetNodeReputation`). */
  minNodeReputation: bigint
  /** Reputation factors: a decrease takes `rep × f`, an increase adds `(1 − rep) × f`. */
  absentDecreaseReputation: bigint
  includedIncreaseReputation: bigint
  nonAttestorDecreaseReputation: bigint
  nonConsensusAttestorDecreaseReputation: bigint
  validatorAbsentDecreaseReputation: bigint
  validatorNonConsensusDecreaseReputation: bigint
  /** Slots 0…n−1 of each epoch are reserved; subnets get the next free ones (`DesignatedEpochSlots`). */
  designatedEpochSlots: number
  /** Elections and submissions older than this many epochs are pruned from the state. */
  historyEpochs: number
}

const percent = (value: number): bigint => (BigInt(Math.round(value * 1e6)) * ONE) / 1_000_000n

export const DEFAULT_PARAMS: ChainParams = {
  epochLength: 20,
  blockTimeMs: 6000,
  seed: 'mesh-local-chain',
  minSubnetNodes: 3,
  maxSubnetNodes: 256,
  queueEpochs: 3,
  churnLimit: 4,
  idleEpochs: 2,
  includedEpochs: 2,
  minSubnetMinStake: 100n * TOKEN,
  maxSubnetMinStake: 250n * TOKEN,
  networkMaxStake: 1000n * TOKEN,
  subnetRegistrationCost: 100n * TOKEN,
  stakeCooldownEpochs: 1,
  existentialDeposit: 500n,
  epochNodeRewards: 10n * TOKEN,
  baseValidatorReward: 1n * TOKEN,
  minAttestationRatio: percent(0.66),
  superMajorityRatio: percent(0.875),
  baseSlashPercentage: percent(0.03125),
  maxSlashAmount: 1n * TOKEN,
  minNodeReputation: percent(0.1),
  absentDecreaseReputation: percent(0.1),
  includedIncreaseReputation: percent(0.1),
  nonAttestorDecreaseReputation: percent(0.1),
  nonConsensusAttestorDecreaseReputation: percent(0.1),
  validatorAbsentDecreaseReputation: percent(0.05),
  validatorNonConsensusDecreaseReputation: percent(0.05),
  designatedEpochSlots: 3,
  historyEpochs: 64,
}

/** `a × b` in 1e18 fixed point. */
export function mulOne(a: bigint, b: bigint): bigint {
  return (a * b) / ONE
}

/** `a ÷ b` in 1e18 fixed point (0 when b is 0). */
export function divOne(a: bigint, b: bigint): bigint {
  return b === 0n ? 0n : (a * ONE) / b
}

/** A fraction in [0, 1] as 1e18 fixed point. */
export function fromFraction(value: number): bigint {
  return percent(value)
}

export function toFraction(value: bigint): number {
  return Number((value * 1_000_000n) / ONE) / 1_000_000
}
