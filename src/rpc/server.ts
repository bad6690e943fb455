// The serving side of the RPC layer: methods registered as libp2p protocols; a stream carries
// one caller's calls one after another. A request is read under a deadline and a size limit,
// admitted (admission.ts), handed to the method's handler, and answered with signed frames
// that echo the request's nonce.
import type { Connection, PeerId, Stream } from '@libp2p/interface'
import type { Chain } from '../chain/chain.js'
import { MeshError, errorMessage } from '../errors.js'
import { logger } from '../log.js'
import type { Host } from '../p2p/host.js'
import { Signer, Verifier } from '../p2p/signing.js'
import { Admission, type Access, type AdmissionOptions } from './admission.js'
import { RPC_CODES, RpcError } from './errors.js'
import { FramedStream } from './framed-stream.js'
import { FRAME_OVERHEAD, ResponseKind, decodeRequest, encodeResponse, type Request, type ResponseFields } from './frames.js'
import { decodePayload, methodProtocol, type AnyMethod, type StreamMethod, type UnaryMethod } from './method.js'

const log = logger('rpc:server')

export interface CallContext {
  /** The authenticated caller (the connection's remote peer). */
  caller: PeerId
  /** This server's peer id. */
  self: PeerId
  protocol: string
  /** Aborted when the caller goes away or the server closes. */
  signal: AbortSignal
  /** Signs bytes with the server's identity (absent when authentication is off): for evidence a method returns. */
  sign?: (data: Uint8Array) => Uint8Array
}

export type UnaryHandler<Req, Res> = (request: Req, context: CallContext) => Res | Promise<Res>
export type StreamHandler<Req, Res> = (request: Req, context: CallContext) => AsyncIterable<Res>

export interface HandleOptions {
  /** Who may call: `public` (any signed caller) or the least node class on chain (default `Registered`). */
  access?: Access
}

export interface RpcServerOptions extends AdmissionOptions {
  /** How long a caller has, after opening a stream, to send its whole request (default 10 s). */
  requestTimeoutMs?: number
  /** How long a stream may wait for its caller's next call before the server closes it (default 30 s). */
  idleTimeoutMs?: number
  /** Calls of one method that one connection may have open at once (default 64). */
  maxInboundStreams?: number
}

export interface RpcServerComponents {
  host: Host
  /** The chain for proof of stake; needed unless every method is public or authentication is off. */
  chain?: Chain
}

interface Registration {
  method: AnyMethod
  access: Access
  handler: UnaryHandler<unknown, unknown> | StreamHandler<unknown, unknown>
}

export class RpcServer {
  private readonly host: Host
  private readonly signer?: Signer
  private readonly admission: Admission
  private readonly requestTimeoutMs: number
  private readonly idleTimeoutMs: number
  private readonly maxInboundStreams: number
  private readonly registrations = new Map<string, Registration>()
  /** Streams of calls in progress, aborted when the server closes. */
  private readonly active = new Set<Stream>()
  /** Calls answered, and calls failed or refused by error code, since start (for metrics). */
  readonly counts: { served: number; failed: Map<string, number> } = { served: 0, failed: new Map() }

  constructor(components: RpcServerComponents, options: RpcServerOptions = {}) {
    this.host = components.host
    this.admission = new Admission({
      self: components.host.peerId,
      subnetId: components.host.subnetId,
      verifier: new Verifier(),
      chain: components.chain,
    }, options)
    if (this.admission.authenticate) this.signer = new Signer(components.host.privateKey)
    this.requestTimeoutMs = options.requestTimeoutMs ?? 10_000
    this.idleTimeoutMs = options.idleTimeoutMs ?? 30_000
    this.maxInboundStreams = options.maxInboundStreams ?? 64
  }

  /** Serves a method on `/hypertensor/<subnet>/<name>/<version>`. */
  handle<Req, Res>(method: UnaryMethod<Req, Res>, handler: UnaryHandler<Req, Res>, options?: HandleOptions): Promise<void>
  handle<Req, Res>(method: StreamMethod<Req, Res>, handler: StreamHandler<Req, Res>, options?: HandleOptions): Promise<void>
  async handle(method: AnyMethod, handler: Registration['handler'], options: HandleOptions = {}): Promise<void> {
    const access = options.access ?? 'Registered'
    const protocol = methodProtocol(this.host.subnetId, method)
    if (!this.admission.canServe(access)) {
      throw new MeshError('RPC_NO_CHAIN', `${protocol} requires stake, but the server has no chain to check it`, {
        fix: 'give the RpcServer a chain, or serve the method with access: public',
      })
    }
    if (this.registrations.has(protocol)) {
      throw new MeshError('RPC_ALREADY_HANDLED', `${protocol} already has a handler`)
    }
    this.registrations.set(protocol, { method, access, handler })
    await this.host.libp2p.handle(protocol, (stream, connection) => this.serve(protocol, stream, connection), {
      maxInboundStreams: this.maxInboundStreams,
      runOnLimitedConnection: true,
    })
  }

  async unhandle(method: AnyMethod): Promise<void> {
    const protocol = methodProtocol(this.host.subnetId, method)
    if (!this.registrations.delete(protocol)) return
    await this.host.libp2p.unhandle(protocol)
  }

  /** Stops serving every method and aborts the calls in progress. */
  async close(): Promise<void> {
    const protocols = [...this.registrations.keys()]
    this.registrations.clear()
    await Promise.all(protocols.map((p) => this.host.libp2p.unhandle(p)))
    for (const stream of this.active) stream.abort(new RpcError(RPC_CODES.CLOSED, 'the server is closing'))
  }

