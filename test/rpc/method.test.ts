import { test } from 'node:test'
import assert from 'node:assert/strict'
import { bytesCodec, methodProtocol, streamMethod, unaryMethod } from '../../src/rpc/method.js'

test('a method lives on /hypertensor/<subnet>/<name>/<version>', () => {
  const store = unaryMethod({ name: 'dht-store', version: '1.0.0', request: bytesCodec, response: bytesCodec, maxRequestBytes: 100 })
  assert.equal(methodProtocol(7, store), '/hypertensor/7/dht-store/1.0.0')
  assert.equal(store.kind, 'unary')
  assert.equal(store.maxRequestBytes, 100)
  assert.equal(store.maxResponseBytes, 1024 * 1024)
  assert.equal(streamMethod({ name: 'generate', version: '2.1.0', request: bytesCodec, response: bytesCodec }).kind, 'stream')
})

test('bad names, versions and limits are refused', () => {
  const base = { request: bytesCodec, response: bytesCodec }
  assert.throws(() => unaryMethod({ ...base, name: 'Has/Slash', version: '1.0.0' }), { code: 'RPC_METHOD_INVALID' })
  assert.throws(() => unaryMethod({ ...base, name: '', version: '1.0.0' }), { code: 'RPC_METHOD_INVALID' })
  assert.throws(() => unaryMethod({ ...base, name: 'ok', version: 'v1' }), { code: 'RPC_METHOD_INVALID' })
  assert.throws(() => unaryMethod({ ...base, name: 'ok', version: '1.0.0', maxRequestBytes: 0 }), { code: 'RPC_METHOD_INVALID' })
  assert.throws(() => unaryMethod({ ...base, name: 'ok', version: '1.0.0', maxResponseBytes: 1.5 }), { code: 'RPC_METHOD_INVALID' })
})
