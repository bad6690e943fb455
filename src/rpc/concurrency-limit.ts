// At most `max` holders per key at once; the others wait their turn in order. The RPC client
// keeps its calls to one peer's method within what the service accepts at once (libp2p resets
// the streams past a protocol's inbound limit), so a burst queues instead of failing.

interface Slots {
  active: number
  waiting: Array<() => void>
}

export class ConcurrencyLimit {
  private readonly slots = new Map<string, Slots>()

  constructor(private readonly max: number) {
    if (!Number.isInteger(max) || max < 1) throw new RangeError(`a concurrency limit must be a positive integer (got ${max})`)
  }

  /** Waits for a slot under `key`; resolves with the function that frees it (idempotent). */
  async acquire(key: string, signal: AbortSignal): Promise<() => void> {
    signal.throwIfAborted()
    let slots = this.slots.get(key)
    if (slots === undefined) {
      slots = { active: 0, waiting: [] }
      this.slots.set(key, slots)
    }
    if (slots.active >= this.max) {
      const queue = slots.waiting
      await new Promise<void>((resolve, reject) => {
        const onAbort = (): void => {
          const at = queue.indexOf(wake)
          if (at >= 0) queue.splice(at, 1)
          reject(signal.reason)
        }
        const wake = (): void => {
          signal.removeEventListener('abort', onAbort)
          resolve()
        }
        queue.push(wake)
        signal.addEventListener('abort', onAbort, { once: true })
      })
    } else {
      slots.active++
    }
    let held = true
    return () => {
      if (!held) return
      held = false
      this.release(key, slots)
    }
  }

  /** Holders and waiters under `key` (for tests and metrics). */
  load(key: string): { active: number; waiting: number } {
    const slots = this.slots.get(key)
    return { active: slots?.active ?? 0, waiting: slots?.waiting.length ?? 0 }
  }

  private release(key: string, slots: Slots): void {
    const next = slots.waiting.shift()
    if (next !== undefined) {
      next() // the slot passes straight to the next waiter
      return
    }
    slots.active--
    if (slots.active === 0) this.slots.delete(key)
  }
}
