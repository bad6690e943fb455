import { test } from 'node:test'
import assert from 'node:assert/strict'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { generateIdentity, peerIdOf } from '../../src/p2p/keys.js'
import { Signer, Verifier } from '../../src/p2p/signing.js'

test('a signature verifies under its signer and the same bytes only', async () => {
  const key = await generateIdentity()
  const other = await generateIdentity()
  const signer = new Signer(key)
  const verifier = new Verifier()
  const data = new TextEncoder().encode('hello mesh')
  const signature = signer.sign(data)
  assert.equal(signature.byteLength, 64)
  // @libp2p/crypto agrees: the signature is a plain Ed25519 one over the bytes.
  assert.equal(await key.publicKey.verify(data, signature), true)
  assert.equal(verifier.verify(peerIdOf(key), data, signature), true)
  assert.equal(verifier.verify(peerIdOf(other), data, signature), false)
  assert.equal(verifier.verify(peerIdOf(key), data.subarray(1), signature), false)
  const flipped = Uint8Array.from(signature)
  flipped[10] ^= 1
  assert.equal(verifier.verify(peerIdOf(key), data, flipped), false)
  assert.equal(verifier.verify(peerIdOf(key), data, signature.subarray(0, 63)), false)
})

test('signatures from @libp2p/crypto verify here', async () => {
  const key = await generateIdentity()
  const data = Uint8Array.from([1, 2, 3])
  const signature = await key.sign(data)
  assert.equal(new Verifier().verify(peerIdOf(key), data, signature), true)
})

test('peer ids without an Ed25519 key never verify; other key types cannot sign', async () => {
  const secp = await generateKeyPair('secp256k1')
  const data = Uint8Array.from([1])
  assert.equal(new Verifier().verify(peerIdFromPrivateKey(secp), data, new Uint8Array(64)), false)
  assert.throws(() => new Signer(secp as never), { code: 'KEY_WRONG_TYPE' })
})
