import { test } from 'node:test'
import assert from 'node:assert/strict'
import { ChainCache } from '../../src/chain/chain-cache.js'
import type { Chain } from '../../src/chain/chain.js'
import { devSubnet } from '../../src/chain/local/bootstrap.js'
import { LocalChain } from '../../src/chain/local/local-chain.js'
import { LocalChainRuntime } from '../../src/chain/local/runtime.js'
import { EpochClock } from '../../src/dht/epoch-clock.js'
import { generateIdentity, peerIdOf } from '../../src/p2p/keys.js'

/** Fault injection around the real LocalChain: subscriptions can be silenced (a connection that went quiet); subscriptions are counted. */
function quietable(chain: LocalChain) {
  const state = { silenced: false, subscriptions: 0 }
  const view: Chain = Object.create(chain) as Chain
  view.subscribeBlocks = (onBlock) => {
    state.subscriptions++
    return chain.subscribeBlocks((b) => { if (!state.silenced) onBlock(b) })
  }
  return { view, state }
}

test("the storing nodes' epoch clock follows the chain cache's blocks, whose watchdog notices a subscription that went quiet", async () => {
  const runtime = new LocalChainRuntime({ params: { epochLength: 20, blockTimeMs: 1000, seed: 'clock' } })
  const keys = await Promise.all([0, 1, 2].map(() => generateIdentity()))
  const { subnetId } = await devSubnet(runtime, { nodes: keys.map((k) => ({ peerId: peerIdOf(k).toString() })) })
  const { view, state } = quietable(new LocalChain(runtime))
  const heads = new ChainCache(view, { subnetId, staleAfterMs: 100 })
  await heads.start()
  const clock = new EpochClock({ chain: heads }, { subnetId })
  await clock.start()
  try {
    const start = (await clock.now()).block
    runtime.advance(1)
    assert.equal((await clock.now()).block, start + 1, 'a delivered block clears the cached reading')
    state.silenced = true
    runtime.advance(3)
    assert.equal((await clock.now()).block, start + 1, 'until the watchdog looks, the quiet subscription leaves the clock behind')
    const deadline = Date.now() + 5_000
    while ((await clock.now()).block !== start + 4) {
      assert.ok(Date.now() < deadline, 'the watchdog re-read the clock')
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
    assert.ok(state.subscriptions >= 2, 'and resubscribed')
  } finally {
    clock.stop()
    await heads.close()
    runtime.stop()
  }
})
