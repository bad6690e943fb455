// The chain's epoch clock for one subnet, read once per block: storing nodes judge every record's
// phase against it without a chain call per record. A watchdog reads the chain itself, as the
// game's ticker does: a block subscription that went quiet is noticed, the clock re-read from the
// chain, and the subscription replaced, so that no storing node judges phases on a stale block.
import type { Chain, EpochInfo, Unsubscribe } from '../chain/chain.js'
import { errorMessage } from '../errors.js'
import { logger } from '../log.js'

const log = logger('dht:epoch-clock')

export interface EpochClockInit {
  subnetId: number
  /** How often the watchdog reads the chain itself (default: 2 block times, at least 1 s). */
  watchdogMs?: number
}

export class EpochClock {
  private readonly chain: Chain
  private readonly subnetId: number
  private readonly watchdogMs: number
  private current: Promise<EpochInfo> | null = null
  private unsubscribe: Unsubscribe | null = null
  private watchdog: NodeJS.Timeout | null = null
  /** The last block the subscription delivered, and when. */
  private delivered = { block: -1, at: Date.now() }
  private highest: number | undefined

  constructor(components: { chain: Chain }, init: EpochClockInit) {
    this.chain = components.chain
    this.subnetId = init.subnetId
    this.watchdogMs = init.watchdogMs ?? Math.max(1000, 2 * components.chain.blockTimeMs)
  }

  /** Follows new blocks; until started, every `now()` reads the chain. */
  async start(): Promise<void> {
    if (this.unsubscribe !== null) return
    this.unsubscribe = await this.subscribe()
    this.watchdog = setInterval(() => void this.check(), this.watchdogMs)
    this.watchdog.unref()
  }

  stop(): void {
    if (this.watchdog !== null) clearInterval(this.watchdog)
    this.watchdog = null
    this.unsubscribe?.()
    this.unsubscribe = null
    this.current = null
  }

  /** The clock at the latest block this node has seen. */
  now(): Promise<EpochInfo> {
    if (this.current !== null && this.unsubscribe !== null) return this.current
    const reading = this.chain.epochInfo(this.subnetId)
    this.current = reading
    reading.then((info) => this.seen(info.block), (err: unknown) => {
      log.warn('epoch clock read failed', { subnet: this.subnetId, err: errorMessage(err) })
      if (this.current === reading) this.current = null
    })
    return reading
  }

  get blockTimeMs(): number {
    return this.chain.blockTimeMs
  }

  /** The highest block this clock has seen (from a read or a new block), for callers that cannot wait. */
  get latestBlock(): number | undefined {
    return this.highest
  }

  private seen(block: number): void {
    if (this.highest === undefined || block > this.highest) this.highest = block
  }

  private subscribe(): Promise<Unsubscribe> {
    return this.chain.subscribeBlocks((block) => {
      this.delivered = { block, at: Date.now() }
      this.current = null
      this.seen(block)
    })
  }

  /** The watchdog's read: a newer block than the subscription delivered, for a while, means it went quiet. */
  private async check(): Promise<void> {
    let info: EpochInfo
    try {
      info = await this.chain.epochInfo(this.subnetId)
    } catch (err) {
      log.debug('watchdog read failed', { subnet: this.subnetId, err: errorMessage(err) })
      return
    }
    if (this.unsubscribe === null) return
    if (this.delivered.block < 0) this.delivered = { block: info.block, at: Date.now() }
    if (info.block <= this.delivered.block || Date.now() - this.delivered.at <= this.watchdogMs) return
    log.warn('block subscription stalled: re-read the clock, resubscribing', { subnet: this.subnetId, block: info.block, lastDelivered: this.delivered.block })
    this.delivered = { block: info.block, at: Date.now() }
    this.current = Promise.resolve(info)
    this.seen(info.block)
    try {
      const fresh = await this.subscribe()
      if (this.unsubscribe === null) {
        fresh()
        return
      }
      this.unsubscribe()
      this.unsubscribe = fresh
    } catch (err) {
      log.warn('resubscribing failed; the watchdog tries again', { subnet: this.subnetId, err: errorMessage(err) })
    }
  }
}
