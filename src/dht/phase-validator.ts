// The phase predicate (PROTOCOL.md, "Epochs and phases"): which keys may be written in which part
// of which epoch, and how long their records may live.
import { RecordRefused } from './errors.js'
import type { EpochClock } from './epoch-clock.js'
import { inPhase, maxExpiration, parseKey, PHASE_SLACK_BLOCKS, writableBlocks } from './keys.js'
import type { RecordValidator } from './validation.js'

/** Slack on the heartbeat expiration bound, for the same clock skew and the time a write takes to arrive. */
export const EXPIRATION_SLACK_MS = 30_000

export function phaseValidator(components: { clock: EpochClock }, init: { slackBlocks?: number; expirationSlackMs?: number } = {}): RecordValidator {
  const slackBlocks = init.slackBlocks ?? PHASE_SLACK_BLOCKS
  const expirationSlackMs = init.expirationSlackMs ?? EXPIRATION_SLACK_MS
  return {
    name: 'phase',
    priority: 50,
    async validate(record, context) {
      const key = parseKey(record.key)
      if (key === null) throw new RecordRefused('DHT_UNKNOWN_KEY', `key ${JSON.stringify(record.key)} is not one of the subnet's keys`)
      const clock = await components.clock.now()
      // A handoff vouched for by a majority of the key's replicas was accepted in time: re-replication keeps it after its window.
      if (key.kind !== 'heartbeat' && context.vouched !== true && !inPhase(key.kind, key.epoch, clock, slackBlocks)) {
        const { from, to } = writableBlocks(key.kind, key.epoch, clock)
        throw new RecordRefused('DHT_OUT_OF_PHASE', `${record.key} is writable in blocks [${from}, ${to}), the chain is at block ${clock.block}`)
      }
      const latest = maxExpiration(key, clock, components.clock.blockTimeMs, context.now) + expirationSlackMs
      if (record.expiration > latest) {
        throw new RecordRefused('DHT_EXPIRATION_TOO_FAR', `expiration of ${record.key} is ${record.expiration - latest} ms past the latest allowed`)
      }
    },
  }
}
