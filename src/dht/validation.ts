// Record validation as a chain of small validators with priorities (as in hivemind's
// validation.py): each checks one thing and throws RecordRefused with its code. Consensus code
// adds its own with `ValidatorChain.add`. Storing nodes run every validator on what they are sent
// (`validate`); readers run again those marked `onRead` on every record a replica sends them
// (`validateRead`): checks on the writing side are repeated on the reading side.
import { ownerOf, verifyRecord, type SignedRecord } from './crypto.js'
import { RecordRefused, type RefusalCode } from './errors.js'
import { heartbeatShard, parseKey } from './keys.js'

export interface ValidationContext {
  subnetId: number
  /** Unix ms at which the record is judged. */
  now: number
  /** The peer id that sent the record (the RPC caller), or this node's own for local writes. */
  sender: string
  /** True when a holder hands over records of others (re-replication), and on reads (`validateRead`). */
  handoff: boolean
  /**
   * True when a handoff of an epoch key's record carries receipts of a majority of the key's
   * current replicas, signed inside the key's window: the record was accepted in time, and may
   * be kept after its window has closed (src/dht/receipt.ts).
   */
  vouched?: boolean
}

/** What a reader knows of a record it received. */
export interface ReadContext {
  subnetId: number
  /** Unix ms at which the record is judged. */
  now: number
  /** The peer id of the replica that sent it. */
  from: string
}

export interface RecordValidator {
  readonly name: string
  /** Higher runs first: cheap local checks before signatures and chain lookups. */
  readonly priority: number
  /** Whether readers run it too, on every record a replica sends them (default false: storing nodes only). */
  readonly onRead?: boolean
  /** Returns when the record is acceptable, throws RecordRefused otherwise. */
  validate(record: SignedRecord, context: ValidationContext): void | Promise<void>
}

export class ValidatorChain {
  /** Records refused when stored here, by code. */
  readonly refusals = new Map<RefusalCode, number>()
  /** Records a reader dropped, by code. */
  readonly readRefusals = new Map<RefusalCode, number>()
  private validators: RecordValidator[] = []

  constructor(validators: RecordValidator[] = []) {
    for (const validator of validators) this.add(validator)
  }

  /** Adds a validator; validators of equal priority run in the order they were added. */
  add(validator: RecordValidator): this {
    if (this.validators.some((v) => v.name === validator.name)) throw new Error(`a validator named ${validator.name} is already in the chain`)
    const at = this.validators.findIndex((v) => v.priority < validator.priority)
    this.validators.splice(at === -1 ? this.validators.length : at, 0, validator)
    return this
  }

  names(): string[] {
    return this.validators.map((v) => v.name)
  }

  /** Runs every validator, as a storing node does; throws the first RecordRefused. */
  async validate(record: SignedRecord, context: ValidationContext): Promise<void> {
    try {
      for (const validator of this.validators) await validator.validate(record, context)
    } catch (err) {
      if (err instanceof RecordRefused) count(this.refusals, err.code)
      throw err
    }
  }

  /**
   * Runs the validators marked `onRead` (shape, owner, expiry, the writer is a registered node's own
   * peer id, its heartbeat shard, the per-key value checks), as a reader does on every record it
   * receives before counting it; throws the first RecordRefused. Signatures are the reader's
   * merge's to verify (once per distinct copy); windows are vouched for by receipts.
   */
  async validateRead(record: SignedRecord, context: ReadContext): Promise<void> {
    const full: ValidationContext = { subnetId: context.subnetId, now: context.now, sender: context.from, handoff: true }
    try {
      for (const validator of this.validators) if (validator.onRead === true) await validator.validate(record, full)
    } catch (err) {
      if (err instanceof RecordRefused) count(this.readRefusals, err.code)
      throw err
    }
  }
}

function count(counts: Map<RefusalCode, number>, code: RefusalCode): void {
  counts.set(code, (counts.get(code) ?? 0) + 1)
}

