// A value a client reads from the network (the hosters' heartbeats, their eligibility) and
// routes every request by. Reading it takes DHT quorum rounds and chain queries (1–3 s), so a
// request waits only for the very first reading; after that it takes the last one as it is, and
// the next reading is started behind the request (`refresh`), at most once per interval. A
// reading older than `maxAgeMs` (a client idle for a while) is not routed by: the request waits
// for the next, so that a hoster zeroed or gone since is not chosen from an old list.
export interface RefreshedOptions {
  /** How long one reading is used before the next is started. */
  refreshMs: number
  /** The oldest reading a request takes without waiting for the next (default 6 × refreshMs, at least 30 s). */
  maxAgeMs?: number
  now: () => number
}

/** The default oldest reading routed by is never under this, however short the refresh interval. */
const MIN_MAX_AGE_MS = 30_000

export class Refreshed<T> {
  private reading?: { at: number; value: Promise<T> }
  /** The last reading that arrived. */
  private last?: { at: number; value: T }

  /** `read` gets the last reading (undefined before the first), to carry over what it must. */
  constructor(private readonly read: (last: T | undefined) => Promise<T>, private readonly options: RefreshedOptions) {}

  /** The last reading, starting the next one when it is older than the interval. */
  get(): Promise<T> {
    this.refresh()
    return this.current()
  }

  /**
   * The last reading, without starting another: what a request routes by, so that no reading
   * competes with its first token. Only before any has arrived, or when the last is older than
   * `maxAgeMs`, does it read, and wait (falling back to the old one if that read fails).
   */
  async current(): Promise<T> {
    const maxAgeMs = this.options.maxAgeMs ?? Math.max(6 * this.options.refreshMs, MIN_MAX_AGE_MS)
    const last = this.last
    if (last !== undefined && this.options.now() - last.at <= maxAgeMs) return last.value
    this.refresh()
    // An old reading is still better than none when the next cannot be read.
    return last === undefined ? this.reading!.value : this.reading!.value.catch(() => last.value)
  }

  /** Starts the next reading when the last one started is older than the interval, or failed. */
  refresh(): void {
    const now = this.options.now()
    if (this.reading !== undefined && now - this.reading.at < this.options.refreshMs) return
    const value = this.read(this.last?.value)
    this.reading = { at: now, value }
    value.then((arrived) => {
      if (this.last === undefined || this.last.at < now) this.last = { at: now, value: arrived }
    }, () => {
      // A failed reading is retried by the next call; the last one that arrived is kept meanwhile.
      if (this.reading?.value === value) this.reading = undefined
    })
  }
}
