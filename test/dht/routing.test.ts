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
      }, { subnetId })
    })
    for (const key of ['hoster', 'hoster-commit_epoch_7', 'validator-reveal_epoch_8']) {
      const expected = byXorDistance(subnetId, key, members).map(String)
      for (const route of routes) assert.deepEqual((await route.closest(key)).map(String), expected, key)
    }
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
