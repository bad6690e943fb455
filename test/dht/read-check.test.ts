// The read-side check against lying storing nodes (PROTOCOL.md, "Who plays, and which records
// count"): receipts of a majority of a key's replicas inside its window, or the record does not
// count. Real hosts on loopback; a lying storing node is a real host that stores records it should
// not have (straight into its storage) or whose dht-find handler is a test double (lying-replica.ts).
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { peerIdFromString } from '@libp2p/peer-id'
import { signRecord, type SignedRecord } from '../../src/dht/crypto.js'
import { storeMethod } from '../../src/dht/protocol.js'
import { epochKey } from '../../src/dht/keys.js'
import { ReceiptSigner, valueHash } from '../../src/dht/receipt.js'
import { toWire } from '../../src/dht/wire.js'
import type { EpochInfo, SubnetNode } from '../../src/chain/chain.js'
import type { Membership } from '../../src/dht/members.js'
import { DhtNode, type ReplicaClient } from '../../src/dht/node.js'
import { KeyRouting } from '../../src/dht/routing.js'
import { stakeValidator } from '../../src/dht/stake-validator.js'
import { RecordStorage } from '../../src/dht/storage.js'
import { ValidatorChain, expiryValidator, keyValidator, ownerValidator, shapeValidator, signatureValidator } from '../../src/dht/validation.js'
import { generateIdentity, peerIdOf, type Ed25519PrivateKey } from '../../src/p2p/keys.js'
import { plantRecords, Swarm, type SwarmNode } from '../helpers/dht-swarm.js'
import { hiding, lyingReplica, recording, servingEveryReceipt } from '../helpers/lying-replica.js'
import type { FindQuery } from '../../src/dht/digest.js'

const TIMEOUT = { timeout: 300_000 }
const text = (s: string) => new TextEncoder().encode(s)
const minutes = (n: number) => Date.now() + n * 60_000
const READ = { timeoutMs: 60_000 }

