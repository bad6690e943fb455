// One WebSocket connection to a Hypertensor node (or chopsticks), owned by mesh rather than by
// polkadot.js: we connect and reconnect ourselves (with backoff, quietly), so that a call either
// succeeds, is retried through a short outage, or fails with CHAIN_UNREACHABLE naming the URL —
// never hangs on an endpoint that is down.
import { ApiPromise, WsProvider } from '@polkadot/api'
import { xxhashAsHex } from '@polkadot/util-crypto'
import { errorMessage } from '../../errors.js'
import { ChainCalls } from '../calls.js'
import { logger } from '../../log.js'
import { ChainError } from '../errors.js'

const log = logger('chain:substrate')

export interface ConnectionOptions {
  /** ws:// or wss:// endpoint of a Hypertensor node. */
  url: string
  /** Give up opening the first connection after this long, retrying meanwhile. Default 5 s. */
  connectTimeoutMs?: number
  /** How long a read keeps retrying through a lost connection before CHAIN_UNREACHABLE. Default 30 s. */
  retryWindowMs?: number
  /** A request with no answer fails after this long (checked every 5 s by polkadot.js); also the
   * time allowed to load the runtime metadata after connecting. Default 30 s. */
  requestTimeoutMs?: number
}

const FIRST_BACKOFF_MS = 250
const MAX_BACKOFF_MS = 4000

/** Errors that mean "the connection is gone or silent", as polkadot.js words them. */
export function isConnectionError(err: unknown): boolean {
  return /disconnected from|WebSocket is not connected|No response received from RPC endpoint|Abnormal Closure|ECONNREFUSED|ECONNRESET|socket hang up/i
    .test(errorMessage(err))
}

