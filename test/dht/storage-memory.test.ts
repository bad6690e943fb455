// The re-put attack on a storing node's memory (issue #15): a writer replaces its own record again
// and again, each time with a large value. The storing node's heap, measured after a full garbage
// collection, must stay within its configured storage bound.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { RecordStorage } from '../../src/dht/storage.js'
import { Swarm } from '../helpers/dht-swarm.js'
import { rePut, usedBytes } from '../helpers/re-put.js'

const TIMEOUT = { timeout: 300_000 }
const MiB = 1024 * 1024

describe('dht storage memory under re-puts', TIMEOUT, () => {
  it('holds no copy of replaced values: 1,000 re-puts of one heartbeat of 64 KiB stay within the bound', async (t) => {
    const maxBytes = 4 * MiB
    const storage = new RecordStorage({ maxBytes })
    const before = await usedBytes()
    for (let i = 0; i < 1000; i++) {
      // Every re-put accepted (no replacement rule here): only the memory is measured.
      const value = new Uint8Array(64 * 1024).fill(i & 0xff)
      storage.put({ key: 'hoster_0', subkey: 'writer', value, expiration: 10_000 + i, signature: new Uint8Array(64).fill(i & 0xff) }, 0)
    }
    const grown = (await usedBytes()) - before
    t.diagnostic(`heap and buffers grew by ${(grown / MiB).toFixed(2)} MiB (bound ${maxBytes / MiB} MiB)`)
    assert.equal(storage.size().records, 1)
    assert.ok(storage.size().bytes <= maxBytes, `storage counts ${storage.size().bytes} bytes`)
    assert.ok(grown < maxBytes, `the heap grew by ${(grown / MiB).toFixed(1)} MiB, over the bound of ${maxBytes / MiB} MiB`)
    // Replaced records' queue entries are bounded too.
    assert.ok(storage.size().queued <= 2 * storage.size().records + 1024 + 1, `${storage.size().queued} queue entries`)
  })

  it('keeps a stored value\'s own copy, not the buffer it arrived in', () => {
    const storage = new RecordStorage()
    const request = new Uint8Array(1024 * 1024)
    const value = request.subarray(10, 20)
    storage.put({ key: 'k', subkey: 'w', value, expiration: 1000, signature: new Uint8Array(64) }, 0)
    const [held] = storage.get('k', 0)
    assert.equal(held!.value.buffer.byteLength, 10)
    assert.deepEqual(held!.value, value)
  })
})

describe('dht storage memory over the wire', TIMEOUT, () => {
  let swarm: Swarm
  const maxBytes = 16 * MiB

  before(async () => { swarm = await Swarm.start({ nodes: 3, dht: { replicas: 1, storage: { maxBytes } } }) }, TIMEOUT)
  after(async () => { await swarm?.close() })

  it('25 store requests of 40 versions of one record (90 KiB each) from a real host stay within the storing node\'s bound', TIMEOUT, async (t) => {
    const storer = swarm.nodes[1]!
    const run = await rePut(swarm, swarm.nodes[0]!, storer, { requests: 25, versions: 40, valueBytes: 90 * 1024 })
    const grown = run.usedAfter - run.usedBefore
    const codes = Object.entries(run.answers)
    t.diagnostic(`heap and buffers grew by ${(grown / MiB).toFixed(2)} MiB (bound ${maxBytes / MiB} MiB); answers ${JSON.stringify(codes)}`)
    const size = storer.dht.size()
    assert.ok(size.bytes <= maxBytes, `the storing node counts ${size.bytes} bytes`)
    assert.ok(grown < maxBytes, `the process grew by ${(grown / MiB).toFixed(1)} MiB, over the storing node's bound of ${maxBytes / MiB} MiB (answers: ${JSON.stringify(codes)})`)
  })
})
