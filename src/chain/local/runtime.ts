// The local chain itself: the state, the block clock (a timer, or `advance` by hand), block
// listeners, and persistence. Views bound to accounts (LocalChain) and the server sit on top.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { logger, type Logger } from '../../log.js'
import { errorMessage } from '../../errors.js'
import { ChainError } from '../errors.js'
import { normalizeAddress } from './address.js'
import type { CallEvent } from './calls.js'
import { dispatch, type WriteCall } from './dispatch.js'
import { produceBlock } from './hooks.js'
import { fromJson, toJson } from './json.js'
import type { ChainParams } from './params.js'
import { GENESIS_BALANCE, genesisState, type ChainState, type GenesisOptions } from './state.js'

export interface LocalChainRuntimeOptions extends GenesisOptions {
  /** A JSON file the state is loaded from when it exists, and saved to (atomically) on every change. */
  statePath?: string
  /** Overrides the block time of a loaded state (the clock's pace may change across restarts; the epoch length may not). */
  blockTimeMs?: number
  log?: Logger
}

export interface ExecuteResult {
  block: number
  value?: number
}

const INFO_EVENTS = new Set(['Epoch', 'ValidatorSubmission', 'Attestation', 'SubnetRewards', 'Slashing', 'ValidatorAbsent',
  'NodeClassGraduation', 'SubnetNodeRemoved', 'SubnetNodeActivated', 'SubnetRegistered', 'SubnetActivated', 'SubnetNodeRegistered'])

export class LocalChainRuntime {
  private state: ChainState
  private readonly statePath?: string
  private readonly log: Logger
  private readonly listeners = new Set<(block: number) => void>()
  private timer?: NodeJS.Timeout

  constructor(options: LocalChainRuntimeOptions = {}) {
    this.log = options.log ?? logger('chain:local')
    this.statePath = options.statePath
    this.state = options.statePath !== undefined && existsSync(options.statePath)
      ? loadState(options.statePath)
      : genesisState(options)
    if (options.blockTimeMs !== undefined) this.state.params.blockTimeMs = options.blockTimeMs
    this.save()
  }

  get params(): Readonly<ChainParams> {
    return this.state.params
  }

  get block(): number {
    return this.state.block
  }

  get chainId(): string {
    return this.state.chainId
  }

  /** Reads run against this; callers must not mutate it. */
  snapshot(): Readonly<ChainState> {
    return this.state
  }

  /** Applies a signed call in the current block; a refused call changes nothing. */
  execute(origin: string, call: WriteCall): ExecuteResult {
    const signer = normalizeAddress(origin, 'signer')
    const { value, event } = dispatch(this.state, signer, call)
    this.emit(event)
    this.save()
    return value === undefined ? { block: this.state.block } : { block: this.state.block, value }
  }

  /** Produces `count` blocks now, running each block's hooks and notifying listeners. */
  advance(count = 1): void {
    for (let i = 0; i < count; i++) {
      const events = produceBlock(this.state)
      this.log.debug('block', { block: this.state.block })
      for (const event of events) this.emit(event)
      this.save()
      for (const listener of [...this.listeners]) {
        try {
          listener(this.state.block)
        } catch (err) {
          this.log.warn('block listener failed', { block: this.state.block, error: errorMessage(err) })
        }
      }
    }
  }

  /** Produces a block every `blockTimeMs` until `stop`. */
  start(): void {
    if (this.timer !== undefined) return
    this.timer = setInterval(() => this.advance(1), this.state.params.blockTimeMs)
  }

  stop(): void {
    clearInterval(this.timer)
    this.timer = undefined
  }

  onBlock(listener: (block: number) => void): () => void {
    this.listeners.add(listener)
    return () => { this.listeners.delete(listener) }
  }

  /** Credits an account (dev funding: the local chain's faucet). */
  fund(address: string, amount = GENESIS_BALANCE): void {
    const account = normalizeAddress(address)
    this.state.balances[account] = (this.state.balances[account] ?? 0n) + amount
    this.save()
  }

  balance(address: string): bigint {
    return this.state.balances[normalizeAddress(address)] ?? 0n
  }

  private emit(event: CallEvent): void {
    if (INFO_EVENTS.has(event.name)) this.log.info(event.name, event.fields)
    else this.log.debug(event.name, event.fields)
  }

  private save(): void {
    if (this.statePath === undefined) return
    const tmp = `${this.statePath}.tmp`
    writeFileSync(tmp, toJson(this.state, 1))
    renameSync(tmp, this.statePath)
  }
}

function loadState(path: string): ChainState {
  let state: unknown
  try {
    state = fromJson(readFileSync(path, 'utf8'))
  } catch (err) {
    throw new ChainError('CHAIN_STATE_INVALID', `cannot read the local chain state ${path}: ${errorMessage(err)}`, {
      fix: 'restore the file or start a fresh chain with another --state path',
    })
  }
  if (typeof state !== 'object' || state === null || (state as ChainState).version !== 1 || typeof (state as ChainState).block !== 'number') {
    throw new ChainError('CHAIN_STATE_INVALID', `${path} is not a local chain state file`, { fix: 'start a fresh chain with another --state path' })
  }
  return state as ChainState
}
