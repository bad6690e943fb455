// The extrinsics: each checks everything first (the pallet's `ensure!`s, with its error names),
// then writes, so a refused call leaves the state untouched. `origin` is the signer's address.
import { hasClass, type ConsensusEntry, type RegisterNodeParams, type RegisterSubnetParams } from '../chain.js'
import { normalizeAddress } from './address.js'
import { ensure } from './pallet-errors.js'
import { isValidPeerId } from './peer-id.js'
import { ONE } from './params.js'
import {
  balanceOf, nodesOf, stakeOf, subnetEpoch, subnetProgress,
  type ChainState, type NodeRecord, type SubnetRecord,
} from './state.js'

/** What a call changed, for the log. */
export interface CallEvent {
  name: string
  fields: Record<string, unknown>
}

export function getSubnet(state: ChainState, subnetId: number): SubnetRecord {
  const subnet = state.subnets[String(subnetId)]
  ensure(subnet !== undefined, 'InvalidSubnetId')
  return subnet
}

function nodeOfHotkey(subnet: SubnetRecord, hotkey: string): NodeRecord | undefined {
  return nodesOf(subnet).find((n) => n.hotkey === hotkey)
}

/** Whether `amount` can leave a balance that must keep the existential deposit. */
function canWithdraw(state: ChainState, address: string, amount: bigint): boolean {
  return balanceOf(state, address) - amount >= state.params.existentialDeposit
}

function slotFor(state: ChainState, subnetId: number): number {
  const { epochLength, designatedEpochSlots } = state.params
  const reserved = Math.min(designatedEpochSlots, epochLength - 1)
  return reserved + ((subnetId - 1) % (epochLength - reserved))
}

export function registerSubnet(state: ChainState, origin: string, params: RegisterSubnetParams): { subnetId: number; event: CallEvent } {
  const p = state.params
  ensure(!Object.values(state.subnets).some((s) => s.name === params.name), 'SubnetNameExist')
  ensure(params.minStake >= p.minSubnetMinStake && params.minStake <= p.maxSubnetMinStake, 'InvalidSubnetMinStake')
  ensure(params.maxStake <= p.networkMaxStake, 'InvalidSubnetMaxStake')
  ensure(params.minStake <= params.maxStake, 'InvalidSubnetStakeParameters')
  const coldkeys = params.initialColdkeys.map((c) => normalizeAddress(c, 'initial coldkey'))
  ensure(coldkeys.length >= p.minSubnetNodes, 'InvalidSubnetRegistrationInitialColdkeys')
  ensure(canWithdraw(state, origin, p.subnetRegistrationCost), 'NotEnoughBalanceToRegisterSubnet')

  const id = state.nextSubnetId
  const initialColdkeys: Record<string, number> = {}
  for (const c of coldkeys) initialColdkeys[c] = (initialColdkeys[c] ?? 0) + 1
  state.balances[origin] = balanceOf(state, origin) - p.subnetRegistrationCost
  state.nextSubnetId = id + 1
  state.subnets[String(id)] = {
    id, name: params.name, owner: origin, state: 'Registered', slot: slotFor(state, id),
    minStake: params.minStake, maxStake: params.maxStake, initialColdkeys,
    nodes: {}, nextNodeId: 1, queue: [], stakes: {}, elected: {}, submissions: {},
  }
  return { subnetId: id, event: { name: 'SubnetRegistered', fields: { subnet: id, name: params.name, owner: origin } } }
}

export function activateSubnet(state: ChainState, origin: string, subnetId: number): CallEvent {
  const subnet = getSubnet(state, subnetId)
  ensure(subnet.owner === origin, 'NotSubnetOwner')
  ensure(subnet.state === 'Registered', 'SubnetActivatedAlready')
  ensure(Object.keys(subnet.nodes).length >= state.params.minSubnetNodes, 'SubnetActivationConditionsNotMetYet')
  subnet.state = 'Active'
  subnet.initialColdkeys = {}
  return { name: 'SubnetActivated', fields: { subnet: subnetId } }
}

