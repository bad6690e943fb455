// Encoding and strict decoding of the RPC frames (messages.proto). Decoders accept any bytes
// and either return a well-formed frame or throw an RpcError; they never verify signatures
// (that is the caller's and the admission's job) but do check every field's shape.
import type { Uint8ArrayList } from 'uint8arraylist'
import type { Signer } from '../p2p/signing.js'
import { SIGNATURE_BYTES } from '../p2p/signing.js'
import { errorMessage } from '../errors.js'
import { RPC_CODES, RpcError } from './errors.js'
import { RequestBody, RequestFrame, ResponseBody, ResponseFrame, ResponseKind } from './messages.js'

export { ResponseKind }

export const REQUEST_DOMAIN = 'mesh-rpc-request/1'
export const RESPONSE_DOMAIN = 'mesh-rpc-response/1'
export const NONCE_BYTES = 16
/** Bytes a frame may add around its payload (fields, peer ids, protocol, signature, error text). */
export const FRAME_OVERHEAD = 2048

const MAX_PROTOCOL = 256
const MAX_PEER_ID = 128
const MAX_ERROR_CODE = 64
const MAX_ERROR_MESSAGE = 1024

export interface RequestFields {
  protocol: string
  caller: Uint8Array
  service: Uint8Array
  timeMs: number
  nonce: Uint8Array
  payload: Uint8Array
}

/** A decoded request: its fields, and the exact body bytes the signature covers. */
export interface Request extends RequestFields {
  bodyBytes: Uint8Array
  signature: Uint8Array
}

export type ResponseFields =
  | { kind: ResponseKind.DATA; nonce: Uint8Array; seq: number; payload: Uint8Array }
  | { kind: ResponseKind.END; nonce: Uint8Array; seq: number }
  | { kind: ResponseKind.ERROR; nonce: Uint8Array; seq: number; errorCode: string; errorMessage: string }

export type Response = ResponseFields & { bodyBytes: Uint8Array; signature: Uint8Array }

/** Encodes a request, signed when a signer is given. */
export async function encodeRequest(fields: RequestFields, signer?: Signer): Promise<Uint8Array> {
  // The generated types want Uint8Array<ArrayBuffer>; the encoders only read the bytes.
  const body = RequestBody.encode({ domain: REQUEST_DOMAIN, ...fields } as RequestBody)
  const signature = signer?.sign(body)
  return RequestFrame.encode({ body, signature: signature as Uint8Array<ArrayBuffer> | undefined })
}

/** Encodes a response frame, signed when a signer is given. */
export async function encodeResponse(fields: ResponseFields, signer?: Signer): Promise<Uint8Array> {
  const body = ResponseBody.encode({ domain: RESPONSE_DOMAIN, ...fields } as Partial<ResponseBody>)
  const signature = signer?.sign(body)
  return ResponseFrame.encode({ body, signature: signature as Uint8Array<ArrayBuffer> | undefined })
}

function bad(code: string, what: string, problem: string): RpcError {
  return new RpcError(code, `malformed ${what}: ${problem}`)
}

function checkSignature(signature: Uint8Array, code: string, what: string): void {
  if (signature.byteLength !== 0 && signature.byteLength !== SIGNATURE_BYTES) {
    throw bad(code, what, `signature of ${signature.byteLength} bytes`)
  }
}

export function decodeRequest(frame: Uint8Array | Uint8ArrayList): Request {
  const code = RPC_CODES.BAD_REQUEST
  let outer: RequestFrame
  let body: RequestBody
  try {
    outer = RequestFrame.decode(frame)
    body = RequestBody.decode(outer.body)
  } catch (err) {
    throw bad(code, 'request', errorMessage(err))
  }
  if (body.domain !== REQUEST_DOMAIN) throw bad(code, 'request', 'wrong domain')
  if (body.protocol.length === 0 || body.protocol.length > MAX_PROTOCOL) throw bad(code, 'request', 'protocol missing or too long')
  if (body.caller.byteLength === 0 || body.caller.byteLength > MAX_PEER_ID) throw bad(code, 'request', 'caller missing or too long')
  if (body.service.byteLength === 0 || body.service.byteLength > MAX_PEER_ID) throw bad(code, 'request', 'service missing or too long')
  if (body.nonce.byteLength !== NONCE_BYTES) throw bad(code, 'request', `nonce of ${body.nonce.byteLength} bytes`)
  if (!Number.isSafeInteger(body.timeMs)) throw bad(code, 'request', 'time out of range')
  checkSignature(outer.signature, code, 'request')
  return {
    protocol: body.protocol,
    caller: body.caller,
    service: body.service,
    timeMs: body.timeMs,
    nonce: body.nonce,
    payload: body.payload,
    bodyBytes: outer.body,
    signature: outer.signature,
  }
}

export function decodeResponse(frame: Uint8Array | Uint8ArrayList): Response {
  const code = RPC_CODES.BAD_RESPONSE
  let outer: ResponseFrame
  let body: ResponseBody
  try {
    outer = ResponseFrame.decode(frame)
    body = ResponseBody.decode(outer.body)
  } catch (err) {
    throw bad(code, 'response', errorMessage(err))
  }
  if (body.domain !== RESPONSE_DOMAIN) throw bad(code, 'response', 'wrong domain')
  if (body.nonce.byteLength !== NONCE_BYTES) throw bad(code, 'response', `nonce of ${body.nonce.byteLength} bytes`)
  checkSignature(outer.signature, code, 'response')
  const common = { nonce: body.nonce, seq: body.seq, bodyBytes: outer.body, signature: outer.signature }
  switch (body.kind) {
    case ResponseKind.DATA:
      return { kind: ResponseKind.DATA, payload: body.payload, ...common }
    case ResponseKind.END:
      return { kind: ResponseKind.END, ...common }
    case ResponseKind.ERROR:
      if (body.errorCode.length === 0 || body.errorCode.length > MAX_ERROR_CODE) throw bad(code, 'response', 'error code missing or too long')
      return { kind: ResponseKind.ERROR, errorCode: body.errorCode, errorMessage: body.errorMessage.slice(0, MAX_ERROR_MESSAGE), ...common }
    default:
      throw bad(code, 'response', 'unknown kind')
  }
}
