// What mesh sends for each operation, per generation of the network pallet (generation.ts), as
// plans that call-builder.ts lays out by the runtime's argument names.
//
// hoskinson: the testnet runtime (../shared/hypertensor/hoskinsonSpecRaw.json), whose metadata the
// contract suite runs against.
//
// validator-entity: read from hayotensor/hypertensor-blockchain, pallets/network/src/lib.rs at commit
// 01c2b55e7e92d08a9c69e38a78fb130c7ec16d6f (June 2026), `#[pallet::call]`:
//   register_validator(hotkey, delegate_reward_rate, delegate_account: Option, identity: Option)   [0]
//   register_subnet_node(validator_id, subnet_id, hotkey: Option, peer_info: Option<PeerInfo>,
//     bootnode_peer_info: Option, client_peer_info: Option, stake_to_be_added, unique: Option,
//     non_unique: Option, max_burn_amount)                                                        [44]
//   add_node_stake(subnet_id, subnet_node_id, stake_to_be_added)                                  [52]
//   remove_node_stake(subnet_id, subnet_node_id, stake_to_be_removed)                             [53]
//   add_subnet_delegate_stake(subnet_id, stake_to_be_added)                                       [54]
//   remove_delegate_stake(subnet_id, shares_to_be_removed)                                        [57]
//   propose_attestation(subnet_id, data, prioritize_queue_node_id, remove_queue_node_id, args,
//     attest_data)                                                                                [69]
//   attest(subnet_id, subnet_node_id, data: Option)                                               [70]
// The EVM precompiles of a later commit (precompiles/network/src/staking/subnet_delegation.rs at
// 9848f758729d979eb9e1a3c5d66d63cf6b378f73) add `min_shares_out` / `min_balance_out` slippage bounds
// to the delegate stake calls; they are sent (as 0: no bound, as before) only where the runtime asks.
// A node's signing key is its own `hotkey` when registered with one, else its validator's hotkey;
// a node-specific hotkey may not be the validator's own (VALIDATOR.md, "Key Management").
import { u8aToHex } from '@polkadot/util'
import type { ConsensusEntry, RegisterNodeParams } from '../chain.js'
import { ChainError } from '../errors.js'
import type { CallPlan } from './call-builder.js'
import type { RuntimeGeneration } from './generation.js'
import { peerInfo } from './peer-info.js'

/** What registering a node takes, on either generation. */
export interface NodeRegistration extends RegisterNodeParams {
  maxBurn: bigint
  /** validator-entity: the coldkey's validator id, and that validator's hotkey. */
  validator?: { id: number; hotkey: string }
}

export function registerValidatorPlan(hotkey: string): CallPlan {
  // A delegate reward rate of 0: mesh sets up no delegation for its operators.
  return { call: 'registerValidator', values: { hotkey, delegateRewardRate: 0n } }
}

export function registerNodePlan(generation: RuntimeGeneration, node: NodeRegistration): CallPlan {
  const peers = { peerInfo: peerInfo(node.peerId), bootnodePeerInfo: peerInfo(node.bootnodePeerId), clientPeerInfo: peerInfo(node.clientPeerId) }
  if (generation !== 'validator-entity') {
    return {
      call: 'registerSubnetNode',
      values: { subnetId: node.subnetId, hotkey: node.hotkey, ...peers, delegateRewardRate: 0n, stakeToBeAdded: node.stake, maxBurnAmount: node.maxBurn },
    }
  }
  if (node.validator === undefined) throw new Error('registerNodePlan: the validator-entity generation needs the validator')
  return {
    call: 'registerSubnetNode',
    values: {
      validatorId: node.validator.id,
      subnetId: node.subnetId,
      // Signed for by the validator's hotkey unless the node has its own.
      hotkey: sameAccount(node.hotkey, node.validator.hotkey) ? undefined : node.hotkey,
      ...peers,
      stakeToBeAdded: node.stake,
      maxBurnAmount: node.maxBurn,
    },
  }
}

/** Ethereum-style addresses compare without their checksum casing. */
function sameAccount(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase()
}

/** Stake added to or removed from node `nodeId` (whose hotkey is `hotkey`). */
export function nodeStakePlan(generation: RuntimeGeneration, change: 'add' | 'remove', stake: { subnetId: number; nodeId: number; hotkey: string; amount: bigint }): CallPlan {
  if (generation === 'validator-entity') {
    return change === 'add'
      ? { call: 'addNodeStake', values: { subnetId: stake.subnetId, subnetNodeId: stake.nodeId, stakeToBeAdded: stake.amount } }
      : { call: 'removeNodeStake', values: { subnetId: stake.subnetId, subnetNodeId: stake.nodeId, stakeToBeRemoved: stake.amount } }
  }
  return change === 'add'
    ? { call: 'addStake', values: { subnetId: stake.subnetId, subnetNodeId: stake.nodeId, hotkey: stake.hotkey, stakeToBeAdded: stake.amount } }
    : { call: 'removeStake', values: { subnetId: stake.subnetId, hotkey: stake.hotkey, stakeToBeRemoved: stake.amount } }
}

/**
 * The epoch's scores; the runtime's optional arguments (queue changes, attest data) stay empty and
 * its `args` carries mesh's digest. `nodeId` (the proposer's node) is sent where the call asks for it.
 */
export function proposePlan(subnetId: number, data: ConsensusEntry[], args: Uint8Array | undefined, nodeId?: number): CallPlan {
  return {
    call: 'proposeAttestation',
    values: {
      subnetId,
      data: data.map((entry) => ({ subnetNodeId: entry.nodeId, score: entry.score })),
      args: args !== undefined && args.length > 0 ? u8aToHex(args) : undefined,
    },
    ifAsked: { subnetNodeId: nodeId },
  }
}

/** hoskinson attests as the signing hotkey's node; validator-entity names the attesting node. */
export function attestPlan(generation: RuntimeGeneration, subnetId: number, nodeId?: number): CallPlan {
  if (generation !== 'validator-entity') return { call: 'attest', values: { subnetId } }
  if (nodeId === undefined) throw new Error('attestPlan: the validator-entity generation needs the attesting node id')
  return { call: 'attest', values: { subnetId, subnetNodeId: nodeId } }
}

export function addDelegateStakePlan(generation: RuntimeGeneration, subnetId: number, amount: bigint): CallPlan {
  return generation === 'validator-entity'
    ? { call: 'addSubnetDelegateStake', values: { subnetId, stakeToBeAdded: amount }, ifAsked: { minSharesOut: 0n } }
    : { call: 'addToDelegateStake', values: { subnetId, stakeToBeAdded: amount } }
}

export function removeDelegateStakePlan(subnetId: number, shares: bigint): CallPlan {
  return { call: 'removeDelegateStake', values: { subnetId, sharesToBeRemoved: shares }, ifAsked: { minBalanceOut: 0n } }
}

/**
 * Operations mesh does not send on a generation, refused before signing. validator-entity's
 * `register_subnet` takes initial validators by validator id (`owner_add_or_update_initial_validators`
 * and `InitialValidatorData` in the same source), where mesh's registration names initial coldkeys.
 */
export function refuseUnsupported(generation: RuntimeGeneration, call: string, what: string): void {
  if (generation === 'validator-entity' && call === 'registerSubnet') {
    throw new ChainError('CHAIN_CALL_UNSUPPORTED', `${what}: network.registerSubnet on this runtime (generation validator-entity) ` +
      'takes initial validators by validator id, which mesh does not build', {
      fix: 'register the subnet with another tool (polkadot.js apps); mesh registers nodes, stakes and takes part in consensus on it',
    })
  }
}
