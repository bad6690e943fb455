import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { Heartbeater } from '../../src/consensus/heartbeat.js'
import { decodeHeartbeat } from '../../src/consensus/heartbeat-record.js'
import { heartbeatKey } from '../../src/dht/keys.js'
import type { Engine } from '../../src/inference/engine.js'
import { testModelFile } from '../../src/inference/gguf/test-model-file.js'
import { openLlamaEngine } from '../../src/inference/llama-engine.js'
import { Swarm } from '../helpers/dht-swarm.js'

const TIMEOUT = { timeout: 180_000 }

/** Resolves when `check` returns true, polling; fails after `ms`. */
async function eventually(check: () => Promise<boolean>, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 200))
  }
}

describe('heartbeats over the real DHT', TIMEOUT, () => {
  let swarm: Swarm
  let engine: Engine

  before(async () => {
    swarm = await Swarm.start({ nodes: 3 })
    engine = await openLlamaEngine({ model: testModelFile({ seed: 1 }), threads: 1, parallel: 1 })
  }, TIMEOUT)
  after(async () => {
    await swarm?.close()
    await engine?.close()
  })

  it("a hoster's heartbeat carries its model, addresses and engine figures, and is refreshed before it expires", TIMEOUT, async () => {
    const node = swarm.nodes[0]!
    const beat = new Heartbeater({ store: node.dht, engine }, {
      role: 'hoster',
      peerId: node.peerId,
      version: '0.1.0',
      addresses: () => node.host.addresses().map(String),
      epochMs: 4_000,
    })
    beat.start()
    try {
      const reader = swarm.nodes[2]!.dht
      let first = 0
      await eventually(async () => {
        const records = (await reader.get(heartbeatKey('hoster', node.peerId), { timeoutMs: 30_000 })).filter((r) => r.subkey === node.peerId)
        if (records.length === 0) return false
        first = records[0]!.expiration
        const heartbeat = decodeHeartbeat(records[0]!.value)
        assert.equal(heartbeat.role, 'hoster')
        assert.equal(heartbeat.modelId, engine.model.id)
        assert.deepEqual(heartbeat.addresses, node.host.addresses().map(String))
        assert.equal(heartbeat.queueLength, engine.stats().queueLength)
        return true
      }, 60_000, 'the first heartbeat')
      // Each record lives 4 s and is refreshed every 2 s: a newer one replaces it before it expires
      // (storing nodes take a new heartbeat once a block: blocks pass meanwhile).
      await eventually(async () => {
        swarm.runtime.advance(1)
        const records = (await reader.get(heartbeatKey('hoster', node.peerId), { timeoutMs: 30_000 })).filter((r) => r.subkey === node.peerId)
        return records.length === 1 && records[0]!.expiration > first
      }, 60_000, 'a refreshed heartbeat')
    } finally {
      beat.stop()
    }
  })

  it('a validator without a model says so; a stopped heartbeat expires', TIMEOUT, async () => {
    const node = swarm.nodes[1]!
    const beat = new Heartbeater({ store: node.dht }, { role: 'validator', peerId: node.peerId, version: '0.1.0', addresses: () => [], epochMs: 3_000 })
    beat.start()
    const reader = swarm.nodes[2]!.dht
    const mine = async () => (await reader.get(heartbeatKey('validator', node.peerId), { timeoutMs: 30_000 })).find((r) => r.subkey === node.peerId)
    try {
      await eventually(async () => {
        const record = await mine()
        if (record === undefined) return false
        assert.deepEqual(decodeHeartbeat(record.value), { role: 'validator', modelId: '', modelName: '', version: '0.1.0', addresses: [], throughput: 0, queueLength: 0 })
        return true
      }, 60_000, 'the heartbeat')
    } finally {
      beat.stop()
    }
    await eventually(async () => (await mine()) === undefined, 60_000, 'the heartbeat to expire')
  })
})
