// What the chain does at a subnet's slot block with the previous epoch's submission: the attestation
// ratio decides between slashing the validator and paying the nodes in the data; classes graduate and
// reputations move. Reward curves approximate the runtime's (they only scale amounts).
import { divOne, mulOne, ONE, fromFraction, toFraction } from './params.js'
import type { ChainState, NodeRecord, SubnetRecord, SubmissionRecord } from './state.js'
import type { CallEvent } from './calls.js'

function decrease(node: NodeRecord, factor: bigint): void {
  node.reputation -= mulOne(node.reputation, factor)
}

function increase(node: NodeRecord, factor: bigint): void {
  node.reputation += mulOne(ONE - node.reputation, factor)
}

/** The validator's reward factor: a falling sigmoid of the epoch progress around 50%. */
function validatorFactor(progress: bigint): bigint {
  return fromFraction(1 / (1 + Math.exp(20 * (toFraction(progress) - 0.5))))
}

/** An attestor's reward factor: 1 early, falling to 33% at the end of the epoch. */
function attestorFactor(progress: bigint): bigint {
  return fromFraction(1 - 0.67 * toFraction(progress) ** 10)
}

export function attestationRatio(submission: SubmissionRecord): { ratio: bigint; attests: number; validators: number } {
  const validators = submission.snapshot.filter((n) => n.class === 'Validator')
  const attests = validators.filter((n) => submission.attests[String(n.id)] !== undefined).length
  return { ratio: divOne(BigInt(attests), BigInt(validators.length)), attests, validators: validators.length }
}

/** Settles `epoch − 1` at the slot block that starts `epoch`. */
export function settleEpoch(state: ChainState, subnet: SubnetRecord, epoch: number): CallEvent[] {
  const p = state.params
  const previous = String(epoch - 1)
  const submission = subnet.submissions[previous]
  const electedId = subnet.elected[previous]
  if (submission === undefined) {
    const absent = electedId === undefined ? undefined : subnet.nodes[String(electedId)]
    if (absent === undefined) return []
    decrease(absent, p.validatorAbsentDecreaseReputation)
    return [{ name: 'ValidatorAbsent', fields: { subnet: subnet.id, epoch: epoch - 1, validator: absent.id } }]
  }

  const { ratio, attests, validators } = attestationRatio(submission)
  const validator = subnet.nodes[String(submission.validatorId)]
  if (ratio < p.minAttestationRatio) {
    let slashed = 0n
    if (validator !== undefined) {
      const stake = subnet.stakes[validator.hotkey] ?? 0n
      const delta = ONE - divOne(ratio, p.minAttestationRatio)
      slashed = mulOne(mulOne(stake, p.baseSlashPercentage), delta)
      if (slashed > p.maxSlashAmount) slashed = p.maxSlashAmount
      subnet.stakes[validator.hotkey] = stake - slashed
      decrease(validator, p.validatorNonConsensusDecreaseReputation)
    }
    for (const id of Object.keys(submission.attests)) {
      const attestor = subnet.nodes[id]
      if (attestor !== undefined && attestor.id !== submission.validatorId) decrease(attestor, p.nonConsensusAttestorDecreaseReputation)
    }
    return [{ name: 'Slashing', fields: { subnet: subnet.id, epoch: epoch - 1, validator: submission.validatorId, ratio: toFraction(ratio), attests, validators, amount: slashed } }]
  }

  const events: CallEvent[] = []
  const weightSum = submission.data.reduce((sum, e) => sum + e.score, 0n)
  let paid = 0n
  for (const member of submission.snapshot) {
    const node = subnet.nodes[String(member.id)]
    if (node === undefined) continue
    if (member.class === 'Idle') {
      if (node.class === 'Idle' && node.classStartEpoch + p.idleEpochs < epoch) graduate(node, 'Included', epoch, events, subnet.id)
      continue
    }
    const entry = submission.data.find((e) => e.nodeId === node.id)
    if (entry === undefined) {
      decrease(node, p.absentDecreaseReputation)
      node.consecutiveIncluded = 0
      continue
    }
    increase(node, p.includedIncreaseReputation)
    if (member.class === 'Included') {
      // Included nodes earn no rewards yet: they graduate after consecutive epochs in accepted data.
      node.consecutiveIncluded += 1
      if (node.consecutiveIncluded >= p.includedEpochs && node.reputation === ONE) graduate(node, 'Validator', epoch, events, subnet.id)
      continue
    }
    const attest = submission.attests[String(node.id)]
    if (attest === undefined && ratio >= p.superMajorityRatio) decrease(node, p.nonAttestorDecreaseReputation)
    let reward = mulOne(divOne(entry.score, weightSum), p.epochNodeRewards)
    if (node.id === submission.validatorId) reward += mulOne(p.baseValidatorReward, validatorFactor(submission.progress))
    reward = mulOne(reward, attest === undefined ? ONE : attestorFactor(attest.progress))
    subnet.stakes[node.hotkey] = (subnet.stakes[node.hotkey] ?? 0n) + reward
    paid += reward
  }
  events.unshift({ name: 'SubnetRewards', fields: { subnet: subnet.id, epoch: epoch - 1, validator: submission.validatorId, ratio: toFraction(ratio), attests, validators, paid } })
  return events
}

function graduate(node: NodeRecord, to: NodeRecord['class'], epoch: number, events: CallEvent[], subnetId: number): void {
  node.class = to
  node.classStartEpoch = epoch
  node.consecutiveIncluded = 0
  events.push({ name: 'NodeClassGraduation', fields: { subnet: subnetId, node: node.id, class: to } })
}
