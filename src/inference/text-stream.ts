// Turns generated tokens into text as it streams: a token that ends inside a UTF-8 character
// waits for the rest, and text that may be the start of a stop sequence waits until it is
// known not to be one. Each token is decoded once (with the previous tokens as context, for
// SentencePiece's leading spaces).

export type Detokenize = (tokens: number[], context: number[]) => string

const REPLACEMENT = '\uFFFD'
const CONTEXT_TOKENS = 4
const MAX_PENDING_TOKENS = 8

export class TextStream {
  private pendingTokens: number[] = []
  private context: number[]
  private held = ''
  stopped = false

  /** `promptTokens`: what the generated tokens follow (its end decides a leading space). */
  constructor(private readonly detokenize: Detokenize, private readonly stop: readonly string[], promptTokens: readonly number[]) {
    this.context = promptTokens.slice(-CONTEXT_TOKENS)
  }

  /** The text that `token` makes safe to emit ('' while it waits); sets `stopped` on a stop sequence. */
  push(token: number): string {
    this.pendingTokens.push(token)
    const piece = this.detokenize(this.pendingTokens, this.context)
    // An incomplete character decodes to U+FFFD; wait for its remaining bytes (a few tokens at most).
    if (piece.endsWith(REPLACEMENT) && this.pendingTokens.length < MAX_PENDING_TOKENS) return ''
    this.context = [...this.context, ...this.pendingTokens].slice(-CONTEXT_TOKENS)
    this.pendingTokens = []
    return this.release(this.held + piece)
  }

  /** What is left when generation ends for another reason. */
  flush(): string {
    const rest = this.held + (this.pendingTokens.length > 0 ? this.detokenize(this.pendingTokens, this.context) : '')
    this.held = ''
    this.pendingTokens = []
    return rest
  }

  private release(text: string): string {
    let cut = -1
    for (const s of this.stop) {
      const at = text.indexOf(s)
      if (at >= 0 && (cut < 0 || at < cut)) cut = at
    }
    if (cut >= 0) {
      this.stopped = true
      this.held = ''
      return text.slice(0, cut)
    }
    const keep = this.longestStopPrefixSuffix(text)
    this.held = text.slice(text.length - keep)
    return text.slice(0, text.length - keep)
  }

  /** Length of the longest end of `text` that begins some stop sequence. */
  private longestStopPrefixSuffix(text: string): number {
    let best = 0
    for (const s of this.stop) {
      for (let n = Math.min(s.length - 1, text.length); n > best; n--) {
        if (text.endsWith(s.slice(0, n))) {
          best = n
          break
        }
      }
    }
    return best
  }
}
