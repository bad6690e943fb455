import { test } from 'node:test'
import assert from 'node:assert/strict'
import { ChainCache } from '../../src/chain/chain-cache.js'
import type { Chain, EpochInfo } from '../../src/chain/chain.js'
import { devSubnet } from '../../src/chain/local/bootstrap.js'
import { LocalChain } from '../../src/chain/local/local-chain.js'
import { LocalChainRuntime } from '../../src/chain/local/runtime.js'
import { EpochTicker, phaseSchedule, secondsUntil } from '../../src/consensus/epoch-ticker.js'
import { freshPeerId } from '../chain/contract.js'

async function subnet(epochLength = 20) {
  const runtime = new LocalChainRuntime({ params: { epochLength, blockTimeMs: 1000, seed: 'ticker' } })
  const specs = []
  for (let i = 0; i < 3; i++) specs.push({ peerId: await freshPeerId() })
  const made = await devSubnet(runtime, { nodes: specs })
  return { runtime, subnetId: made.subnetId, chain: new LocalChain(runtime, {}) }
}

/**
 * Fault injection around the real LocalChain: every read of the clock and every subscription fails
 * while `down`, and a subscription made while up can be silenced (a connection that went quiet).
 */
function flaky(chain: LocalChain) {
  const state = { down: true, calls: 0, silenced: false }
  const fail = () => {
    state.calls++
    return Promise.reject(new Error('connection refused'))
  }
  const view: Chain = Object.create(chain) as Chain
  view.epochInfo = (subnetId) => (state.down ? fail() : chain.epochInfo(subnetId))
  view.blockNumber = () => (state.down ? fail() : chain.blockNumber())
  view.subscribeBlocks = (onBlock) => (state.down ? fail() : chain.subscribeBlocks((b) => { if (!state.silenced) onBlock(b) }))
  return { view, state }
}

test('the ticker emits every block with the subnet epoch and progress, and only forward', async () => {
  const { runtime, subnetId, chain } = await subnet()
  const ticker = new EpochTicker({ chain }, { subnetId })
  const ticks: EpochInfo[] = []
  ticker.onTick((info) => ticks.push(info))
  ticker.start()
  try {
    await ticker.waitFor(() => true)
    const start = ticker.latest!.block
    for (let i = 0; i < 25; i++) {
      runtime.advance(1)
      await ticker.waitFor((info) => info.block === start + i + 1)
    }
    const blocks = ticks.map((t) => t.block)
    assert.deepEqual(blocks, [...blocks].sort((a, b) => a - b))
    assert.equal(new Set(blocks).size, blocks.length)
    const last = ticks.at(-1)!
    assert.deepEqual(last, await chain.epochInfo(subnetId))
    assert.equal(last.epoch, Math.floor((last.block - last.slot) / 20))
  } finally {
    ticker.stop()
    runtime.stop()
  }
})

test("the ticker, on the chain cache's heads, rides out an unreachable chain and a subscription that went quiet", async () => {
  const { runtime, subnetId, chain } = await subnet()
  const { view, state } = flaky(chain)
  // The one watchdog is the chain cache's: it asks the chain again, and subscribes again, until it answers.
  const heads = new ChainCache(view, { subnetId, staleAfterMs: 50 })
  await heads.start()
  const ticker = new EpochTicker({ chain: heads }, { subnetId })
  // The cache's watchdog timer does not hold the process open (in a node, the host does): this does, meanwhile.
  const open = setInterval(() => undefined, 1_000)
  ticker.start()
  try {
    await new Promise((r) => setTimeout(r, 300))
    assert.equal(ticker.latest, undefined)
    assert.ok(state.calls >= 3, `retried ${state.calls} times`)
    state.down = false
    runtime.advance(1)
    const first = await ticker.waitFor(() => true)
    assert.equal(first.block, runtime.block)
    // The subscription goes quiet: the watchdog still sees new blocks and resubscribes.
    state.silenced = true
    runtime.advance(3)
    const seen = await ticker.waitFor((info) => info.block === runtime.block)
    assert.equal(seen.block, first.block + 3)
  } finally {
    clearInterval(open)
    ticker.stop()
    await heads.close()
    runtime.stop()
  }
})

test('seconds to each phase boundary come from the block index and the block time', () => {
  // Block index 5 of 20 (progress 25%), 6 s blocks.
  const info: EpochInfo = { block: 105, slot: 0, epochLength: 20, epoch: 5, progress: 0.25, blocksRemaining: 15, secondsRemaining: 90 }
  assert.equal(secondsUntil(info, 0.5, 6000), 30)
  assert.equal(secondsUntil(info, 0.15, 6000), 108) // next epoch's 15%: 15 + 3 blocks
  assert.equal(secondsUntil(info, 1, 6000), 90)
  const schedule = phaseSchedule(info, 6000)
  assert.deepEqual(schedule['hoster-reveal'], { opensIn: 30, closesIn: 48 }) // 50–65%: blocks 10–12
  assert.deepEqual(schedule['hoster-commit'], { opensIn: 108, closesIn: 18 }) // 15–40%: closes at block 8
  assert.deepEqual(schedule['consensus-epoch'], { opensIn: 90, closesIn: 108 })
})
