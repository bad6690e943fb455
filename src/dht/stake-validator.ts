// Proof of stake: a storing node keeps records only of writers that are registered subnet nodes.
// Answers are cached (successes 5 min, failures 20 s, as the RPC layer does) so that a burst of
// records costs one chain query per writer.
import type { Chain, NodeClass } from '../chain/chain.js'
import { errorMessage } from '../errors.js'
import { RecordRefused } from './errors.js'
import type { RecordValidator } from './validation.js'

export interface StakeCacheInit {
  subnetId: number
  /** The lowest node class whose records are kept (default Registered: any registered node). */
  minClass?: NodeClass
  successTtlMs?: number
  failureTtlMs?: number
  /** Most writers remembered; the oldest answers are dropped first. */
  maxEntries?: number
}

export class StakeCache {
  private readonly chain: Chain
  private readonly subnetId: number
  private readonly minClass: NodeClass
  private readonly successTtlMs: number
  private readonly failureTtlMs: number
  private readonly maxEntries: number
  private readonly answers = new Map<string, { staked: Promise<boolean>; until: number }>()

  constructor(components: { chain: Chain }, init: StakeCacheInit) {
    this.chain = components.chain
    this.subnetId = init.subnetId
    this.minClass = init.minClass ?? 'Registered'
    this.successTtlMs = init.successTtlMs ?? 5 * 60_000
    this.failureTtlMs = init.failureTtlMs ?? 20_000
    this.maxEntries = init.maxEntries ?? 10_000
  }

  /** Whether `peerId` is a staked node of the subnet; a chain failure rejects (and is not cached). */
  hasStake(peerId: string, now = Date.now()): Promise<boolean> {
    const cached = this.answers.get(peerId)
    if (cached !== undefined && cached.until > now) return cached.staked
    const staked = this.chain.proofOfStake(this.subnetId, peerId, this.minClass)
    const entry = { staked, until: now + this.successTtlMs }
    this.answers.delete(peerId)
    this.answers.set(peerId, entry)
    if (this.answers.size > this.maxEntries) this.answers.delete(this.answers.keys().next().value!)
    staked.then(
      (ok) => { if (!ok) entry.until = now + this.failureTtlMs },
      () => { if (this.answers.get(peerId) === entry) this.answers.delete(peerId) },
    )
    return staked
  }
}

export function stakeValidator(components: { stake: StakeCache }): RecordValidator {
  return {
    name: 'stake',
    priority: 10,
    async validate(record, context) {
      let staked: boolean
      try {
        staked = await components.stake.hasStake(record.subkey, context.now)
      } catch (err) {
        throw new RecordRefused('DHT_NOT_STAKED', `cannot check the stake of ${record.subkey}: ${errorMessage(err)}`)
      }
      if (!staked) throw new RecordRefused('DHT_NOT_STAKED', `${record.subkey} is not a registered node of subnet ${context.subnetId}`)
    },
  }
}
