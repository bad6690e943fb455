// The calling side of the RPC layer. A call borrows a stream to the peer's method from a small
// pool (a stream carries calls one after another, so a call costs no stream set-up), writes the
// request signed with our identity, and believes a response frame only after checking its
// nonce, its place in the call and the service's signature.
import { randomBytes, timingSafeEqual } from 'node:crypto'
import type { PeerId, Stream } from '@libp2p/interface'
import { errorMessage } from '../errors.js'
import type { Host } from '../p2p/host.js'
import { Signer, Verifier } from '../p2p/signing.js'
import { RPC_CODES, RpcError } from './errors.js'
import { FramedStream } from './framed-stream.js'
import { FRAME_OVERHEAD, NONCE_BYTES, ResponseKind, decodeResponse, encodeRequest } from './frames.js'
import { decodePayload, methodProtocol, type Method, type StreamMethod, type UnaryMethod } from './method.js'
import { StreamPool } from './stream-pool.js'
import { ConcurrencyLimit } from './concurrency-limit.js'

export interface RpcClientOptions {
  /** Sign requests and require signed responses (default true); must match the services'. */
  authenticate?: boolean
  /** Default for CallOptions.timeoutMs (default 30 s). */
  timeoutMs?: number
  /** Idle streams kept per peer and method for the next calls (default 16). */
  maxIdleStreams?: number
  /** An idle stream older than this is not reused (default 20 s; services close theirs after 30 s). */
  idleTimeoutMs?: number
  /** Calls to one peer's method at once; more wait their turn (default 64, a service's default limit). */
  maxConcurrentCalls?: number
  now?: () => number
}

export interface CallOptions {
  /**
   * A unary call fails with RPC_TIMEOUT when it takes longer than this in all; a stream when the
   * first chunk, or any next one, takes longer than this.
   */
  timeoutMs?: number
  /** Aborting fails the call with RPC_ABORTED and resets its stream. */
  signal?: AbortSignal
}

export interface RpcClientComponents {
  host: Host
}

/** What a call needs from the client that makes it. */
interface Endpoint {
  /** Encodes (and signs) a request. */
  encode(peer: PeerId, protocol: string, payload: Uint8Array, nonce: Uint8Array): Promise<Uint8Array>
  verify(peer: PeerId, body: Uint8Array, signature: Uint8Array): Promise<boolean>
  nonce(): Uint8Array
  /** Takes back a stream whose call ended cleanly, for the next call. */
  release(peer: PeerId, protocol: string, framed: FramedStream): void
}

export class RpcClient {
  private readonly host: Host
  private readonly timeoutMs: number
  private readonly pool: StreamPool
  private readonly limit: ConcurrencyLimit
  private readonly endpoint: Endpoint

  constructor(components: RpcClientComponents, options: RpcClientOptions = {}) {
    const host = components.host
    const self = host.peerId.toMultihash().bytes
    const authenticate = options.authenticate ?? true
    const signer = authenticate ? new Signer(host.privateKey) : undefined
    const verifier = authenticate ? new Verifier() : undefined
    const now = options.now ?? Date.now
    // Nonces are a random prefix of this client and a counter: unique without a CSPRNG call per
    // request. They need not be secret: the signature covers them and the replay guard keys them by caller.
    const noncePrefix = randomBytes(NONCE_BYTES - 8)
    let nonces = 0n
    this.host = host
    this.timeoutMs = options.timeoutMs ?? 30_000
    const pool = new StreamPool({ maxIdle: options.maxIdleStreams ?? 16, idleTimeoutMs: options.idleTimeoutMs ?? 20_000, now })
    this.pool = pool
    this.limit = new ConcurrencyLimit(options.maxConcurrentCalls ?? 64)
    this.endpoint = {
      encode: (peer, protocol, payload, nonce) =>
        encodeRequest({ protocol, caller: self, service: peer.toMultihash().bytes, timeMs: now(), nonce, payload }, signer),
      verify: async (peer, body, signature) => verifier === undefined || verifier.verify(peer, body, signature),
      nonce: () => {
        const nonce = Buffer.allocUnsafe(NONCE_BYTES)
        noncePrefix.copy(nonce)
        nonce.writeBigUInt64BE(nonces++, NONCE_BYTES - 8)
        return nonce
      },
      release: (peer, protocol, framed) => pool.give(peer, protocol, framed),
    }
  }

  /** Calls a unary method on `peer` and returns its response. */
  async call<Req, Res>(peer: PeerId, method: UnaryMethod<Req, Res>, request: Req, options: CallOptions = {}): Promise<Res> {
    const call = await this.start(peer, method, request, options)
    try {
      const response = await call.next()
      if (response.done) throw new RpcError(RPC_CODES.BAD_RESPONSE, `${call.protocol} ended without a response`)
      return response.value
    } catch (err) {
      throw call.fail(err)
    } finally {
      call.finish()
    }
  }

