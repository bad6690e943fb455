import { test } from 'node:test'
import assert from 'node:assert/strict'
import { deriveChallenge, encodeChallenge } from '../../src/consensus/challenge.js'
import { checkStoredChallenge, includedIds, pairRecords, repairScores, scoredKeys, scoreEpoch, scoreRecords } from '../../src/consensus/epoch-data.js'
import { recordSetDigest } from '../../src/consensus/record-set.js'
import type { DhtRecord, GetOptions, RecordStore, StoreResult } from '../../src/dht/record-store.js'
import type { NodeClass, SubnetNode } from '../../src/chain/chain.js'
import { devSubnet } from '../../src/chain/local/bootstrap.js'
import { LocalChain } from '../../src/chain/local/local-chain.js'
import { LocalChainRuntime } from '../../src/chain/local/runtime.js'
import { generateIdentity, peerIdOf } from '../../src/p2p/keys.js'
import { hosterRecords, peer, validatorRecords, vector } from './fixtures.js'

const MODEL = 'cd'.repeat(32)

function record(writer: string, value: Uint8Array, key = 'consensus-epoch_4'): DhtRecord {
  return { key, subkey: writer, value, expiration: Date.now() + 60_000 }
}

const SEED = new Uint8Array(32).fill(9)
const derived = deriveChallenge(SEED, 1, 4, MODEL, [1, 2, 3])

test("the elected validator's stored challenge counts when it is the derivation", () => {
  const check = checkStoredChallenge([record(peer(5), encodeChallenge(derived)), record(peer(1), encodeChallenge(derived))], derived, peer(5))
  assert.deepEqual(check, { fromElected: true, ignored: [] })
})

test('a stored challenge that differs from the derivation is ignored, whoever wrote it; none stored: the derivation is run all the same', () => {
  const other = (changes: Partial<typeof derived>) => encodeChallenge({ ...derived, ...changes })
  const records = [
    record(peer(6), other({ tokens: [...derived.tokens.slice(1), derived.tokens[0] === 1 ? 2 : 1] })), // the elected's, other tokens
    record(peer(2), other({ epoch: 3 })), // another epoch
    record(peer(3), other({ modelId: 'ef'.repeat(32) })), // another model
    record(peer(4), encodeChallenge(deriveChallenge(new Uint8Array(32), 1, 4, MODEL, [1, 2, 3]))), // another seed
    record(peer(5), Uint8Array.from([1, 2, 3])), // malformed
  ]
  assert.deepEqual(checkStoredChallenge(records, derived, peer(6)), { fromElected: false, ignored: [2, 3, 4, 5, 6].map(peer).sort() })
  assert.deepEqual(checkStoredChallenge([], derived, peer(6)), { fromElected: false, ignored: [] })
})

test("commits and reveals pair up by writer, either one may be missing", () => {
  const commit = (i: number) => record(peer(i), Uint8Array.of(i), 'hoster-commit_epoch_1')
  const reveal = (i: number) => record(peer(i), Uint8Array.of(100 + i), 'hoster-reveal_epoch_1')
  const pairs = pairRecords([commit(1), commit(2)], [reveal(2), reveal(3)])
  assert.deepEqual(pairs.map((p) => [p.peerId, p.commit?.[0], p.reveal?.[0]]), [
    [peer(1), 1, undefined],
    [peer(2), 2, 102],
    [peer(3), undefined, 103],
  ])
})

test('Included+ node ids count a class from its start epoch', () => {
  const node = (id: number, nodeClass: NodeClass, classStartEpoch: number): SubnetNode =>
    ({ id, hotkey: '', coldkey: '', peerId: peer(id), class: nodeClass, classStartEpoch, stake: 0n, reputation: 1 })
  const nodes = [node(1, 'Validator', 0), node(2, 'Included', 3), node(3, 'Idle', 0)]
  assert.deepEqual([...includedIds(nodes, 2)], [1])
  assert.deepEqual([...includedIds(nodes, 3)], [1, 2])
})

/**
 * A test double of a storing node that serves whatever records it was given, to every reader: what
 * a dishonest replica set could serve whatever the storers' own checks. The readers' checks are
 * what these tests are about. With `subkeys` it serves those writers' records only, as the
 * store's get does.
 */
