// Ed25519 signing and verification on the hot path of every RPC: two signatures and two
// verifications a unary call, one of each a streamed chunk. libsodium does each in less than
// half the time of node:crypto (OpenSSL 3 builds a key context per call: 17 µs vs 42 µs a
// signature, 45 µs vs 102 µs a verification on this project's 2-core benchmark machine), and
// takes the raw 32-byte keys that peer ids carry, so no key objects are built or cached.
// Both calls are synchronous: at these costs a hop to the thread pool costs more than it saves.
import sodium from 'sodium-native'
import type { Ed25519PrivateKey, PeerId } from '@libp2p/interface'
import { MeshError } from '../errors.js'

export const SIGNATURE_BYTES = 64

/** Signs with one identity. */
export class Signer {
  /** libsodium's 64-byte secret key (seed ‖ public key), in memory that is never swapped out. */
  private readonly secretKey: Buffer

  constructor(privateKey: Ed25519PrivateKey) {
    if (privateKey.type !== 'Ed25519') {
      throw new MeshError('KEY_WRONG_TYPE', `cannot sign with a ${String(privateKey.type)} key; mesh identities are Ed25519`)
    }
    this.secretKey = sodium.sodium_malloc(sodium.crypto_sign_SECRETKEYBYTES)
    const publicKey = Buffer.alloc(sodium.crypto_sign_PUBLICKEYBYTES)
    sodium.crypto_sign_seed_keypair(publicKey, this.secretKey, Buffer.from(privateKey.raw.subarray(0, 32)))
  }

  sign(data: Uint8Array): Uint8Array {
    const signature = Buffer.alloc(SIGNATURE_BYTES)
    sodium.crypto_sign_detached(signature, asBuffer(data), this.secretKey)
    return signature
  }
}

/** Verifies signatures by the peer id that names the signer's public key. */
export class Verifier {
  /** False for a wrong signature, or a peer id that does not carry an Ed25519 public key. */
  verify(signer: PeerId, data: Uint8Array, signature: Uint8Array): boolean {
    if (signature.byteLength !== SIGNATURE_BYTES) return false
    if (signer.type !== 'Ed25519' || signer.publicKey === undefined) return false
    return sodium.crypto_sign_verify_detached(asBuffer(signature), asBuffer(data), asBuffer(signer.publicKey.raw))
  }
}

/** A Buffer view of the same bytes (no copy): the addon's type declarations want Buffers. */
function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
}