  /** Calls a streaming method on `peer`; yields each chunk as it arrives. Breaking out of the loop cancels the call. */
  async *stream<Req, Res>(peer: PeerId, method: StreamMethod<Req, Res>, request: Req, options: CallOptions = {}): AsyncGenerator<Res, void, undefined> {
    const call = await this.start(peer, method, request, options)
    try {
      while (true) {
        const response = await call.next()
        if (response.done) return
        yield response.value
        call.rearm()
      }
    } catch (err) {
      throw call.fail(err)
    } finally {
      call.finish()
    }
  }

  /** Closes the idle streams; calls in progress go on, and their streams close when they end. New calls fail. */
  close(): void {
    this.pool.close()
  }

  /**
   * Sends the request on a pooled stream, or a new one. A pooled stream that the service closed
   * just before we wrote to it (it idled out) answers nothing; the call then goes out once more
   * on a new stream, as a new request.
   */
  private async start<Req, Res>(peer: PeerId, method: Method<Req, Res, 'unary' | 'stream'>, request: Req, options: CallOptions): Promise<Call<Res>> {
    const protocol = methodProtocol(this.host.subnetId, method)
    const payload = method.request.encode(request)
    if (payload.byteLength > method.maxRequestBytes) {
      throw new RpcError(RPC_CODES.TOO_LARGE, `request of ${payload.byteLength} bytes exceeds ${protocol}'s limit of ${method.maxRequestBytes}`)
    }
    if (this.pool.closed) throw new RpcError(RPC_CODES.CLOSED, 'the RPC client is closed')
    const deadline = new Deadline(options.timeoutMs ?? this.timeoutMs, protocol, options.signal)
    const early = deadline.reason()
    if (early !== undefined) {
      deadline.clear()
      throw early
    }
    let freeSlot: (() => void) | undefined
    try {
      freeSlot = await this.limit.acquire(`${peer.toString()} ${protocol}`, deadline.signal)
      for (let attempt = 0; ; attempt++) {
        const reused = attempt === 0 ? this.pool.take(peer, protocol) : undefined
        const framed = reused ?? await this.open(peer, protocol, method.maxResponseBytes + FRAME_OVERHEAD, deadline)
        const call = new Call(this.endpoint, peer, protocol, method, framed, deadline, freeSlot)
        if (await call.send(payload, reused !== undefined)) return call
      }
    } catch (err) {
      freeSlot?.()
      deadline.clear()
      throw deadline.reason() ?? err
    }
  }

  private async open(peer: PeerId, protocol: string, maxFrame: number, deadline: Deadline): Promise<FramedStream> {
    let stream: Stream
    try {
      stream = await this.host.libp2p.dialProtocol(peer, protocol, { signal: deadline.signal, negotiateFully: false, runOnLimitedConnection: true })
    } catch (err) {
      if ((err as Error)?.name === 'UnsupportedProtocolError') {
        throw new RpcError(RPC_CODES.UNSUPPORTED, `${peer.toString()} does not serve ${protocol}`, { cause: err })
      }
      throw new RpcError(RPC_CODES.UNREACHABLE, `cannot reach ${peer.toString()} for ${protocol}: ${errorMessage(err)}`, { cause: err })
    }
    return new FramedStream(stream, maxFrame)
  }
}

/** The time limit and the caller's abort signal of one call. */
class Deadline {
  private readonly controller = new AbortController()
  private timer?: NodeJS.Timeout
  private onAbort?: (reason: RpcError) => void

  constructor(private readonly timeoutMs: number, private readonly protocol: string, private readonly userSignal?: AbortSignal) {
    if (userSignal?.aborted === true) this.abort(new RpcError(RPC_CODES.ABORTED, 'the call was aborted'))
    userSignal?.addEventListener('abort', this.onUserAbort, { once: true })
    this.rearm()
  }

  get signal(): AbortSignal {
    return this.controller.signal
  }

  /** Calls `action` when the deadline passes or the caller aborts (at once if it already did). */
  watch(action: (reason: RpcError) => void): void {
    this.onAbort = action
    const reason = this.reason()
    if (reason !== undefined) action(reason)
  }

  rearm(): void {
    clearTimeout(this.timer)
    this.timer = setTimeout(() => this.abort(new RpcError(RPC_CODES.TIMEOUT, `${this.protocol} did not answer within ${this.timeoutMs} ms`)), this.timeoutMs)
  }

  reason(): RpcError | undefined {
    return this.controller.signal.aborted ? this.controller.signal.reason as RpcError : undefined
  }

  clear(): void {
    clearTimeout(this.timer)
    this.userSignal?.removeEventListener('abort', this.onUserAbort)
  }

  private readonly onUserAbort = (): void => this.abort(new RpcError(RPC_CODES.ABORTED, 'the call was aborted'))

  private abort(reason: RpcError): void {
    if (this.controller.signal.aborted) return
    this.controller.abort(reason)
    this.onAbort?.(reason)
  }
}

