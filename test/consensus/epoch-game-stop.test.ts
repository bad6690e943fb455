// Stopping the epoch game waits for the step in progress: a node stops its game, then its caller
// closes the chain (SubnetNode.stop, then `mesh run`), so no step is left using a closed chain.
// The real game, ticker and chain client against a local chain server; the record store is one
// that holds its calls until the test lets them go.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { connectChain } from '../../src/chain/connect.js'
import { devSubnet } from '../../src/chain/local/bootstrap.js'
import { LocalChain } from '../../src/chain/local/local-chain.js'
import { LocalChainRuntime } from '../../src/chain/local/runtime.js'
import { LocalChainServer } from '../../src/chain/local/server.js'
import { EpochGame, inWindow } from '../../src/consensus/epoch-game.js'
import { EpochTicker } from '../../src/consensus/epoch-ticker.js'
import type { DhtRecord, RecordStore, StoreResult } from '../../src/dht/record-store.js'
import { PHASES } from '../../src/dht/keys.js'
import { configureLogging, logLevel } from '../../src/log.js'
import { freshPeerId } from '../chain/contract.js'

/** An empty record store that accepts every record, whose calls all wait until `release()`. */
class HeldStore implements RecordStore {
  /** Resolves when the first call comes in. */
  readonly entered: Promise<void>
  readonly release: () => void
  calls = 0
  private readonly released: Promise<void>
  private enter!: () => void

  constructor() {
    let release!: () => void
    this.released = new Promise((resolve) => { release = resolve })
    this.release = release
    this.entered = new Promise((resolve) => { this.enter = resolve })
  }

  async store(): Promise<StoreResult> {
    await this.held()
    return { accepted: 1, tried: 1, refusals: {} }
  }

  async get(): Promise<DhtRecord[]> {
    await this.held()
    return []
  }

  private held(): Promise<void> {
    this.calls++
    this.enter()
    return this.released
  }
}

test('stop() resolves once the step in progress has finished, before the chain is closed', async () => {
  const runtime = new LocalChainRuntime({ params: { epochLength: 20, blockTimeMs: 1000, seed: 'stop' } })
  const specs = []
  for (let i = 0; i < 3; i++) specs.push({ peerId: await freshPeerId() })
  const made = await devSubnet(runtime, { nodes: specs })
  const reader = new LocalChain(runtime, {})
  // A block in the scoring window of an epoch after the first: the step scores the epoch (store
  // reads, held), commits its scores (a store write), then reads the last submission on chain.
  for (;;) {
    const info = await reader.epochInfo(made.subnetId)
    if (info.epoch >= 1 && inWindow(info, PHASES['validator-commit'].start, 1)) break
    runtime.advance(1)
  }
  const epoch = (await reader.epochInfo(made.subnetId)).epoch
  const server = new LocalChainServer(runtime, { port: 0 })
  const chain = await connectChain({ localChain: await server.listen(), hotkey: made.nodes[0]!.hotkey })
  const store = new HeldStore()
  const ticker = new EpochTicker({ chain }, { subnetId: made.subnetId })
  const game = new EpochGame({ chain, store, ticker }, {
    subnetId: made.subnetId, peerId: made.nodes[0]!.peerId, role: 'validator', model: { id: 'ab'.repeat(32), nEmbd: 8 },
  })
  const warnings: string[] = []
  const level = logLevel()
  configureLogging({ level: 'warn', sink: { write: (line) => warnings.push(line) } })
  try {
    ticker.start()
    game.start()
    await store.entered
    ticker.stop()
    let stopped = false
    const stopping = game.stop().then(() => { stopped = true })
    await new Promise((resolve) => setTimeout(resolve, 200))
    assert.equal(stopped, false, 'stop resolved while the step was still reading the store')

    store.release()
    await stopping
    const events = (e: number) => game.reports.get(e)?.events.map((x) => x.what) ?? []
    assert.deepEqual(events(epoch), ['scored the epoch', 'committed the scores'])
    assert.deepEqual(events(epoch - 1), ['no submission on chain'], 'the step read the chain to its end')
    await chain.close()
    const calls = store.calls
    await new Promise((resolve) => setTimeout(resolve, 200))
    assert.equal(store.calls, calls, 'the store was used after the game stopped')
    assert.deepEqual(warnings, [], 'nothing used the chain after it was closed')
  } finally {
    configureLogging({ level, sink: { write: (line) => process.stderr.write(line + '\n') } })
    ticker.stop()
    await game.stop()
    await chain.close()
    await server.close()
    runtime.stop()
  }
})
