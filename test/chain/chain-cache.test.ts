// The node's shared chain view (ChainCache) over the local chain server, where every request the
// client sends is counted: many parts asking every block cost one request of each kind a block;
// proof of stake is answered from the node list exactly as the chain answers it; a stalled head
// subscription sends reads to the chain instead of answering from a block long gone.
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { setTimeout as sleep } from 'node:timers/promises'
import { ChainCache } from '../../src/chain/chain-cache.js'
import { NODE_CLASSES, TOKEN } from '../../src/chain/chain.js'
import { devSubnet } from '../../src/chain/local/bootstrap.js'
import { LocalChainClient } from '../../src/chain/local/client.js'
import { LocalChain } from '../../src/chain/local/local-chain.js'
import { LocalChainRuntime } from '../../src/chain/local/runtime.js'
import { LocalChainServer } from '../../src/chain/local/server.js'
import { randomAccount } from '../../src/chain/accounts.js'
import { freshPeerId, waitFor } from './contract.js'

describe('ChainCache: one read of each kind a block, shared by every part of a node', () => {
  let runtime: LocalChainRuntime
  let server: LocalChainServer
  let client: LocalChainClient
  let cache: ChainCache
  let subnetId: number
  let peers: { node: string; bootnode: string; client: string }
  let queued: string

  before(async () => {
    runtime = new LocalChainRuntime({ params: { epochLength: 10, seed: 'cache' }, blockTimeMs: 60_000 })
    peers = { node: await freshPeerId(), bootnode: await freshPeerId(), client: await freshPeerId() }
    const made = await devSubnet(runtime, {
      nodes: [{ peerId: peers.node, bootnodePeerId: peers.bootnode, clientPeerId: peers.client }, { peerId: await freshPeerId() }, { peerId: await freshPeerId() }],
    })
    subnetId = made.subnetId
    runtime.advance(1)
    // A node registered into the active subnet waits in the queue: it proves no stake yet.
    const stranger = { hotkey: await randomAccount(), coldkey: await randomAccount() }
    runtime.fund(stranger.coldkey.address)
    queued = await freshPeerId()
    await new LocalChain(runtime, stranger).registerSubnetNode({ subnetId, hotkey: stranger.hotkey.address, peerId: queued, stake: 100n * TOKEN })
    server = new LocalChainServer(runtime, { port: 0 })
    client = await LocalChainClient.connect({ url: await server.listen() })
    cache = new ChainCache(client, { subnetId, staleAfterMs: 1500 })
    await cache.start()
  })
  after(async () => {
    await cache.close()
    await client.close()
    await server.close()
  })

  async function nextBlock(): Promise<number> {
    const block = runtime.block + 1
    runtime.advance(1)
    await waitFor(`block ${block} at the cache`, async () => (await cache.blockNumber()) === block)
    return block
  }

  test('twenty parts asking every block cost one node list a block, and no clock or stake reads', async () => {
    await nextBlock()
    await cache.epochInfo(subnetId) // the epoch length (once) and the subnet's parameters (once an epoch)
    const before = new Map(client.calls.byKind())
    for (let b = 0; b < 5; b++) {
      await nextBlock()
      await Promise.all(Array.from({ length: 20 }, async () => {
        await cache.epochInfo(subnetId)
        await cache.subnetNodes(subnetId)
        await cache.proofOfStake(subnetId, peers.node, 'Validator')
        await cache.proofOfStake(subnetId, await freshPeerId())
        await cache.nodeIdOf(subnetId, '0x0000000000000000000000000000000000000001')
        await cache.consensusSubmission(subnetId, 0)
      }))
    }
    const made = client.calls.byKind().map(([kind, n]) => [kind, n - (before.get(kind) ?? 0)] as const).filter(([, n]) => n > 0)
    assert.deepEqual(Object.fromEntries(made), { 'read subnetNodes': 5, 'read consensusSubmission': 5 })
  })

  test('proof of stake from the node list agrees with the chain, for every peer and class', async () => {
    await nextBlock()
    for (const peer of [peers.node, peers.bootnode, peers.client, queued, await freshPeerId()]) {
      for (const minClass of NODE_CLASSES) {
        assert.equal(await cache.proofOfStake(subnetId, peer, minClass), await client.proofOfStake(subnetId, peer, minClass), `${peer} at ${minClass}`)
      }
    }
  })

  test('the epoch clock from the head agrees with the chain', async () => {
    await nextBlock()
    assert.deepEqual(await cache.epochInfo(subnetId), await client.epochInfo(subnetId))
  })

  test('another subnet is read from the chain itself', async () => {
    const before = client.calls.total
    assert.equal(await cache.subnet(subnetId + 1), null)
    assert.equal(client.calls.total, before + 1)
  })

  test('with no head for a while, reads go to the chain, which reports the block the subscription missed', async () => {
    await nextBlock()
    const block = runtime.block
    // Blocks the cache is not told of: the server's subscription notices are held back.
    const [listener] = [...(client as unknown as { listeners: Set<(b: number) => void> }).listeners]
    const listeners = (client as unknown as { listeners: Set<(b: number) => void> }).listeners
    listeners.delete(listener!)
    runtime.advance(2)
    await sleep(1600)
    assert.equal(await cache.blockNumber(), block + 2, 'read from the chain once the head is stale')
    listeners.add(listener!)
  })
})
