import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { Registry } from 'prom-client'
import { RecordRefused } from '../../src/dht/errors.js'
import { RecordStorage } from '../../src/dht/storage.js'
import { ValidatorChain, keyValidator } from '../../src/dht/validation.js'
import { registerDhtMetrics } from '../../src/node/status-server.js'

describe('/metrics: DHT refusals and read discards', () => {
  it('counts every refusal by side and code, storage refusals included', async () => {
    const validators = new ValidatorChain([keyValidator()])
    const storage = new RecordStorage({ maxRecords: 1 })
    const record = (key: string, subkey: string) => ({ key, subkey, value: new Uint8Array(1), expiration: 1000, signature: new Uint8Array(64) })
    await assert.rejects(validators.validate(record('nope', 'w'), { subnetId: 1, now: 0, sender: 'w', handoff: false }), RecordRefused)
    await assert.rejects(validators.validateRead(record('nope', 'w'), { subnetId: 1, now: 0, from: 'r' }), RecordRefused)
    storage.put(record('a', 'w'), 0)
    assert.throws(() => storage.put(record('b', 'w'), 0), RecordRefused)
    const registry = new Registry()
    const stats = {
      refused: new Map(),
      readDiscards: new Map([['DHT_NO_QUORUM', 2], ['DHT_RECEIPT_LATE', 3]]),
      invalidRecordsFrom: new Map([['peer-a', 4], ['peer-b', 1]]),
    }
    registerDhtMetrics(registry, { validators, storage, size: () => storage.size(), stats })
    const text = await registry.metrics()
    assert.match(text, /mesh_dht_refusals\{side="store",code="DHT_UNKNOWN_KEY"\} 1/)
    assert.match(text, /mesh_dht_refusals\{side="store",code="DHT_STORAGE_FULL"\} 1/)
    assert.match(text, /mesh_dht_refusals\{side="read",code="DHT_UNKNOWN_KEY"\} 1/)
    assert.match(text, /mesh_dht_records 1/)
    assert.match(text, /mesh_dht_read_discards\{code="DHT_NO_QUORUM"\} 2/)
    assert.match(text, /mesh_dht_read_discards\{code="DHT_RECEIPT_LATE"\} 3/)
    assert.match(text, /mesh_dht_invalid_records 5/)
  })
})
