import { test } from 'node:test'
import assert from 'node:assert/strict'
import { decodeHeartbeat, encodeHeartbeat, type Heartbeat } from '../../src/consensus/heartbeat-record.js'
import { RecordDecodeError } from '../../src/consensus/wire.js'

const beat: Heartbeat = {
  role: 'hoster',
  modelId: 'ef'.repeat(32),
  modelName: 'tiny-chat',
  version: '0.1.0',
  addresses: ['/ip4/127.0.0.1/tcp/4001', '/ip4/127.0.0.1/udp/4001/quic-v1'],
  throughput: 27.5,
  queueLength: 3,
}

test('a heartbeat round-trips, with or without a model', () => {
  assert.deepEqual(decodeHeartbeat(encodeHeartbeat(beat)), beat)
  const validator: Heartbeat = { ...beat, role: 'validator', modelId: '', modelName: '', addresses: [] }
  assert.deepEqual(decodeHeartbeat(encodeHeartbeat(validator)), validator)
})

test('the decoder refuses malformed heartbeats', () => {
  const good = encodeHeartbeat(beat)
  const withThroughput = (value: number) => {
    const out = Uint8Array.from(good)
    new DataView(out.buffer).setFloat64(out.length - 12, value, true)
    return out
  }
  const cases: Array<[string, Uint8Array, RegExp]> = [
    ['empty', new Uint8Array(0), /truncated/],
    ['role', Uint8Array.from([...good.subarray(0, 5), 7, ...good.subarray(6)]), /role 7 is unknown/],
    ['model id', Uint8Array.from([...good.subarray(0, 6), 2, 0x61, 0x62, ...good.subarray(6 + 65)]), /model id is not a sha256/],
    ['throughput', withThroughput(Number.POSITIVE_INFINITY), /throughput Infinity/],
    ['truncated', good.subarray(0, good.length - 1), /truncated at queue length/],
    ['trailing', Uint8Array.from([...good, 0]), /trailing/],
  ]
  for (const [name, bytes, message] of cases) {
    assert.throws(() => decodeHeartbeat(bytes), (err: unknown) => err instanceof RecordDecodeError && message.test(err.message), name)
  }
})
