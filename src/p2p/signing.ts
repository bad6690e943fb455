// Ed25519 signing and verification on the hot path of every RPC. @libp2p/crypto rebuilds a
// node:crypto key object on every call; here the private key object is built once and public
// key objects are cached per peer id (a peer id names its key, so the cache cannot go stale).
// Both run on libuv's thread pool, so signatures are computed beside the event loop, not in it.
import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto'
import type { Ed25519PrivateKey, PeerId } from '@libp2p/interface'
import { MeshError } from '../errors.js'

export const SIGNATURE_BYTES = 64

// DER prefixes of an Ed25519 PKCS#8 private key and SPKI public key (RFC 8410); the raw key follows.
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex')
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex')

/** Signs with one identity. */
export class Signer {
  private readonly key: KeyObject

  constructor(privateKey: Ed25519PrivateKey) {
    if (privateKey.type !== 'Ed25519') {
      throw new MeshError('KEY_WRONG_TYPE', `cannot sign with a ${String(privateKey.type)} key; mesh identities are Ed25519`)
    }
    const seed = privateKey.raw.subarray(0, 32)
    this.key = createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' })
  }

  sign(data: Uint8Array): Promise<Uint8Array> {
    return new Promise((resolve, reject) => {
      sign(null, data, this.key, (err, signature) => (err === null ? resolve(signature) : reject(err)))
    })
  }
}

/** Verifies signatures by peer id, keeping the key objects of the most recent `maxKeys` peers. */
export class Verifier {
  private readonly keys = new Map<string, KeyObject>()
  private readonly maxKeys: number

  constructor(maxKeys = 10_000) {
    this.maxKeys = maxKeys
  }

  /** False for a wrong signature, or a peer id that does not carry an Ed25519 public key. */
  async verify(signer: PeerId, data: Uint8Array, signature: Uint8Array): Promise<boolean> {
    if (signature.byteLength !== SIGNATURE_BYTES) return false
    const key = this.keyOf(signer)
    if (key === null) return false
    return new Promise((resolve) => {
      verify(null, data, key, signature, (err, valid) => resolve(err === null && valid))
    })
  }

  private keyOf(peer: PeerId): KeyObject | null {
    if (peer.type !== 'Ed25519' || peer.publicKey === undefined) return null
    const id = peer.toString()
    let key = this.keys.get(id)
    if (key === undefined) {
      key = createPublicKey({ key: Buffer.concat([SPKI_PREFIX, peer.publicKey.raw]), format: 'der', type: 'spki' })
      if (this.keys.size >= this.maxKeys) this.keys.delete(this.keys.keys().next().value as string)
      this.keys.set(id, key)
    }
    return key
  }
}
