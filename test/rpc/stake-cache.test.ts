import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { Chain } from '../../src/chain/chain.js'
import { devSubnet } from '../../src/chain/local/bootstrap.js'
import { LocalChainClient } from '../../src/chain/local/client.js'
import { LocalChain } from '../../src/chain/local/local-chain.js'
import { LocalChainRuntime } from '../../src/chain/local/runtime.js'
import { LocalChainServer } from '../../src/chain/local/server.js'
import { generateIdentity, peerIdOf } from '../../src/p2p/keys.js'
import { StakeCache } from '../../src/rpc/stake-cache.js'
import { registerLate } from '../helpers/rpc.js'

/** A real LocalChain that counts the proof-of-stake queries it answers. */
function counting(chain: Chain): Chain & { queries: number } {
  const counted = Object.create(chain) as Chain & { queries: number }
  counted.queries = 0
  counted.proofOfStake = (...args) => {
    counted.queries++
    return chain.proofOfStake(...args)
  }
  return counted
}

async function subnetWith(): Promise<{ runtime: LocalChainRuntime; subnetId: number; staked: string; stranger: string }> {
  const runtime = new LocalChainRuntime({ params: { epochLength: 8, minSubnetNodes: 1, seed: 'stake-cache' } })
  const staked = peerIdOf(await generateIdentity()).toString()
  const stranger = peerIdOf(await generateIdentity()).toString()
  const { subnetId } = await devSubnet(runtime, { nodes: [{ peerId: staked }] })
  return { runtime, subnetId, staked, stranger }
}

test('answers are cached: stake for 5 minutes, no stake for 20 seconds', async () => {
  const { runtime, subnetId, staked, stranger } = await subnetWith()
  const chain = counting(new LocalChain(runtime))
  let now = 0
  const cache = new StakeCache(chain, subnetId, { now: () => now })
  try {
    assert.equal(await cache.hasStake(staked, 'Registered'), true)
    assert.equal(await cache.hasStake(stranger, 'Registered'), false)
    assert.equal(chain.queries, 2)
    now = 19_999
    assert.equal(await cache.hasStake(staked, 'Registered'), true)
    assert.equal(await cache.hasStake(stranger, 'Registered'), false)
    assert.equal(chain.queries, 2)
    now = 20_000
    assert.equal(await cache.hasStake(stranger, 'Registered'), false)
    assert.equal(chain.queries, 3, 'a failure is asked again after 20 s')
    now = 299_999
    assert.equal(await cache.hasStake(staked, 'Registered'), true)
    assert.equal(chain.queries, 3)
    now = 300_000
    assert.equal(await cache.hasStake(staked, 'Registered'), true)
    assert.equal(chain.queries, 4, 'a success is asked again after 5 min')
  } finally {
    runtime.stop()
  }
})

test('the minimum class is part of the question', async () => {
  const { runtime, subnetId, staked, stranger } = await subnetWith()
  try {
    await registerLate(runtime, subnetId, stranger)
    const cache = new StakeCache(new LocalChain(runtime), subnetId)
    assert.equal(await cache.hasStake(stranger, 'Registered'), true)
    assert.equal(await cache.hasStake(stranger, 'Validator'), false)
    assert.equal(await cache.hasStake(staked, 'Validator'), true)
  } finally {
    runtime.stop()
  }
})

test('concurrent questions about one peer share one chain query', async () => {
  const { runtime, subnetId, stranger } = await subnetWith()
  const chain = counting(new LocalChain(runtime))
  try {
    const cache = new StakeCache(chain, subnetId)
    const answers = await Promise.all(Array.from({ length: 50 }, () => cache.hasStake(stranger, 'Registered')))
    assert.ok(answers.every((a) => a === false))
    assert.equal(chain.queries, 1)
  } finally {
    runtime.stop()
  }
})

test('a chain that cannot answer gives RPC_STAKE_UNAVAILABLE and caches nothing', async () => {
  const { runtime, subnetId, staked } = await subnetWith()
  const server = new LocalChainServer(runtime, { port: 0 })
  const client = await LocalChainClient.connect({ url: await server.listen(), timeoutMs: 1_000 })
  try {
    const cache = new StakeCache(client, subnetId)
    await server.close()
    await assert.rejects(cache.hasStake(staked, 'Registered'), { code: 'RPC_STAKE_UNAVAILABLE' })
    assert.equal(cache.cached(staked, 'Registered'), undefined)
  } finally {
    await client.close()
    runtime.stop()
  }
})
