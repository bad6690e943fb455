// Method descriptors shared by services and callers: the protocol a method lives on, how its
// messages are encoded, and how large they may be.
import { MeshError, errorMessage } from '../errors.js'
import { RPC_CODES, RpcError } from './errors.js'

/** Encodes and decodes one message type; a protons-generated message namespace is one. */
export interface Codec<T> {
  encode(value: T): Uint8Array
  decode(bytes: Uint8Array): T
}

/** Payloads passed through as raw bytes, for layers that frame their own messages. */
export const bytesCodec: Codec<Uint8Array> = {
  encode: (value) => value,
  decode: (bytes) => bytes,
}

export const DEFAULT_MAX_MESSAGE_BYTES = 1024 * 1024

interface MethodInit<Req, Res> {
  /** Lower-case name, e.g. `dht-store`. */
  name: string
  /** Version of the method's messages, e.g. `1.0.0`. */
  version: string
  request: Codec<Req>
  response: Codec<Res>
  /** Largest encoded request accepted (default 1 MiB). */
  maxRequestBytes?: number
  /** Largest encoded response, or stream chunk, accepted (default 1 MiB). */
  maxResponseBytes?: number
  /**
   * Streams only: whether each DATA chunk is signed (default true). A method whose last chunk
   * carries its own signature over the whole answer (inference transcripts) turns this off: the
   * connection (Noise) already authenticates the peer, and the END frame stays signed.
   */
  signChunks?: boolean
}

export interface Method<Req, Res, K extends 'unary' | 'stream'> {
  readonly kind: K
  readonly name: string
  readonly version: string
  readonly request: Codec<Req>
  readonly response: Codec<Res>
  readonly maxRequestBytes: number
  readonly maxResponseBytes: number
  readonly signChunks: boolean
}

export type UnaryMethod<Req, Res> = Method<Req, Res, 'unary'>
export type StreamMethod<Req, Res> = Method<Req, Res, 'stream'>
export type AnyMethod = Method<any, any, 'unary' | 'stream'>

const NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/
const VERSION = /^\d+\.\d+\.\d+$/

function define<Req, Res, K extends 'unary' | 'stream'>(kind: K, init: MethodInit<Req, Res>): Method<Req, Res, K> {
  if (!NAME.test(init.name)) {
    throw new MeshError('RPC_METHOD_INVALID', `method name ${JSON.stringify(init.name)} must be lower-case letters, digits, '.', '_' or '-'`)
  }
  if (!VERSION.test(init.version)) {
    throw new MeshError('RPC_METHOD_INVALID', `method version ${JSON.stringify(init.version)} must look like 1.0.0`)
  }
  const limits = [init.maxRequestBytes ?? DEFAULT_MAX_MESSAGE_BYTES, init.maxResponseBytes ?? DEFAULT_MAX_MESSAGE_BYTES]
  if (limits.some((n) => !Number.isSafeInteger(n) || n < 1)) {
    throw new MeshError('RPC_METHOD_INVALID', `size limits of ${init.name} must be positive integers`)
  }
  return Object.freeze({
    kind,
    name: init.name,
    version: init.version,
    request: init.request,
    response: init.response,
    maxRequestBytes: limits[0],
    maxResponseBytes: limits[1],
    signChunks: kind === 'unary' || init.signChunks !== false,
  })
}

/** A method answering each request with one response. */
export function unaryMethod<Req, Res>(init: MethodInit<Req, Res>): UnaryMethod<Req, Res> {
  return define('unary', init)
}

/** A method answering each request with a stream of responses (e.g. generated tokens). */
export function streamMethod<Req, Res>(init: MethodInit<Req, Res>): StreamMethod<Req, Res> {
  return define('stream', init)
}

/** The libp2p protocol of a method in a subnet: `/hypertensor/<subnet>/<name>/<version>`. */
export function methodProtocol(subnetId: number, method: AnyMethod): string {
  return `/hypertensor/${subnetId}/${method.name}/${method.version}`
}

/**
 * A request or response payload of `method`, decoded: whatever the codec throws on hostile
 * bytes becomes RPC_BAD_REQUEST (a request) or RPC_BAD_RESPONSE (a response).
 */
export function decodePayload<Req, Res>(method: Method<Req, Res, 'unary' | 'stream'>, part: 'request', bytes: Uint8Array): Req
export function decodePayload<Req, Res>(method: Method<Req, Res, 'unary' | 'stream'>, part: 'response', bytes: Uint8Array): Res
export function decodePayload(method: AnyMethod, part: 'request' | 'response', bytes: Uint8Array): unknown {
  try {
    return method[part].decode(bytes)
  } catch (err) {
    const code = part === 'request' ? RPC_CODES.BAD_REQUEST : RPC_CODES.BAD_RESPONSE
    throw new RpcError(code, `${part} is not a valid ${method.name} message: ${errorMessage(err)}`)
  }
}
