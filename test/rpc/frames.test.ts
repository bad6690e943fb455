import { test } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { generateIdentity, peerIdOf } from '../../src/p2p/keys.js'
import { Signer, Verifier } from '../../src/p2p/signing.js'
import { RpcError } from '../../src/rpc/errors.js'
import {
  NONCE_BYTES, ResponseKind, decodeRequest, decodeResponse, encodeRequest, encodeResponse, type RequestFields,
} from '../../src/rpc/frames.js'
import { RequestBody, RequestFrame, ResponseBody, ResponseFrame } from '../../src/rpc/messages.js'

const key = await generateIdentity()
const signer = new Signer(key)
const verifier = new Verifier()
const fields: RequestFields = {
  protocol: '/hypertensor/1/echo/1.0.0',
  caller: peerIdOf(key).toMultihash().bytes,
  service: peerIdOf(await generateIdentity()).toMultihash().bytes,
  timeMs: 1_764_000_000_000,
  nonce: randomBytes(NONCE_BYTES),
  payload: Uint8Array.from([1, 2, 3]),
}

test('a signed request round-trips and its signature covers the body bytes as received', async () => {
  const frame = await encodeRequest(fields, signer)
  const request = decodeRequest(frame)
  assert.equal(request.protocol, fields.protocol)
  assert.equal(request.timeMs, fields.timeMs)
  assert.deepEqual([...request.caller], [...fields.caller])
  assert.deepEqual([...request.nonce], [...fields.nonce])
  assert.deepEqual([...request.payload], [1, 2, 3])
  assert.equal(await verifier.verify(peerIdOf(key), request.bodyBytes, request.signature), true)
  const unsigned = decodeRequest(await encodeRequest(fields))
  assert.equal(unsigned.signature.byteLength, 0)
})

test('response frames of each kind round-trip', async () => {
  const nonce = fields.nonce
  const data = decodeResponse(await encodeResponse({ kind: ResponseKind.DATA, nonce, seq: 3, payload: Uint8Array.of(9) }, signer))
  assert.equal(data.kind, ResponseKind.DATA)
  assert.equal(data.seq, 3)
  assert.deepEqual(data.kind === ResponseKind.DATA && [...data.payload], [9])
  assert.equal(await verifier.verify(peerIdOf(key), data.bodyBytes, data.signature), true)
  const end = decodeResponse(await encodeResponse({ kind: ResponseKind.END, nonce, seq: 4 }))
  assert.equal(end.kind, ResponseKind.END)
  const error = decodeResponse(await encodeResponse({ kind: ResponseKind.ERROR, nonce, seq: 0, errorCode: 'RPC_NO_STAKE', errorMessage: 'no' }))
  assert.equal(error.kind === ResponseKind.ERROR && error.errorCode, 'RPC_NO_STAKE')
})

test('the request decoder refuses each malformed field with RPC_BAD_REQUEST', () => {
  const body = (over: Partial<RequestBody>): Uint8Array =>
    RequestFrame.encode({ body: RequestBody.encode({ domain: 'mesh-rpc-request/1', ...fields, ...over } as RequestBody) })
  const cases: Array<[string, Uint8Array, RegExp]> = [
    ['not protobuf', Uint8Array.of(0xff, 0xff, 0xff), /malformed request/],
    ['wrong domain', body({ domain: 'mesh-rpc-response/1' }), /wrong domain/],
    ['no protocol', body({ protocol: '' }), /protocol/],
    ['no caller', body({ caller: new Uint8Array(0) }), /caller/],
    ['long service', body({ service: new Uint8Array(200) }), /service/],
    ['short nonce', body({ nonce: new Uint8Array(8) }), /nonce of 8 bytes/],
    ['bad signature length', RequestFrame.encode({ body: RequestBody.encode({ domain: 'mesh-rpc-request/1', ...fields } as RequestBody), signature: new Uint8Array(10) }), /signature of 10 bytes/],
  ]
  for (const [name, frame, message] of cases) {
    assert.throws(() => decodeRequest(frame), (err: RpcError) => {
      assert.equal(err.code, 'RPC_BAD_REQUEST', name)
      assert.match(err.message, message, name)
      return true
    })
  }
})

test('the response decoder refuses each malformed field with RPC_BAD_RESPONSE', () => {
  const frame = (over: Partial<ResponseBody>): Uint8Array =>
    ResponseFrame.encode({ body: ResponseBody.encode({ domain: 'mesh-rpc-response/1', nonce: fields.nonce, ...over } as ResponseBody) })
  const cases: Array<[string, Uint8Array, RegExp]> = [
    ['wrong domain', frame({ domain: 'x' }), /wrong domain/],
    ['no nonce', frame({ nonce: new Uint8Array(0) }), /nonce of 0 bytes/],
    ['error without code', frame({ kind: ResponseKind.ERROR }), /error code/],
    ['unknown kind', ResponseFrame.encode({ body: Uint8Array.of(0x20, 7) as Uint8Array<ArrayBuffer> }), /malformed response/],
  ]
  for (const [name, bytes, message] of cases) {
    assert.throws(() => decodeResponse(bytes), (err: RpcError) => {
      assert.equal(err.code, 'RPC_BAD_RESPONSE', name)
      assert.match(err.message, message, name)
      return true
    })
  }
})
