// The chain as the clock of the game: every new block becomes a tick carrying the subnet's
// epoch info. Robust to a slow or briefly unreachable chain: failed reads and subscriptions are
// retried with backoff, and a watchdog polls the chain so that a subscription that went quiet
// is noticed and replaced. Ticks only move forward.
import type { Chain, EpochInfo, Unsubscribe } from '../chain/chain.js'
import { errorMessage } from '../errors.js'
import { logger } from '../log.js'
import { EPOCH_KEY_KINDS, PHASES, type EpochKeyKind } from '../dht/keys.js'

const log = logger('consensus:epoch-ticker')

export type TickListener = (info: EpochInfo) => void

export interface EpochTickerInit {
  subnetId: number
  /** First retry delay after a failure; doubles up to `maxRetryMs`. */
  retryMs?: number
  maxRetryMs?: number
  /** How often the watchdog reads the chain itself (default: 2 block times, at least 1 s). */
  watchdogMs?: number
}

export class EpochTicker {
  private readonly chain: Chain
  private readonly subnetId: number
  private readonly retryMs: number
  private readonly maxRetryMs: number
  private readonly watchdogMs: number
  private readonly listeners = new Set<TickListener>()
  private unsubscribe: Unsubscribe | null = null
  private watchdog: NodeJS.Timeout | null = null
  private readonly retryTimers = new Map<string, NodeJS.Timeout>()
  private failures = 0
  private running = false
  private last: EpochInfo | undefined
  /** The last block the subscription delivered, and when. */
  private delivered = { block: -1, at: Date.now() }

  constructor(components: { chain: Chain }, init: EpochTickerInit) {
    this.chain = components.chain
    this.subnetId = init.subnetId
    this.retryMs = init.retryMs ?? 500
    this.maxRetryMs = init.maxRetryMs ?? 30_000
    this.watchdogMs = init.watchdogMs ?? Math.max(1000, 2 * components.chain.blockTimeMs)
  }

  /** The latest epoch info seen, if any. */
  get latest(): EpochInfo | undefined {
    return this.last
  }

  onTick(listener: TickListener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** Starts following the chain; never throws for an unreachable chain (it keeps retrying). */
  start(): void {
    if (this.running) return
    this.running = true
    void this.subscribe()
    void this.read()
    this.watchdog = setInterval(() => void this.read(true), this.watchdogMs)
  }

  stop(): void {
    this.running = false
    if (this.watchdog !== null) clearInterval(this.watchdog)
    for (const timer of this.retryTimers.values()) clearTimeout(timer)
    this.watchdog = null
    this.retryTimers.clear()
    this.dropSubscription()
  }

  /** Resolves with the first tick whose info satisfies `predicate` (e.g. a progress reached). */
  waitFor(predicate: (info: EpochInfo) => boolean, signal?: AbortSignal): Promise<EpochInfo> {
    if (this.last !== undefined && predicate(this.last)) return Promise.resolve(this.last)
    return new Promise((resolve, reject) => {
      const off = this.onTick((info) => {
        if (!predicate(info)) return
        off()
        signal?.removeEventListener('abort', onAbort)
        resolve(info)
      })
      const onAbort = () => {
        off()
        reject(signal!.reason)
      }
      signal?.addEventListener('abort', onAbort, { once: true })
    })
  }

  private dropSubscription(): void {
    const unsubscribe = this.unsubscribe
    this.unsubscribe = null
    try {
      unsubscribe?.()
    } catch (err) {
      log.debug('unsubscribe failed', { err: errorMessage(err) })
    }
  }

  private async subscribe(): Promise<void> {
    if (!this.running) return
    try {
      const unsubscribe = await this.chain.subscribeBlocks((block) => {
        this.delivered = { block, at: Date.now() }
        void this.read()
      })
      if (!this.running) {
        unsubscribe()
        return
      }
      this.dropSubscription()
      this.unsubscribe = unsubscribe
    } catch (err) {
      this.scheduleRetry('subscribe', err, () => this.subscribe())
    }
  }

  private scheduleRetry(what: string, err: unknown, again: () => Promise<void>): void {
    if (!this.running) return
    const delay = Math.min(this.maxRetryMs, this.retryMs * 2 ** Math.min(this.failures, 16))
    this.failures++
    log.warn('chain unreachable, retrying', { subnet: this.subnetId, what, retryMs: delay, err: errorMessage(err) })
    clearTimeout(this.retryTimers.get(what))
    const timer = setTimeout(() => {
      this.retryTimers.delete(what)
      void again()
    }, delay)
    this.retryTimers.set(what, timer)
  }

  /** Reads the epoch info and emits it when it is newer than the last tick. */
  private async read(fromWatchdog = false): Promise<void> {
    if (!this.running) return
    let info: EpochInfo
    try {
      info = await this.chain.epochInfo(this.subnetId)
    } catch (err) {
      this.scheduleRetry('epoch info', err, () => this.read())
      return
    }
    this.failures = 0
    if (!this.running) return
    if (!fromWatchdog && info.block > this.delivered.block) this.delivered = { block: info.block, at: Date.now() }
    if (fromWatchdog && info.block > this.delivered.block && Date.now() - this.delivered.at > this.watchdogMs) {
      // The watchdog saw a block the subscription has not delivered for a while: it went quiet.
      this.delivered = { block: info.block, at: Date.now() }
      log.warn('block subscription stalled, resubscribing', { subnet: this.subnetId, block: info.block, lastTick: this.last?.block })
      void this.subscribe()
    }
    if (this.last !== undefined && info.block <= this.last.block) return
    this.last = info
    for (const listener of this.listeners) {
      try {
        listener(info)
      } catch (err) {
        log.error('tick listener failed', { err: errorMessage(err) })
      }
    }
  }
}

/** Seconds until the epoch's progress next reaches `fraction` (this epoch when ahead, else the next). */
export function secondsUntil(info: EpochInfo, fraction: number, blockTimeMs: number): number {
  const index = info.epochLength - info.blocksRemaining
  const target = Math.ceil(fraction * info.epochLength - 1e-9)
  const blocks = target > index ? target - index : info.epochLength - index + target
  return (blocks * blockTimeMs) / 1000
}

/** Seconds until each phase window of the game next opens and closes, from `info`. */
export function phaseSchedule(info: EpochInfo, blockTimeMs: number): Record<EpochKeyKind, { opensIn: number; closesIn: number }> {
  const out = {} as Record<EpochKeyKind, { opensIn: number; closesIn: number }>
  for (const kind of EPOCH_KEY_KINDS) {
    const { start, end } = PHASES[kind]
    out[kind] = { opensIn: secondsUntil(info, start, blockTimeMs), closesIn: secondsUntil(info, end, blockTimeMs) }
  }
  return out
}
