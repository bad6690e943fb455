import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { signRecord, type SignedRecord } from '../../src/dht/crypto.js'
import { RecordRefused } from '../../src/dht/errors.js'
import {
  expiryValidator, ownerValidator, shapeValidator, signatureValidator, ValidatorChain, type RecordValidator, type ValidationContext,
} from '../../src/dht/validation.js'

function refusedWith(code: string) {
  return (err: unknown) => err instanceof RecordRefused && err.code === code
}

describe('dht validation', async () => {
  const key = await generateKeyPair('Ed25519')
  const peerId = peerIdFromPrivateKey(key)
  const other = peerIdFromPrivateKey(await generateKeyPair('Ed25519')).toString()
  const now = 1_700_000_000_000
  const context: ValidationContext = { subnetId: 3, now, sender: peerId.toString(), handoff: false }
  const record = await signRecord(key, peerId, 3, { key: 'hoster', value: new Uint8Array(10), expiration: now + 1000 })
  const chain = new ValidatorChain([signatureValidator(), shapeValidator({ maxKeyLength: 16, maxValueBytes: 100 }), ownerValidator(), expiryValidator()])

  it('accepts a well-formed record of its writer', async () => {
    await chain.validate(record, context)
  })

  it('refuses each bad record with its code', async () => {
    const cases: Array<[string, SignedRecord, ValidationContext]> = [
      ['DHT_BAD_RECORD', { ...record, key: '' }, context],
      ['DHT_BAD_RECORD', { ...record, key: 'k'.repeat(17) }, context],
      ['DHT_BAD_RECORD', { ...record, expiration: 1.5 }, context],
      ['DHT_VALUE_TOO_LARGE', { ...record, value: new Uint8Array(101) }, context],
      ['DHT_WRONG_OWNER', { ...record, subkey: 'garbage' }, context],
      ['DHT_WRONG_OWNER', { ...record, subkey: other }, context],
      ['DHT_EXPIRED', record, { ...context, now: record.expiration }],
      ['DHT_BAD_SIGNATURE', { ...record, value: new Uint8Array(10).fill(1) }, context],
      ['DHT_BAD_SIGNATURE', record, { ...context, subnetId: 4 }],
      ['DHT_BAD_SIGNATURE', { ...record, subkey: other }, { ...context, handoff: true, sender: other }],
    ]
    for (const [code, bad, ctx] of cases) await assert.rejects(chain.validate(bad, ctx), refusedWith(code), code)
  })

  it('lets a holder hand over records of others, whose signature still has to verify', async () => {
    await chain.validate(record, { ...context, sender: other, handoff: true })
    await assert.rejects(chain.validate(record, { ...context, sender: other, handoff: false }), refusedWith('DHT_WRONG_OWNER'))
  })

  it('runs validators by priority and takes new ones from outside', async () => {
    const seen: string[] = []
    const spy = (name: string, priority: number): RecordValidator => ({ name, priority, validate: () => { seen.push(name) } })
    const extended = new ValidatorChain([spy('low', 1), spy('high', 99)]).add(spy('mid', 50)).add(spy('mid2', 50))
    assert.deepEqual(extended.names(), ['high', 'mid', 'mid2', 'low'])
    await extended.validate(record, context)
    assert.deepEqual(seen, ['high', 'mid', 'mid2', 'low'])
    assert.throws(() => extended.add(spy('mid', 10)), /already/)
    const refusing: RecordValidator = { name: 'consensus', priority: 0, validate: () => { throw new RecordRefused('DHT_BAD_RECORD', 'not a commit') } }
    await assert.rejects(chain.add(refusing).validate(record, context), refusedWith('DHT_BAD_RECORD'))
  })
})
