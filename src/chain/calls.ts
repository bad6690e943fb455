// How many requests a chain client has sent to its endpoint, by kind: what a public endpoint bears
// from one node. Kinds name the request as the endpoint sees it (a JSON-RPC method, with the runtime
// API or storage item it reads), so the figures add up to what crosses the wire. Shown in /metrics.

export class ChainCalls {
  readonly #counts = new Map<string, number>()
  #total = 0

  count(kind: string): void {
    this.#counts.set(kind, (this.#counts.get(kind) ?? 0) + 1)
    this.#total++
  }

  get total(): number {
    return this.#total
  }

  /** The counts by kind, sorted by kind. */
  byKind(): Array<[string, number]> {
    return [...this.#counts].sort(([a], [b]) => a.localeCompare(b))
  }
}