  private async serve(protocol: string, stream: Stream, connection: Connection): Promise<void> {
    const registration = this.registrations.get(protocol)
    if (registration === undefined) {
      stream.abort(new Error('method no longer served'))
      return
    }
    const caller = connection.remotePeer
    const framed = new FramedStream(stream, registration.method.maxRequestBytes + FRAME_OVERHEAD)
    this.active.add(stream)
    let call: AbortController | undefined
    const onClose = (): void => call?.abort(new RpcError(RPC_CODES.CLOSED, 'the call\'s stream closed'))
    stream.addEventListener('close', onClose)
    try {
      // One stream carries the caller's calls one after another, until it closes its side or idles.
      for (let first = true; ; first = false) {
        const request = await this.receive(framed, caller, protocol, first)
        if (request === null) break
        // The handler of each call, not the stream's first: a method unhandled (or handled anew) since applies to pooled streams too.
        const current = this.registrations.get(protocol)
        if (current === undefined) break
        call = new AbortController()
        const ok = await this.answer(current, protocol, framed, caller, request, call.signal)
        if (!ok) return
      }
      // Our side is done; a caller that does not close its own is reset after the request deadline.
      const linger = setTimeout(() => stream.abort(new RpcError(RPC_CODES.TIMEOUT, 'the caller did not close the stream')), this.requestTimeoutMs)
      stream.addEventListener('close', () => clearTimeout(linger), { once: true })
      await stream.close()
    } catch (err) {
      stream.abort(err instanceof Error ? err : new Error(String(err)))
    } finally {
      stream.removeEventListener('close', onClose)
      framed.dispose()
      this.active.delete(stream)
    }
  }

  /**
   * The next request on a stream, or null when the caller is done with it or let it idle too
   * long between calls. A first request that does not come in time, or any that is cut short,
   * too large or malformed, throws: there is no nonce to answer.
   */
  private async receive(framed: FramedStream, caller: PeerId, protocol: string, first: boolean): Promise<Request | null> {
    const timer = setTimeout(() => {
      if (first || framed.buffered > 0) {
        framed.stream.abort(new RpcError(RPC_CODES.TIMEOUT, 'the request did not arrive in time'))
      } else {
        framed.end()
      }
    }, first ? this.requestTimeoutMs : this.idleTimeoutMs)
    try {
      const frame = await framed.read()
      return frame === null ? null : decodeRequest(frame)
    } catch (err) {
      log.debug('unreadable request', { peer: caller.toString(), protocol, reason: errorMessage(err) })
      throw err
    } finally {
      clearTimeout(timer)
    }
  }

  /** Serves one admitted-or-refused request; false when the stream cannot carry another call. */
  private async answer(registration: Registration, protocol: string, framed: FramedStream, caller: PeerId,
    request: Request, signal: AbortSignal): Promise<boolean> {
    const { method } = registration
    const replier = new Replier(framed, request.nonce, this.signer, method.maxResponseBytes, method.signChunks)
    try {
      await this.admission.admit(request, caller, protocol, registration.access)
      const input = decodePayload(method, 'request', request.payload)
      const signer = this.signer
      const context: CallContext = { caller, self: this.host.peerId, protocol, signal, sign: signer === undefined ? undefined : (data) => signer.sign(data) }
      if (method.kind === 'unary') {
        const output = await (registration.handler as UnaryHandler<unknown, unknown>)(input, context)
        await replier.data(method.response.encode(output))
      } else {
        for await (const chunk of (registration.handler as StreamHandler<unknown, unknown>)(input, context)) {
          await replier.data(method.response.encode(chunk))
        }
        await replier.end()
      }
      this.counts.served++
      return true
    } catch (err) {
      return this.fail(framed.stream, replier, caller, protocol, err)
    }
  }

  private async fail(stream: Stream, replier: Replier, caller: PeerId, protocol: string, err: unknown): Promise<boolean> {
    if (stream.status !== 'open' || stream.writeStatus !== 'writable') {
      log.debug('call ended early', { peer: caller.toString(), protocol, reason: errorMessage(err) })
      return false
    }
    let code: string = RPC_CODES.INTERNAL
    let message = 'the method failed'
    if (err instanceof RpcError) {
      code = err.code
      message = err.message
      log.debug('call refused', { peer: caller.toString(), protocol, code })
    } else {
      log.warn('handler failed', { peer: caller.toString(), protocol, error: errorMessage(err) })
    }
    this.counts.failed.set(code, (this.counts.failed.get(code) ?? 0) + 1)
    await replier.error(code, message)
    return true
  }
}

/** Writes the signed frames of one call, numbering them. */
class Replier {
  private seq = 0

  constructor(
    private readonly framed: FramedStream,
    private readonly nonce: Uint8Array,
    private readonly signer: Signer | undefined,
    private readonly maxPayload: number,
    /** False: DATA frames go unsigned (END and ERROR frames are always signed). */
    private readonly signChunks: boolean,
  ) {}

  async data(payload: Uint8Array): Promise<void> {
    if (payload.byteLength > this.maxPayload) {
      throw new RpcError(RPC_CODES.INTERNAL, `response of ${payload.byteLength} bytes exceeds the method's limit of ${this.maxPayload}`)
    }
    await this.write({ kind: ResponseKind.DATA, nonce: this.nonce, seq: this.seq, payload }, this.signChunks)
  }

  end(): Promise<void> {
    return this.write({ kind: ResponseKind.END, nonce: this.nonce, seq: this.seq })
  }

  error(errorCode: string, errorMessage: string): Promise<void> {
    return this.write({ kind: ResponseKind.ERROR, nonce: this.nonce, seq: this.seq, errorCode, errorMessage })
  }

  private async write(fields: ResponseFields, signed = true): Promise<void> {
    this.seq++
    await this.framed.write(await encodeResponse(fields, signed ? this.signer : undefined))
  }
}
