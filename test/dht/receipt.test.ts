import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { signRecord, type SignedRecord } from '../../src/dht/crypto.js'
import { digestOf, digestSummary, findPage, MAX_PAGE_ENTRIES, PAGE_BYTES, type FindQuery } from '../../src/dht/digest.js'
import { findQuery } from '../../src/dht/protocol.js'
import { FindMode } from '../../src/dht/messages.js'
import { quorum, ReceiptJudge, ReceiptSigner, valueHash, verifyReceipt } from '../../src/dht/receipt.js'
import { generateIdentity, peerIdOf } from '../../src/p2p/keys.js'

const text = (s: string) => new TextEncoder().encode(s)

describe('dht receipts', () => {
  it('takes a strict majority of the replica set: 5 of 8, 2 of 3, 1 of 1', () => {
    assert.deepEqual([8, 7, 4, 3, 2, 1].map(quorum), [5, 4, 3, 2, 2, 1])
  })

  it('verifies a storer\'s receipt, and not one for another key, writer, value, block or storer', async () => {
    const storerKey = await generateIdentity()
    const storer = peerIdOf(storerKey).toString()
    const about = { key: 'hoster-commit_epoch_3', writer: storer, valueHash: valueHash(text('x')) }
    const receipt = new ReceiptSigner(storerKey, peerIdOf(storerKey), 1).sign(about, 70)
    assert.ok(verifyReceipt(1, about, receipt))
    assert.equal(verifyReceipt(2, about, receipt), false)
    assert.equal(verifyReceipt(1, { ...about, key: 'hoster-commit_epoch_4' }, receipt), false)
    assert.equal(verifyReceipt(1, { ...about, valueHash: valueHash(text('y')) }, receipt), false)
    assert.equal(verifyReceipt(1, about, { ...receipt, block: 71 }), false)
    assert.equal(verifyReceipt(1, about, { ...receipt, storer: peerIdOf(await generateIdentity()).toString() }), false)
    assert.equal(verifyReceipt(1, about, { ...receipt, storer: 'not a peer id' }), false)
  })

  it('counts receipts of replica-set members inside the window, once per storer, with codes for the rest', async () => {
    const keys = await Promise.all([0, 1, 2, 3].map(() => generateIdentity()))
    const ids = keys.map((k) => peerIdOf(k).toString())
    const about = { key: 'hoster-commit_epoch_3', writer: ids[0]!, valueHash: valueHash(text('x')) }
    const sign = (i: number, block: number) => new ReceiptSigner(keys[i]!, peerIdOf(keys[i]!), 1).sign(about, block)
    const judge = new ReceiptJudge(1, new Set(ids.slice(0, 3)), { from: 60, to: 70 })
    const codes: string[] = []
    const counted = judge.counted(about, [sign(0, 60), sign(0, 61), sign(1, 70), sign(3, 65), { ...sign(2, 65), block: 66 }], Infinity, (code) => codes.push(code))
    assert.deepEqual(counted.map((r) => r.storer), [ids[0]])
    assert.deepEqual(codes, ['DHT_RECEIPT_LATE', 'DHT_RECEIPT_NOT_REPLICA', 'DHT_RECEIPT_BAD_SIGNATURE'])
  })
})

describe('dht digests and pages', () => {
  const records = async (n: number, valueBytes = 8): Promise<SignedRecord[]> => {
    const key = await generateIdentity()
    const record = await signRecord(key, peerIdOf(key), 1, { key: 'hoster', value: new Uint8Array(valueBytes), expiration: Date.now() + 60_000 })
    // Distinct subkeys are enough for paging (signatures are not checked here).
    return Array.from({ length: n }, (_, i) => ({ ...record, subkey: `w${String(i).padStart(6, '0')}` }))
  }
  const query = (mode: FindQuery['mode'], after = '', subkeys: string[] = []): FindQuery => ({ key: 'hoster', subkeys, after, limit: 0, mode })

  it('pages digests in subkey order, at most MAX_PAGE_ENTRIES each, and the pages cover the dictionary once', async () => {
    const held = (await records(10_000)).reverse()
    const seen: string[] = []
    let pages = 0
    for (let after = ''; ; pages++) {
      const page = findPage(held, query('digests', after), 'self')
      assert.ok(page.digests.length <= MAX_PAGE_ENTRIES)
      seen.push(...page.digests.map((d) => d.writer))
      if (page.next === '') break
      after = page.next
    }
    assert.equal(pages + 1, 3)
    assert.deepEqual(seen, held.map((r) => r.subkey).sort())
  })

  it('pages values by bytes, and serves only the subkeys asked for', async () => {
    const held = await records(100, 64 * 1024)
    const first = findPage(held, query('records'), 'self')
    assert.ok(first.records.length * 64 * 1024 <= PAGE_BYTES && first.next !== '')
    const some = findPage(held, query('records', '', ['w000007', 'w000042', 'nobody']), 'self')
    assert.deepEqual(some.records.map((r) => r.subkey), ['w000007', 'w000042'])
  })

  it('summarizes digests alike on both sides, and differently when any digest moves', async () => {
    const held = await records(5)
    const page = findPage(held, query('digests'), 'self')
    assert.deepEqual(findPage(held, query('summary'), 'self').summary, digestSummary([...page.digests].reverse()))
    const moved = [...page.digests.slice(1), { ...page.digests[0]!, expiration: page.digests[0]!.expiration + 1 }]
    assert.notDeepEqual(digestSummary(moved), digestSummary(page.digests))
    // A node serves its own receipt with an empty storer, and no receipt of another storer.
    const withReceipts = { ...held[0]!, receipts: [{ storer: 'self', block: 1, signature: new Uint8Array(64) }, { storer: 'other', block: 1, signature: new Uint8Array(64) }] }
    assert.deepEqual(digestOf(withReceipts, 'self').receipts.map((r) => r.storer), [''])
  })
})

describe('dht find requests', () => {
  it('refuses a find no reader sends, with DHT_BAD_REQUEST and what is wrong', () => {
    const good = { key: 'hoster', subkeys: [], after: '', limit: 10, mode: FindMode.DIGESTS }
    assert.deepEqual(findQuery(good), { key: 'hoster', subkeys: [], after: '', limit: 10, mode: 'digests' })
    assert.throws(() => findQuery({ ...good, key: '' }), { code: 'DHT_BAD_REQUEST', message: /key of 1 to 128 characters/ })
    assert.throws(() => findQuery({ ...good, key: 'k'.repeat(129) }), { code: 'DHT_BAD_REQUEST' })
    assert.throws(() => findQuery({ ...good, limit: MAX_PAGE_ENTRIES + 1 }), { code: 'DHT_BAD_REQUEST', message: /at most 4096 entries/ })
  })
})