export function unreachable(url: string, detail: string, cause?: unknown): ChainError {
  return new ChainError('CHAIN_UNREACHABLE', `chain endpoint ${url} is unreachable: ${detail}`, {
    fix: `check that the Hypertensor node at ${url} is running and reachable, or pass another --rpc ws://host:port`,
    cause,
  })
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/** Counts every request sent on the socket (its cache is off: mesh caches per block itself). */
class CountingProvider extends WsProvider {
  constructor(url: string, timeoutMs: number, private readonly onSend: (method: string, params: unknown[]) => void) {
    super(url, false, {}, timeoutMs, 0)
  }

  override send<T = unknown>(method: string, params: unknown[], isCacheable?: boolean,
    subscription?: Parameters<WsProvider['send']>[3]): Promise<T> {
    this.onSend(method, params)
    return super.send<T>(method, params, isCacheable, subscription)
  }
}

export class ChainConnection {
  readonly url: string
  readonly api: ApiPromise
  /** Every request sent to the endpoint, by kind (the same for every view of this connection). */
  readonly calls: ChainCalls
  readonly #provider: WsProvider
  readonly #retryWindowMs: number
  #closed = false
  #backoffMs = FIRST_BACKOFF_MS
  #reconnectTimer?: NodeJS.Timeout
  /** Calls waiting for the connection, failed at once by close(). */
  readonly #waiting = new Set<(err: ChainError) => void>()

  private constructor(url: string, provider: WsProvider, api: ApiPromise, retryWindowMs: number, calls: ChainCalls) {
    this.url = url
    this.calls = calls
    this.#provider = provider
    this.api = api
    this.#retryWindowMs = retryWindowMs
    provider.on('disconnected', () => this.#onDisconnected())
    provider.on('connected', () => {
      this.#backoffMs = FIRST_BACKOFF_MS
      log.info('chain connection restored', { url })
    })
  }

  /** Connects and loads the runtime metadata, or fails with CHAIN_UNREACHABLE within `connectTimeoutMs`. */
  static async open(options: ConnectionOptions): Promise<ChainConnection> {
    const { url } = options
    if (!/^wss?:\/\/[^/]+/.test(url)) {
      throw new ChainError('CHAIN_BAD_URL', `chain endpoint ${JSON.stringify(url)} is not a ws:// or wss:// URL`, {
        fix: 'pass --rpc ws://host:port (e.g. ws://127.0.0.1:9944)',
      })
    }
    const requestTimeoutMs = options.requestTimeoutMs ?? 30_000
    const calls = new ChainCalls()
    const storageNames = new Map<string, string>()
    // autoConnect off: polkadot.js would otherwise retry forever and log every attempt.
    const provider = new CountingProvider(url, requestTimeoutMs, (method, params) => calls.count(callKind(method, params, storageNames)))
    try {
      await connectSocket(provider, url, Date.now() + (options.connectTimeoutMs ?? 5000))
      const api = new ApiPromise({ provider, noInitWarn: true })
      const connection = new ChainConnection(url, provider, api, options.retryWindowMs ?? 30_000, calls)
      try {
        await withDeadline(api.isReadyOrError, Date.now() + requestTimeoutMs,
          () => unreachable(url, `no runtime metadata within ${requestTimeoutMs / 1000} s of connecting`))
      } catch (err) {
        await connection.close()
        throw err instanceof ChainError ? err : unreachable(url, errorMessage(err), err)
      }
      for (const [name, prefix] of storagePrefixes(api)) storageNames.set(prefix, name)
      log.debug('chain connected', { url, runtime: api.runtimeVersion.specName.toString() })
      return connection
    } catch (err) {
      await provider.disconnect().catch(() => undefined)
      throw err
    }
  }

  /**
   * Runs a read, retrying with backoff while the connection is down, for up to the retry window.
   * Reads are idempotent, so running one twice is harmless.
   */
  async read<T>(what: string, call: (api: ApiPromise) => Promise<T>): Promise<T> {
    const deadline = Date.now() + this.#retryWindowMs
    let delay = FIRST_BACKOFF_MS
    for (;;) {
      await this.whenConnected(deadline, what)
      try {
        return await call(this.api)
      } catch (err) {
        if (err instanceof ChainError) throw err
        if (!isConnectionError(err)) throw new ChainError('CHAIN_READ_FAILED', `${what} failed: ${errorMessage(err)}`, { cause: err })
        if (Date.now() + delay >= deadline) throw unreachable(this.url, `${what}: ${errorMessage(err)}`, err)
        log.warn('chain read failed, retrying', { what, error: errorMessage(err), delayMs: delay })
        await sleep(delay)
        delay = Math.min(delay * 2, MAX_BACKOFF_MS)
      }
    }
  }

  /** Resolves once connected; fails with CHAIN_UNREACHABLE at `deadline`, or CHAIN_CLOSED after close(). */
  async whenConnected(deadline: number, what: string): Promise<void> {
    if (this.#closed) throw this.#closedError(what)
    if (this.#provider.isConnected) return
    const waitMs = Math.max(0, deadline - Date.now())
    await new Promise<void>((resolve, reject) => {
      const finish = (err?: ChainError): void => {
        clearTimeout(timer)
        off()
        this.#waiting.delete(finish)
        if (err === undefined) resolve()
        else reject(err)
      }
      const timer = setTimeout(() => finish(unreachable(this.url, `${what}: no connection for ${Math.round(waitMs / 1000)} s`)), waitMs)
      const off = this.#provider.on('connected', () => finish())
      this.#waiting.add(finish)
    })
  }

  /**
   * A raw JSON-RPC request, its result undecoded. For reads pinned to a block hash: polkadot.js
   * would first fetch that block's header and runtime version (two more requests a block) to pick
   * the types it decodes with.
   */
  request<T>(method: string, params: unknown[]): Promise<T> {
    return this.#provider.send<T>(method, params)
  }

  /** Calls `listener` whenever the connection drops; returns the function that stops it. */
  onDisconnected(listener: () => void): () => void {
    return this.#provider.on('disconnected', listener)
  }

  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    clearTimeout(this.#reconnectTimer)
    for (const fail of [...this.#waiting]) fail(this.#closedError('waiting for the connection'))
    await this.api.disconnect().catch(() => undefined)
  }

  #closedError(what: string): ChainError {
    return new ChainError('CHAIN_CLOSED', `${what}: the chain connection to ${this.url} is closed`)
  }

  #onDisconnected(): void {
    if (this.#closed) return
    // Warn once per outage; each further attempt is a debug line.
    if (this.#backoffMs === FIRST_BACKOFF_MS) log.warn('chain connection lost, reconnecting', { url: this.url })
    else log.debug('chain reconnect attempt failed', { url: this.url, retryInMs: this.#backoffMs })
    this.#reconnectTimer = setTimeout(() => {
      this.#provider.connect().catch(() => undefined) // a failed attempt ends in another 'disconnected'
    }, this.#backoffMs)
    this.#backoffMs = Math.min(this.#backoffMs * 2, MAX_BACKOFF_MS)
  }
}

/** `Pallet.Item` by the 32-byte prefix of its storage keys (twox128 of each name). */
function storagePrefixes(api: ApiPromise): Array<[string, string]> {
  return api.runtimeMetadata.asLatest.pallets.flatMap((pallet) => {
    if (pallet.storage.isNone) return []
    const storage = pallet.storage.unwrap()
    const palletHash = xxhashAsHex(storage.prefix.toString(), 128)
    return storage.items.map((item): [string, string] =>
      [`${storage.prefix.toString()}.${item.name.toString()}`, palletHash + xxhashAsHex(item.name.toString(), 128).slice(2)])
  })
}

/**
 * A request's kind: its JSON-RPC method, with the runtime API a `state_call` runs and the storage
 * item a storage read names (e.g. `state_getStorage Network.SubnetSlot`).
 */
function callKind(method: string, params: unknown[], storageNames: ReadonlyMap<string, string>): string {
  const first = Array.isArray(params[0]) ? params[0][0] : params[0]
  if (method === 'state_call' && typeof first === 'string') return `${method} ${first}`
  if (method.startsWith('state_') && typeof first === 'string' && /^0x[0-9a-f]{64}/i.test(first)) {
    return `${method} ${storageNames.get(first.slice(0, 66).toLowerCase()) ?? 'unknown'}`
  }
  return method
}

/** Opens the socket, retrying with backoff until `deadline`. */
async function connectSocket(provider: WsProvider, url: string, deadline: number): Promise<void> {
  let delay = FIRST_BACKOFF_MS
  let lastError = 'connection refused'
  for (;;) {
    const outcome = new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => done(false), Math.max(0, deadline - Date.now()))
      const offUp = provider.on('connected', () => done(true))
      const offDown = provider.on('disconnected', () => done(false))
      const offError = provider.on('error', (err: unknown) => { lastError = socketErrorMessage(err) ?? lastError })
      function done(up: boolean): void { clearTimeout(timer); offUp(); offDown(); offError(); resolve(up) }
    })
    await provider.connect()
    if (await outcome) return
    await provider.disconnect().catch(() => undefined)
    if (Date.now() + delay >= deadline) throw unreachable(url, lastError)
    await sleep(delay)
    delay = Math.min(delay * 2, MAX_BACKOFF_MS)
  }
}

/** The text of a WebSocket error event (an ErrorEvent, not an Error). */
function socketErrorMessage(event: unknown): string | undefined {
  if (event instanceof Error) return event.message
  const inner = (event as { error?: unknown; message?: unknown } | undefined)
  if (inner?.error instanceof Error) return inner.error.message
  return typeof inner?.message === 'string' && inner.message !== '' ? inner.message : undefined
}

function withDeadline<T>(promise: Promise<T>, deadline: number, onTimeout: () => Error): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(onTimeout()), Math.max(0, deadline - Date.now()))
    promise.then((value) => { clearTimeout(timer); resolve(value) }, (err: unknown) => { clearTimeout(timer); reject(err) })
  })
}
