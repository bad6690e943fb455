// The chain as the clock of the game: every new block becomes a tick carrying the subnet's
// epoch info. Ticks only move forward. It follows the block subscription of the chain it is given
// and keeps no watchdog or retry of its own: give it a ChainCache (src/chain/chain-cache.ts), the
// node's one follower of heads, which renews a subscription that went quiet or failed and tells
// its listeners of the block it then reads; a read that fails here waits for the next block.
import type { Chain, EpochInfo, Unsubscribe } from '../chain/chain.js'
import { errorMessage } from '../errors.js'
import { logger } from '../log.js'
import { EPOCH_KEY_KINDS, PHASES, type EpochKeyKind } from '../dht/keys.js'

const log = logger('consensus:epoch-ticker')

export type TickListener = (info: EpochInfo) => void

export interface EpochTickerInit {
  subnetId: number
}

export class EpochTicker {
  private readonly chain: Chain
  private readonly subnetId: number
  private readonly listeners = new Set<TickListener>()
  private unsubscribe: Unsubscribe | null = null
  private running = false
  private last: EpochInfo | undefined

  constructor(components: { chain: Chain }, init: EpochTickerInit) {
    this.chain = components.chain
    this.subnetId = init.subnetId
  }

  /** The latest epoch info seen, if any. */
  get latest(): EpochInfo | undefined {
    return this.last
  }

  onTick(listener: TickListener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** Starts following the chain; never throws for an unreachable chain (the next block is read). */
  start(): void {
    if (this.running) return
    this.running = true
    void this.subscribe()
    void this.read()
  }

  stop(): void {
    this.running = false
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
    try {
      const unsubscribe = await this.chain.subscribeBlocks(() => void this.read())
      if (!this.running) {
        unsubscribe()
        return
      }
      this.unsubscribe = unsubscribe
    } catch (err) {
      log.warn('cannot follow new blocks', { subnet: this.subnetId, err: errorMessage(err) })
    }
  }

  /** Reads the epoch info and emits it when it is newer than the last tick. */
  private async read(): Promise<void> {
    if (!this.running) return
    let info: EpochInfo
    try {
      info = await this.chain.epochInfo(this.subnetId)
    } catch (err) {
      log.warn('epoch info not read; waiting for the next block', { subnet: this.subnetId, err: errorMessage(err) })
      return
    }
    if (!this.running) return
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
