// A client of the local chain server that implements the Chain interface, so that a node uses the
// shared local chain exactly as it uses the in-process one or the real chain. Writes are signed by the
// bound hotkey or coldkey. The connection comes back by itself with backoff; a call that cannot be
// answered in time fails with CHAIN_UNREACHABLE instead of hanging.
import type { KeyringPair } from '@polkadot/keyring/types'
import { cryptoWaitReady } from '@polkadot/util-crypto'
import WebSocket from 'ws'
import { errorMessage } from '../../errors.js'
import { logger, type Logger } from '../../log.js'
import type {
  Chain, ConsensusEntry, ConsensusSubmission, EpochInfo, NodeClass, RegisterNodeParams, RegisterSubnetParams,
  SubnetInfo, SubnetNode, TxReceipt, Unsubscribe,
} from '../chain.js'
import { ChainCalls } from '../calls.js'
import { ChainError } from '../errors.js'
import { SIGNER_OF, type WriteMethod } from './dispatch.js'
import { fromJson, toJson } from './json.js'
import { noSigner } from './local-chain.js'
import { freshNonce, fromWireError, signPayload, type Hello, type ReadMethod, type Request, type WireError } from './wire.js'

export interface LocalChainClientOptions {
  /** ws://host:port of a `mesh chain local` server. */
  url: string
  hotkey?: KeyringPair
  coldkey?: KeyringPair
  /** How long a call may wait for an answer, reconnecting included (default 10 s). */
  timeoutMs?: number
  log?: Logger
}

interface Pending {
  build: (id: number) => Request
  /** Reads are resent after a reconnect; a write that was sent is never sent twice. */
  idempotent: boolean
  sentOn?: WebSocket
  resolve: (value: unknown) => void
  reject: (err: Error) => void
  timer: NodeJS.Timeout
}

const MAX_BACKOFF_MS = 5000

export class LocalChainClient implements Chain {
  readonly hotkey?: string
  readonly url: string
  /** Every request sent to the server, by kind (`read subnetNodes`, `write attest`, `subscribe`). */
  readonly calls = new ChainCalls()
  private readonly hotkeyPair?: KeyringPair
  private readonly coldkeyPair?: KeyringPair
  private readonly timeoutMs: number
  private readonly log: Logger
  private readonly pending = new Map<number, Pending>()
  private readonly listeners = new Set<(block: number) => void>()
  private nextId = 1
  private socket?: WebSocket
  private hello?: Hello
  private subscribedOn?: WebSocket
  private lastBlock?: number
  private attempts = 0
  private reconnectTimer?: NodeJS.Timeout
  private closed = false

  private constructor(options: LocalChainClientOptions) {
    this.url = options.url
    this.hotkeyPair = options.hotkey
    this.coldkeyPair = options.coldkey
    this.hotkey = options.hotkey?.address
    this.timeoutMs = options.timeoutMs ?? 10_000
    this.log = options.log ?? logger('chain:client')
  }

  /** Connects (once: a server that is down fails at once with CHAIN_UNREACHABLE). */
  static async connect(options: LocalChainClientOptions): Promise<LocalChainClient> {
    await cryptoWaitReady()
    const client = new LocalChainClient(options)
    await client.open()
    client.log.info('connected', { url: client.url, chainId: client.hello?.chainId, block: client.hello?.block })
    return client
  }

  get blockTimeMs(): number {
    return this.hello!.blockTimeMs
  }

  epochLength(): Promise<number> { return this.read('epochLength') }
  blockNumber(): Promise<number> { return this.read('blockNumber') }
  epochInfo(subnetId: number): Promise<EpochInfo> { return this.read('epochInfo', subnetId) }
  subnet(subnetId: number): Promise<SubnetInfo | null> { return this.read('subnet', subnetId) }
  subnetNodes(subnetId: number): Promise<SubnetNode[]> { return this.read('subnetNodes', subnetId) }
  nodeIdOf(subnetId: number, hotkey: string): Promise<number | null> { return this.read('nodeIdOf', subnetId, hotkey) }
  proofOfStake(subnetId: number, peerId: string, minClass?: NodeClass): Promise<boolean> {
    return minClass === undefined ? this.read('proofOfStake', subnetId, peerId) : this.read('proofOfStake', subnetId, peerId, minClass)
  }
  electedValidator(subnetId: number, epoch: number): Promise<number | null> { return this.read('electedValidator', subnetId, epoch) }
  consensusSubmission(subnetId: number, epoch: number): Promise<ConsensusSubmission | null> { return this.read('consensusSubmission', subnetId, epoch) }

