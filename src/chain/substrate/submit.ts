// Signs and sends one extrinsic, waits until a block includes it, and reports that block — or the
// runtime's error, the pool's refusal, a lost connection or a timeout, each as a ChainError.
// Writes are never retried: a resend after a lost connection could run the call twice.
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

export async function submit(
  connection: ChainConnection,
  what: string,
  tx: SubmittableExtrinsic<'promise'>,
  signer: KeyringPair,
  nonces: Nonces,
  inclusionTimeoutMs: number,
): Promise<Inclusion> {
  // Nothing has been sent yet, so waiting out a short outage here is safe.
  await connection.whenConnected(Date.now() + inclusionTimeoutMs, what)
  const { api, url } = connection
  return new Promise<Inclusion>((resolve, reject) => {
    let settled = false
    let stopWatching: (() => void) | undefined
    const offDisconnected = connection.onDisconnected(() => settle(new ChainError('CHAIN_UNREACHABLE',
      `lost the connection to ${url} while waiting for ${what} to be included; it may still be included`,
      { fix: 'read the chain state once the endpoint is back before sending it again' })))
    const timer = setTimeout(() => settle(new ChainError('CHAIN_TX_TIMEOUT',
      `${what} was not included in a block within ${inclusionTimeoutMs / 1000} s`,
      { fix: 'check that the chain is producing blocks' })), inclusionTimeoutMs)

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
    nonces.use(api, signer.address, (nonce) => tx.signAndSend(signer, { nonce }, watch)).then((unsubscribe) => {
      if (settled) unsubscribe()
      else stopWatching = unsubscribe
    }, (err: unknown) => {
      settle(isConnectionError(err)
        ? unreachable(url, `${what}: ${errorMessage(err)}`, err)
        : new ChainError('CHAIN_TX_INVALID', `${what} was refused by the chain: ${errorMessage(err)}`, {
          fix: 'check that the signing account exists and holds enough balance for the fee',
          cause: err,
        }))
    })
  })
}
