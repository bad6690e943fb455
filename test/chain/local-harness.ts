// ChainHarness over a LocalChainRuntime: the views come from `connect`, in-process LocalChain views
// or clients of a server over a real socket. Blocks are produced by hand.
import type { Chain } from '../../src/chain/chain.js'
import { randomAccount } from '../../src/chain/accounts.js'
import { devSubnet } from '../../src/chain/local/bootstrap.js'
import { LocalChain, type ChainAccount } from '../../src/chain/local/local-chain.js'
import type { ChainParams } from '../../src/chain/local/params.js'
import { LocalChainRuntime } from '../../src/chain/local/runtime.js'
import { LocalChainServer } from '../../src/chain/local/server.js'
import { LocalChainClient } from '../../src/chain/local/client.js'
import type { ChainHarness, SubnetFixture } from './harness.js'
import { freshPeerId } from './contract.js'

/** Gives views of a runtime: how the harness reaches it, and how it lets go. */
export interface Connector {
  view(account: ChainAccount): Promise<Chain>
  close(): Promise<void>
}

export interface LocalHarnessOptions {
  name: string
  params?: Partial<ChainParams>
  connect(runtime: LocalChainRuntime): Promise<Connector>
}

export const inProcess = async (runtime: LocalChainRuntime): Promise<Connector> => ({
  view: async (account) => new LocalChain(runtime, account),
  close: async () => {},
})

export class LocalHarness implements ChainHarness {
  readonly name: string
  runtime?: LocalChainRuntime
  private connector?: Connector
  private readonly views: Chain[] = []

  constructor(private readonly options: LocalHarnessOptions) {
    this.name = options.name
  }

  async subnet(options: { nodes: number; activate?: boolean }): Promise<SubnetFixture> {
    await this.close()
    const runtime = new LocalChainRuntime({ params: { epochLength: 8, seed: 'contract', ...this.options.params } })
    this.runtime = runtime
    this.connector = await this.options.connect(runtime)
    const specs = []
    for (let i = 0; i < options.nodes; i++) specs.push({ peerId: await freshPeerId() })
    const made = await devSubnet(runtime, { nodes: specs, ...(options.activate === undefined ? {} : { activate: options.activate }) })
    const nodes = []
    for (const node of made.nodes) {
      nodes.push({
        hotkey: node.hotkey.address,
        coldkey: node.coldkey.address,
        peerId: node.peerId,
        nodeId: node.nodeId,
        chain: await this.view({ hotkey: node.hotkey, coldkey: node.coldkey }),
      })
    }
    return { subnetId: made.subnetId, nodes, reader: await this.view({}) }
  }

  async advance(count: number): Promise<void> {
    this.requireRuntime().advance(count)
  }

  async stranger(): Promise<Chain> {
    const hotkey = await randomAccount()
    const coldkey = await randomAccount()
    this.requireRuntime().fund(coldkey.address)
    return this.view({ hotkey, coldkey })
  }

  async view(account: ChainAccount): Promise<Chain> {
    if (this.connector === undefined) throw new Error('no chain yet: call subnet() first')
    const view = await this.connector.view(account)
    this.views.push(view)
    return view
  }

  async close(): Promise<void> {
    for (const view of this.views.splice(0)) await view.close()
    await this.connector?.close()
    this.connector = undefined
    this.runtime?.stop()
  }

  private requireRuntime(): LocalChainRuntime {
    if (this.runtime === undefined) throw new Error('no chain yet: call subnet() first')
    return this.runtime
  }
}

/** Views are clients of a LocalChainServer on a free loopback port. */
export const overSocket = async (runtime: LocalChainRuntime): Promise<Connector> => {
  const server = new LocalChainServer(runtime, { port: 0 })
  const url = await server.listen()
  return {
    view: async (account) => LocalChainClient.connect({
      url,
      ...(typeof account.hotkey === 'object' ? { hotkey: account.hotkey } : {}),
      ...(typeof account.coldkey === 'object' ? { coldkey: account.coldkey } : {}),
    }),
    close: () => server.close(),
  }
}
