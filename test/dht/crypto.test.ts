import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { ownerOf, signRecord, signingPayload, verifyRecord } from '../../src/dht/crypto.js'

describe('dht record signatures', async () => {
  const key = await generateKeyPair('Ed25519')
  const peerId = peerIdFromPrivateKey(key)
  const fields = { key: 'hoster', value: new Uint8Array([1, 2, 3]), expiration: 1_700_000_000_000 }

  it('signs with the subkey as owner and verifies', async () => {
    const record = await signRecord(key, peerId, 5, fields)
    assert.equal(record.subkey, peerId.toString())
    assert.equal(await verifyRecord(5, record), true)
  })

  it('fails for any changed field, another subnet, or another owner', async () => {
    const record = await signRecord(key, peerId, 5, fields)
    const other = peerIdFromPrivateKey(await generateKeyPair('Ed25519')).toString()
    assert.equal(await verifyRecord(6, record), false)
    assert.equal(await verifyRecord(5, { ...record, key: 'validator' }), false)
    assert.equal(await verifyRecord(5, { ...record, value: new Uint8Array([1, 2, 4]) }), false)
    assert.equal(await verifyRecord(5, { ...record, expiration: record.expiration + 1 }), false)
    assert.equal(await verifyRecord(5, { ...record, subkey: other }), false)
    assert.equal(await verifyRecord(5, { ...record, subkey: 'not a peer id' }), false)
    assert.equal(await verifyRecord(5, { ...record, signature: record.signature.slice(1) }), false)
  })

  it('keeps fields apart in the signed bytes', () => {
    const a = signingPayload(1, { key: 'ab', subkey: 'c', value: new Uint8Array(), expiration: 1 })
    const b = signingPayload(1, { key: 'a', subkey: 'bc', value: new Uint8Array(), expiration: 1 })
    assert.notDeepEqual(a, b)
  })

  it('accepts only Ed25519 peer ids as owners', async () => {
    assert.equal(ownerOf(peerId.toString())?.toString(), peerId.toString())
    assert.equal(ownerOf(peerIdFromPrivateKey(await generateKeyPair('secp256k1')).toString()), null)
    assert.equal(ownerOf(''), null)
  })
})