export function registerSubnetNode(state: ChainState, origin: string, params: RegisterNodeParams): { nodeId: number; event: CallEvent } {
  const subnet = getSubnet(state, params.subnetId)
  const hotkey = normalizeAddress(params.hotkey, 'hotkey')
  const registering = subnet.state === 'Registered'
  ensure(registering || subnet.state === 'Active', 'SubnetMustBeRegisteringOrActivated')
  ensure(!registering || (subnet.initialColdkeys[origin] ?? 0) > 0, 'ColdkeyRegistrationWhitelist')
  ensure(Object.keys(subnet.nodes).length < state.params.maxSubnetNodes, 'MaxSubnetNodes')
  ensure(hotkey !== origin, 'ColdkeyMatchesHotkey')
  ensure(state.hotkeyOwner[hotkey] === undefined || state.hotkeyOwner[hotkey] === origin, 'HotkeyHasOwner')
  ensure(nodeOfHotkey(subnet, hotkey) === undefined, 'HotkeyHasOwner')
  ensure(isValidPeerId(params.peerId), 'InvalidPeerId')
  ensure(params.bootnodePeerId === undefined || isValidPeerId(params.bootnodePeerId), 'InvalidBootnodePeerId')
  ensure(params.clientPeerId === undefined || isValidPeerId(params.clientPeerId), 'InvalidClientPeerId')
  const own = [params.peerId, params.bootnodePeerId, params.clientPeerId].filter((p) => p !== undefined)
  ensure(new Set(own).size === own.length, 'PeerIdsMustBeUnique')
  const taken = new Set(nodesOf(subnet).flatMap((n) => [n.peerId, n.bootnodePeerId, n.clientPeerId]))
  ensure(!taken.has(params.peerId), 'PeerIdExist')
  ensure(params.bootnodePeerId === undefined || !taken.has(params.bootnodePeerId), 'BootnodePeerIdExist')
  ensure(params.clientPeerId === undefined || !taken.has(params.clientPeerId), 'ClientPeerIdExist')
  const stake = stakeOf(subnet, hotkey) + params.stake
  ensure(stake >= subnet.minStake, 'MinStakeNotReached')
  ensure(stake <= subnet.maxStake, 'MaxStakeReached')
  ensure(canWithdraw(state, origin, params.stake), 'NotEnoughBalanceToStake')

  const epoch = subnetEpoch(state, subnet)
  const id = subnet.nextNodeId
  subnet.nextNodeId = id + 1
  state.balances[origin] = balanceOf(state, origin) - params.stake
  subnet.stakes[hotkey] = stake
  state.hotkeyOwner[hotkey] = origin
  // While the subnet is in registration, whitelisted coldkeys' nodes start as Validator class;
  // afterwards a node enters the queue as Registered, counting from the next epoch.
  const nodeClass = registering ? 'Validator' : 'Registered'
  if (registering) subnet.initialColdkeys[origin] = (subnet.initialColdkeys[origin] ?? 0) - 1
  else subnet.queue.push(id)
  subnet.nodes[String(id)] = {
    id, hotkey, coldkey: origin, peerId: params.peerId,
    ...(params.bootnodePeerId === undefined ? {} : { bootnodePeerId: params.bootnodePeerId }),
    ...(params.clientPeerId === undefined ? {} : { clientPeerId: params.clientPeerId }),
    class: nodeClass, classStartEpoch: registering ? epoch : epoch + 1, reputation: ONE, consecutiveIncluded: 0,
  }
  return { nodeId: id, event: { name: 'SubnetNodeRegistered', fields: { subnet: subnet.id, node: id, hotkey, class: nodeClass } } }
}

export function addStake(state: ChainState, origin: string, subnetId: number, nodeId: number, hotkeyIn: string, amount: bigint): CallEvent {
  const subnet = getSubnet(state, subnetId)
  const hotkey = normalizeAddress(hotkeyIn, 'hotkey')
  ensure(amount > 0n, 'AmountZero')
  const node = subnet.nodes[String(nodeId)]
  ensure(node !== undefined && node.hotkey === hotkey, 'InvalidSubnetNodeId')
  ensure(state.hotkeyOwner[hotkey] === origin, 'NotKeyOwner')
  const stake = stakeOf(subnet, hotkey) + amount
  ensure(stake <= subnet.maxStake, 'MaxStakeReached')
  ensure(canWithdraw(state, origin, amount), 'NotEnoughBalanceToStake')
  state.balances[origin] = balanceOf(state, origin) - amount
  subnet.stakes[hotkey] = stake
  return { name: 'StakeAdded', fields: { subnet: subnetId, node: nodeId, hotkey, amount } }
}

