// Only a registered node's own peer id writes records (PROTOCOL.md, "Who plays, and which records
// count"). Proof of stake admits a node's bootnode and client peer ids to RPC (clients call
// inference with them); as writers they would give one registration three votes.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { randomAccount } from '../../src/chain/accounts.js'
import { TOKEN } from '../../src/chain/chain.js'
import { LocalChain } from '../../src/chain/local/local-chain.js'
import { signRecord } from '../../src/dht/crypto.js'
import { epochKey, heartbeatKey, inPhase, PHASE_SLACK_BLOCKS } from '../../src/dht/keys.js'
import { generateIdentity, peerIdOf } from '../../src/p2p/keys.js'
import { Swarm } from '../helpers/dht-swarm.js'

const TIMEOUT = { timeout: 180_000 }
const text = (s: string) => new TextEncoder().encode(s)
const minutes = (n: number) => Date.now() + n * 60_000
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

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

  // A record counts the class its writer held in the record's epoch (chain.ts, classIn). A queued
  // node is activated at the first block of an epoch, its class starting there; a storing node's
  // block of phase slack still admits the last epoch's validator commits in that block. Judged by
  // its class as listed now, the newcomer would write a record of an epoch it did not play.
  it('refuses a record of an epoch before its writer\'s class started, on every storing node and on reads', TIMEOUT, async () => {
    const hotkey = await randomAccount()
    const coldkey = await randomAccount()
    swarm.runtime.fund(hotkey.address)
    swarm.runtime.fund(coldkey.address)
    const newcomerKey = await generateIdentity()
    const newcomerId = peerIdOf(newcomerKey).toString()
    await new LocalChain(swarm.runtime, { hotkey, coldkey }).registerSubnetNode({ subnetId: swarm.subnetId, hotkey: hotkey.address, peerId: newcomerId, stake: 100n * TOKEN })
    const newcomer = await swarm.startNode(newcomerKey)
    try {
      const listed = async () => (await swarm.chain.subnetNodes(swarm.subnetId)).find((n) => n.peerId === newcomerId)!
      for (let i = 0; i < 10 * swarm.runtime.params.epochLength && (await listed()).class === 'Registered'; i++) swarm.runtime.advance(1)
      const clock = await swarm.chain.epochInfo(swarm.subnetId)
      const node = await listed()
      assert.equal(node.class, 'Idle')
      assert.equal(node.classStartEpoch, clock.epoch, 'activated in this epoch')
      const last = clock.epoch - 1
      assert.ok(inPhase('validator-commit', last, clock, PHASE_SLACK_BLOCKS), 'the last epoch\'s commits are still admitted in this block')
      // Each storing node reads the chain's node list again once it is a block old and a peer id it
      // does not name writes (members.ts): wait a block's time, then send each a stranger's record.
      await sleep(swarm.chain.blockTimeMs + 100)
      const stranger = await generateIdentity()
      const strangers = await signRecord(stranger, peerIdOf(stranger), swarm.subnetId, { key: heartbeatKey('hoster', peerIdOf(stranger).toString()), value: text('who?'), expiration: minutes(1) })
      for (const member of swarm.nodes) {
        await assert.rejects(member.dht.validators.validateRead(strangers, { subnetId: swarm.subnetId, now: Date.now(), from: member.peerId }), { code: 'DHT_NOT_STAKED' })
      }

      const key = epochKey('validator-commit', last)
      const result = await newcomer.dht.store(key, text('a commit of an epoch I did not play'), minutes(4))
      assert.equal(result.accepted, 0, JSON.stringify(result))
      assert.deepEqual(Object.keys(result.refusals), ['DHT_NOT_STAKED'], JSON.stringify(result))
      for (const member of swarm.nodes.filter((n) => n !== newcomer)) assert.deepEqual(member.dht.storage.get(key).filter((r) => r.subkey === newcomerId), [])

      // Readers judge a record served to them the same way; the newcomer's records of its own epoch count.
      const reader = swarm.nodes[1]!
      const read = async (epochKeyOf: string) => reader.dht.validators.validateRead(
        await signRecord(newcomerKey, peerIdOf(newcomerKey), swarm.subnetId, { key: epochKeyOf, value: text('x'), expiration: minutes(4) }),
        { subnetId: swarm.subnetId, now: Date.now(), from: reader.peerId })
      await assert.rejects(read(epochKey('hoster-audit', last)), (err: Error) =>
        (err as { code?: string }).code === 'DHT_NOT_STAKED' && err.message.includes(`from epoch ${clock.epoch}`) && err.message.includes(`epoch ${last}`))
      await read(epochKey('hoster-audit', clock.epoch))
      await read(heartbeatKey('hoster', newcomerId))
    } finally {
      await swarm.stopNode(newcomer)
      swarm.nodes.splice(swarm.nodes.indexOf(newcomer), 1)
    }
  })
})
