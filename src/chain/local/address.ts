// Ethereum-style addresses, normalized to their checksummed form so that state keys compare equal
// however a caller spelled them.
import { Keyring } from '@polkadot/keyring'
import { ethereumEncode, isEthereumAddress } from '@polkadot/util-crypto'
import { ChainError } from '../errors.js'

export function normalizeAddress(address: string, what = 'address'): string {
  if (typeof address !== 'string' || !isEthereumAddress(address)) {
    throw new ChainError('CHAIN_INVALID_ADDRESS', `${what} ${String(address)} is not an Ethereum-style address (0x and 40 hex digits)`)
  }
  return ethereumEncode(address)
}

/** The address of a 0x private key (the dev genesis accounts). */
export function addressOfKey(privateKey: string): string {
  return new Keyring({ type: 'ethereum' }).addFromUri(privateKey).address
}
