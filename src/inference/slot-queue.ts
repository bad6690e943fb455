// A pool of reusable slots (context sequences) handed out by priority, then arrival order.
// Waiting is bounded: when the queue is full, a request of better priority than the worst
// waiting one takes its place (that one fails with QUEUE_FULL), so client load never locks
// the epoch challenge out; otherwise the new request fails with QUEUE_FULL.
import { InferenceError } from './errors.js'
import { Priority } from './engine.js'

interface Waiter<T> {
  priority: Priority
  resolve(slot: T): void
  reject(err: Error): void
}

export class SlotQueue<T> {
  private readonly free: T[]
  private readonly waiters: Array<Waiter<T>> = []
  private closedWith?: Error

  constructor(slots: T[], private readonly maxWaiting: number) {
    this.free = [...slots]
  }

  get waiting(): number {
    return this.waiters.length
  }

  /**
   * A free slot, now or when one is released; give it back with `release`. With `prefer`, the
   * free slot it scores highest (a sequence that already holds most of the prompt); a slot
   * released to a waiter goes to it whatever its score.
   */
  acquire(priority: Priority, signal?: AbortSignal, prefer?: (slot: T) => number): Promise<T> {
    if (this.closedWith !== undefined) return Promise.reject(this.closedWith)
    if (signal?.aborted === true) return Promise.reject(aborted())
    const slot = this.waiters.length === 0 ? this.takeFree(prefer) : undefined
    if (slot !== undefined) return Promise.resolve(slot)
    if (this.waiters.length >= this.maxWaiting) {
      const worst = this.waiters[this.waiters.length - 1]
      if (worst === undefined || worst.priority <= priority) return Promise.reject(queueFull(this.maxWaiting))
      this.waiters.pop()
      worst.reject(queueFull(this.maxWaiting))
    }
    return new Promise<T>((resolve, reject) => {
      const onAbort = (): void => {
        const at = this.waiters.indexOf(waiter)
        if (at >= 0) this.waiters.splice(at, 1)
        reject(aborted())
      }
      const waiter: Waiter<T> = {
        priority,
        resolve: (s) => { signal?.removeEventListener('abort', onAbort); resolve(s) },
        reject: (e) => { signal?.removeEventListener('abort', onAbort); reject(e) },
      }
      signal?.addEventListener('abort', onAbort, { once: true })
      // Insert after every waiter of the same or better priority.
      let at = this.waiters.length
      while (at > 0 && this.waiters[at - 1].priority > priority) at--
      this.waiters.splice(at, 0, waiter)
    })
  }

  private takeFree(prefer: ((slot: T) => number) | undefined): T | undefined {
    if (prefer === undefined || this.free.length < 2) return this.free.pop()
    let best = this.free.length - 1
    let bestScore = prefer(this.free[best])
    for (let i = this.free.length - 2; i >= 0; i--) {
      const score = prefer(this.free[i])
      if (score > bestScore) [best, bestScore] = [i, score]
    }
    return this.free.splice(best, 1)[0]
  }

  release(slot: T): void {
    const next = this.waiters.shift()
    if (next !== undefined) next.resolve(slot)
    else this.free.push(slot)
  }

  /** Fails every waiting and future `acquire` with `err`. */
  close(err: Error): void {
    this.closedWith = err
    for (const w of this.waiters.splice(0)) w.reject(err)
  }
}

function queueFull(max: number): InferenceError {
  return new InferenceError('QUEUE_FULL', `the engine queue is full (${max} requests waiting)`, {
    fix: 'retry later, or raise the engine\'s maxQueue',
  })
}

function aborted(): InferenceError {
  return new InferenceError('ABORTED', 'the request was cancelled')
}
