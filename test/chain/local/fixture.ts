// A local chain with one active subnet of Validator-class nodes, and the steps the rule tests repeat.
import type { KeyringPair } from '../../../src/chain/accounts.js'
import { TOKEN, type ConsensusEntry } from '../../../src/chain/chain.js'
import { devSubnet } from '../../../src/chain/local/bootstrap.js'
import { LocalChain } from '../../../src/chain/local/local-chain.js'
import type { ChainParams } from '../../../src/chain/local/params.js'
import { LocalChainRuntime } from '../../../src/chain/local/runtime.js'
import { freshPeerId } from '../contract.js'

export interface TestNode {
  nodeId: number
  peerId: string
  coldkey: KeyringPair
  chain: LocalChain
}

export interface LocalFixture {
  runtime: LocalChainRuntime
  subnetId: number
  nodes: TestNode[]
  reader: LocalChain
}

export async function localSubnet(options: { nodes: number; params?: Partial<ChainParams> }): Promise<LocalFixture> {
  const runtime = new LocalChainRuntime({ params: { epochLength: 5, seed: 'rules', ...options.params } })
  const specs = []
  for (let i = 0; i < options.nodes; i++) specs.push({ peerId: await freshPeerId() })
  const made = await devSubnet(runtime, { nodes: specs })
  return {
    runtime,
    subnetId: made.subnetId,
    nodes: made.nodes.map((n) => ({ nodeId: n.nodeId, peerId: n.peerId, coldkey: n.coldkey, chain: new LocalChain(runtime, { hotkey: n.hotkey, coldkey: n.coldkey }) })),
    reader: new LocalChain(runtime),
  }
}

/** Advances to the next slot block (settlement and election run there); returns the new epoch. */
export async function toNextEpoch(fx: LocalFixture): Promise<number> {
  fx.runtime.advance((await fx.reader.epochInfo(fx.subnetId)).blocksRemaining)
  return (await fx.reader.epochInfo(fx.subnetId)).epoch
}

export async function elected(fx: LocalFixture): Promise<TestNode> {
  const epoch = (await fx.reader.epochInfo(fx.subnetId)).epoch
  const id = await fx.reader.electedValidator(fx.subnetId, epoch)
  const node = fx.nodes.find((n) => n.nodeId === id)
  if (node === undefined) throw new Error(`no test node is elected in epoch ${epoch} (elected: ${id})`)
  return node
}

/**
 * One epoch of consensus: the elected node proposes `data` (default: every node, score 1), the
 * nodes `attest` picks attest; then the chain moves to the next epoch, which settles this one.
 */
export async function runEpoch(fx: LocalFixture, options: {
  data?: (nodes: TestNode[]) => ConsensusEntry[]
  attest?: (others: TestNode[]) => TestNode[]
} = {}): Promise<{ validator: TestNode; epoch: number }> {
  const validator = await elected(fx)
  const data = options.data?.(fx.nodes) ?? fx.nodes.map((n) => ({ nodeId: n.nodeId, score: TOKEN }))
  await validator.chain.proposeAttestation(fx.subnetId, data)
  const others = fx.nodes.filter((n) => n !== validator)
  for (const node of options.attest?.(others) ?? others) await node.chain.attest(fx.subnetId)
  const epoch = (await fx.reader.epochInfo(fx.subnetId)).epoch
  await toNextEpoch(fx)
  return { validator, epoch }
}

export async function nodeView(fx: LocalFixture, nodeId: number) {
  return (await fx.reader.subnetNodes(fx.subnetId)).find((n) => n.id === nodeId)
}
