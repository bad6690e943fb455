// Chain accounts are Ethereum-style (secp256k1, 20-byte addresses), as on Hypertensor. A secret is
// a 0x private key or a mnemonic, read from a file or an environment variable: never a flag, so it
// stays out of shell history.
import { randomBytes } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { Keyring } from '@polkadot/keyring'
import type { KeyringPair } from '@polkadot/keyring/types'
import { cryptoWaitReady } from '@polkadot/util-crypto'
import { MeshError, errorMessage } from '../errors.js'

export type { KeyringPair }

/** Funded accounts of the Hypertensor dev genesis (Alith is sudo); the local chain funds them too. */
export const DEV_ACCOUNTS = {
  alith: '0x5fb92d6e98884f76de468fa3f6278f8807c48bebc13595d45af5bdc4da702133',
  baltathar: '0x8075991ce870b93a8870eca0c0f91913d12f47948ca0fd25b49c6fa7cdbeee8b',
  charleth: '0x0b6e18cafb6ed99687ec547bd28139cafdd2bffe70e6b688025de6b445aa5c5b',
  dorothy: '0x39539ab1876910bbf3a223d84a29e28f1cb4e2e456503e7e91ed39b2e7223d68',
} as const

/** An account from a secret: a 0x-prefixed 32-byte private key or a BIP39 mnemonic. */
export async function accountFromSecret(secret: string, source = 'the secret'): Promise<KeyringPair> {
  await cryptoWaitReady()
  const text = secret.trim()
  const isKey = /^0x[0-9a-fA-F]{64}$/.test(text)
  const isMnemonic = text.split(/\s+/).length >= 12
  if (!isKey && !isMnemonic) {
    throw new MeshError('ACCOUNT_SECRET_INVALID', `${source} is neither a 0x private key (64 hex digits) nor a mnemonic`)
  }
  try {
    return new Keyring({ type: 'ethereum' }).addFromUri(text)
  } catch (err) {
    throw new MeshError('ACCOUNT_SECRET_INVALID', `${source} is not a valid account secret: ${errorMessage(err)}`)
  }
}

/** A fresh random secret: a 0x private key. */
export function randomSecret(): string {
  return `0x${randomBytes(32).toString('hex')}`
}

/** A fresh random account (devnet and tests). */
export async function randomAccount(): Promise<KeyringPair> {
  return accountFromSecret(randomSecret())
}

/**
 * Loads an account from `file` if given, else from the environment variable `envVar`.
 * Returns undefined when neither is set.
 */
export async function loadAccount(file: string | undefined, envVar: string): Promise<KeyringPair | undefined> {
  if (file !== undefined) {
    let text: string
    try {
      text = await readFile(file, 'utf8')
    } catch (err) {
      throw new MeshError('ACCOUNT_FILE_UNREADABLE', `cannot read account file ${file}: ${errorMessage(err)}`)
    }
    return accountFromSecret(text, file)
  }
  const value = process.env[envVar]
  return value === undefined || value === '' ? undefined : accountFromSecret(value, `$${envVar}`)
}
