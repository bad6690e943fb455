// The runtime's storage values, as their primitive form (`codec.toPrimitive()`), mapped to the
// chain interface's types. Field names follow the metadata (polkadot.js camelCases them).
import type { Codec } from '@polkadot/types/types'
import { hexToU8a } from '@polkadot/util'
import { type ConsensusSubmission, type NodeClass, NODE_CLASSES, type SubnetState, TOKEN } from '../chain.js'
import { ChainError } from '../errors.js'

interface PeerInfoValue { peerId: string; multiaddr: string | null }

/** `network.subnetNodesData` / `registeredSubnetNodesData` / a submission's `subnetNodes` entry. */
interface SubnetNodeValue {
  id: number
  hotkey: string
  peerInfo: PeerInfoValue
  bootnodePeerInfo: PeerInfoValue | null
  clientPeerInfo: PeerInfoValue | null
  classification: { nodeClass: string; startEpoch: number }
}

/** `network.subnetConsensusSubmission` (`ConsensusData`). */
interface SubmissionValue {
  /** The elected validator's subnet node id. */
  validatorId: number
  block: number
  attests: Record<string, { block: number }>
  subnetNodes: SubnetNodeValue[]
  /** u128 comes out of toPrimitive as a number when small, a decimal string when not. */
  data: { subnetNodeId: number; score: number | string }[]
  /** Option<Vec<u8>> comes out as a hex string or null. */
  args?: string | null
  /**
   * validator-entity generation only: the subnet node ids that may attest this submission,
   * snapshotted at proposal (hoskinson counts the Validator-class nodes of `subnetNodes` instead).
   */
  validatorIds?: number[]
}

/**
 * `network.subnetElectedValidator`: the elected node id (hoskinson), or the validator-entity
 * generation's `ElectedConsensusRound`, whose `validatorSubnetNodeId` is the elected node.
 */
export type ElectedValue = number | { validatorSubnetNodeId: number }

export function electedNodeId(value: ElectedValue): number {
  return typeof value === 'number' ? value : value.validatorSubnetNodeId
}

/** Which of `ownNodeIds` may still attest `submission`: those among its validatorIds that have not attested. */
export function attestableNodeIds(ownNodeIds: number[], submission: Pick<SubmissionValue, 'validatorIds' | 'attests'>): number[] {
  const eligible = new Set(submission.validatorIds ?? [])
  return ownNodeIds.filter((id) => eligible.has(id) && submission.attests[String(id)] === undefined)
}

export interface SubnetDataValue { id: number; name: string; state: string }

export function primitive<T>(codec: Codec): T {
  return codec.toPrimitive() as T
}

export function nodeClass(name: string): NodeClass {
  const found = NODE_CLASSES.find((c) => c === name)
  if (found === undefined) throw new ChainError('CHAIN_DECODE_FAILED', `unknown node class ${JSON.stringify(name)} from the runtime`)
  return found
}

export function subnetState(name: string): SubnetState {
  if (name === 'Registered' || name === 'Active' || name === 'Paused') return name
  throw new ChainError('CHAIN_DECODE_FAILED', `unknown subnet state ${JSON.stringify(name)} from the runtime`)
}

/** Reputation is a u128 fraction with 1e18 = 1.0. */
export function reputationFrom(value: number | string): number {
  return Number(BigInt(value)) / Number(TOKEN)
}

export function submissionFrom(epoch: number, value: SubmissionValue): ConsensusSubmission {
  return {
    epoch,
    validatorId: value.validatorId,
    block: value.block,
    data: value.data.map((entry) => ({ nodeId: entry.subnetNodeId, score: BigInt(entry.score) })),
    attestations: Object.entries(value.attests)
      .map(([nodeId, attest]) => ({ nodeId: Number(nodeId), block: attest.block }))
      .sort((a, b) => a.nodeId - b.nodeId),
    validatorCount: value.validatorIds?.length ?? value.subnetNodes.filter((node) => node.classification.nodeClass === 'Validator').length,
    args: typeof value.args === 'string' ? hexToU8a(value.args) : new Uint8Array(),
  }
}

export type { SubmissionValue }
