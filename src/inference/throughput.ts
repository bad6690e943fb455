// Recent generation throughput: tokens counted in time buckets over a sliding window.

const BUCKET_MS = 250

export class ThroughputMeter {
  private readonly buckets: Array<{ start: number; tokens: number }> = []
  total = 0

  constructor(private readonly windowMs = 10_000, private readonly now: () => number = () => performance.now()) {}

  add(tokens: number): void {
    const t = this.now()
    this.total += tokens
    const last = this.buckets[this.buckets.length - 1]
    if (last !== undefined && t - last.start < BUCKET_MS) last.tokens += tokens
    else this.buckets.push({ start: t, tokens })
    this.trim(t)
  }

  /** Tokens per second over the window (0 when nothing was generated in it). */
  rate(): number {
    const t = this.now()
    this.trim(t)
    if (this.buckets.length === 0) return 0
    const tokens = this.buckets.reduce((sum, b) => sum + b.tokens, 0)
    const span = Math.max(t - this.buckets[0].start, BUCKET_MS)
    return (tokens * 1000) / span
  }

  private trim(t: number): void {
    while (this.buckets.length > 0 && t - this.buckets[0].start > this.windowMs) this.buckets.shift()
  }
}
