// The chain interface: everything a subnet node asks of, or sends to, the Hypertensor chain.
// Two implementations: LocalChain (embedded simulation of the pallet) and SubstrateChain (the real
// runtime over @polkadot/api). One contract test suite runs against both.
import type { ChainCalls } from './calls.js'

/** Node classes in rank order (the pallet's SubnetNodeClass). */
export const NODE_CLASSES = ['Registered', 'Idle', 'Included', 'Validator'] as const
export type NodeClass = (typeof NODE_CLASSES)[number]

export function classRank(nodeClass: NodeClass): number {
  return NODE_CLASSES.indexOf(nodeClass)
}

/** True when `nodeClass` is at least `min` (Included+ may appear in consensus data, and so on). */
export function atLeast(nodeClass: NodeClass, min: NodeClass): boolean {
  return classRank(nodeClass) >= classRank(min)
}

/** The runtime's `has_classification`: of class `min` or above, counting from the epoch its class started. */
export function hasClass(node: Pick<SubnetNode, 'class' | 'classStartEpoch'>, min: NodeClass, epoch: number): boolean {
  return atLeast(node.class, min) && node.classStartEpoch <= epoch
}

/**
 * The class `node` held in subnet epoch `epoch`, as far as its listing tells: its class from its
 * start epoch on; before that the class below it, since the runtime graduates a node one class at
 * a time (an Idle node was queued, Registered, before). Exact for the epoch before its class
 * started; for earlier ones an upper bound.
 */
export function classIn(node: Pick<SubnetNode, 'class' | 'classStartEpoch'>, epoch: number): NodeClass {
  return node.classStartEpoch <= epoch ? node.class : NODE_CLASSES[Math.max(0, classRank(node.class) - 1)]!
}

/** What proof of stake asks of a node. */
export interface StakeNeed {
  minClass: NodeClass
  /** The subnet's minimum stake. */
  minStake: bigint
  /**
   * The subnet epoch: the node's class counts from its start epoch, as the runtime judges it now.
   * Left out, the class counts as listed. The DHT's writer check leaves it out and passes the class
   * held in the epoch its record's key names (`classIn`): a node graduated this epoch still wrote
   * last epoch's records, which readers score now; by this rule they would not count.
   */
  epoch?: number
}

/**
 * Why `node` does not prove stake as the runtime's `proof_of_stake` decides it, or null when it
 * does: an activated node only (Idle or better: queued Registered nodes prove nothing) of at least
 * `minClass`, with at least the minimum stake. The class is judged before the stake.
 */
export function stakeShortfall(node: SubnetNode, need: StakeNeed): 'class' | 'stake' | null {
  const classed = need.epoch === undefined ? atLeast(node.class, need.minClass) : hasClass(node, need.minClass, need.epoch)
  if (!atLeast(node.class, 'Idle') || !classed) return 'class'
  return node.stake >= need.minStake ? null : 'stake'
}

/** Proof of stake over a node list: whether `peerId` is the own, bootnode or client peer id of a node that proves stake. */
export function provesStake(nodes: readonly SubnetNode[], peerId: string, need: StakeNeed): boolean {
  return nodes.some((node) =>
    (node.peerId === peerId || node.bootnodePeerId === peerId || node.clientPeerId === peerId) && stakeShortfall(node, need) === null)
}

/** One token unit: balances and stakes are in 1e-18 of a token, as on chain. */
export const TOKEN = 10n ** 18n

export type SubnetState = 'Registered' | 'Active' | 'Paused'

export interface SubnetInfo {
  id: number
  name: string
  state: SubnetState
  /** The block offset of this subnet's epochs (storage `SubnetSlot`). */
  slot: number
  minStake: bigint
  maxStake: bigint
}

export interface SubnetNode {
  id: number
  hotkey: string
  coldkey: string
  peerId: string
  bootnodePeerId?: string
  clientPeerId?: string
  class: NodeClass
  /** The subnet epoch from which the node's current class counts. */
  classStartEpoch: number
  stake: bigint
  /** Node reputation as a fraction of full (1.0 = 1e18 on chain). */
  reputation: number
}

/** Where the chain's clock stands for one subnet (PROTOCOL.md, "Epochs and phases"). */
export interface EpochInfo {
  block: number
  slot: number
  epochLength: number
  /** Subnet epoch: floor((block - slot) / epochLength). */
  epoch: number
  /** Progress through the epoch in [0, 1). */
  progress: number
  /** Blocks until the next subnet epoch starts. */
  blocksRemaining: number
  /** Estimated from the block time. */
  secondsRemaining: number
}

/** One entry of a consensus submission: `score = floor(s × 1e18)`. */
export interface ConsensusEntry {
  nodeId: number
  score: bigint
}

export interface Attestation {
  nodeId: number
  block: number
}

export interface ConsensusSubmission {
  epoch: number
  validatorId: number
  block: number
  data: ConsensusEntry[]
  /** Attestations so far; the proposer attests implicitly. */
  attestations: Attestation[]
  /** Validator-class nodes in the snapshot the attestation ratio is taken over. */
  validatorCount: number
  /** The proposer's free-form argument (mesh puts the digest of its record set here); empty when none. */
  args: Uint8Array
}

/** Largest `args` of a submission mesh sends or accepts. */
export const MAX_SUBMISSION_ARGS_BYTES = 1024

export interface RegisterSubnetParams {
  name: string
  minStake: bigint
  maxStake: bigint
  /** Coldkeys whose nodes start as Validator class while the subnet is in registration. */
  initialColdkeys: string[]
  /** The subnet's bootnodes as multiaddrs ending in /p2p/<peer id>; Hypertensor requires at least one. */
  bootnodes?: string[]
}

