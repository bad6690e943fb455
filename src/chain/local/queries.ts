// Reads: the state seen through the Chain interface's types.
import { createHash } from 'node:crypto'
import { epochAt, provesStake, type ConsensusSubmission, type EpochInfo, type NodeClass, type SubnetInfo, type SubnetNode } from '../chain.js'
import { ChainError } from '../errors.js'
import { getSubnet } from './calls.js'
import { toFraction } from './params.js'
import { nodesOf, subnetEpoch, type ChainState } from './state.js'

export function epochInfo(state: ChainState, subnetId: number): EpochInfo {
  const subnet = getSubnet(state, subnetId)
  return epochAt(state.block, subnet.slot, state.params.epochLength, state.params.blockTimeMs)
}

export function subnetInfo(state: ChainState, subnetId: number): SubnetInfo | null {
  const subnet = state.subnets[String(subnetId)]
  if (subnet === undefined) return null
  return { id: subnet.id, name: subnet.name, state: subnet.state, slot: subnet.slot, minStake: subnet.minStake, maxStake: subnet.maxStake }
}

export function subnetNodes(state: ChainState, subnetId: number): SubnetNode[] {
  const subnet = getSubnet(state, subnetId)
  return nodesOf(subnet).map((n) => ({
    id: n.id,
    hotkey: n.hotkey,
    coldkey: n.coldkey,
    peerId: n.peerId,
    ...(n.bootnodePeerId === undefined ? {} : { bootnodePeerId: n.bootnodePeerId }),
    ...(n.clientPeerId === undefined ? {} : { clientPeerId: n.clientPeerId }),
    class: n.class,
    classStartEpoch: n.classStartEpoch,
    stake: subnet.stakes[n.hotkey] ?? 0n,
    reputation: toFraction(n.reputation),
  }))
}

export function nodeIdOf(state: ChainState, subnetId: number, hotkey: string): number | null {
  const subnet = state.subnets[String(subnetId)]
  return subnet === undefined ? null : (nodesOf(subnet).find((n) => n.hotkey === hotkey)?.id ?? null)
}

/** As the runtime API (chain.ts, `provesStake`); false for an unknown subnet or peer. */
export function proofOfStake(state: ChainState, subnetId: number, peerId: string, minClass: NodeClass): boolean {
  const subnet = state.subnets[String(subnetId)]
  if (subnet === undefined) return false
  return provesStake(subnetNodes(state, subnetId), peerId, { minClass, minStake: subnet.minStake, epoch: subnetEpoch(state, subnet) })
}

export function electedValidator(state: ChainState, subnetId: number, epoch: number): number | null {
  return state.subnets[String(subnetId)]?.elected[String(epoch)] ?? null
}

export function consensusSubmission(state: ChainState, subnetId: number, epoch: number): ConsensusSubmission | null {
  const submission = state.subnets[String(subnetId)]?.submissions[String(epoch)]
  if (submission === undefined) return null
  return {
    epoch,
    validatorId: submission.validatorId,
    block: submission.block,
    data: submission.data.map((e) => ({ nodeId: e.nodeId, score: e.score })),
    attestations: Object.entries(submission.attests)
      .map(([id, a]) => ({ nodeId: Number(id), block: a.block }))
      .sort((a, b) => a.nodeId - b.nodeId),
    validatorCount: submission.snapshot.filter((n) => n.class === 'Validator').length,
    args: Uint8Array.from(submission.args ?? []),
  }
}

/** The hash of block `height`: sha256 of a domain tag, the chain's seed and the height, so that a run reproduces from its seed. */
export function blockHash(state: ChainState, height: number): Uint8Array {
  if (height > state.block) {
    throw new ChainError('CHAIN_FUTURE_BLOCK', `block ${height} is not produced yet (the chain is at block ${state.block})`, { fix: 'ask again once the block exists' })
  }
  return new Uint8Array(createHash('sha256').update(`mesh/local-chain/block\0${state.params.seed}\0${height}`).digest())
}
