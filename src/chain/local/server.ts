// The local chain as a server, so that several processes share one chain: JSON-RPC over WebSocket.
// Reads are open; writes carry a payload signed by the account's key, checked here (signature,
// chain id, freshness, one-time nonce) before the call runs as that account.
import { signatureVerify } from '@polkadot/util-crypto'
import type { AddressInfo } from 'node:net'
import { WebSocketServer, type WebSocket } from 'ws'
import { errorMessage } from '../../errors.js'
import { logger, type Logger } from '../../log.js'
import { ChainError } from '../errors.js'
import { fromJson, toJson } from './json.js'
import { LocalChain } from './local-chain.js'
import type { LocalChainRuntime } from './runtime.js'
import { badRequest, checkRead, checkWrite, toWireError, type Hello, type Response, type SignedPayload } from './wire.js'

export interface LocalChainServerOptions {
  host?: string
  /** 0 picks a free port. */
  port?: number
  /** How far a signed payload's time may be from the server's clock (default 5 min). */
  freshnessMs?: number
  log?: Logger
}

const MAX_MESSAGE_BYTES = 1 << 20

export class LocalChainServer {
  private readonly reader: LocalChain
  private readonly log: Logger
  private readonly freshnessMs: number
  private readonly subscribers = new Set<WebSocket>()
  /** `signer:nonce` → when it may be forgotten (once its payload is stale anyway). */
  private readonly seenNonces = new Map<string, number>()
  private wss?: WebSocketServer
  private offBlock?: () => void

  constructor(private readonly runtime: LocalChainRuntime, private readonly options: LocalChainServerOptions = {}) {
    this.reader = new LocalChain(runtime)
    this.log = options.log ?? logger('chain:server')
    this.freshnessMs = options.freshnessMs ?? 5 * 60_000
  }

  /** Starts listening; resolves with the ws:// URL. */
  async listen(): Promise<string> {
    const host = this.options.host ?? '127.0.0.1'
    const wss = new WebSocketServer({ host, port: this.options.port ?? 9944, maxPayload: MAX_MESSAGE_BYTES })
    await new Promise<void>((resolve, reject) => {
      wss.once('listening', resolve)
      wss.once('error', (err) => reject(new ChainError('CHAIN_LISTEN_FAILED', `cannot listen on ${host}:${this.options.port ?? 9944}: ${errorMessage(err)}`, {
        fix: 'pick another --port, or stop what holds this one',
      })))
    })
    this.wss = wss
    wss.on('connection', (socket, request) => this.accept(socket, `${request.socket.remoteAddress}:${request.socket.remotePort}`))
    this.offBlock = this.runtime.onBlock((block) => this.pushBlock(block))
    const url = `ws://${host}:${(wss.address() as AddressInfo).port}`
    this.log.info('listening', { url, chainId: this.runtime.chainId, block: this.runtime.block })
    return url
  }

  async close(): Promise<void> {
    this.offBlock?.()
    const wss = this.wss
    if (wss === undefined) return
    this.wss = undefined
    for (const client of wss.clients) client.terminate()
    await new Promise<void>((resolve) => wss.close(() => resolve()))
  }

  private accept(socket: WebSocket, remote: string): void {
    this.log.debug('client connected', { remote })
    socket.on('message', (data) => {
      void this.handle(socket, data.toString()).then((reply) => {
        if (reply !== undefined && socket.readyState === socket.OPEN) socket.send(toJson(reply))
      })
    })
    socket.on('close', () => {
      this.subscribers.delete(socket)
      this.log.debug('client left', { remote })
    })
    socket.on('error', (err) => this.log.debug('socket error', { error: errorMessage(err) }))
  }

  private async handle(socket: WebSocket, text: string): Promise<Response | undefined> {
    let message: Record<string, unknown>
    try {
      const parsed = fromJson(text)
      if (typeof parsed !== 'object' || parsed === null || !Number.isSafeInteger((parsed as { id?: unknown }).id)) {
        throw badRequest('a request is an object with an integer id')
      }
      message = parsed as Record<string, unknown>
    } catch (err) {
      this.log.debug('bad request', { error: errorMessage(err) })
      return undefined
    }
    const id = message.id as number
    try {
      return { id, result: await this.serve(socket, message) }
    } catch (err) {
      return { id, error: toWireError(err) }
    }
  }

  private async serve(socket: WebSocket, message: Record<string, unknown>): Promise<unknown> {
    switch (message.type) {
      case 'hello': {
        const hello: Hello = { chainId: this.runtime.chainId, blockTimeMs: this.runtime.params.blockTimeMs, epochLength: this.runtime.params.epochLength, block: this.runtime.block }
        return hello
      }
      case 'read': {
        const { method, args } = checkRead(message.method, message.args)
        return (this.reader[method] as (...a: unknown[]) => Promise<unknown>).apply(this.reader, args)
      }
      case 'write':
        return this.write(message.payload, message.signature)
      case 'subscribe':
        this.subscribers.add(socket)
        return { block: this.runtime.block }
      default:
        throw badRequest(`unknown request type ${String(message.type)}`)
    }
  }

  private write(payloadText: unknown, signature: unknown): { block: number; value?: number } {
    if (typeof payloadText !== 'string' || typeof signature !== 'string') throw badRequest('a write carries a payload and a signature')
    let payload: Partial<SignedPayload>
    try {
      payload = fromJson(payloadText) as Partial<SignedPayload>
    } catch {
      throw badRequest('a write\'s payload is JSON text')
    }
    if (typeof payload !== 'object' || payload === null || typeof payload.signer !== 'string' || typeof payload.nonce !== 'string' ||
      typeof payload.time !== 'number' || typeof payload.chainId !== 'string') {
      throw badRequest('a signed payload has chainId, method, args, signer, nonce and time')
    }
    let valid = false
    try {
      valid = signatureVerify(payloadText, signature, payload.signer).isValid
    } catch {
      valid = false
    }
    if (!valid) throw new ChainError('CHAIN_BAD_SIGNATURE', `the signature does not match signer ${payload.signer}`)
    if (payload.chainId !== this.runtime.chainId) {
      throw new ChainError('CHAIN_WRONG_CHAIN', `the call was signed for chain ${payload.chainId}, this is ${this.runtime.chainId}`, { fix: 'reconnect and sign again' })
    }
    const now = Date.now()
    if (Math.abs(now - payload.time) > this.freshnessMs) {
      throw new ChainError('CHAIN_REPLAYED', `the signed call is stale (signed at ${new Date(payload.time).toISOString()})`, { fix: "check this machine's clock" })
    }
    for (const [key, expires] of this.seenNonces) if (expires < now) this.seenNonces.delete(key)
    const nonceKey = `${payload.signer.toLowerCase()}:${payload.nonce}`
    if (this.seenNonces.has(nonceKey)) throw new ChainError('CHAIN_REPLAYED', `the signed call with nonce ${payload.nonce} was already submitted`)
    this.seenNonces.set(nonceKey, payload.time + this.freshnessMs)
    return this.runtime.execute(payload.signer, checkWrite(payload.method, payload.args))
  }

  private pushBlock(block: number): void {
    const message = toJson({ type: 'block', block } satisfies Response)
    for (const socket of this.subscribers) {
      if (socket.readyState === socket.OPEN) socket.send(message)
    }
  }
}