export interface RegisterNodeParams {
  subnetId: number
  hotkey: string
  peerId: string
  bootnodePeerId?: string
  clientPeerId?: string
  stake: bigint
}

/** A transaction that the chain included, with the block it landed in. */
export interface TxReceipt {
  block: number
}

export type Unsubscribe = () => void

/** What the chain paid for one epoch's accepted submission (the `SubnetRewards` event). */
export interface EpochRewards {
  epoch: number
  /** The block that paid it (the next epoch's slot block, or the one after). */
  block: number
  /** Each node's reward, added to its stake. */
  nodes: Array<{ nodeId: number; amount: bigint }>
  /** What went to the subnet's delegate stakers. */
  delegateStake: bigint
}

/** A new block: its number, and its hash where the chain has one (the real chain's head does). */
export interface BlockHead {
  number: number
  /** 0x-prefixed hex; absent for a block the subscription skipped over, and on the local chain. */
  hash?: string
}

/**
 * A view of the chain bound to an account: reads need none, writes are signed by the bound
 * hotkey (propose, attest) or coldkey (register subnet or node, activate, add stake, remove stake:
 * the pallet takes stake calls from the coldkey only). Writes without the key they need fail with
 * code `CHAIN_NO_SIGNER`. Every failure is a `ChainError` with a readable code.
 */
export interface Chain {
  /** Milliseconds between blocks (6,000 on the real chain). */
  readonly blockTimeMs: number
  /** The hotkey address writes are signed with, when one is bound. */
  readonly hotkey?: string

  epochLength(): Promise<number>
  blockNumber(): Promise<number>
  epochInfo(subnetId: number): Promise<EpochInfo>
  subnet(subnetId: number): Promise<SubnetInfo | null>
  subnetNodes(subnetId: number): Promise<SubnetNode[]>
  nodeIdOf(subnetId: number, hotkey: string): Promise<number | null>
  /** Whether `peerId` is a node's, bootnode's or client peer id in the subnet with class ≥ `minClass`. */
  proofOfStake(subnetId: number, peerId: string, minClass?: NodeClass): Promise<boolean>
  electedValidator(subnetId: number, epoch: number): Promise<number | null>
  consensusSubmission(subnetId: number, epoch: number): Promise<ConsensusSubmission | null>
  /**
   * The hash of the block at `height` (32 bytes): the chain's randomness (PROTOCOL.md, "The
   * challenge"). A height above the head is refused with `CHAIN_FUTURE_BLOCK`.
   */
  blockHash(height: number): Promise<Uint8Array>

  /** Proposes the epoch's scores; `args` (at most MAX_SUBMISSION_ARGS_BYTES) is stored with them. */
  proposeAttestation(subnetId: number, data: ConsensusEntry[], args?: Uint8Array): Promise<TxReceipt>
  attest(subnetId: number): Promise<TxReceipt>
  registerSubnet(params: RegisterSubnetParams): Promise<number>
  activateSubnet(subnetId: number): Promise<TxReceipt>
  registerSubnetNode(params: RegisterNodeParams): Promise<number>
  addStake(subnetId: number, nodeId: number, hotkey: string, amount: bigint): Promise<TxReceipt>
  /** Removes stake from the bound hotkey's node (signed by the coldkey; returned after the cooldown). */
  removeStake(subnetId: number, amount: bigint): Promise<TxReceipt>

  /** Calls `onBlock` with each new block number, in order. */
  subscribeBlocks(onBlock: (block: number) => void): Promise<Unsubscribe>
  close(): Promise<void>

  // Optional: what a chain that can pin reads to a block, or count its requests, offers (ChainCache uses them).
  /** Every request sent to the chain's endpoint, by kind (src/chain/calls.ts). */
  readonly calls?: ChainCalls
  /** Like subscribeBlocks, with the head's hash. */
  subscribeHeads?(onHead: (head: BlockHead) => void): Promise<Unsubscribe>
  /** The subnet's nodes as of the block with this hash, in one request. */
  subnetNodesAt?(subnetId: number, hash: string): Promise<SubnetNode[]>

  // Optional: operator calls the real chain has and the local chain does not (its accounts are funded by `--fund`).
  /** Sends `amount` from the coldkey to `to`. */
  transfer?(to: string, amount: bigint): Promise<TxReceipt>
  freeBalance?(address: string): Promise<bigint>
  /** Delegates the coldkey's tokens to the subnet (its delegate stake earns the subnet its emissions). */
  addDelegateStake?(subnetId: number, amount: bigint): Promise<TxReceipt>
  removeDelegateStake?(subnetId: number, amount: bigint | 'all'): Promise<TxReceipt>
  delegateStakeOf?(subnetId: number, address: string): Promise<bigint>
  /** What the chain paid for epoch `epoch`, or null when it paid nothing. */
  rewards?(subnetId: number, epoch: number): Promise<EpochRewards | null>
}

/** The seed of a subnet's epoch: the hash of the epoch's first block (PROTOCOL.md, "The challenge"). */
export async function epochSeed(chain: Pick<Chain, 'blockHash' | 'epochInfo'>, subnetId: number, epoch: number): Promise<Uint8Array> {
  const { slot, epochLength } = await chain.epochInfo(subnetId)
  return chain.blockHash(slot + epoch * epochLength)
}

/** Computes the epoch clock of a subnet from its slot (shared by both implementations). */
export function epochAt(block: number, slot: number, epochLength: number, blockTimeMs: number): EpochInfo {
  const since = Math.max(0, block - slot)
  const index = since % epochLength
  const blocksRemaining = epochLength - index
  return {
    block,
    slot,
    epochLength,
    epoch: Math.floor(since / epochLength),
    progress: index / epochLength,
    blocksRemaining,
    secondsRemaining: (blocksRemaining * blockTimeMs) / 1000,
  }
}