export interface RecordLimits {
  /** Longest key, in UTF-16 code units. */
  maxKeyLength: number
  /** Largest value, in bytes. */
  maxValueBytes: number
}

export const DEFAULT_RECORD_LIMITS: RecordLimits = {
  maxKeyLength: 128,
  // A hoster reveal carries a float32 hidden state: 96 KiB holds n_embd up to 16,384 with its salt and header.
  maxValueBytes: 96 * 1024,
}

/** Shape and size: a non-empty key of bounded length, a value under the size limit, an integral expiration. */
export function shapeValidator(limits: RecordLimits = DEFAULT_RECORD_LIMITS): RecordValidator {
  return {
    name: 'shape',
    priority: 100,
    onRead: true,
    validate(record) {
      if (record.key.length === 0 || record.key.length > limits.maxKeyLength) {
        throw new RecordRefused('DHT_BAD_RECORD', `key must have 1 to ${limits.maxKeyLength} characters, got ${record.key.length}`)
      }
      if (!Number.isSafeInteger(record.expiration) || record.expiration <= 0) {
        throw new RecordRefused('DHT_BAD_RECORD', `expiration must be a positive integer of unix milliseconds, got ${record.expiration}`)
      }
      if (record.value.length > limits.maxValueBytes) {
        throw new RecordRefused('DHT_VALUE_TOO_LARGE', `value has ${record.value.length} bytes, over the limit of ${limits.maxValueBytes}`)
      }
    },
  }
}

/** The subkey is the writer's Ed25519 peer id; a first-hand store comes from that writer itself. */
export function ownerValidator(): RecordValidator {
  return {
    name: 'owner',
    priority: 90,
    onRead: true,
    validate(record, context) {
      if (ownerOf(record.subkey) === null) {
        throw new RecordRefused('DHT_WRONG_OWNER', `subkey ${JSON.stringify(record.subkey.slice(0, 64))} is not an Ed25519 peer id`)
      }
      if (!context.handoff && record.subkey !== context.sender) {
        throw new RecordRefused('DHT_WRONG_OWNER', `${context.sender} wrote the subkey of ${record.subkey}: a writer stores only its own subkey`)
      }
    },
  }
}

/** The record has not expired yet. */
export function expiryValidator(): RecordValidator {
  return {
    name: 'expiry',
    priority: 80,
    onRead: true,
    validate(record, context) {
      if (record.expiration <= context.now) {
        throw new RecordRefused('DHT_EXPIRED', `record expired ${context.now - record.expiration} ms ago`)
      }
    },
  }
}

/** The owner signed (subnet, key, subkey, value, expiration). */
export function signatureValidator(): RecordValidator {
  return {
    name: 'signature',
    priority: 20,
    async validate(record, context) {
      if (!verifyRecord(context.subnetId, record)) {
        throw new RecordRefused('DHT_BAD_SIGNATURE', `the signature of ${record.key}/${record.subkey} does not verify with the subkey's key`)
      }
    },
  }
}

/**
 * The key is one of the subnet's keys, and a heartbeat goes under its writer's own shard
 * (`hoster_{shard}`, the shard from the writer's peer id): no key holds every hoster, and a
 * writer cannot crowd a shard that is not its own.
 */
export function keyValidator(): RecordValidator {
  return {
    name: 'key',
    priority: 95,
    onRead: true,
    validate(record) {
      const key = parseKey(record.key)
      if (key === null) throw new RecordRefused('DHT_UNKNOWN_KEY', `key ${JSON.stringify(record.key.slice(0, 64))} is not one of the subnet's keys`)
      if (key.kind === 'heartbeat' && key.shard !== heartbeatShard(record.subkey)) {
        throw new RecordRefused('DHT_WRONG_SHARD', `${record.subkey} writes its heartbeat under ${key.name}_${heartbeatShard(record.subkey)}, not ${record.key}`)
      }
    },
  }
}
