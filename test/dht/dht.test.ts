import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { peerIdFromString } from '@libp2p/peer-id'
import { epochSeed } from '../../src/chain/chain.js'
import { signRecord, type SignedRecord } from '../../src/dht/crypto.js'
import { epochKey, heartbeatKey, heartbeatKeys } from '../../src/dht/keys.js'
import { storeMethod } from '../../src/dht/protocol.js'
import { toWire } from '../../src/dht/wire.js'
import { generateIdentity, peerIdOf } from '../../src/p2p/keys.js'
import { byXorDistance, Swarm, type SwarmNode } from '../helpers/dht-swarm.js'
import { altering, lyingReplica } from '../helpers/lying-replica.js'

const TIMEOUT = { timeout: 180_000 }
const text = (s: string) => new TextEncoder().encode(s)
const minutes = (n: number) => Date.now() + n * 60_000

/** Sends `record` straight to every other node of the swarm over the store method; returns each answer's code ('' = accepted). */
async function storeEverywhere(swarm: Swarm, from: SwarmNode, record: SignedRecord, handoff = false): Promise<string[]> {
  const others = swarm.running().filter((n) => n !== from)
  return Promise.all(others.map(async (node) => {
    try {
      const response = await from.client.call(peerIdFromString(node.peerId), storeMethod, { records: [toWire(record)], handoff }, { timeoutMs: 30_000 })
      return response.answers[0]!.code
    } catch (err) {
      return (err as { code?: string }).code ?? String(err)
    }
  }))
}