class ServedRecords implements RecordStore {
  readonly reads: Array<{ key: string; subkeys?: readonly string[] }> = []
  constructor(private readonly records: DhtRecord[], private readonly hidden = new Set<DhtRecord>()) {}
  async store(): Promise<StoreResult> {
    throw new Error('read-only')
  }
  async get(key: string, options: GetOptions = {}): Promise<DhtRecord[]> {
    this.reads.push({ key, ...(options.subkeys === undefined ? {} : { subkeys: options.subkeys }) })
    const wanted = options.subkeys === undefined ? undefined : new Set(options.subkeys)
    // A hidden record is left out of whole reads only: a read by subkey finds it.
    return this.records.filter((r) => r.key === key && (wanted === undefined ? !this.hidden.has(r) : wanted.has(r.subkey)))
  }
}

/** A subnet of `count` nodes on a local chain; node 0 also registers a bootnode and a client peer id. */
async function registered(count: number) {
  const runtime = new LocalChainRuntime({ params: { epochLength: 10 } })
  const ids = await Promise.all(Array.from({ length: count + 2 }, async () => peerIdOf(await generateIdentity()).toString()))
  const [bootnode, client] = ids.slice(count)
  const made = await devSubnet(runtime, { nodes: ids.slice(0, count).map((peerId, i) => (i === 0 ? { peerId, bootnodePeerId: bootnode!, clientPeerId: client! } : { peerId })) })
  const chain = new LocalChain(runtime, {})
  return { runtime, chain, subnetId: made.subnetId, peers: ids.slice(0, count), bootnode: bootnode!, client: client!, close: async () => { await chain.close(); runtime.stop() } }
}

const EPOCH = 3
const OPTIONS = { nEmbd: 8, tau: 0.05, timeoutMs: 1000 }

function hosterPair(writer: string, output: ArrayLike<number>, epoch = EPOCH): DhtRecord[] {
  const r = hosterRecords(writer, output)
  return [record(writer, r.commit!, `hoster-commit_epoch_${epoch}`), record(writer, r.reveal!, `hoster-reveal_epoch_${epoch}`)]
}

function validatorPair(writer: string, scores: Array<[string, number]>, epoch = EPOCH): DhtRecord[] {
  const r = validatorRecords(writer, epoch - 1, [...scores].sort((a, b) => (a[0] < b[0] ? -1 : 1)))
  return [record(writer, r.commit!, `validator-commit_epoch_${epoch - 1}`), record(writer, r.reveal!, `validator-reveal_epoch_${epoch}`)]
}

test("a node's bootnode and client peer ids are not nodes: their records are ignored by every reader", async () => {
  const subnet = await registered(4)
  try {
    const truth = vector(1, 8)
    const records = [
      ...subnet.peers.flatMap((p, i) => hosterPair(p, vector(1, 8, 1e-4 * (i + 1)))),
      // Node 0 votes twice more for its own output, under the peer ids proof of stake admits for RPC.
      ...hosterPair(subnet.bootnode, Float32Array.from(truth, (t) => t + 1)),
      ...hosterPair(subnet.client, Float32Array.from(truth, (t) => t + 1)),
    ]
    const nodes = await subnet.chain.subnetNodes(subnet.subnetId)
    assert.equal(await subnet.chain.proofOfStake(subnet.subnetId, subnet.bootnode), true, 'proof of stake admits the bootnode id')
    const scores = scoreRecords(new Map(scoredKeys(EPOCH).map((k) => [k, records.filter((r) => r.key === k)])), nodes, EPOCH, OPTIONS)
    assert.deepEqual(scores.hosters.peers.map((p) => p.peerId), [...subnet.peers].sort())
    assert.deepEqual(scores.records.hosterCommits, [...subnet.peers].sort())
    for (const id of [subnet.bootnode, subnet.client]) {
      assert.ok(scores.ignored.some((line) => line.includes(`${id} is not a registered node's own peer id`)), `ignored: ${scores.ignored.join('; ')}`)
    }
    // The same through the store, as a node scores an epoch.
    const read = await scoreEpoch({ store: new ServedRecords(records), chain: subnet.chain }, EPOCH, { ...OPTIONS, subnetId: subnet.subnetId })
    assert.deepEqual(read.entries, scores.entries)
    assert.deepEqual(read.digest, scores.digest)
  } finally {
    await subnet.close()
  }
})

