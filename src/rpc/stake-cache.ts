// Proof of stake through the chain, cached: a peer with stake is believed for 5 minutes, a
// peer without for 20 seconds (so a new node is let in soon after it registers). Concurrent
// questions about one peer share one chain query, so a flood of calls costs one lookup.
import type { Chain, NodeClass } from '../chain/chain.js'
import { errorMessage } from '../errors.js'
import { RPC_CODES, RpcError } from './errors.js'

export interface StakeCacheOptions {
  successTtlMs?: number
  failureTtlMs?: number
  /** Most answers kept; the oldest are forgotten first (forgetting only costs a lookup). */
  maxEntries?: number
  now?: () => number
}

export class StakeCache {
  private readonly answers = new Map<string, { staked: boolean; expiry: number }>()
  private readonly pending = new Map<string, Promise<boolean>>()
  private readonly chain: Chain
  private readonly subnetId: number
  private readonly successTtlMs: number
  private readonly failureTtlMs: number
  private readonly maxEntries: number
  private readonly now: () => number

  constructor(chain: Chain, subnetId: number, options: StakeCacheOptions = {}) {
    this.chain = chain
    this.subnetId = subnetId
    this.successTtlMs = options.successTtlMs ?? 300_000
    this.failureTtlMs = options.failureTtlMs ?? 20_000
    this.maxEntries = options.maxEntries ?? 100_000
    this.now = options.now ?? Date.now
  }

  /** The cached answer, or undefined when the chain must be asked. */
  cached(peerId: string, minClass: NodeClass): boolean | undefined {
    const key = `${minClass}/${peerId}`
    const answer = this.answers.get(key)
    if (answer === undefined) return undefined
    if (answer.expiry > this.now()) return answer.staked
    this.answers.delete(key)
    return undefined
  }

  /** Whether the peer has stake in the subnet with class ≥ minClass; RPC_STAKE_UNAVAILABLE if the chain cannot say. */
  async hasStake(peerId: string, minClass: NodeClass): Promise<boolean> {
    const cached = this.cached(peerId, minClass)
    if (cached !== undefined) return cached
    const key = `${minClass}/${peerId}`
    let query = this.pending.get(key)
    if (query === undefined) {
      query = this.ask(key, peerId, minClass)
      this.pending.set(key, query)
    }
    return query
  }

  private async ask(key: string, peerId: string, minClass: NodeClass): Promise<boolean> {
    try {
      const staked = await this.chain.proofOfStake(this.subnetId, peerId, minClass)
      if (this.answers.size >= this.maxEntries) this.answers.delete(this.answers.keys().next().value as string)
      this.answers.set(key, { staked, expiry: this.now() + (staked ? this.successTtlMs : this.failureTtlMs) })
      return staked
    } catch (err) {
      throw new RpcError(RPC_CODES.STAKE_UNAVAILABLE, `cannot check the caller's stake on chain: ${errorMessage(err)}`, { cause: err })
    } finally {
      this.pending.delete(key)
    }
  }
}
