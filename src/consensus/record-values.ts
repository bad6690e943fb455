// Per-key value checks for the DHT (PROTOCOL.md, "DHT records": each key's values checked for
// their shape and size when stored): the subnet's storing nodes refuse, and its readers drop, a
// value that its key's decoder refuses, and a challenge that is not the epoch's derivation. src/dht
// knows no record format; the node registers these on its DHT (src/node/subnet-node.ts).
import { RecordRefused } from '../dht/errors.js'
import { parseKey } from '../dht/keys.js'
import type { RecordValidator } from '../dht/validation.js'
import { errorMessage } from '../errors.js'
import { decodeTensor } from '../inference/tensor.js'
import { decodeChallenge, deriveChallenge, encodeChallenge } from './challenge.js'
import { decodeCommit, decodeReveal } from './commit.js'
import { decodeHeartbeat } from './heartbeat-record.js'
import { decodeScores } from './scores-codec.js'

export interface RecordValueInit {
  /** The subnet model's hidden size: a hoster reveal carries a float32 tensor of shape [nEmbd]. */
  nEmbd: number
  /** What each epoch's challenge derives from (PROTOCOL.md, "The challenge"): every subnet node has the model file and the chain. */
  challenge: ChallengeSource
}

export interface ChallengeSource {
  subnetId: number
  /** The subnet model's GGUF sha256. */
  modelId: string
  /** The model's challenge vocabulary, ascending (`ModelFileInfo.challengeVocabulary`). */
  vocabulary: readonly number[]
  /** The seed of `epoch`: the hash of its first block (`epochSeed`); throws when it cannot be read. */
  seed(epoch: number): Promise<Uint8Array>
}

/** Derived challenges kept (a storing node checks the current epoch's, a reader sometimes the last one's). */
const DERIVED_KEPT = 4

/**
 * The encoded challenge of each epoch, derived once. A seed that cannot be read is not kept: the
 * next record asks the chain again.
 */
function derivedChallenges(source: ChallengeSource): (epoch: number) => Promise<Uint8Array> {
  const derived = new Map<number, Promise<Uint8Array>>()
  return (epoch) => {
    let bytes = derived.get(epoch)
    if (bytes === undefined) {
      bytes = source.seed(epoch).then((seed) => encodeChallenge(deriveChallenge(seed, source.subnetId, epoch, source.modelId, source.vocabulary)))
      derived.set(epoch, bytes)
      bytes.catch(() => { if (derived.get(epoch) === bytes) derived.delete(epoch) })
      for (const old of derived.keys()) if (derived.size > DERIVED_KEPT) derived.delete(old)
    }
    return bytes
  }
}

/** Reveal payload bound of a hoster (a tensor of nEmbd float32 and its header), as scoring reads it. */
export function hosterRevealMaxPayload(nEmbd: number): number {
  return 64 + 4 * nEmbd
}

/** The largest validator reveal payload: a score vector of this many hosters at most. */
export const MAX_SCORED_HOSTERS = 100_000

/**
 * Checks that a value decodes as its key's record: a heartbeat of the key's role, a 32-byte commit,
 * a reveal of a [nEmbd] float32 tensor (hosters) or of a score vector (validators), and for the
 * challenge the very bytes derived from the epoch's seed and the model (a few HMACs and one block
 * hash an epoch): a validator cannot fill storage with challenges of its own. Runs on storing nodes
 * and again on readers (`onRead`).
 */
export function recordValueValidator(init: RecordValueInit): RecordValidator {
  if (!Number.isSafeInteger(init.nEmbd) || init.nEmbd <= 0) throw new RangeError(`nEmbd must be a positive integer, got ${init.nEmbd}`)
  const maxPayload = hosterRevealMaxPayload(init.nEmbd)
  const challengeOf = derivedChallenges(init.challenge)
  return {
    name: 'record-value',
    // After the cheap shape, key, owner and phase checks, before signatures and the stake check
    // (the challenge's block hash is read once an epoch).
    priority: 40,
    onRead: true,
    async validate(record) {
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
            let expected: Uint8Array
            try {
              expected = await challengeOf(key.epoch)
            } catch (err) {
              throw new Error(`cannot be checked: the seed of epoch ${key.epoch} cannot be read (${errorMessage(err)}); store it again once the chain answers`)
            }
            if (!Buffer.from(expected).equals(record.value)) {
              throw new Error(`not the challenge derived from the seed of epoch ${key.epoch} and the subnet's model ${init.challenge.modelId.slice(0, 12)}…: challenges are derived, never chosen (PROTOCOL.md, "The challenge")`)
            }
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