export function removeStake(state: ChainState, origin: string, subnetId: number, hotkeyIn: string, amount: bigint): CallEvent {
  const subnet = getSubnet(state, subnetId)
  const hotkey = normalizeAddress(hotkeyIn, 'hotkey')
  ensure(amount > 0n, 'AmountZero')
  ensure(state.hotkeyOwner[hotkey] === origin, 'NotKeyOwner')
  const stake = stakeOf(subnet, hotkey)
  ensure(amount <= stake, 'NotEnoughStakeToWithdraw')
  const node = nodeOfHotkey(subnet, hotkey)
  // A node keeps at least the minimum stake; a removed node's stake can be withdrawn entirely.
  ensure(node === undefined || stake - amount >= subnet.minStake, 'MinStakeNotReached')
  const epoch = subnetEpoch(state, subnet)
  ensure(node === undefined || subnet.elected[String(epoch)] !== node.id, 'ElectedValidatorCannotUnstake')
  subnet.stakes[hotkey] = stake - amount
  const unlockBlock = state.block + state.params.stakeCooldownEpochs * state.params.epochLength
  state.unbondings.push({ coldkey: origin, amount, unlockBlock })
  return { name: 'StakeRemoved', fields: { subnet: subnetId, hotkey, amount, unlockBlock } }
}

export function proposeAttestation(state: ChainState, origin: string, subnetId: number, data: ConsensusEntry[], args: Uint8Array = new Uint8Array()): CallEvent {
  const subnet = getSubnet(state, subnetId)
  const epoch = subnetEpoch(state, subnet)
  const validatorId = subnet.elected[String(epoch)]
  ensure(validatorId !== undefined, 'NoElectedValidator')
  ensure(subnet.nodes[String(validatorId)]?.hotkey === origin, 'InvalidValidator')
  ensure(subnet.submissions[String(epoch)] === undefined, 'SubnetRewardsAlreadySubmitted')
  // Duplicates and nodes below Included are dropped, as on chain.
  const seen = new Set<number>()
  const kept = data.filter((entry) => {
    if (seen.has(entry.nodeId)) return false
    seen.add(entry.nodeId)
    const node = subnet.nodes[String(entry.nodeId)]
    return node !== undefined && hasClass(node, 'Included', epoch)
  })
  const U128 = (1n << 128n) - 1n
  ensure(kept.every((e) => e.score >= 0n) && kept.reduce((sum, e) => sum + e.score, 0n) <= U128, 'ScoreOverflow')
  subnet.submissions[String(epoch)] = {
    validatorId,
    block: state.block,
    progress: subnetProgress(state, subnet),
    data: kept.map((e) => ({ nodeId: e.nodeId, score: e.score })),
    args: Uint8Array.from(args),
    attests: { [String(validatorId)]: { block: state.block, progress: 0n } },
    snapshot: nodesOf(subnet).filter((n) => hasClass(n, 'Idle', epoch)).map((n) => ({ id: n.id, class: n.class })),
  }
  return { name: 'ValidatorSubmission', fields: { subnet: subnetId, epoch, validator: validatorId, entries: kept.length, dropped: data.length - kept.length } }
}

export function attest(state: ChainState, origin: string, subnetId: number): CallEvent {
  const subnet = getSubnet(state, subnetId)
  const epoch = subnetEpoch(state, subnet)
  const node = nodeOfHotkey(subnet, origin)
  ensure(node !== undefined, 'InvalidHotkeySubnetNodeId')
  ensure(hasClass(node, 'Validator', epoch), 'InvalidSubnetNodeId')
  const submission = subnet.submissions[String(epoch)]
  ensure(submission !== undefined, 'InvalidSubnetConsensusSubmission')
  ensure(submission.snapshot.some((n) => n.id === node.id), 'InvalidSubnetNodeId')
  ensure(submission.attests[String(node.id)] === undefined, 'AlreadyAttested')
  submission.attests[String(node.id)] = { block: state.block, progress: subnetProgress(state, subnet) }
  return { name: 'Attestation', fields: { subnet: subnetId, epoch, node: node.id } }
}
