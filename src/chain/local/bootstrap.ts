// Bringing a subnet to life quickly: register it, register its nodes (whitelisted, so they start as
// Validator class), and activate it. `bootstrapSubnet` works over any Chain views; `devSubnet` also
// makes and funds fresh accounts on a local chain (devnet and tests).
import type { KeyringPair } from '@polkadot/keyring/types'
import { randomAccount } from '../accounts.js'
import { TOKEN, type Chain } from '../chain.js'
import type { LocalChainRuntime } from './runtime.js'
import { LocalChain } from './local-chain.js'

export interface BootstrapNode {
  /** A view bound to the node's hotkey and coldkey. */
  chain: Chain
  coldkey: string
  peerId: string
  bootnodePeerId?: string
  clientPeerId?: string
  /** Defaults to the subnet's minimum stake. */
  stake?: bigint
}

export interface BootstrapOptions {
  /** A view bound to the owner's coldkey, which pays the registration. */
  owner: Chain
  name?: string
  minStake?: bigint
  maxStake?: bigint
  nodes: BootstrapNode[]
  /** The subnet's bootnodes, multiaddrs ending in /p2p/<peer id> (the real runtime requires one). */
  bootnodes?: string[]
  /** Activate the subnet once the nodes are in (default true). */
  activate?: boolean
  /** Tokens the owner delegates to the subnet before activating it: the real runtime pays node rewards only to a subnet with some. */
  delegateStake?: bigint
}

export interface BootstrappedSubnet {
  subnetId: number
  /** In the order of `nodes`. */
  nodeIds: number[]
}

export const DEFAULT_MIN_STAKE = 100n * TOKEN
export const DEFAULT_MAX_STAKE = 1000n * TOKEN

export async function bootstrapSubnet(options: BootstrapOptions): Promise<BootstrappedSubnet> {
  const minStake = options.minStake ?? DEFAULT_MIN_STAKE
  const subnetId = await options.owner.registerSubnet({
    name: options.name ?? `subnet-${Date.now().toString(36)}`,
    minStake,
    maxStake: options.maxStake ?? DEFAULT_MAX_STAKE,
    initialColdkeys: options.nodes.map((n) => n.coldkey),
    ...(options.bootnodes === undefined ? {} : { bootnodes: options.bootnodes }),
  })
  const nodeIds: number[] = []
  for (const node of options.nodes) {
    const hotkey = node.chain.hotkey
    if (hotkey === undefined) throw new Error('bootstrapSubnet: each node view must be bound to a hotkey')
    nodeIds.push(await node.chain.registerSubnetNode({
      subnetId,
      hotkey,
      peerId: node.peerId,
      ...(node.bootnodePeerId === undefined ? {} : { bootnodePeerId: node.bootnodePeerId }),
      ...(node.clientPeerId === undefined ? {} : { clientPeerId: node.clientPeerId }),
      stake: node.stake ?? minStake,
    }))
  }
  if (options.activate !== false) {
    if (options.delegateStake !== undefined && options.delegateStake > 0n) {
      if (options.owner.addDelegateStake === undefined) throw new Error('bootstrapSubnet: this chain takes no delegate stake')
      await options.owner.addDelegateStake(subnetId, options.delegateStake)
    }
    await options.owner.activateSubnet(subnetId)
  }
  return { subnetId, nodeIds }
}

export interface DevNodeSpec {
  peerId: string
  bootnodePeerId?: string
  clientPeerId?: string
  stake?: bigint
}

export interface DevNode {
  nodeId: number
  peerId: string
  hotkey: KeyringPair
  coldkey: KeyringPair
}

/**
 * A subnet on a local chain with one node per spec, each with fresh, funded hotkey and coldkey
 * accounts; active (its nodes Validator class) unless `activate: false`. No block is produced.
 */
export async function devSubnet(runtime: LocalChainRuntime, options: {
  nodes: DevNodeSpec[]
  name?: string
  minStake?: bigint
  maxStake?: bigint
  activate?: boolean
}): Promise<{ subnetId: number; owner: KeyringPair; nodes: DevNode[] }> {
  const owner = await randomAccount()
  runtime.fund(owner.address)
  const accounts: Array<{ hotkey: KeyringPair; coldkey: KeyringPair }> = []
  for (let i = 0; i < options.nodes.length; i++) {
    const account = { hotkey: await randomAccount(), coldkey: await randomAccount() }
    runtime.fund(account.coldkey.address)
    runtime.fund(account.hotkey.address)
    accounts.push(account)
  }
  const { subnetId, nodeIds } = await bootstrapSubnet({
    owner: new LocalChain(runtime, { coldkey: owner }),
    ...(options.name === undefined ? {} : { name: options.name }),
    ...(options.minStake === undefined ? {} : { minStake: options.minStake }),
    ...(options.maxStake === undefined ? {} : { maxStake: options.maxStake }),
    ...(options.activate === undefined ? {} : { activate: options.activate }),
    nodes: options.nodes.map((spec, i) => ({ ...spec, chain: new LocalChain(runtime, accounts[i]!), coldkey: accounts[i]!.coldkey.address })),
  })
  return {
    subnetId,
    owner,
    nodes: options.nodes.map((spec, i) => ({ nodeId: nodeIds[i]!, peerId: spec.peerId, ...accounts[i]! })),
  }
}
