// Keeps concurrent generations in step, so llama.cpp decodes their next tokens in one batch.
//
// node-llama-cpp batches the decodes that are queued when a batch starts. Its sequences get
// their sampled tokens back one by one, and a sequence that comes back late misses the next
// batch: streams drift apart and decode one at a time. Here a generation asks for its next
// token only in a round: a round opens once no generation is waiting for a token (the batch
// is over), one event-loop turn later, and lets in every generation that is ready by then
// (requests that arrive together start together too).
// A generation that is not ready (its caller is still reading) joins a later round; nobody
// waits for it.

export class BatchRounds {
  private waitingForToken = 0
  private readonly ready: Array<() => void> = []
  private opening = false

  /** Runs `next` (one token's evaluation) in the next round. */
  async step<T>(next: () => Promise<T>): Promise<T> {
    await new Promise<void>((resolve) => {
      this.ready.push(resolve)
      this.maybeOpen()
    })
    this.waitingForToken++
    try {
      return await next()
    } finally {
      this.waitingForToken--
      this.maybeOpen()
    }
  }

  private maybeOpen(): void {
    if (this.waitingForToken > 0 || this.opening || this.ready.length === 0) return
    this.opening = true
    setImmediate(() => {
      this.opening = false
      for (const resolve of this.ready.splice(0)) resolve()
    })
  }
}
