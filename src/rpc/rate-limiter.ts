// A token bucket per peer: each call takes a token, buckets refill at `perSecond` up to `burst`.

export interface RateLimit {
  /** Sustained calls a second one peer may make. */
  perSecond: number
  /** Calls a peer may make at once after being idle. */
  burst: number
}

interface Bucket {
  tokens: number
  updated: number
}

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>()
  private readonly limit: RateLimit
  private readonly maxPeers: number
  private readonly now: () => number

  constructor(limit: RateLimit, options: { maxPeers?: number; now?: () => number } = {}) {
    if (!(limit.perSecond > 0) || !(limit.burst >= 1)) {
      throw new RangeError(`rate limit needs perSecond > 0 and burst >= 1 (got ${limit.perSecond}, ${limit.burst})`)
    }
    this.limit = limit
    this.maxPeers = options.maxPeers ?? 10_000
    this.now = options.now ?? Date.now
  }

  /** Takes a token for `peer`; false when the peer is over its limit. */
  take(peer: string): boolean {
    const now = this.now()
    let bucket = this.buckets.get(peer)
    if (bucket === undefined) {
      if (this.buckets.size >= this.maxPeers) this.evict(now)
      bucket = { tokens: this.limit.burst, updated: now }
      this.buckets.set(peer, bucket)
    } else {
      const refill = ((now - bucket.updated) * this.limit.perSecond) / 1000
      bucket.tokens = Math.min(this.limit.burst, bucket.tokens + refill)
      bucket.updated = now
    }
    if (bucket.tokens < 1) return false
    bucket.tokens -= 1
    return true
  }

  /** Forgets buckets that have refilled (forgetting them changes nothing), else the oldest. */
  private evict(now: number): void {
    const fullAfterMs = (this.limit.burst * 1000) / this.limit.perSecond
    for (const [peer, bucket] of this.buckets) {
      if (now - bucket.updated >= fullAfterMs) this.buckets.delete(peer)
    }
    if (this.buckets.size >= this.maxPeers) this.buckets.delete(this.buckets.keys().next().value as string)
  }
}
