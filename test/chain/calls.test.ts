// What one node asks of a public endpoint: a hoster and a validator of a 4-node subnet on the real
// runtime under chopsticks, a block a second, each on its own connection; every request each sends
// is counted by kind. Goal (issue #19): at most 3 requests per block per node in steady state.
import { after, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { setTimeout as sleep } from 'node:timers/promises'
import type { ChainCalls } from '../../src/chain/calls.js'
import { SubstrateChain } from '../../src/chain/substrate.js'
import { testModelFile } from '../../src/inference/gguf/test-model-file.js'
import { SubnetNode } from '../../src/node/subnet-node.js'
import { generateIdentity, peerIdOf } from '../../src/p2p/keys.js'
import { LOOPBACK } from '../helpers/swarm.js'
import { SubstrateHarness } from './substrate-harness.js'

const harness = new SubstrateHarness()
after(() => harness.close())

/** Requests made between two snapshots of a counter, by kind. */
function since(before: Map<string, number>, calls: ChainCalls): Map<string, number> {
  return new Map(calls.byKind().map(([kind, n]) => [kind, n - (before.get(kind) ?? 0)] as [string, number]).filter(([, n]) => n > 0))
}

describe('chain requests per block of a running node on the real runtime', { skip: harness.skip ?? false }, () => {
  test('a hoster and a validator each send at most 3 requests a block in steady state', { timeout: 600_000 }, async () => {
    const keys = await Promise.all([0, 1, 2, 3].map(() => generateIdentity()))
    const fx = await harness.subnet({ nodes: 4, peerIds: keys.map((k) => peerIdOf(k).toString()) })
    const url = harness.chopsticks.url
    const chains = await Promise.all([0, 1].map((i) => SubstrateChain.connect({ url, hotkey: fx.hotkeys[i], immortal: true })))
    const nodes: SubnetNode[] = []
    // Blocks at a steady pace, as a chain produces them.
    let producing = true
    const producer = (async () => {
      while (producing) {
        await harness.advance(1)
        await sleep(1000)
      }
    })()
    try {
      const model = testModelFile({ quant: 'q8_0' })
      nodes.push(await SubnetNode.start({ role: 'hoster', model, subnetId: fx.subnetId, identity: keys[0], chain: chains[0],
        host: { ...LOOPBACK, newSwarm: true }, engine: { threads: 1, parallel: 1 } }))
      nodes.push(await SubnetNode.start({ role: 'validator', model, subnetId: fx.subnetId, identity: keys[1], chain: chains[1],
        host: { ...LOOPBACK, newSwarm: false, initialPeers: nodes[0].host.addresses().map(String) } }))
      await sleep(10_000) // starting up: connecting, first reads
      const reader = fx.reader
      const start = await reader.blockNumber()
      const before = chains.map((c) => new Map(c.calls.byKind()))
      // 20 blocks, or what a loaded machine makes in 3 minutes (the figures are per block either way).
      const deadline = Date.now() + 180_000
      while ((await reader.blockNumber()) - start < 20 && Date.now() < deadline) await sleep(1000)
      const blocks = (await reader.blockNumber()) - start
      for (const [i, chain] of chains.entries()) {
        const made = since(before[i], chain.calls)
        const total = [...made.values()].reduce((a, b) => a + b, 0)
        console.log(`${i === 0 ? 'hoster' : 'validator'}: ${total} requests in ${blocks} blocks = ${(total / blocks).toFixed(2)} a block`)
        for (const [kind, n] of made) console.log(`  ${(n / blocks).toFixed(2).padStart(6)}  ${kind}`)
        assert.ok(total / blocks <= 3, `${total} requests in ${blocks} blocks`)
      }
    } finally {
      producing = false
      await producer
      for (const node of nodes) await node.stop()
      for (const chain of chains) await chain.close()
    }
  })
})
