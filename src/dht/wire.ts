// Records, receipts and digests between memory and the wire (messages.proto). Decoding bounds every
// count and checks every field's shape, so that any bytes give either records or a RecordRefused,
// never a crash.
import type { SignedRecord } from './crypto.js'
import type { Digest } from './digest.js'
import { RecordRefused } from './errors.js'
import { Digest as WireDigest, FindResponse, Receipt as WireReceipt, SignedRecord as WireRecord, StoreRequest } from './messages.js'
import type { Receipt } from './receipt.js'

/** Most records one store request or find response may carry. */
export const MAX_RECORDS_PER_MESSAGE = 4096
/**
 * Most receipts one record or digest may carry: a storing node keeps those of the key's current
 * replicas and its own (9 at k = 8); the rest of the room is for a replica set in change.
 */
export const MAX_RECEIPTS_PER_RECORD = 32

// The codec only reads the bytes; it has no use for the narrower buffer type it declares.
const bytes = (b: Uint8Array): Uint8Array<ArrayBuffer> => b as Uint8Array<ArrayBuffer>

function receiptToWire(receipt: Receipt): WireReceipt {
  return { storer: receipt.storer, block: BigInt(receipt.block), signature: bytes(receipt.signature) }
}

function receiptFromWire(receipt: WireReceipt): Receipt {
  if (receipt.block > BigInt(Number.MAX_SAFE_INTEGER)) throw new RecordRefused('DHT_BAD_RECORD', `receipt block ${receipt.block} is not a block height`)
  if (receipt.signature.length !== 64) {
    throw new RecordRefused('DHT_BAD_SIGNATURE', `a receipt's Ed25519 signature has 64 bytes, got ${receipt.signature.length}`)
  }
  return { storer: receipt.storer, block: Number(receipt.block), signature: receipt.signature }
}

/** A record for the wire; `receipts: false` leaves its receipts out (a find answer's values). */
export function toWire(record: SignedRecord, options: { receipts?: boolean } = {}): WireRecord {
  return {
    key: record.key,
    subkey: record.subkey,
    value: bytes(record.value),
    expiration: BigInt(record.expiration),
    signature: bytes(record.signature),
    receipts: options.receipts === false ? [] : (record.receipts ?? []).map(receiptToWire),
  }
}

/** A record from the wire; throws RecordRefused (DHT_BAD_RECORD) when a field cannot be one. */
export function fromWire(record: WireRecord): SignedRecord {
  if (record.expiration > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new RecordRefused('DHT_BAD_RECORD', `expiration ${record.expiration} is not a time in unix milliseconds`)
  }
  if (record.signature.length !== 64) {
    throw new RecordRefused('DHT_BAD_SIGNATURE', `an Ed25519 signature has 64 bytes, got ${record.signature.length}`)
  }
  const out: SignedRecord = { key: record.key, subkey: record.subkey, value: record.value, expiration: Number(record.expiration), signature: record.signature }
  if (record.receipts.length > 0) out.receipts = record.receipts.map(receiptFromWire)
  return out
}

export function digestToWire(digest: Digest): WireDigest {
  return { writer: digest.writer, valueHash: bytes(digest.valueHash), expiration: BigInt(digest.expiration), receipts: digest.receipts.map(receiptToWire) }
}

/** A digest from the wire; throws RecordRefused (DHT_BAD_RECORD) when a field cannot be one. */
export function digestFromWire(digest: WireDigest): Digest {
  if (digest.expiration > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new RecordRefused('DHT_BAD_RECORD', `expiration ${digest.expiration} is not a time in unix milliseconds`)
  }
  if (digest.valueHash.length !== 32) throw new RecordRefused('DHT_BAD_RECORD', `a value hash has 32 bytes, got ${digest.valueHash.length}`)
  return { writer: digest.writer, valueHash: digest.valueHash, expiration: Number(digest.expiration), receipts: digest.receipts.map(receiptFromWire) }
}

const RECEIPT_LIMITS = { receipts: MAX_RECEIPTS_PER_RECORD }

export function decodeStoreRequest(bytes: Uint8Array): StoreRequest {
  return StoreRequest.decode(bytes, { limits: { records: MAX_RECORDS_PER_MESSAGE, records$: RECEIPT_LIMITS } })
}

export function decodeFindResponse(bytes: Uint8Array): FindResponse {
  return FindResponse.decode(bytes, {
    limits: { records: MAX_RECORDS_PER_MESSAGE, records$: RECEIPT_LIMITS, digests: MAX_RECORDS_PER_MESSAGE, digests$: RECEIPT_LIMITS },
  })
}
