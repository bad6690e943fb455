// Ed25519 identities in the libp2p protobuf key format: the same files go-libp2p and the
// reference system read and write.
import { constants } from 'node:fs'
import { open, readFile } from 'node:fs/promises'
import { generateKeyPair, privateKeyFromProtobuf, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import type { Ed25519PrivateKey, PeerId, PrivateKey } from '@libp2p/interface'
import { MeshError, errorMessage } from '../errors.js'

export type { Ed25519PrivateKey, PeerId }

export function generateIdentity(): Promise<Ed25519PrivateKey> {
  return generateKeyPair('Ed25519')
}

export function peerIdOf(key: PrivateKey): PeerId {
  return peerIdFromPrivateKey(key)
}

/** Decodes a protobuf key file's bytes; `source` names the file in errors. */
export function decodeIdentity(bytes: Uint8Array, source: string): Ed25519PrivateKey {
  let key: PrivateKey
  try {
    key = privateKeyFromProtobuf(bytes)
  } catch (err) {
    throw new MeshError('KEY_CORRUPT', `${source} is not a libp2p private key file: ${errorMessage(err)}`, {
      fix: 'create one with `mesh keygen --path <file>`',
    })
  }
  if (key.type !== 'Ed25519') {
    throw new MeshError('KEY_WRONG_TYPE', `${source} holds a ${key.type} key; mesh identities are Ed25519`, {
      fix: 'create one with `mesh keygen --path <file>`',
    })
  }
  return key
}

export async function readIdentity(path: string): Promise<Ed25519PrivateKey> {
  let bytes: Uint8Array
  try {
    bytes = await readFile(path)
  } catch (err) {
    throw new MeshError('KEY_UNREADABLE', `cannot read key file ${path}: ${errorMessage(err)}`, {
      fix: 'check the path, or create one with `mesh keygen --path <file>`',
    })
  }
  return decodeIdentity(bytes, path)
}

/** Writes a key file with mode 0600; refuses to replace an existing file unless `force`. */
export async function writeIdentity(path: string, key: PrivateKey, force = false): Promise<void> {
  const flags = constants.O_WRONLY | constants.O_CREAT | (force ? constants.O_TRUNC : constants.O_EXCL)
  let file
  try {
    file = await open(path, flags, 0o600)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new MeshError('KEY_EXISTS', `${path} already exists`, { fix: 'pass --force to replace it' })
    }
    throw new MeshError('KEY_UNWRITABLE', `cannot write key file ${path}: ${errorMessage(err)}`)
  }
  try {
    await file.writeFile(privateKeyToProtobuf(key))
    await file.chmod(0o600) // an existing file keeps its old mode through O_TRUNC
  } finally {
    await file.close()
  }
}
