// Picks the hoster for each request: the lowest expected time to first token, from what this
// client measured of each hoster (time to first token, tokens a second, its own requests in
// flight there). What a hoster's heartbeat claims (throughput, queue) is only a hint for a
// hoster not measured yet: a claim of 1e9 tokens/s wins one request, then the measure rules.
// Hosters that fail are banned for a while, longer each time.

export interface HosterCandidate {
  peerId: string
  /** Generation tokens per second the hoster reports (0 when it has served nothing yet). */
  throughput: number
  /** Requests waiting at the hoster, as it reported. */
  queueLength: number
}

export interface RouterOptions {
  /** First ban after a failure (default 5 s); doubles with each failure in a row. */
  banMs?: number
  /** Longest ban (default 5 min). */
  maxBanMs?: number
  /** Assumed work of one queued request, in tokens, to turn a queue into waiting time (default 64). */
  tokensPerRequest?: number
  /** Round trip assumed for a hoster not measured yet (default 50 ms). */
  defaultRttMs?: number
  now?: () => number
  random?: () => number
}

interface PeerState {
  /** Smoothed round-trip time, ms. */
  rttMs?: number
  /** Smoothed time to first token this client measured, ms. */
  ttftMs?: number
  /** Smoothed generation tokens a second this client measured. */
  tokensPerSecond?: number
  inFlight: number
  failures: number
  bannedUntil: number
}

const RTT_SMOOTHING = 0.3
const SERVED_SMOOTHING = 0.3
/** Throughput assumed for a hoster that has not served yet: low enough that measured ones win. */
const UNKNOWN_THROUGHPUT = 1

export class Router {
  private readonly peers = new Map<string, PeerState>()
  private readonly banMs: number
  private readonly maxBanMs: number
  private readonly tokensPerRequest: number
  private readonly defaultRttMs: number
  private readonly now: () => number
  private readonly random: () => number

  constructor(options: RouterOptions = {}) {
    this.banMs = options.banMs ?? 5_000
    this.maxBanMs = options.maxBanMs ?? 300_000
    this.tokensPerRequest = options.tokensPerRequest ?? 64
    this.defaultRttMs = options.defaultRttMs ?? 50
    this.now = options.now ?? Date.now
    this.random = options.random ?? Math.random
  }

  /** Expected milliseconds until the first token at this hoster. */
  expectedWaitMs(candidate: HosterCandidate): number {
    const state = this.peers.get(candidate.peerId)
    if (state?.ttftMs !== undefined) {
      // Measured: the time to first token seen here, plus this client's own requests ahead.
      const throughput = state.tokensPerSecond ?? UNKNOWN_THROUGHPUT
      return state.ttftMs + (state.inFlight * this.tokensPerRequest * 1000) / throughput
    }
    const throughput = candidate.throughput > 0 ? candidate.throughput : UNKNOWN_THROUGHPUT
    const ahead = candidate.queueLength + (state?.inFlight ?? 0)
    return (state?.rttMs ?? this.defaultRttMs) + (ahead * this.tokensPerRequest * 1000) / throughput
  }

  /**
   * The best hoster not banned and not in `exclude`, or undefined. Near-equal hosters (within
   * 10%) are chosen among at random, so that equal hosters share the load.
   */
  pick(candidates: readonly HosterCandidate[], exclude: ReadonlySet<string> = new Set()): HosterCandidate | undefined {
    const now = this.now()
    const open = candidates
      .filter((c) => !exclude.has(c.peerId) && (this.peers.get(c.peerId)?.bannedUntil ?? 0) <= now)
      .map((c) => ({ c, wait: this.expectedWaitMs(c) }))
      .sort((a, b) => a.wait - b.wait)
    if (open.length === 0) return undefined
    // A hoster not measured yet is tried first (in the order its heartbeat hints), so that every
    // hoster is measured once: otherwise the first one measured keeps every request, and a
    // hoster serving something else would never be seen, nor audited.
    const unmeasured = open.filter((o) => this.peers.get(o.c.peerId)?.ttftMs === undefined)
    const pool = unmeasured.length > 0 ? unmeasured : open
    const near = pool.filter((o) => o.wait <= pool[0].wait * 1.1 + 1)
    return near[Math.floor(this.random() * near.length)].c
  }

  recordRtt(peerId: string, rttMs: number): void {
    const state = this.state(peerId)
    state.rttMs = state.rttMs === undefined ? rttMs : state.rttMs + RTT_SMOOTHING * (rttMs - state.rttMs)
  }

  /** What a request at `peerId` showed: its time to first token and, once it ended, its tokens a second. */
  recordServed(peerId: string, measured: { ttftMs: number; tokensPerSecond?: number }): void {
    const state = this.state(peerId)
    const smooth = (old: number | undefined, x: number) => (old === undefined ? x : old + SERVED_SMOOTHING * (x - old))
    if (measured.tokensPerSecond === undefined) state.ttftMs = smooth(state.ttftMs, measured.ttftMs)
    else if (Number.isFinite(measured.tokensPerSecond) && measured.tokensPerSecond > 0) state.tokensPerSecond = smooth(state.tokensPerSecond, measured.tokensPerSecond)
  }

  /** Marks a request as started at `peerId`; call the returned function when it ends. */
  begin(peerId: string): () => void {
    const state = this.state(peerId)
    state.inFlight++
    let done = false
    return () => {
      if (!done) state.inFlight--
      done = true
    }
  }

  succeeded(peerId: string): void {
    const state = this.state(peerId)
    state.failures = 0
    state.bannedUntil = 0
  }

  /** Bans `peerId` for banMs × 2^(failures in a row − 1), at most maxBanMs. */
  failed(peerId: string): number {
    const state = this.state(peerId)
    state.failures++
    const ban = Math.min(this.maxBanMs, this.banMs * 2 ** (state.failures - 1))
    state.bannedUntil = this.now() + ban
    return ban
  }

  isBanned(peerId: string): boolean {
    return (this.peers.get(peerId)?.bannedUntil ?? 0) > this.now()
  }

  private state(peerId: string): PeerState {
    let state = this.peers.get(peerId)
    if (state === undefined) {
      state = { inFlight: 0, failures: 0, bannedUntil: 0 }
      this.peers.set(peerId, state)
    }
    return state
  }
}