  blockHash(height: number): Promise<Uint8Array> { return this.read('blockHash', height) }

  async proposeAttestation(subnetId: number, data: ConsensusEntry[], args?: Uint8Array): Promise<TxReceipt> {
    return receipt(await this.write('proposeAttestation', args === undefined ? [subnetId, data] : [subnetId, data, args]))
  }

  async attest(subnetId: number): Promise<TxReceipt> {
    return receipt(await this.write('attest', [subnetId]))
  }

  async registerSubnet(params: RegisterSubnetParams): Promise<number> {
    return (await this.write('registerSubnet', [params])).value!
  }

  async activateSubnet(subnetId: number): Promise<TxReceipt> {
    return receipt(await this.write('activateSubnet', [subnetId]))
  }

  async registerSubnetNode(params: RegisterNodeParams): Promise<number> {
    return (await this.write('registerSubnetNode', [params])).value!
  }

  async addStake(subnetId: number, nodeId: number, hotkey: string, amount: bigint): Promise<TxReceipt> {
    return receipt(await this.write('addStake', [subnetId, nodeId, hotkey, amount]))
  }

  async removeStake(subnetId: number, amount: bigint): Promise<TxReceipt> {
    if (this.hotkey === undefined) throw noSigner('hotkey', 'removeStake')
    return receipt(await this.write('removeStake', [subnetId, this.hotkey, amount]))
  }

