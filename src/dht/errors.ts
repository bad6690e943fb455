import { MeshError } from '../errors.js'

/** Why a storing node refused a record, or a reader dropped one: stable codes for programs and tests. */
export const REFUSAL_CODES = [
  'DHT_BAD_RECORD',
  'DHT_BAD_SIGNATURE',
  'DHT_WRONG_OWNER',
  'DHT_EXPIRED',
  'DHT_EXPIRATION_TOO_FAR',
  'DHT_VALUE_TOO_LARGE',
  'DHT_UNKNOWN_KEY',
  'DHT_OUT_OF_PHASE',
  'DHT_NOT_STAKED',
  'DHT_STALE',
  'DHT_STORAGE_FULL',
  'DHT_WRITER_LIMIT',
  'DHT_WRITE_ONCE',
  'DHT_TOO_FREQUENT',
  'DHT_NOT_OWN_PEER_ID',
  'DHT_WRONG_SHARD',
  'DHT_BAD_VALUE',
] as const
export type RefusalCode = (typeof REFUSAL_CODES)[number]

/**
 * Why a reader did not count a record or a receipt it received (counted in DhtNodeStats.readDiscards):
 * - DHT_RECEIPT_BAD_SIGNATURE: a receipt its storer did not sign (forged; the serving replica is blamed);
 * - DHT_RECEIPT_NOT_REPLICA: a receipt of a node that is not in the key's current replica set;
 * - DHT_RECEIPT_LATE: a receipt signed outside the key's window (a handoff after the window, or a late record);
 * - DHT_NO_QUORUM: a writer's value that fewer than a majority of the key's replicas vouch for;
 * - DHT_VALUE_MISMATCH: a value whose sha256 is not the one its digest announced (the replica is blamed);
 * - DHT_VALUE_UNAVAILABLE: a vouched-for value that no replica that offered it sent back;
 * - DHT_READ_UNSETTLED: a read that reached its timeout before two reads agreed (its last read is returned);
 * and the storing side's codes (DHT_BAD_SIGNATURE, DHT_EXPIRED, …) for records that fail the reader's checks.
 */
export const READ_DISCARD_CODES = [
  'DHT_RECEIPT_BAD_SIGNATURE',
  'DHT_RECEIPT_NOT_REPLICA',
  'DHT_RECEIPT_LATE',
  'DHT_NO_QUORUM',
  'DHT_VALUE_MISMATCH',
  'DHT_VALUE_UNAVAILABLE',
  'DHT_READ_UNSETTLED',
] as const
export type ReadDiscardCode = (typeof READ_DISCARD_CODES)[number]

/** A record a validator or the local storage refused. */
export class RecordRefused extends MeshError {
  declare readonly code: RefusalCode

  constructor(code: RefusalCode, message: string) {
    super(code, message)
    this.name = 'RecordRefused'
  }
}
