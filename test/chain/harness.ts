// What the chain contract suite (test/chain/contract.ts) needs from each implementation.
// LocalChain and SubstrateChain each provide one; the suite never knows which it runs on.
import type { Chain } from '../../src/chain/chain.js'

export interface FixtureNode {
  hotkey: string
  coldkey: string
  peerId: string
  nodeId: number
  /** A view of the chain that signs as this node's hotkey (and coldkey). */
  chain: Chain
}

export interface SubnetFixture {
  subnetId: number
  /** Registered, staked nodes; with `activate`, the subnet is active and they are Validator class. */
  nodes: FixtureNode[]
  /** A view with no signer. */
  reader: Chain
}

export interface ChainHarness {
  readonly name: string
  /** Why the suite cannot run here (e.g. the runtime spec is absent), or undefined when it can. */
  readonly skip?: string
  /** A fresh chain with one subnet of `nodes` registered nodes (activated unless `activate: false`). */
  subnet(options: { nodes: number; activate?: boolean }): Promise<SubnetFixture>
  /** Produces `count` blocks (by hand: the suite never waits on a timer). */
  advance(count: number): Promise<void>
  /** A view bound to fresh, funded keys that are not registered in any subnet. */
  stranger(): Promise<Chain>
  close(): Promise<void>
}