  async subscribeBlocks(onBlock: (block: number) => void): Promise<Unsubscribe> {
    this.listeners.add(onBlock)
    const unsubscribe = (): void => { this.listeners.delete(onBlock) }
    try {
      if (this.subscribedOn === undefined || this.subscribedOn !== this.socket) await this.subscribe()
    } catch (err) {
      unsubscribe()
      throw err
    }
    return unsubscribe
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    clearTimeout(this.reconnectTimer)
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer)
      p.reject(new ChainError('CHAIN_CLOSED', 'the chain client was closed'))
      this.pending.delete(id)
    }
    this.listeners.clear()
    const socket = this.socket
    this.socket = undefined
    if (socket !== undefined && socket.readyState !== WebSocket.CLOSED) {
      await new Promise<void>((resolve) => {
        socket.once('close', () => resolve())
        socket.close()
        setTimeout(() => { socket.terminate(); resolve() }, 1000).unref()
      })
    }
  }

  // --- calls -----------------------------------------------------------------------------------

  private read<T>(method: ReadMethod, ...args: unknown[]): Promise<T> {
    this.calls.count(`read ${method}`)
    return this.call((id) => ({ id, type: 'read', method, args }), true) as Promise<T>
  }

  private async write(method: WriteMethod, args: unknown[]): Promise<{ block: number; value?: number }> {
    const key = SIGNER_OF[method]
    const pair = key === 'hotkey' ? this.hotkeyPair : this.coldkeyPair
    if (pair === undefined) throw noSigner(key, method)
    this.calls.count(`write ${method}`)
    // Signed when sent, so that it names the chain the socket is connected to.
    return this.call((id) => {
      const payload = { chainId: this.hello!.chainId, method, args, signer: pair.address, nonce: freshNonce(), time: Date.now() }
      return { id, type: 'write', ...signPayload(pair, payload, toJson) }
    }, false) as Promise<{ block: number; value?: number }>
  }

  private async subscribe(): Promise<void> {
    this.calls.count('subscribe')
    const { block } = await this.call((id) => ({ id, type: 'subscribe' }), true) as { block: number }
    this.subscribedOn = this.socket
    this.lastBlock ??= block
  }

  private call(build: (id: number) => Request, idempotent: boolean): Promise<unknown> {
    if (this.closed) return Promise.reject(new ChainError('CHAIN_CLOSED', 'the chain client was closed'))
    const id = this.nextId++
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id)
        reject(this.unreachable(`no answer within ${this.timeoutMs} ms`))
      }, this.timeoutMs)
      this.pending.set(id, { build, idempotent, resolve, reject, timer })
      this.flush()
    })
  }

  /** Sends what waits to be sent, once the socket is open and greeted. */
  private flush(): void {
    const socket = this.socket
    if (socket === undefined || socket.readyState !== WebSocket.OPEN || this.hello === undefined) return
    for (const [id, p] of this.pending) {
      if (p.sentOn === socket) continue
      p.sentOn = socket
      socket.send(toJson(p.build(id)))
    }
  }

  // --- connection ------------------------------------------------------------------------------

  private open(): Promise<void> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(this.url, { handshakeTimeout: this.timeoutMs, maxPayload: 16 << 20 })
      const helloId = this.nextId++
      let greeted = false
      socket.on('open', () => socket.send(toJson({ id: helloId, type: 'hello' } satisfies Request)))
      socket.on('message', (data) => {
        let message: Record<string, unknown>
        try {
          message = fromJson(data.toString()) as Record<string, unknown>
        } catch {
          return
        }
        if (message.id === helloId && !greeted) {
          greeted = true
          this.greet(socket, message.result as Hello)
          resolve()
          return
        }
        this.receive(message)
      })
      socket.on('error', (err) => {
        if (!greeted) reject(this.unreachable(errorMessage(err)))
      })
      socket.on('close', () => {
        if (!greeted) reject(this.unreachable('the connection closed'))
        if (this.socket === socket) this.lost(socket)
      })
    })
  }

  private greet(socket: WebSocket, hello: Hello): void {
    if (this.hello !== undefined && this.hello.chainId !== hello.chainId) this.lastBlock = undefined
    this.hello = hello
    this.socket = socket
    this.attempts = 0
    if (this.listeners.size > 0) void this.subscribe().catch((err) => this.log.warn('resubscribe failed', { error: errorMessage(err) }))
    this.flush()
  }

  private receive(message: Record<string, unknown>): void {
    if (message.type === 'block' && typeof message.block === 'number') {
      this.deliver(message.block)
      return
    }
    const p = typeof message.id === 'number' ? this.pending.get(message.id) : undefined
    if (p === undefined) return
    this.pending.delete(message.id as number)
    clearTimeout(p.timer)
    if (message.error !== undefined) p.reject(fromWireError(message.error as WireError))
    else p.resolve(message.result)
  }

  /** Hands each block since the last one to the listeners, in order (gaps from a reconnect filled). */
  private deliver(block: number): void {
    const from = this.lastBlock === undefined || block - this.lastBlock > 1000 ? block : this.lastBlock + 1
    for (let b = from; b <= block; b++) {
      for (const listener of [...this.listeners]) {
        try {
          listener(b)
        } catch (err) {
          this.log.warn('block listener failed', { block: b, error: errorMessage(err) })
        }
      }
    }
    if (this.lastBlock === undefined || block > this.lastBlock) this.lastBlock = block
  }

  private lost(socket: WebSocket): void {
    this.socket = undefined
    this.subscribedOn = undefined
    for (const [id, p] of this.pending) {
      if (p.sentOn !== socket) continue
      if (p.idempotent) {
        p.sentOn = undefined
        continue
      }
      this.pending.delete(id)
      clearTimeout(p.timer)
      p.reject(this.unreachable('the connection dropped after the call was sent; it may or may not have been applied'))
    }
    if (this.closed) return
    if (this.attempts === 0) this.log.warn('connection lost; reconnecting', { url: this.url })
    this.reconnect()
  }

  private reconnect(): void {
    const delay = Math.min(MAX_BACKOFF_MS, 100 * 2 ** this.attempts)
    if (this.attempts > 0) this.log.info('reconnecting', { url: this.url, attempt: this.attempts + 1, retryMs: delay })
    this.attempts++
    this.reconnectTimer = setTimeout(() => {
      if (this.closed) return
      this.open().then(
        () => this.log.info('reconnected', { url: this.url }),
        () => this.reconnect(),
      )
    }, delay)
    this.reconnectTimer.unref()
  }

  private unreachable(reason: string): ChainError {
    const port = /:(\d+)/.exec(this.url.replace(/^ws:\/\//, ''))?.[1] ?? '9944'
    return new ChainError('CHAIN_UNREACHABLE', `the local chain at ${this.url} is unreachable: ${reason}`, {
      fix: `start one with \`mesh chain local --port ${port}\`, or point --local_chain at a running chain`,
    })
  }
}

function receipt(result: { block: number }): TxReceipt {
  return { block: result.block }
}
