// Only a registered node's own peer id writes records (PROTOCOL.md, "Who plays, and which records
// count"). Proof of stake admits a node's bootnode and client peer ids to RPC (clients call
// inference with them); as writers they would give one registration three votes.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { signRecord } from '../../src/dht/crypto.js'
import { heartbeatKey } from '../../src/dht/keys.js'
import { peerIdOf } from '../../src/p2p/keys.js'
import { Swarm } from '../helpers/dht-swarm.js'

const TIMEOUT = { timeout: 180_000 }
const text = (s: string) => new TextEncoder().encode(s)
const minutes = (n: number) => Date.now() + n * 60_000

describe('dht writers: a node\'s own peer id only', TIMEOUT, () => {
  let swarm: Swarm

  before(async () => { swarm = await Swarm.start({ nodes: 5, aliases: true }) }, TIMEOUT)
  after(async () => { await swarm?.close() })

  for (const alias of ['client', 'bootnode'] as const) {
    it(`refuses a record written with the node's ${alias} peer id on every storing node, and readers ignore one a liar serves`, TIMEOUT, async () => {
      const aliasKey = swarm.aliases![alias]
      const aliasId = peerIdOf(aliasKey).toString()
      const owner = swarm.nodes[0]!
      // The alias host passes the RPC layer's proof of stake, so its store reaches every storing node.
      const aliasNode = await swarm.startNode(aliasKey)
      try {
        const key = heartbeatKey('hoster', aliasId)
        const result = await aliasNode.dht.store(key, text('one registration, a second vote'), minutes(1))
        assert.equal(result.accepted, 0, JSON.stringify(result))
        // The five members are the replicas (the alias is no member): each refuses, naming the rule.
        assert.deepEqual(result.refusals, { DHT_NOT_OWN_PEER_ID: 5 })
        // Each storing node counted it (what /metrics exports as mesh_dht_refusals{side="store"}).
        for (const node of swarm.nodes.slice(0, 5)) assert.ok((node.dht.validators.refusals.get('DHT_NOT_OWN_PEER_ID') ?? 0) >= 1)
        // A storing node that keeps it anyway (a liar) cannot make readers count it.
        const record = await signRecord(aliasKey, peerIdOf(aliasKey), swarm.subnetId, { key, value: text('smuggled'), expiration: minutes(1) })
        for (const node of swarm.nodes.slice(0, 5)) node.dht.storage.put(record)
        const reader = swarm.nodes[3]!
        const before = reader.dht.validators.readRefusals.get('DHT_NOT_OWN_PEER_ID') ?? 0
        assert.deepEqual((await reader.dht.get(key, { timeoutMs: 30_000 })).filter((r) => r.subkey === aliasId), [])
        assert.ok((reader.dht.validators.readRefusals.get('DHT_NOT_OWN_PEER_ID') ?? 0) > before, 'the reader counted the drop')
        // The node's own peer id still writes (in a new block: a heartbeat is replaced once a block at most).
        swarm.runtime.advance(1)
        assert.equal((await owner.dht.store(heartbeatKey('hoster', owner.peerId), text('mine'), minutes(1))).accepted, 5)
      } finally {
        await swarm.stopNode(aliasNode)
        swarm.nodes.splice(swarm.nodes.indexOf(aliasNode), 1)
      }
    })
  }

  it('names the refusal: the alias, its node and the peer id that may write', TIMEOUT, async () => {
    const aliasId = peerIdOf(swarm.aliases!.client).toString()
    const record = await signRecord(swarm.aliases!.client, peerIdOf(swarm.aliases!.client), swarm.subnetId, { key: heartbeatKey('hoster', aliasId), value: text('x'), expiration: minutes(1) })
    const node = swarm.nodes[1]!
    await assert.rejects(node.dht.validators.validateRead(record, { subnetId: swarm.subnetId, now: Date.now(), from: node.peerId }), (err: Error) =>
      (err as { code?: string }).code === 'DHT_NOT_OWN_PEER_ID' && err.message.includes(`client peer id of node`) && err.message.includes(swarm.nodes[0]!.peerId))
  })
})
