// Records between memory and the wire (messages.proto). Decoding bounds every count and checks
// every field's shape, so that any bytes give either records or a RecordRefused, never a crash.
import type { SignedRecord } from './crypto.js'
import { RecordRefused } from './errors.js'
import { FindResponse, SignedRecord as WireRecord, StoreRequest } from './messages.js'

/** Most records one store request or find response may carry. */
export const MAX_RECORDS_PER_MESSAGE = 4096

export function toWire(record: SignedRecord): WireRecord {
  // The codec only reads the bytes; it has no use for the narrower buffer type it declares.
  const bytes = (b: Uint8Array): Uint8Array<ArrayBuffer> => b as Uint8Array<ArrayBuffer>
  return { key: record.key, subkey: record.subkey, value: bytes(record.value), expiration: BigInt(record.expiration), signature: bytes(record.signature) }
}

/** A record from the wire; throws RecordRefused (DHT_BAD_RECORD) when a field cannot be one. */
export function fromWire(record: WireRecord): SignedRecord {
  if (record.expiration > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new RecordRefused('DHT_BAD_RECORD', `expiration ${record.expiration} is not a time in unix milliseconds`)
  }
  if (record.signature.length !== 64) {
    throw new RecordRefused('DHT_BAD_SIGNATURE', `an Ed25519 signature has 64 bytes, got ${record.signature.length}`)
  }
  return { key: record.key, subkey: record.subkey, value: record.value, expiration: Number(record.expiration), signature: record.signature }
}

export function decodeStoreRequest(bytes: Uint8Array): StoreRequest {
  return StoreRequest.decode(bytes, { limits: { records: MAX_RECORDS_PER_MESSAGE } })
}

export function decodeFindResponse(bytes: Uint8Array): FindResponse {
  return FindResponse.decode(bytes, { limits: { records: MAX_RECORDS_PER_MESSAGE } })
}