describe('dht: a 10-node swarm', TIMEOUT, () => {
  let swarm: Swarm

  before(async () => { swarm = await Swarm.start({ nodes: 10 }) }, TIMEOUT)
  after(async () => { await swarm?.close() })

  it('stores every node\'s heartbeat under its shard key, and every node reads all 10 from the shards', TIMEOUT, async () => {
    const results = await Promise.all(swarm.nodes.map((n) => n.dht.store(heartbeatKey('hoster', n.peerId), text(`hello from ${n.peerId}`), minutes(1))))
    for (const result of results) assert.equal(result.accepted, 8, JSON.stringify(result))
    for (const node of swarm.nodes) {
      const records = (await Promise.all(heartbeatKeys('hoster').map((key) => node.dht.get(key, { timeoutMs: 30_000 })))).flat()
      assert.deepEqual(records.map((r) => r.subkey).sort(), swarm.nodes.map((n) => n.peerId).sort())
      for (const record of records) assert.equal(new TextDecoder().decode(record.value), `hello from ${record.subkey}`)
    }
  })

  it('puts an epoch key\'s records on the 8 members nearest it salted with the epoch\'s seed, the replicas every node computes alike from the chain', TIMEOUT, async () => {
    const epoch = await swarm.advanceInto('hoster-commit')
    const key = epochKey('hoster-commit', epoch)
    assert.equal((await swarm.nodes[3]!.dht.store(key, new Uint8Array(32), minutes(1))).accepted, 8)
    // An epoch key is placed by its distance to sha256(key ‖ the hash of the epoch's first block).
    const seed = await epochSeed(swarm.chain, swarm.subnetId, epoch)
    const nearest = byXorDistance(swarm.subnetId, key, swarm.nodes.map((n) => n.host.peerId), seed).slice(0, 8).map(String)
    const holders = swarm.nodes.filter((n) => n.dht.storage.get(key).length > 0).map((n) => n.peerId)
    assert.deepEqual(holders.sort(), nearest.sort())
  })

  it('replaces a writer\'s own heartbeat with its newer write, once a block at most', TIMEOUT, async () => {
    const writer = swarm.nodes[3]!
    const key = heartbeatKey('validator', writer.peerId)
    await writer.dht.store(key, text('old'), minutes(1))
    const tooSoon = await writer.dht.store(key, text('too soon'), minutes(2))
    assert.deepEqual([tooSoon.accepted, tooSoon.refusals], [0, { DHT_TOO_FREQUENT: 8 }])
    swarm.runtime.advance(1)
    const newer = await writer.dht.store(key, text('new'), minutes(2))
    assert.equal(newer.accepted, 8)
    swarm.runtime.advance(1)
    const stale = await writer.dht.store(key, text('stale'), minutes(1))
    assert.equal(stale.accepted, 0)
    assert.equal(stale.refusals.DHT_STALE, 8, JSON.stringify(stale))
    const records = await swarm.nodes[7]!.dht.get(key, { timeoutMs: 30_000 })
    assert.deepEqual(records.map((r) => new TextDecoder().decode(r.value)), ['new'])
  })

  it('refuses forged, misowned, expired, oversized, unknown, misfiled, too-long-lived and out-of-phase records everywhere', TIMEOUT, async () => {
    const writer = swarm.nodes[0]!
    const victim = swarm.nodes[1]!.peerId
    const peerId = peerIdOf(writer.key)
    const hb = heartbeatKey('hoster', writer.peerId)
    const otherShard = heartbeatKeys('hoster').find((k) => k !== hb)!
    const good = await signRecord(writer.key, peerId, swarm.subnetId, { key: hb, value: text('x'), expiration: minutes(1) })
    const forged = { ...good, signature: good.signature.map((b, i) => (i === 0 ? b ^ 1 : b)) }
    const altered = { ...good, value: text('y') }
    const misowned = { ...(await signRecord(writer.key, peerId, swarm.subnetId, { key: heartbeatKey('hoster', victim), value: text('x'), expiration: minutes(1) })), subkey: victim }
    const expired = await signRecord(writer.key, peerId, swarm.subnetId, { key: hb, value: text('x'), expiration: Date.now() - 1 })
    const oversized = await signRecord(writer.key, peerId, swarm.subnetId, { key: hb, value: new Uint8Array(96 * 1024 + 1), expiration: minutes(1) })
    const unknown = await signRecord(writer.key, peerId, swarm.subnetId, { key: 'anything-else', value: text('x'), expiration: minutes(1) })
    const unsharded = await signRecord(writer.key, peerId, swarm.subnetId, { key: 'hoster', value: text('x'), expiration: minutes(1) })
    const misfiled = await signRecord(writer.key, peerId, swarm.subnetId, { key: otherShard, value: text('x'), expiration: minutes(1) })
    const tooLong = await signRecord(writer.key, peerId, swarm.subnetId, { key: hb, value: text('x'), expiration: minutes(60) })
    const otherSubnet = await signRecord(writer.key, peerId, swarm.subnetId + 1, { key: hb, value: text('x'), expiration: minutes(1) })
    const epoch = await swarm.advanceInto('consensus-epoch')
    const outOfPhase = await signRecord(writer.key, peerId, swarm.subnetId, { key: epochKey('hoster-reveal', epoch), value: text('x'), expiration: minutes(1) })
    const cases: Array<[string, SignedRecord, boolean]> = [
      ['DHT_BAD_SIGNATURE', forged, false],
      ['DHT_BAD_SIGNATURE', altered, false],
      ['DHT_BAD_SIGNATURE', otherSubnet, false],
      ['DHT_BAD_SIGNATURE', misowned, true],
      ['DHT_WRONG_OWNER', misowned, false],
      ['DHT_EXPIRED', expired, false],
      ['DHT_VALUE_TOO_LARGE', oversized, false],
      ['DHT_UNKNOWN_KEY', unknown, false],
      ['DHT_UNKNOWN_KEY', unsharded, false],
      ['DHT_WRONG_SHARD', misfiled, false],
      ['DHT_EXPIRATION_TOO_FAR', tooLong, false],
      ['DHT_OUT_OF_PHASE', outOfPhase, false],
    ]
    for (const [code, record, handoff] of cases) {
      assert.deepEqual(await storeEverywhere(swarm, writer, record, handoff), Array(9).fill(code), code)
    }
    // The writer's own node refuses its out-of-phase write too, and so does every replica.
    const result = await writer.dht.store(epochKey('hoster-commit', epoch), text('late'), minutes(1))
    assert.equal(result.accepted, 0)
    assert.equal(result.refusals.DHT_OUT_OF_PHASE, 8, JSON.stringify(result))
  })

  it('keeps each epoch key to its phase window', TIMEOUT, async () => {
    const writer = swarm.nodes[5]!
    const epoch = await swarm.advanceInto('hoster-commit')
    assert.equal((await writer.dht.store(epochKey('hoster-commit', epoch), text('commit'), minutes(1))).accepted, 8)
    // A key of the next epoch cannot even be placed: its seed, the hash of its first block, does not exist yet.
    await assert.rejects(writer.dht.store(epochKey('hoster-commit', epoch + 1), text('early'), minutes(1)), (err: Error) => (err as { code?: string }).code === 'DHT_NO_SEED')
    await swarm.advanceInto('validator-commit')
    assert.equal((await writer.dht.store(epochKey('validator-commit', epoch), text('scores'), minutes(1))).accepted, 8)
    // Written in its window, a commit stays readable after the window closes.
    const records = await swarm.nodes[2]!.dht.get(epochKey('hoster-commit', epoch), { timeoutMs: 30_000 })
    assert.deepEqual(records.map((r) => r.subkey), [writer.peerId])
  })

  it('refuses unstaked writers: at the RPC layer, and in a handoff by a staked node', TIMEOUT, async () => {
    const strangerKey = await generateIdentity()
    const stranger = await swarm.startNode(strangerKey)
    try {
      const result = await stranger.dht.store(heartbeatKey('hoster', stranger.peerId), text('let me in'), minutes(1))
      // Staked replicas refuse the caller; the stranger's own node, if among the closest, refuses its record.
      assert.equal(result.accepted, 0)
      assert.ok((result.refusals.RPC_NO_STAKE ?? 0) >= 7, JSON.stringify(result.refusals))
      assert.deepEqual(Object.keys(result.refusals).filter((c) => c !== 'RPC_NO_STAKE' && c !== 'DHT_NOT_STAKED'), [])
      const record = await signRecord(strangerKey, peerIdOf(strangerKey), swarm.subnetId, { key: heartbeatKey('hoster', stranger.peerId), value: text('x'), expiration: minutes(1) })
      // Every node, the stranger's own included, refuses a record of a writer without stake.
      assert.deepEqual(await storeEverywhere(swarm, swarm.nodes[0]!, record, true), Array(10).fill('DHT_NOT_STAKED'))
    } finally {
      await swarm.stopNode(stranger)
      swarm.nodes.splice(swarm.nodes.indexOf(stranger), 1)
    }
  })

  it('asks a member that could not be reached last, until it connects again', TIMEOUT, async () => {
    const writer = swarm.running()[0]!
    const key = heartbeatKey('validator', writer.peerId)
    const [nearestId] = byXorDistance(swarm.subnetId, key, swarm.nodes.filter((n) => n !== writer).map((n) => n.host.peerId))
    const down = swarm.nodes.find((n) => n.host.peerId.equals(nearestId))!
    await swarm.stopNode(down)
    // The chain still lists it: the first store tries it, the next ones go to the 8 that answer first.
    swarm.runtime.advance(1)
    const first = await writer.dht.store(key, text('one'), minutes(1))
    assert.deepEqual([first.accepted, first.tried, first.refusals], [8, 9, { RPC_UNREACHABLE: 1 }])
    swarm.runtime.advance(1)
    const second = await writer.dht.store(key, text('two'), minutes(1))
    assert.deepEqual([second.accepted, second.tried, second.refusals], [8, 8, {}])
    // Back and connected: it is the nearest replica again.
    const back = await swarm.startNode(down.key)
    await swarm.connectAll()
    swarm.runtime.advance(1)
    assert.equal((await writer.dht.store(key, text('three'), minutes(1))).accepted, 8)
    assert.equal(new TextDecoder().decode(back.dht.storage.get(key).find((r) => r.subkey === writer.peerId)?.value), 'three')
  })
})

