import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { PeerId, PeerRouting } from '@libp2p/interface'
import type { Chain } from '../../src/chain/chain.js'
import { devSubnet } from '../../src/chain/local/bootstrap.js'
import { LocalChainClient } from '../../src/chain/local/client.js'
import { LocalChain } from '../../src/chain/local/local-chain.js'
import { LocalChainRuntime } from '../../src/chain/local/runtime.js'
import { LocalChainServer } from '../../src/chain/local/server.js'
import { SubnetMembers } from '../../src/dht/members.js'
import { KeyRouting } from '../../src/dht/routing.js'
import { generateIdentity, peerIdOf } from '../../src/p2p/keys.js'
import { byXorDistance } from '../helpers/dht-swarm.js'

/** Kademlia's network lookup, which routing over the member list must not need. */
const noLookup: Pick<PeerRouting, 'getClosestPeers'> = {
  getClosestPeers: () => { throw new Error('a network lookup was made') },
}

describe('dht routing', () => {
  let runtime: LocalChainRuntime
  let chain: Chain
  let subnetId: number
  let members: PeerId[]

  before(async () => {
    runtime = new LocalChainRuntime({ params: { epochLength: 20, seed: 'routing' } })
    const keys = await Promise.all(Array.from({ length: 12 }, () => generateIdentity()))
    members = keys.map((k) => peerIdOf(k))
    const made = await devSubnet(runtime, { nodes: members.map((p) => ({ peerId: p.toString() })) })
    subnetId = made.subnetId
    chain = new LocalChain(runtime, {})
  })
  after(() => { runtime.stop() })

  it('gives every member the same replicas of a key, the members nearest it by XOR distance, whatever peers each knows', async () => {
    const routes = members.map((self, i) => {
      const list = new SubnetMembers({ chain }, { subnetId })
      return new KeyRouting({
        peerId: self,
        peerRouting: noLookup,
        // Each node knows a different few peers: the member list, not these, decides.
        getPeers: () => members.slice(i, i + 2),
        localClosest: () => members.slice(0, i % 3),
        members: () => list.peers(),
        epochSeed: (epoch) => chain.blockHash(epoch),
      }, { subnetId })
    })
    runtime.advance(10)
    for (const key of ['hoster_3', 'hoster-commit_epoch_7', 'validator-reveal_epoch_8']) {
      // Epoch keys are salted with their epoch's seed (here the test's stand-in: block `epoch`'s hash).
      const epoch = /_(\d+)$/.exec(key)![1]!
      const seed = key.startsWith('hoster_') ? undefined : await chain.blockHash(Number(epoch))
      const expected = byXorDistance(subnetId, key, members, seed).map(String)
      for (const route of routes) assert.deepEqual((await route.closest(key)).map(String), expected, key)
    }
  })

  it('places epoch keys by a seed nobody knows before the epoch: ids ground near a key hold no majority of its replicas after', async () => {
    const honest = (await Promise.all(Array.from({ length: 100 }, () => generateIdentity()))).map((k) => peerIdOf(k))
    const epoch = 3
    const key = `hoster-commit_epoch_${epoch}`
    const epochStart = runtime.block + 50
    // Before the epoch, its first block's hash does not exist: the attacker grinds against the unsalted key.
    await assert.rejects(chain.blockHash(epochStart))
    // Grind: keep ids nearer to the unsalted key than every honest member, until there are 8.
    const nearestHonest = byXorDistance(subnetId, key, honest)[0]!
    const attackers: PeerId[] = []
    while (attackers.length < 8) {
      const batch = (await Promise.all(Array.from({ length: 500 }, () => generateIdentity()))).map((k) => peerIdOf(k))
      for (const id of batch) if (attackers.length < 8 && byXorDistance(subnetId, key, [nearestHonest, id])[0] === id) attackers.push(id)
    }
    const everyone = [...honest, ...attackers]
    const isAttacker = (p: PeerId) => attackers.some((a) => a.equals(p))
    // Unsalted, the 8 ground ids would be the key's whole replica set.
    assert.equal(byXorDistance(subnetId, key, everyone).slice(0, 8).filter(isAttacker).length, 8)
    runtime.advance(50)
    const route = new KeyRouting({
      peerId: honest[0]!,
      peerRouting: noLookup,
      getPeers: () => [],
      localClosest: () => [],
      members: async () => everyone,
      epochSeed: async (e) => { assert.equal(e, epoch); return chain.blockHash(epochStart) },
    }, { subnetId })
    const replicas = (await route.closest(key)).slice(0, 8)
    const captured = replicas.filter(isAttacker).length
    assert.ok(captured < 5, `the ground ids hold ${captured} of the 8 replicas, a majority`)
    // Heartbeat keys are not epoch keys: no seed is asked for them.
    await route.closest('hoster_0')
  })

  it('refuses to place an epoch key whose seed cannot be read, naming the block', async () => {
    const route = new KeyRouting({
      peerId: members[0]!, peerRouting: noLookup, getPeers: () => [], localClosest: () => [], members: async () => members,
      epochSeed: () => chain.blockHash(10_000_000),
    }, { subnetId })
    await assert.rejects(route.closest('hoster-commit_epoch_99'), (err: Error) => (err as { code?: string }).code === 'DHT_NO_SEED' && /epoch 99's first block/.test(err.message))
  })

  it('keeps the last member list while the chain is down, and routes by Kademlia when it never answered', async () => {
    const server = new LocalChainServer(runtime, { port: 0 })
    const url = await server.listen()
    const client = await LocalChainClient.connect({ url, timeoutMs: 1_000 })
    try {
      const list = new SubnetMembers({ chain: client }, { subnetId, ttlMs: 1 })
      assert.deepEqual((await list.peers())?.map(String), members.map(String))
      await server.close()
      await new Promise((resolve) => setTimeout(resolve, 5))
      // Stale and unreadable: the last list still serves, at once.
      assert.deepEqual((await list.peers())?.map(String), members.map(String))

      const never = new SubnetMembers({ chain: client }, { subnetId })
      assert.equal(await never.peers(), null)
      const self = members[0]!
      const known = members.slice(1, 4)
      const route = new KeyRouting({
        peerId: self,
        peerRouting: { getClosestPeers: async function* () { yield { id: members[5]!, multiaddrs: [] } } },
        getPeers: () => known,
        localClosest: () => [],
        members: () => never.peers(),
        epochSeed: () => { throw new Error('no epoch key here') },
      }, { subnetId, wanted: 8 })
      // Fewer peers known than wanted: it waits for the lookup, and takes itself, its peers and what the lookup found.
      const candidates = [self, ...known, members[5]!]
      assert.deepEqual((await route.closest('hoster')).map(String), byXorDistance(subnetId, 'hoster', candidates).map(String))
    } finally {
      await client.close()
      await server.close()
    }
  })
})