test('one role per node per epoch: a node that wrote a hoster commit in epoch e has its validator records of e ignored', async () => {
  const subnet = await registered(6)
  try {
    const [h1, h2, h3, both, v1, v2] = subnet.peers as [string, string, string, string, string, string]
    const nodes = await subnet.chain.subnetNodes(subnet.subnetId)
    const honestScores: Array<[string, number]> = [[h1, 0.9], [h2, 0.9], [h3, 0.9], [both, 0.9]]
    const records = [
      ...[h1, h2, h3].flatMap((p, i) => hosterPair(p, vector(1, 8, 1e-4 * (i + 1)))),
      // `both` hosts in epoch 3 and also plays validator: its reveal stored in 3 (of its commit in
      // 2) is a validator record of 3, and its validator commit of 3 one too.
      ...hosterPair(both, vector(1, 8, 1e-4)),
      ...validatorPair(both, [[both, 1], [h1, 0], [h2, 0], [h3, 0]]),
      record(both, validatorRecords(both, EPOCH, []).commit!, `validator-commit_epoch_${EPOCH}`),
      ...validatorPair(v1, honestScores),
      ...validatorPair(v2, honestScores),
    ]
    const byKey = (epoch: number) => new Map(scoredKeys(epoch).map((k) => [k, records.filter((r) => r.key === k)]))
    const scores = scoreRecords(byKey(EPOCH), nodes, EPOCH, OPTIONS)
    assert.deepEqual(scores.validators.peers.map((p) => p.peerId), [v1, v2].sort(), 'the hoster is no validator in its epoch')
    assert.ok(scores.hosters.peers.some((p) => p.peerId === both && p.verdict === 'valid'), 'it is scored as the hoster it was')
    assert.ok(scores.ignored.some((l) => l.startsWith(`validator-reveal_epoch_${EPOCH}: ${both} wrote a hoster commit in epoch ${EPOCH}`)), scores.ignored.join('; '))
    // Its validator commit of epoch 3 is ignored too when epoch 4 is scored.
    const next = scoreRecords(byKey(EPOCH + 1), nodes, EPOCH + 1, OPTIONS)
    assert.equal(next.records.validatorCommits.includes(both), false)
    assert.ok(next.ignored.some((l) => l.startsWith(`validator-commit_epoch_${EPOCH}: ${both}`)), next.ignored.join('; '))
  } finally {
    await subnet.close()
  }
})

test("the record set's digest covers key, writer and value, in any order; a repair fetches by subkey what a read lacked", async () => {
  const subnet = await registered(4)
  try {
    const nodes = await subnet.chain.subnetNodes(subnet.subnetId)
    const records = subnet.peers.flatMap((p, i) => hosterPair(p, vector(1, 8, 1e-4 * (i + 1))))
    const full = await scoreEpoch({ store: new ServedRecords(records), chain: subnet.chain }, EPOCH, { ...OPTIONS, subnetId: subnet.subnetId })
    assert.deepEqual(recordSetDigest([...records].reverse()), full.digest, 'the order records arrive in does not matter')
    const changed = records.map((r, i) => (i === 0 ? { ...r, value: Uint8Array.from(r.value, (b, j) => (j === 0 ? b ^ 1 : b)) } : r))
    assert.notDeepEqual(recordSetDigest(changed), full.digest)
    assert.notDeepEqual(recordSetDigest(records.slice(1)), full.digest)

    // A reader whose whole reads miss one hoster's reveal: another record set, other entries.
    const hiddenReveal = records.find((r) => r.subkey === subnet.peers[2] && r.key.startsWith('hoster-reveal'))!
    const store = new ServedRecords(records, new Set([hiddenReveal]))
    const partial = await scoreEpoch({ store, chain: subnet.chain }, EPOCH, { ...OPTIONS, subnetId: subnet.subnetId })
    assert.notDeepEqual(partial.digest, full.digest)
    assert.notDeepEqual(partial.entries, full.entries)
    const { scores: repaired, fetched } = await repairScores(store, partial, { ...OPTIONS, subnetId: subnet.subnetId })
    assert.equal(fetched, 1)
    assert.deepEqual(repaired.digest, full.digest)
    assert.deepEqual(repaired.entries, full.entries)
    assert.notDeepEqual(partial.digest, full.digest, 'the partial read is left as it was')
    // Only the registered nodes it had no record of were asked for, by subkey.
    const byRepair = store.reads.filter((r) => r.subkeys !== undefined)
    const reveal = byRepair.find((r) => r.key === `hoster-reveal_epoch_${EPOCH}`)!
    assert.deepEqual(reveal.subkeys, [subnet.peers[2]])
    assert.ok(byRepair.every((r) => r.subkeys!.every((s) => nodes.some((n) => n.peerId === s))))
  } finally {
    await subnet.close()
  }
})
