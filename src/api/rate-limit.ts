// A token bucket per caller: `burst` calls at once, refilled at `perSecond`.
export interface RateLimit {
  perSecond: number
  burst: number
}

export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>()

  constructor(private readonly limit: RateLimit, private readonly now: () => number = Date.now) {}

  /** Takes one token for `caller`; returns 0 when allowed, else the seconds until one is free. */
  take(caller: string): number {
    const now = this.now()
    const bucket = this.buckets.get(caller) ?? { tokens: this.limit.burst, at: now }
    bucket.tokens = Math.min(this.limit.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.limit.perSecond)
    bucket.at = now
    this.buckets.set(caller, bucket)
    if (this.buckets.size > 100_000) this.evictFull(now)
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1
      return 0
    }
    return (1 - bucket.tokens) / this.limit.perSecond
  }

  /** Forgets callers whose bucket has refilled: they are indistinguishable from new ones. */
  private evictFull(now: number): void {
    for (const [caller, b] of this.buckets) {
      if (b.tokens + ((now - b.at) / 1000) * this.limit.perSecond >= this.limit.burst) this.buckets.delete(caller)
    }
  }
}
