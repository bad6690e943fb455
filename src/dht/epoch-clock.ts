// The chain's epoch clock for one subnet, read once per block: storing nodes judge every record's
// phase against it without a chain call per record. It follows the block subscription of the chain
// it is given and keeps no watchdog of its own: give it a ChainCache (src/chain/chain-cache.ts),
// the node's one follower of heads, whose watchdog notices a subscription that went quiet, reads the
// block from the chain and tells its listeners, so that no storing node judges phases on a stale block.
import type { Chain, EpochInfo, Unsubscribe } from '../chain/chain.js'
import { errorMessage } from '../errors.js'
import { logger } from '../log.js'

const log = logger('dht:epoch-clock')

export interface EpochClockInit {
  subnetId: number
}

export class EpochClock {
  private readonly chain: Chain
  private readonly subnetId: number
  private current: Promise<EpochInfo> | null = null
  private unsubscribe: Unsubscribe | null = null
  private highest: number | undefined

  constructor(components: { chain: Chain }, init: EpochClockInit) {
    this.chain = components.chain
    this.subnetId = init.subnetId
  }

  /** Follows new blocks; until started, every `now()` reads the chain. */
  async start(): Promise<void> {
    if (this.unsubscribe !== null) return
    this.unsubscribe = await this.chain.subscribeBlocks((block) => {
      this.current = null
      this.seen(block)
    })
  }

  stop(): void {
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
}
