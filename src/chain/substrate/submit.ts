// Signs and sends one extrinsic, waits until a block includes it, and reports that block — or the
// runtime's error, the pool's refusal, a lost connection or a timeout, each as a ChainError.
// Writes are never retried: a resend after a lost connection could run the call twice. A write
// that times out or loses its connection releases its nonce: the account's next write re-reads
// the node's next index instead of counting on a transaction that may never be included.
import type { ApiPromise } from '@polkadot/api'
import type { SubmittableExtrinsic } from '@polkadot/api/types'
import type { KeyringPair } from '@polkadot/keyring/types'
import type { EventRecord } from '@polkadot/types/interfaces'
import type { ISubmittableResult } from '@polkadot/types/types'
import { errorMessage } from '../../errors.js'
import { logger } from '../../log.js'
import { ChainError } from '../errors.js'
import { type ChainConnection, isConnectionError, unreachable } from './connection.js'
import { dispatchChainError } from './dispatch-error.js'
import type { Nonces } from './nonces.js'

const log = logger('chain:substrate:submit')

export interface Inclusion {
  block: number
  events: EventRecord[]
}

export interface SubmitOptions {
  /** A write not included in a block by then fails with CHAIN_TX_TIMEOUT. */
  inclusionTimeoutMs: number
  /** Sign without a mortal era (see SubstrateChainOptions.immortal). */
  immortal: boolean
}

export async function submit(
  connection: ChainConnection,
  what: string,
  tx: SubmittableExtrinsic<'promise'>,
  signer: KeyringPair,
  nonces: Nonces,
  options: SubmitOptions,
): Promise<Inclusion> {
  const { inclusionTimeoutMs, immortal } = options
  // Nothing has been sent yet, so waiting out a short outage here is safe.
  await connection.whenConnected(Date.now() + inclusionTimeoutMs, what)
  const { api, url } = connection
  const inclusion = await new Promise<Inclusion>((resolve, reject) => {
    let settled = false
    let stopWatching: (() => void) | undefined
    const offDisconnected = connection.onDisconnected(() => settle(released(new ChainError('CHAIN_UNREACHABLE',
      `lost the connection to ${url} while waiting for ${what} to be included; it may still be included`,
      { fix: 'read the chain state once the endpoint is back before sending it again' }))))
    const timer = setTimeout(() => settle(released(new ChainError('CHAIN_TX_TIMEOUT',
      `${what} was not included in a block within ${inclusionTimeoutMs / 1000} s`,
      { fix: 'check that the chain is producing blocks' }))), inclusionTimeoutMs)

    /** Releases the nonce of a transaction whose fate is unknown, and passes the error on. */
    function released(err: ChainError): ChainError {
      nonces.forget(signer.address)
      return err
    }

    function settle(outcome: ChainError | Inclusion): void {
      if (settled) return
      settled = true
      clearTimeout(timer)
      offDisconnected()
      stopWatching?.()
      if (outcome instanceof ChainError) reject(outcome)
      else resolve(outcome)
    }

    const watch = (result: ISubmittableResult): void => {
      const { status } = result
      // Chopsticks sometimes reports Finalized without InBlock before it: either means included.
      if (status.isInBlock || status.isFinalized) {
        if (result.dispatchError !== undefined) {
          settle(dispatchChainError(api, result.dispatchError, what))
          return
        }
        // polkadot.js fills in the block number of an in-block result (SubmittableResult.blockNumber).
        const block = (result as { blockNumber?: { toNumber(): number } }).blockNumber?.toNumber()
        if (block === undefined) {
          settle(new ChainError('CHAIN_DECODE_FAILED', `${what} was included, but the result carries no block number`))
          return
        }
        log.debug('transaction included', { what, block, signer: signer.address })
        settle({ block, events: result.events })
      } else if (status.isInvalid || status.isDropped || status.isUsurped) {
        nonces.forget(signer.address)
        settle(new ChainError('CHAIN_TX_REJECTED', `${what} was dropped by the transaction pool (${status.type})`))
      }
    }
    nonces.use(api, signer.address, (nonce) => tx.signAndSend(signer, immortal ? { nonce, era: 0 } : { nonce }, watch)).then((unsubscribe) => {
      if (settled) unsubscribe()
      else stopWatching = unsubscribe
    }, (err: unknown) => {
      settle(isConnectionError(err)
        ? unreachable(url, `${what}: ${errorMessage(err)}`, err)
        : poolRefusal(what, signer.address, err))
    })
  })
  await untilBest(api, inclusion.block, Date.now() + READ_YOUR_WRITE_MS)
  return inclusion
}

/** How long a write waits for the node's best block to reach the block that included it. */
const READ_YOUR_WRITE_MS = 10_000

/**
 * Waits until the node's best block has reached `block`, so that reads after a write see it: a node
 * (chopsticks among them) can report inclusion a moment before it moves its best block there.
 */
async function untilBest(api: ApiPromise, block: number, deadline: number): Promise<void> {
  try {
    while ((await api.rpc.chain.getHeader()).number.toNumber() < block && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
  } catch {
    // The write is in; a read that follows will meet the lost connection and retry on its own.
  }
}

/** Why the transaction pool refused a transaction, from its `1010: {"invalid":{"payment":null}}` answer. */
const POOL_REFUSALS: Record<string, string> = {
  payment: 'the signing account cannot pay the fee',
  stale: 'its nonce was already used',
  future: 'its nonce is ahead of the account',
  badProof: 'its signature does not verify',
  exhaustsResources: 'the block has no room for it',
  ancientBirthBlock: 'its era has lapsed',
}

function poolRefusal(what: string, signer: string, err: unknown): ChainError {
  const text = errorMessage(err)
  const reason = Object.keys(POOL_REFUSALS).find((key) => text.includes(`"${key}"`))
  const meaning = reason === undefined ? text : `${POOL_REFUSALS[reason]} (${text})`
  return new ChainError('CHAIN_TX_INVALID', `${what} was refused by the chain: ${meaning}`, {
    fix: reason === 'payment' ? `fund ${signer}` : undefined,
    cause: err,
  })
}
