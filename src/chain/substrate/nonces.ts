// Hands out account nonces. The node's `system_accountNextIndex` can lag right after a block
// (chopsticks answers from the previous head for a moment, which gets the next transaction refused as
// "stale"), and two writes sent at once by one account would both get the same nonce. So nonces are
// handed out one at a time per account: the larger of the node's answer and one past the last
// nonce we sent.
import type { ApiPromise } from '@polkadot/api'

export class Nonces {
  readonly #next = new Map<string, number>()
  readonly #queue = new Map<string, Promise<unknown>>()

  /**
   * Runs `send` with the account's next nonce. `send` resolves once the pool accepted the
   * transaction (the nonce is then spent) and rejects when it refused it (the nonce is not).
   */
  async use<T>(api: ApiPromise, address: string, send: (nonce: number) => Promise<T>): Promise<T> {
    const previous = this.#queue.get(address) ?? Promise.resolve()
    const turn = previous.catch(() => undefined).then(async () => {
      const onChain = (await api.rpc.system.accountNextIndex(address)).toNumber()
      const nonce = Math.max(onChain, this.#next.get(address) ?? 0)
      try {
        const sent = await send(nonce)
        this.#next.set(address, nonce + 1)
        return sent
      } catch (err) {
        this.#next.delete(address)
        throw err
      }
    })
    this.#queue.set(address, turn)
    void turn.finally(() => { if (this.#queue.get(address) === turn) this.#queue.delete(address) }).catch(() => undefined)
    return turn
  }

  /**
   * Releases an account's last nonce: its transaction was dropped, timed out or lost with the
   * connection, so the next write takes the node's next index again (which counts the pool) rather
   * than one past a transaction that may never be included.
   */
  forget(address: string): void {
    this.#next.delete(address)
  }
}