describe('dht: liars, departures and arrivals', TIMEOUT, () => {
  let swarm: Swarm

  before(async () => { swarm = await Swarm.start({ nodes: 6, dht: { replicas: 3 } }) }, TIMEOUT)
  after(async () => { await swarm?.close() })

  const holdersOf = (key: string) => swarm.running().filter((n) => n.dht.storage.get(key).length > 0)

  it('catches a storing node that returns altered values', TIMEOUT, async () => {
    for (const node of swarm.nodes) assert.equal((await node.dht.store(heartbeatKey('hoster', node.peerId), text(`beat ${node.peerId}`), minutes(1))).accepted, 3)
    const liar = swarm.nodes.find((n) => heartbeatKeys('hoster').some((key) => n.dht.storage.get(key).length > 0))!
    // The liar serves altered copies that claim a later expiration: readers try the newest value first.
    // (Its storage would refuse to rewrite a heartbeat twice in a block: it lies in its find handler.)
    await lyingReplica(liar, altering(heartbeatKeys('hoster')))
    // Readers that ask the liar still get every honest value, and know whom to blame.
    let blamed = 0
    for (const reader of swarm.nodes.filter((n) => n !== liar)) {
      const records = (await Promise.all(heartbeatKeys('hoster').map((key) => reader.dht.get(key, { timeoutMs: 30_000 })))).flat()
      assert.equal(records.length, 6)
      for (const record of records) assert.equal(new TextDecoder().decode(record.value), `beat ${record.subkey}`)
      if ((reader.dht.stats.invalidRecordsFrom.get(liar.peerId) ?? 0) > 0) blamed++
    }
    assert.ok(blamed > 0, 'some reader asked the liar and blamed it')
    assert.ok(swarm.nodes.every((n) => (n.dht.stats.invalidRecordsFrom.size === 0) || n.dht.stats.invalidRecordsFrom.has(liar.peerId)))
  })

  it('keeps records while one replica lives, hands them to new closest peers, and takes back a restarted node', TIMEOUT, async () => {
    const writer = swarm.nodes[0]!
    const key = heartbeatKey('validator', writer.peerId)
    assert.equal((await writer.dht.store(key, text('survive'), minutes(1))).accepted, 3)
    const first = holdersOf(key)
    assert.equal(first.length, 3)
    // Two replicas leave; the last one hands the record to the peers now closest.
    const [gone1, gone2, last] = first as [SwarmNode, SwarmNode, SwarmNode]
    await swarm.stopNode(gone1)
    await swarm.stopNode(gone2)
    await last.dht.replicate()
    assert.ok(holdersOf(key).length >= 3, `${holdersOf(key).length} holders after re-replication`)
    // The replica that kept it leaves too: the record lives on in the new holders.
    await swarm.stopNode(last)
    const readers = swarm.running()
    for (const reader of readers) {
      const records = await reader.dht.get(key, { timeoutMs: 30_000 })
      assert.deepEqual(records.map((r) => new TextDecoder().decode(r.value)), ['survive'], `read by ${reader.peerId}`)
    }
    // A node that restarts with its identity rejoins and gets the records it is now closest for.
    const back = await swarm.startNode(gone1.key)
    for (const node of swarm.running()) await node.dht.replicate()
    const records = await back.dht.get(key, { timeoutMs: 30_000 })
    assert.deepEqual(records.map((r) => new TextDecoder().decode(r.value)), ['survive'])
  })
})
