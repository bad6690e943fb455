// Record signatures: the owner (the subkey, a peer id) signs (subnet, key, subkey, value,
// expiration) with its Ed25519 key; anyone verifies with the public key the peer id carries.
import { peerIdFromString } from '@libp2p/peer-id'
import type { Ed25519PeerId, Ed25519PrivateKey, PeerId } from '@libp2p/interface'
import { Verifier } from '../p2p/signing.js'
import type { Receipt } from './receipt.js'
import type { DhtRecord } from './record-store.js'

/** A record with its owner's signature, as stored and sent on the wire. */
export interface SignedRecord extends DhtRecord {
  signature: Uint8Array
  /** Storing nodes' receipts for the value (epoch keys; src/dht/receipt.ts): not covered by the owner's signature. */
  receipts?: Receipt[]
}

const DOMAIN = new TextEncoder().encode('mesh/dht-record/v1\0')
const verifier = new Verifier()

/**
 * The bytes a record's signature covers: a domain tag, then each field with a fixed width or a
 * length prefix, so that no two different records share the same bytes.
 */
export function signingPayload(subnetId: number, record: Pick<DhtRecord, 'key' | 'subkey' | 'value' | 'expiration'>): Uint8Array {
  const encoder = new TextEncoder()
  const key = encoder.encode(record.key)
  const subkey = encoder.encode(record.subkey)
  const out = new Uint8Array(DOMAIN.length + 4 + 4 + key.length + 4 + subkey.length + 4 + record.value.length + 8)
  const view = new DataView(out.buffer)
  let at = 0
  out.set(DOMAIN, at)
  at += DOMAIN.length
  view.setUint32(at, subnetId)
  at += 4
  for (const part of [key, subkey, record.value]) {
    view.setUint32(at, part.length)
    out.set(part, at + 4)
    at += 4 + part.length
  }
  view.setBigUint64(at, BigInt(record.expiration))
  return out
}

/** Signs a record of this node (the subkey is the key's peer id). */
export async function signRecord(
  privateKey: Ed25519PrivateKey,
  peerId: PeerId,
  subnetId: number,
  fields: Pick<DhtRecord, 'key' | 'value' | 'expiration'>,
): Promise<SignedRecord> {
  const record = { key: fields.key, subkey: peerId.toString(), value: fields.value, expiration: fields.expiration }
  return { ...record, signature: await privateKey.sign(signingPayload(subnetId, record)) }
}

/** The owner's peer id when the subkey is an Ed25519 peer id (which carries its public key), else null. */
export function ownerOf(subkey: string): Ed25519PeerId | null {
  try {
    const peerId = peerIdFromString(subkey)
    return peerId.type === 'Ed25519' ? peerId : null
  } catch {
    return null
  }
}

/** Whether the owner named by the subkey signed this record for this subnet. */
export function verifyRecord(subnetId: number, record: SignedRecord): boolean {
  const owner = ownerOf(record.subkey)
  return owner !== null && verifier.verify(owner, signingPayload(subnetId, record), record.signature)
}
