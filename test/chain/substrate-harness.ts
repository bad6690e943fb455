// The chain contract harness for the real Hypertensor runtime under chopsticks: one chopsticks per
// test file; each fixture is a fresh subnet registered by Alith with fresh, funded keys.
import { randomBytes } from 'node:crypto'
import { type KeyringPair, randomAccount } from '../../src/chain/accounts.js'
import { TOKEN } from '../../src/chain/chain.js'
import { SubstrateChain } from '../../src/chain/substrate.js'
import { DELEGATE_STAKE, PAIR_FUNDS, devAccountViews, fundPairs } from '../../src/chain/dev-funds.js'
import { type Chopsticks, chopsticksSkipReason, startChopsticks, storageKey } from '../helpers/chopsticks.js'
import { freshPeerId } from './contract.js'
import type { ChainHarness, FixtureNode, SubnetFixture } from './harness.js'

export const MIN_STAKE = 100n * TOKEN

export class SubstrateHarness implements ChainHarness {
  readonly name = 'SubstrateChain (Hypertensor runtime under chopsticks)'
  readonly skip = chopsticksSkipReason()
  #chopsticks?: Chopsticks
  #root?: SubstrateChain
  #funders: SubstrateChain[] = []

  /** The running chopsticks (started by the first fixture). */
  get chopsticks(): Chopsticks {
    if (this.#chopsticks === undefined) throw new Error('chopsticks is not started')
    return this.#chopsticks
  }

  /** A signer-less view, started on first use. */
  async reader(): Promise<SubstrateChain> {
    await this.#start()
    return this.#root!.withKeys({})
  }

  /** A view that signs as Alith (sudo, and owner of the harness's subnets). */
  async alith(): Promise<SubstrateChain> {
    await this.#start()
    return this.#funders[0]
  }

  /** `peerIds`: the nodes' peer ids (default: fresh ones), for tests that run the nodes themselves. */
  async subnet(options: { nodes: number; activate?: boolean; peerIds?: string[] }): Promise<SubnetFixture & { hotkeys: KeyringPair[] }> {
    await this.#start()
    const owner = this.#funders[0]
    const coldkeys = await Promise.all(Array.from({ length: options.nodes }, () => randomAccount()))
    const hotkeys = await Promise.all(Array.from({ length: options.nodes }, () => randomAccount()))
    const views = await this.#fund(coldkeys, hotkeys)
    // Each registration doubles the next one's price; reset it so that a file may register many.
    const minCost = await this.chopsticks.rpc('state_getStorage', [storageKey('Network', 'MinRegistrationCost')])
    await this.chopsticks.rpc('dev_setStorage', [[[storageKey('Network', 'LastRegistrationCost'), minCost]]])
    const subnetId = await owner.registerSubnet({
      name: `mesh-test-${randomBytes(4).toString('hex')}`,
      minStake: MIN_STAKE,
      maxStake: 10n * MIN_STAKE,
      initialColdkeys: coldkeys.map((key) => key.address),
      bootnodes: [`/ip4/127.0.0.1/tcp/4001/p2p/${await freshPeerId()}`],
    })
    const peerIds = options.peerIds ?? await Promise.all(hotkeys.map(() => freshPeerId()))
    const nodeIds = await Promise.all(views.map((view, i) => view.registerSubnetNode({
      subnetId, hotkey: hotkeys[i].address, peerId: peerIds[i], stake: MIN_STAKE,
    })))
    if (options.activate !== false) {
      // Emissions go to subnets in proportion to their delegate stake: without any, no rewards.
      await owner.addDelegateStake(subnetId, DELEGATE_STAKE)
      await owner.activateSubnet(subnetId)
    }
    const nodes: FixtureNode[] = views.map((view, i) => ({
      hotkey: hotkeys[i].address, coldkey: coldkeys[i].address, peerId: peerIds[i], nodeId: nodeIds[i], chain: view,
    }))
    return { subnetId, nodes, hotkeys, reader: this.#root!.withKeys({}) }
  }

  async advance(count: number): Promise<void> {
    await this.chopsticks.newBlocks(count)
  }

  async stranger(): Promise<SubstrateChain> {
    await this.#start()
    const [view] = await this.#fund([await randomAccount()], [await randomAccount()])
    return view
  }

  /** Stops chopsticks; the next fixture starts a new one. */
  async close(): Promise<void> {
    const root = this.#root
    const chopsticks = this.#chopsticks
    this.#root = undefined
    this.#chopsticks = undefined
    await root?.close()
    await chopsticks?.close()
  }

  async #start(): Promise<void> {
    if (this.#root !== undefined) return
    this.#chopsticks = await startChopsticks()
    this.#root = await SubstrateChain.connect({ url: this.#chopsticks.url, immortal: true })
    this.#funders = await devAccountViews(this.#root)
  }

  /** Funds fresh coldkeys from the dev accounts and each hotkey from its coldkey; returns a view per pair. */
  #fund(coldkeys: KeyringPair[], hotkeys: KeyringPair[]): Promise<SubstrateChain[]> {
    return fundPairs(this.#root!, this.#funders, coldkeys.map((coldkey, i) => ({ coldkey, hotkey: hotkeys[i]! })), PAIR_FUNDS)
  }
}
