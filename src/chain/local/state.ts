// The local chain's whole state: plain data (records keyed by strings, bigints for balances), so
// that it serializes to JSON (see json.ts) and every transition is a function of it.
import { randomBytes } from 'node:crypto'
import { DEV_ACCOUNTS } from '../accounts.js'
import type { NodeClass, SubnetState } from '../chain.js'
import { TOKEN } from '../chain.js'
import { DEFAULT_PARAMS, ONE, type ChainParams } from './params.js'
import { addressOfKey } from './address.js'
import { ChainError } from '../errors.js'

export interface NodeRecord {
  id: number
  hotkey: string
  coldkey: string
  peerId: string
  bootnodePeerId?: string
  clientPeerId?: string
  class: NodeClass
  classStartEpoch: number
  /** 1e18 = full reputation. */
  reputation: bigint
  /** Consecutive epochs in accepted data while Included (`SubnetNodeConsecutiveIncludedEpochs`). */
  consecutiveIncluded: number
}

export interface AttestRecord {
  block: number
  /** Epoch progress (1e18 fixed point) at the attestation; sets the attestor's reward factor. */
  progress: bigint
}

export interface SubmissionRecord {
  validatorId: number
  block: number
  /** Epoch progress (1e18) when proposed; sets the validator's reward factor. */
  progress: bigint
  data: Array<{ nodeId: number; score: bigint }>
  /** The proposer's args (absent in states saved before they existed: empty). */
  args?: Uint8Array
  attests: Record<string, AttestRecord>
  /** Idle-or-better nodes when proposed, with their classes: who may attest, and the ratio's base. */
  snapshot: Array<{ id: number; class: NodeClass }>
}

export interface SubnetRecord {
  id: number
  name: string
  owner: string
  state: SubnetState
  slot: number
  minStake: bigint
  maxStake: bigint
  /** Whitelisted coldkeys while in registration, with how many nodes each may still register. */
  initialColdkeys: Record<string, number>
  nodes: Record<string, NodeRecord>
  nextNodeId: number
  /** Registered-class node ids in queue order. */
  queue: number[]
  /** Stake by hotkey (`AccountSubnetStake`); it outlives a removed node until withdrawn. */
  stakes: Record<string, bigint>
  /** Elected node id by subnet epoch. */
  elected: Record<string, number>
  submissions: Record<string, SubmissionRecord>
}

export interface Unbonding {
  coldkey: string
  amount: bigint
  /** Returned to the coldkey's balance from this block on. */
  unlockBlock: number
}

export interface ChainState {
  version: 1
  /** Random at genesis: signed calls name it, so they cannot be replayed on another chain. */
  chainId: string
  params: ChainParams
  block: number
  balances: Record<string, bigint>
  /** Hotkey → coldkey, across subnets (`HotkeyOwner`). */
  hotkeyOwner: Record<string, string>
  subnets: Record<string, SubnetRecord>
  nextSubnetId: number
  unbondings: Unbonding[]
}

/** What the dev genesis funds each dev account with (and `fund` adds by default). */
export const GENESIS_BALANCE = 1_000_000n * TOKEN

export interface GenesisOptions {
  params?: Partial<ChainParams>
  /** Balances at genesis by address; the dev accounts are funded unless `devAccounts: false`. */
  balances?: Record<string, bigint>
  devAccounts?: boolean
  chainId?: string
}

export function genesisState(options: GenesisOptions = {}): ChainState {
  const balances: Record<string, bigint> = {}
  if (options.devAccounts !== false) {
    for (const key of Object.values(DEV_ACCOUNTS)) balances[addressOfKey(key)] = GENESIS_BALANCE
  }
  Object.assign(balances, options.balances)
  const params = { ...DEFAULT_PARAMS, ...options.params }
  if (!Number.isSafeInteger(params.epochLength) || params.epochLength < 1 || !(params.blockTimeMs > 0)) {
    throw new ChainError('CHAIN_BAD_PARAMS', `epoch length ${params.epochLength} and block time ${params.blockTimeMs} ms must be positive (the epoch length a whole number of blocks)`)
  }
  return {
    version: 1,
    chainId: options.chainId ?? randomBytes(8).toString('hex'),
    params,
    // Every subnet slot is below the epoch length: starting there, no block is ever before a slot.
    block: params.epochLength,
    balances,
    hotkeyOwner: {},
    subnets: {},
    nextSubnetId: 1,
    unbondings: [],
  }
}

/** The subnet epoch at `block` (0 before the subnet's slot). */
export function subnetEpoch(state: ChainState, subnet: SubnetRecord, block = state.block): number {
  return block < subnet.slot ? 0 : Math.floor((block - subnet.slot) / state.params.epochLength)
}

/** Progress through the current subnet epoch, 1e18 fixed point. */
export function subnetProgress(state: ChainState, subnet: SubnetRecord): bigint {
  const length = state.params.epochLength
  const into = Math.max(0, state.block - subnet.slot) % length
  return (BigInt(into) * ONE) / BigInt(length)
}

export function stakeOf(subnet: SubnetRecord, hotkey: string): bigint {
  return subnet.stakes[hotkey] ?? 0n
}

export function balanceOf(state: ChainState, address: string): bigint {
  return state.balances[address] ?? 0n
}

export function nodesOf(subnet: SubnetRecord): NodeRecord[] {
  return Object.values(subnet.nodes).sort((a, b) => a.id - b.id)
}
