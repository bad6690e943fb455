// A hoster refuses other peers' inference requests that carry the current challenge (PROTOCOL.md,
// "The challenge and the output tensor"), so that no hoster can buy its answer from another.
// The inference service checks each request against `challenges()` before it runs it.
import { sameTokens } from './challenge.js'

export class ChallengeGuard {
  private epoch = -1
  private current: number[][] = []

  /** Records a challenge of `epoch`; a newer epoch replaces the older epoch's challenges. */
  add(epoch: number, tokens: readonly number[]): void {
    if (epoch < this.epoch) return
    if (epoch > this.epoch) {
      this.epoch = epoch
      this.current = []
    }
    if (!this.current.some((c) => sameTokens(c, tokens))) this.current.push([...tokens])
  }

  /** The current epoch's challenges (the inference service compares requests with them as text). */
  challenges(): ReadonlyArray<readonly number[]> {
    return this.current
  }
}
