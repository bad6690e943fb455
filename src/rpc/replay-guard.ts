// Remembers request nonces for a while so that a captured request cannot be played again.
// A request is only accepted within the clock-skew window of its own time, so keeping nonces
// for longer than twice that window (3 min against ±60 s) closes the replay window entirely.

export interface ReplayGuardOptions {
  /** How long a nonce is remembered (default 3 min). */
  ttlMs?: number
  /** Most nonces held at once; when full, new requests are refused rather than forgetting early. */
  maxEntries?: number
  now?: () => number
}

export class ReplayGuard {
  // Insertion order is arrival order and the TTL is fixed, so expiries are ascending.
  private readonly expiries = new Map<string, number>()
  private readonly ttlMs: number
  private readonly maxEntries: number
  private readonly now: () => number

  constructor(options: ReplayGuardOptions = {}) {
    this.ttlMs = options.ttlMs ?? 180_000
    this.maxEntries = options.maxEntries ?? 500_000
    this.now = options.now ?? Date.now
  }

  get size(): number {
    return this.expiries.size
  }

  /**
   * Remembers a caller's nonce. 'replay' when it is remembered already, 'full' when the guard
   * holds `maxEntries` (the request must then be refused), else 'fresh'.
   */
  remember(caller: string, nonce: Uint8Array): 'fresh' | 'replay' | 'full' {
    const now = this.now()
    this.prune(now)
    const k = key(caller, nonce)
    if (this.expiries.has(k)) return 'replay'
    if (this.expiries.size >= this.maxEntries) return 'full'
    this.expiries.set(k, now + this.ttlMs)
    return 'fresh'
  }

  /** Forgets a nonce remembered for a request that turned out unauthentic. */
  forget(caller: string, nonce: Uint8Array): void {
    this.expiries.delete(key(caller, nonce))
  }

  private prune(now: number): void {
    for (const [nonce, expiry] of this.expiries) {
      if (expiry > now) return
      this.expiries.delete(nonce)
    }
  }
}

function key(caller: string, nonce: Uint8Array): string {
  return caller + Buffer.from(nonce.buffer, nonce.byteOffset, nonce.byteLength).toString('latin1')
}