describe('dht read-side check: a 10-node swarm, 8 replicas a key, 5 to count', TIMEOUT, () => {
  let swarm: Swarm

  before(async () => { swarm = await Swarm.start({ nodes: 10 }) }, TIMEOUT)
  after(async () => { await swarm?.close() })

  const holdersOf = (key: string) => swarm.running().filter((n) => n.dht.storage.get(key).length > 0)
  const block = async () => (await swarm.chain.epochInfo(swarm.subnetId)).block
  const receipt = (storer: SwarmNode, record: SignedRecord, at: number) =>
    new ReceiptSigner(storer.key, peerIdOf(storer.key), swarm.subnetId).sign({ key: record.key, writer: record.subkey, valueHash: valueHash(record.value) }, at)
  const sign = (writer: SwarmNode, key: string, value: string) => signRecord(writer.key, peerIdOf(writer.key), swarm.subnetId, { key, value: text(value), expiration: minutes(4) })
  const subkeysRead = async (reader: SwarmNode, key: string) => (await reader.dht.get(key, READ)).map((r) => r.subkey)

  it('does not count a record one storing node serves late, without receipts, or with forged receipts', TIMEOUT, async () => {
    const epoch = await swarm.advanceInto('hoster-commit')
    const key = epochKey('hoster-commit', epoch)
    const [honest, lateWriter, backdatedWriter, bareWriter, forgedWriter] = swarm.nodes as [SwarmNode, SwarmNode, SwarmNode, SwarmNode, SwarmNode]
    assert.equal((await honest.dht.store(key, text('in time'), minutes(4))).accepted, 8)
    const inWindow = await block()
    const holders = holdersOf(key)
    const liar = holders.find((n) => ![lateWriter, backdatedWriter, bareWriter, forgedWriter].includes(n))!
    await swarm.advanceInto('validator-commit')
    const now = await block()
    // The window has closed: every honest storing node refuses a commit now.
    assert.equal((await lateWriter.dht.store(key, text('late'), minutes(4))).refusals.DHT_OUT_OF_PHASE, 8)
    // The liar keeps them anyway, with receipts of its own making.
    const late = await sign(lateWriter, key, 'late')
    late.receipts = [receipt(liar, late, now)]
    const backdated = await sign(backdatedWriter, key, 'backdated')
    backdated.receipts = [receipt(liar, backdated, inWindow)]
    const bare = await sign(bareWriter, key, 'no receipt')
    const forged = await sign(forgedWriter, key, 'forged receipts')
    forged.receipts = [receipt(liar, forged, inWindow), ...holders.filter((n) => n !== liar).map((n) => ({ storer: n.peerId, block: inWindow, signature: randomBytes(64) }))]
    for (const record of [late, backdated, bare, forged]) liar.dht.storage.put(record)
    await lyingReplica(liar, servingEveryReceipt)
    for (const reader of swarm.nodes.filter((n) => n !== liar).slice(0, 3)) {
      assert.deepEqual(await subkeysRead(reader, key), [honest.peerId], `read by ${reader.peerId}`)
      assert.ok((reader.dht.stats.readDiscards.get('DHT_RECEIPT_BAD_SIGNATURE') ?? 0) > 0, JSON.stringify([...reader.dht.stats.readDiscards]))
      assert.ok((reader.dht.stats.readDiscards.get('DHT_NO_QUORUM') ?? 0) >= 4, JSON.stringify([...reader.dht.stats.readDiscards]))
      assert.ok((reader.dht.stats.invalidRecordsFrom.get(liar.peerId) ?? 0) > 0, 'the liar is blamed for the forged receipts')
    }
  })

  it('keeps a handoff after the window only when it carries receipts of a majority of the replicas', TIMEOUT, async () => {
    const epoch = await swarm.advanceInto('hoster-commit')
    const key = epochKey('hoster-commit', epoch)
    const writer = swarm.nodes[6]!
    assert.equal((await writer.dht.store(key, text('handed over'), minutes(4))).accepted, 8)
    const holders = holdersOf(key)
    const giver = holders.find((n) => n !== writer)!
    const taker = swarm.nodes.find((n) => !holders.includes(n))!
    await swarm.advanceInto('validator-commit')
    const handOver = async (record: SignedRecord) => {
      const response = await giver.client.call(peerIdFromString(taker.peerId), storeMethod, { records: [toWire(record)], handoff: true }, { timeoutMs: 30_000 })
      return response.answers[0]!.code
    }
    // Before it read the key, the giver holds its own receipt only: one of five.
    assert.equal(giver.dht.storage.get(key)[0]!.receipts!.length, 1)
    assert.equal(await handOver(giver.dht.storage.get(key)[0]!), 'DHT_OUT_OF_PHASE')
    // Reading the key, it learns the other replicas' receipts of what it holds.
    assert.deepEqual(await subkeysRead(giver, key), [writer.peerId])
    const held = giver.dht.storage.get(key)[0]!
    assert.ok(held.receipts!.length >= 5, `${held.receipts!.length} receipts`)
    assert.equal(await handOver({ ...held, receipts: held.receipts!.map((r) => (r.storer === giver.peerId ? r : { ...r, signature: randomBytes(64) })) }), 'DHT_OUT_OF_PHASE')
    assert.equal(await handOver(held), '')
    // The taker's own receipt is late: it counts for no reader.
    const own = taker.dht.storage.get(key)[0]!.receipts!.find((r) => r.storer === taker.peerId)!
    assert.ok(own.block >= (await block()) - 1)
  })

  it('does not count a record only a minority of the replicas accepted; counts it from a majority', TIMEOUT, async () => {
    const epoch = await swarm.advanceInto('hoster-commit')
    const key = epochKey('hoster-commit', epoch)
    const [honest, writer] = swarm.nodes as [SwarmNode, SwarmNode]
    assert.equal((await honest.dht.store(key, text('everywhere'), minutes(4))).accepted, 8)
    const holders = holdersOf(key).filter((n) => n !== writer)
    const record = await sign(writer, key, 'on four')
    const storeOn = async (node: SwarmNode) => {
      const response = await writer.client.call(peerIdFromString(node.peerId), storeMethod, { records: [toWire(record)], handoff: false }, { timeoutMs: 30_000 })
      assert.equal(response.answers[0]!.code, '')
    }
    for (const node of holders.slice(0, 4)) await storeOn(node)
    const reader = swarm.nodes.find((n) => n !== writer && n !== honest)!
    const before = reader.dht.stats.readDiscards.get('DHT_NO_QUORUM') ?? 0
    assert.deepEqual(await subkeysRead(reader, key), [honest.peerId])
    assert.ok((reader.dht.stats.readDiscards.get('DHT_NO_QUORUM') ?? 0) > before)
    await storeOn(holders[4]!)
    assert.deepEqual((await subkeysRead(reader, key)).sort(), [honest.peerId, writer.peerId].sort())
  })

  it('fetches given subkeys only, asking for them on the wire', TIMEOUT, async () => {
    const epoch = await swarm.advanceInto('hoster-reveal')
    const key = epochKey('hoster-reveal', epoch)
    const writers = swarm.nodes.slice(0, 6)
    for (const writer of writers) assert.equal((await writer.dht.store(key, text(`reveal of ${writer.peerId}`), minutes(4))).accepted, 8)
    const watched = holdersOf(key)[0]!
    const asked: FindQuery[] = []
    await lyingReplica(watched, recording(asked))
    const reader = swarm.nodes.find((n) => n !== watched)!
    const wanted = [writers[1]!.peerId, writers[4]!.peerId].sort()
    const records = await reader.dht.get(key, { ...READ, subkeys: [...wanted, 'not-a-writer'] })
    assert.deepEqual(records.map((r) => r.subkey), wanted)
    for (const record of records) assert.equal(new TextDecoder().decode(record.value), `reveal of ${record.subkey}`)
    assert.ok(asked.length > 0, JSON.stringify({ watched: watched.peerId, reader: reader.peerId, holders: holdersOf(key).map((n) => n.peerId), invalid: [...reader.dht.stats.invalidRecordsFrom], discards: [...reader.dht.stats.readDiscards] }))
    for (const query of asked) assert.deepEqual([...query.subkeys].sort(), query.mode === 'records' ? query.subkeys.filter((s) => wanted.includes(s)).sort() : [...wanted, 'not-a-writer'].sort())
    assert.deepEqual(await reader.dht.get(key, { ...READ, subkeys: [] }), [])
  })

  it('counts a record that some storing nodes hide, from the majority that serve it', TIMEOUT, async () => {
    const epoch = await swarm.advanceInto('hoster-commit')
    const key = epochKey('hoster-commit', epoch)
    const writer = swarm.nodes[2]!
    assert.equal((await writer.dht.store(key, text('hide me'), minutes(4))).accepted, 8)
    const holders = holdersOf(key).filter((n) => n !== writer)
    for (const liar of holders.slice(0, 3)) await lyingReplica(liar, hiding([writer.peerId]))
    const readers = swarm.nodes.filter((n) => !holders.slice(0, 3).includes(n))
    for (const reader of readers) assert.deepEqual(await subkeysRead(reader, key), [writer.peerId], `read by ${reader.peerId}`)
    // A fourth hider leaves 4 of 8 replicas vouching, under the quorum of 5: a majority of the replicas can hide a record.
    await lyingReplica(holders[3]!, hiding([writer.peerId]))
    const outside = swarm.nodes.find((n) => !holders.slice(0, 4).includes(n) && n !== writer)!
    assert.deepEqual(await subkeysRead(outside, key), [])
  })
})

