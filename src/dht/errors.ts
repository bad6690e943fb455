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

/** A record a validator or the local storage refused. */
export class RecordRefused extends MeshError {
  declare readonly code: RefusalCode

  constructor(code: RefusalCode, message: string) {
    super(code, message)
    this.name = 'RecordRefused'
  }
}
