// Per-key value checks for the DHT (PROTOCOL.md, "DHT records": each key's values checked for
// their shape and size when stored): the subnet's storing nodes refuse, and its readers drop, a
// value that its key's decoder refuses. src/dht knows no record format; the node registers these
// on its DHT (`dht.validators.add(recordValueValidator(…))`, src/node/subnet-node.ts).
import { RecordRefused } from '../dht/errors.js'
import { parseKey } from '../dht/keys.js'
import type { RecordValidator } from '../dht/validation.js'
import { errorMessage } from '../errors.js'
import { decodeTensor } from '../inference/tensor.js'
import { decodeChallenge } from './challenge.js'
import { decodeCommit, decodeReveal } from './commit.js'
import { decodeHeartbeat } from './heartbeat-record.js'
import { decodeScores } from './scores-codec.js'

export interface RecordValueInit {
  /** The subnet model's hidden size: a hoster reveal carries a float32 tensor of shape [nEmbd]. */
  nEmbd: number
}

/** Reveal payload bound of a hoster (a tensor of nEmbd float32 and its header), as scoring reads it. */
export function hosterRevealMaxPayload(nEmbd: number): number {
  return 64 + 4 * nEmbd
}

/** The largest validator reveal payload: a score vector of this many hosters at most. */
export const MAX_SCORED_HOSTERS = 100_000

/**
 * Checks that a value decodes as its key's record: a heartbeat of the key's role, a 32-byte commit,
 * a reveal of a [nEmbd] float32 tensor (hosters) or of a score vector (validators), a challenge of
 * the key's epoch. Runs on storing nodes and again on readers (`onRead`).
 */
export function recordValueValidator(init: RecordValueInit): RecordValidator {
  if (!Number.isSafeInteger(init.nEmbd) || init.nEmbd <= 0) throw new RangeError(`nEmbd must be a positive integer, got ${init.nEmbd}`)
  const maxPayload = hosterRevealMaxPayload(init.nEmbd)
  return {
    name: 'record-value',
    // After the cheap shape, key and owner checks, before signatures and the chain.
    priority: 40,
    onRead: true,
    validate(record) {
      const key = parseKey(record.key)
      // Unknown keys are the key validator's to refuse.
      if (key === null) return
      try {
        switch (key.kind) {
          case 'heartbeat': {
            const heartbeat = decodeHeartbeat(record.value)
            if (heartbeat.role !== key.name) throw new Error(`a ${heartbeat.role} heartbeat under a ${key.name} key`)
            break
          }
          case 'consensus-epoch': {
            const challenge = decodeChallenge(record.value)
            if (challenge.epoch !== key.epoch) throw new Error(`a challenge for epoch ${challenge.epoch} under the key of epoch ${key.epoch}`)
            break
          }
          case 'hoster-commit':
          case 'validator-commit':
            decodeCommit(record.value)
            break
          case 'hoster-reveal':
            decodeTensor(decodeReveal(record.value, maxPayload).payload, [init.nEmbd])
            break
          case 'validator-reveal':
            decodeScores(decodeReveal(record.value, record.value.length).payload, MAX_SCORED_HOSTERS)
            break
        }
      } catch (err) {
        throw new RecordRefused('DHT_BAD_VALUE', `${record.key} from ${record.subkey}: ${errorMessage(err)}`)
      }
    },
  }
}