/** One call in progress on one stream. */
class Call<Res> {
  private readonly nonce: Uint8Array
  private seq = 0
  /** The call reached its last frame; the stream can carry another call. */
  private complete = false
  /** On a reused stream, the first frame, read early to tell a live stream from a stale one. */
  private first?: Uint8Array | null

  constructor(
    private readonly endpoint: Endpoint,
    private readonly peer: PeerId,
    readonly protocol: string,
    private readonly method: Method<unknown, Res, 'unary' | 'stream'>,
    private readonly framed: FramedStream,
    private readonly deadline: Deadline,
    /** Frees this call's place among the calls to the peer's method. */
    private readonly freeSlot: () => void,
  ) {
    this.nonce = endpoint.nonce()
    deadline.watch((reason) => framed.stream.abort(reason))
  }

  /** Writes the request; false when a reused stream turned out closed (try a new one). */
  async send(payload: Uint8Array, reused: boolean): Promise<boolean> {
    const request = await this.endpoint.encode(this.peer, this.protocol, payload, this.nonce)
    try {
      await this.framed.write(request)
    } catch (err) {
      if (!reused || this.deadline.reason() !== undefined) throw this.abandon(err)
    }
    if (!reused) return true
    // A reused stream that the service closed while idle ends cleanly without a frame: the
    // request was never read. Any other failure may come after the service acted on it.
    try {
      this.first = await this.framed.read()
    } catch (err) {
      throw this.abandon(err)
    }
    if (this.first !== null) return true
    this.framed.stream.abort(new RpcError(RPC_CODES.CLOSED, 'stale pooled stream'))
    this.framed.dispose()
    return false
  }

  /** The next payload, or done after a stream's END frame; throws on anything else. */
  async next(): Promise<IteratorResult<Res, undefined>> {
    const { method, peer } = this
    let frame: Uint8Array | null
    if (this.first !== undefined) {
      frame = this.first
      this.first = undefined
    } else {
      frame = await this.framed.read()
    }
    if (frame === null) throw new RpcError(RPC_CODES.CLOSED, `${peer.toString()} closed ${this.protocol} before the call's end`)
    const response = decodeResponse(frame)
    if (!sameBytes(response.nonce, this.nonce)) throw new RpcError(RPC_CODES.BAD_RESPONSE, `${this.protocol} answered another request's nonce`)
    if (response.seq !== this.seq) throw new RpcError(RPC_CODES.BAD_RESPONSE, `${this.protocol} sent frame ${response.seq} where ${this.seq} was due`)
    // A method that signs its answer itself leaves DATA chunks unsigned: the connection authenticates them.
    const unsignedChunk = response.kind === ResponseKind.DATA && !method.signChunks
    if (!unsignedChunk && !await this.endpoint.verify(peer, response.bodyBytes, response.signature)) {
      throw new RpcError(RPC_CODES.BAD_RESPONSE_SIGNATURE, `${this.protocol} sent a frame its peer did not sign`)
    }
    this.seq++
    switch (response.kind) {
      case ResponseKind.ERROR:
        this.complete = true
        throw new RpcError(response.errorCode, `${peer.toString()} refused ${this.protocol}: ${response.errorMessage}`, { remote: true })
      case ResponseKind.END:
        if (method.kind === 'unary') throw new RpcError(RPC_CODES.BAD_RESPONSE, `${this.protocol} sent END to a unary call`)
        this.complete = true
        return { done: true, value: undefined }
      case ResponseKind.DATA: {
        const value = decodePayload(method, 'response', response.payload)
        if (method.kind === 'unary') this.complete = true
        return { done: false, value }
      }
    }
  }

  rearm(): void {
    this.deadline.rearm()
  }

  /** Ends a call that failed before it got going: the error to throw, the stream reset. */
  private abandon(err: unknown): RpcError {
    const error = this.fail(err)
    this.finish()
    return error
  }

  /** The error to throw for `err`: the deadline's or the caller's reason first, else a readable RpcError. */
  fail(err: unknown): RpcError {
    const reason = this.deadline.reason()
    if (reason !== undefined) return reason
    // A refusal leaves the stream usable; anything else (a bad frame, a broken stream) does not.
    if (!(err instanceof RpcError && err.remote)) this.complete = false
    if (err instanceof RpcError) return err
    if ((err as Error)?.name === 'UnsupportedProtocolError') {
      return new RpcError(RPC_CODES.UNSUPPORTED, `${this.peer.toString()} does not serve ${this.protocol}`, { cause: err })
    }
    return new RpcError(RPC_CODES.CLOSED, `${this.protocol} stream failed: ${errorMessage(err)}`, { cause: err })
  }

  /** Returns a cleanly ended stream to the pool, resets any other (a broken-off stream too). */
  finish(): void {
    this.deadline.clear()
    this.freeSlot()
    if (this.complete && this.deadline.reason() === undefined) {
      this.endpoint.release(this.peer, this.protocol, this.framed)
    } else {
      this.framed.stream.abort(new RpcError(RPC_CODES.ABORTED, 'the call ended early'))
      this.framed.dispose()
    }
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && timingSafeEqual(a, b)
}