// A dictionary larger than a page needs thousands of writers, and under PROTOCOL v2 only registered
// nodes write: its writers are thousands of members of the subnet, which also take the key's replica
// roles (the one node list from the chain places keys and says who writes). No such subnet runs
// here, so this test runs four real DhtNodes in one process: real storage, routing, validators (the
// stake check included) and reads; TEST DOUBLES for the wire (each node's find and store called
// directly), the chain's clock, and the node list (it names the 10,000 writers as registered nodes,
// and the four nodes as the members that hold keys).
// 10,000 records × a quorum of receipts each is 20,000 signatures to check at 3 replicas (50,000 at
// 8): 3 replicas keep the test about pages, not about a loaded machine's Ed25519 speed.
describe('dht read-side check: a dictionary of 10,000 subkeys, 3 replicas a key', TIMEOUT, () => {
  it('reads a dictionary of 10,000 subkeys whole, in pages', TIMEOUT, async () => {
    const subnetId = 1
    // Epoch 1 of a 20-block epoch from slot 0: validator reveals are written in blocks 30 to 32.
    const epoch = 1
    const clock = { now: async (): Promise<EpochInfo> => ({ block: 31, slot: 0, epochLength: 20, epoch, progress: 0.55, blocksRemaining: 9, secondsRemaining: 54 }) }
    const key = epochKey('validator-reveal', epoch)
    const keys = await Promise.all(Array.from({ length: 4 }, () => generateIdentity()))
    const registered = new Set<string>(keys.map((k) => peerIdOf(k).toString()))
    const members = {
      async membership(peerId: string): Promise<Membership> {
        if (!registered.has(peerId)) return { as: 'none' }
        const node: SubnetNode = { id: 1, hotkey: '', coldkey: '', peerId, class: 'Validator', classStartEpoch: 0, stake: 100n, reputation: 1 }
        return { as: 'node', node, minStake: 100n }
      },
    }
    const nodes = new Map<string, DhtNode>()
    const clientOf = (self: string): ReplicaClient => ({
      store: async (peer, records, handoff) => nodes.get(peer.toString())!.accept(records, self, handoff),
      find: async (peer, query) => ({ ...nodes.get(peer.toString())!.find(query), malformed: 0 }),
    })
    const storages = keys.map(() => new RecordStorage())
    for (const [i, privateKey] of keys.entries()) {
      const peerId = peerIdOf(privateKey)
      const routing = new KeyRouting({
        peerId,
        peerRouting: { getClosestPeers: async function * () {} },
        getPeers: () => [],
        localClosest: () => [],
        members: async () => keys.map((k) => peerIdOf(k)),
        epochSeed: async () => new Uint8Array(32).fill(7),
      }, { subnetId, wanted: 3 })
      const validators = new ValidatorChain([shapeValidator(), keyValidator(), ownerValidator(), expiryValidator(), signatureValidator(), stakeValidator({ members })])
      nodes.set(peerId.toString(), new DhtNode({
        peerId, privateKey, routing, client: clientOf(peerId.toString()), storage: storages[i]!, validators, isConnected: () => true, clock,
      }, { subnetId, replicas: 3 }))
    }
    const [firstKey] = keys as [Ed25519PrivateKey]
    const first = nodes.get(peerIdOf(firstKey).toString())!
    assert.equal((await first.store(key, text('the first'), minutes(4))).accepted, 3)
    const holders = keys.map((k, i) => ({ key: k, storage: storages[i]! })).filter((h) => h.storage.get(key).length > 0)
    assert.equal(holders.length, 3)
    // 9,999 more writers, registered, with the holders' receipts.
    let started = performance.now()
    for (const writer of await plantRecords(subnetId, holders, key, 9_999, 31, minutes(4))) registered.add(writer)
    console.log(`planted in ${Math.round(performance.now() - started)} ms`)
    // One page holds at most 4,096 entries: a reader walks three of them per replica.
    const page = nodes.get(peerIdOf(holders[0]!.key).toString())!.find({ key, subkeys: [], after: '', limit: 0, mode: 'digests' })
    assert.equal(page.digests.length, 4096)
    assert.notEqual(page.next, '')
    const readerKey = keys.find((k) => !holders.some((h) => h.key === k))!
    const reader = nodes.get(peerIdOf(readerKey).toString())!
    started = performance.now()
    const records = await reader.get(key, { timeoutMs: 240_000 })
    console.log(`read 10,000 subkeys in ${Math.round(performance.now() - started)} ms`)
    assert.equal(records.length, 10_000, JSON.stringify([...reader.stats.readDiscards]))
    assert.equal(reader.stats.readDiscards.get('DHT_READ_UNSETTLED'), undefined)
    // An unregistered writer's record, planted the same way, is not counted.
    const [stranger] = await plantRecords(subnetId, holders, key, 1, 31, minutes(4))
    const again = await reader.get(key, { timeoutMs: 240_000 })
    assert.equal(again.length, 10_000)
    assert.ok(!again.some((r) => r.subkey === stranger))
    // Counted under the check's code, not as a value no replica could give.
    assert.equal(reader.stats.readDiscards.get('DHT_NOT_STAKED'), 1, JSON.stringify([...reader.stats.readDiscards]))
  })
})
