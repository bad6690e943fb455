import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { signRecord } from '../../src/dht/crypto.js'
import { RecordRefused } from '../../src/dht/errors.js'
import { FindResponse, StoreRequest } from '../../src/dht/messages.js'
import { decodeFindResponse, decodeStoreRequest, fromWire, MAX_RECORDS_PER_MESSAGE, toWire } from '../../src/dht/wire.js'

/** Decoding either gives records or throws an Error: never anything else, never a hang. */
function decodeAll(bytes: Uint8Array): void {
  for (const decode of [decodeStoreRequest, decodeFindResponse]) {
    let message
    try {
      message = decode(bytes)
    } catch (err) {
      assert.ok(err instanceof Error, 'decoders throw Errors')
      continue
    }
    for (const record of message.records) {
      try {
        const decoded = fromWire(record)
        assert.equal(typeof decoded.expiration, 'number')
        assert.ok(Number.isSafeInteger(decoded.expiration))
      } catch (err) {
        assert.ok(err instanceof RecordRefused, `fromWire throws RecordRefused, got ${String(err)}`)
      }
    }
  }
}

describe('dht wire', async () => {
  const key = await generateKeyPair('Ed25519')
  const record = await signRecord(key, peerIdFromPrivateKey(key), 1, { key: 'hoster', value: randomBytes(100), expiration: Date.now() + 60_000 })

  it('round-trips records', () => {
    const bytes = StoreRequest.encode({ records: [toWire(record)], handoff: true })
    const request = decodeStoreRequest(bytes)
    assert.equal(request.handoff, true)
    assert.deepEqual(fromWire(request.records[0]!), { ...record, value: new Uint8Array(record.value), signature: new Uint8Array(record.signature) })
  })

  it('refuses expirations past safe integers, bad signature lengths and too many records', () => {
    assert.throws(() => fromWire({ ...toWire(record), expiration: 2n ** 63n }), (e: unknown) => e instanceof RecordRefused && e.code === 'DHT_BAD_RECORD')
    assert.throws(() => fromWire({ ...toWire(record), signature: new Uint8Array(10) }), (e: unknown) => e instanceof RecordRefused && e.code === 'DHT_BAD_SIGNATURE')
    const many = FindResponse.encode({ records: Array.from({ length: MAX_RECORDS_PER_MESSAGE + 1 }, () => toWire(record)) })
    assert.throws(() => decodeFindResponse(many))
  })

  it('survives random and mutated bytes (fuzz)', () => {
    const valid = StoreRequest.encode({ records: [toWire(record), toWire(record)], handoff: false })
    for (let i = 0; i < 3000; i++) {
      decodeAll(randomBytes(i % 200))
      const mutated = new Uint8Array(valid)
      const flips = 1 + (i % 8)
      for (let f = 0; f < flips; f++) mutated[randomBytes(2).readUInt16BE() % mutated.length] = randomBytes(1)[0]!
      decodeAll(mutated)
      decodeAll(mutated.subarray(0, i % mutated.length))
    }
  })
})
