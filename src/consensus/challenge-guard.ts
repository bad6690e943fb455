// A hoster refuses other peers' inference requests that carry the current challenge (PROTOCOL.md,
// "The challenge and the output tensor"), so that no hoster can buy its answer from another.
// The inference service asks `carriesChallenge` before it runs a request.
import { sameTokens } from './challenge.js'

export class ChallengeGuard {
  private epoch = -1
  private challenges: number[][] = []

  /** Records a challenge of `epoch`; a newer epoch replaces the older epoch's challenges. */
  add(epoch: number, tokens: readonly number[]): void {
    if (epoch < this.epoch) return
    if (epoch > this.epoch) {
      this.epoch = epoch
      this.challenges = []
    }
    if (!this.challenges.some((c) => sameTokens(c, tokens))) this.challenges.push([...tokens])
  }

  /** Whether `tokens` equal, or begin with, a challenge of the current epoch. */
  carriesChallenge(tokens: readonly number[]): boolean {
    return this.challenges.some((c) => tokens.length >= c.length && sameTokens(c, tokens.slice(0, c.length)))
  }
}
