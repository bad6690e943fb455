// The DHT's key names and the phase table (PROTOCOL.md, "Epochs and phases"): which key may be
// written in which part of which epoch, and how long its records may live. Consensus builds its
// keys with these functions so that writers and storing nodes agree on one table.
import { createHash } from 'node:crypto'
import type { EpochInfo } from '../chain/chain.js'
import { MeshError } from '../errors.js'

/**
 * Heartbeat keys: written any time, each record living at most 1.1 epochs, sharded by writer:
 * a node writes `hoster_{shard}` or `validator_{shard}`, the shard from its peer id, so that no
 * one key (and no one replica set) holds every hoster.
 */
export const HEARTBEAT_KEYS = ['hoster', 'validator'] as const
export type HeartbeatKey = (typeof HEARTBEAT_KEYS)[number]
export const HEARTBEAT_SHARDS = 8

/** The heartbeat shard of a writer: sha256("mesh/heartbeat-shard/v1" ‖ 0 ‖ peer id), first 4 bytes, mod the shard count. */
export function heartbeatShard(peerId: string): number {
  return createHash('sha256').update('mesh/heartbeat-shard/v1').update(Uint8Array.of(0)).update(peerId).digest().readUInt32BE(0) % HEARTBEAT_SHARDS
}

/** The key `writer` stores its heartbeat of `role` under: `hoster_3`, `validator_0`, … */
export function heartbeatKey(role: HeartbeatKey, writer: string): string {
  return `${role}_${heartbeatShard(writer)}`
}

/** Every shard key of `role`: what a reader of all heartbeats reads. */
export function heartbeatKeys(role: HeartbeatKey): string[] {
  return Array.from({ length: HEARTBEAT_SHARDS }, (_, shard) => `${role}_${shard}`)
}

/** Keys of one epoch's consensus game, each writable only inside its phase window. */
export const EPOCH_KEY_KINDS = [
  'consensus-epoch',
  'hoster-commit',
  'hoster-reveal',
  'validator-reveal',
  'validator-commit',
  'hoster-audit',
] as const
export type EpochKeyKind = (typeof EPOCH_KEY_KINDS)[number]

/** A phase window as fractions of the epoch: [start, end). */
export interface PhaseWindow {
  start: number
  end: number
}

/** The windows of version 2: between the commits' close (40%) and the reveals' opening (50%), nobody writes. */
export const PHASES: Readonly<Record<EpochKeyKind, PhaseWindow>> = {
  'consensus-epoch': { start: 0, end: 0.15 },
  'hoster-commit': { start: 0.15, end: 0.4 },
  'hoster-reveal': { start: 0.5, end: 0.65 },
  'validator-reveal': { start: 0.5, end: 0.65 },
  'validator-commit': { start: 0.65, end: 1 },
  // Published audit failures and their confirmations: any time in the epoch (a writer replaces its own record as it adds evidence).
  'hoster-audit': { start: 0, end: 1 },
}

/**
 * Blocks of slack on each side of a phase window at a storing node. A writer and a storing node
 * judge the phase from their own view of the chain head, which differ by up to a block while one
 * has imported a block that the other has not.
 */
export const PHASE_SLACK_BLOCKS = 1

/** Each commit key, the reveal key that opens it, and how many epochs later that reveal is written. */
const OPENED_BY: ReadonlyArray<[EpochKeyKind, EpochKeyKind, number]> = [
  ['hoster-commit', 'hoster-reveal', 0],
  ['validator-commit', 'validator-reveal', 1],
]

/** How long a heartbeat may live, in epochs from now. */
export const HEARTBEAT_MAX_EPOCHS = 1.1

/**
 * How many epochs after its own an epoch key's records may live: a validator commit of epoch e
 * is revealed in e+1 and scored until the end of e+1; one more epoch covers attestors that
 * re-read the data the elected validator scored.
 */
export const EPOCH_KEY_EXTRA_EPOCHS = 2

export type ParsedKey =
  | { kind: 'heartbeat'; name: HeartbeatKey; shard: number }
  | { kind: EpochKeyKind; epoch: number }

/** The key of `kind` for epoch `epoch`: `consensus-epoch_7`, `hoster-commit_epoch_7`, … */
export function epochKey(kind: EpochKeyKind, epoch: number): string {
  if (!Number.isSafeInteger(epoch) || epoch < 0) throw new RangeError(`epoch must be a non-negative integer, got ${epoch}`)
  return kind === 'consensus-epoch' ? `consensus-epoch_${epoch}` : `${kind}_epoch_${epoch}`
}

const HEARTBEAT_KEY = /^(hoster|validator)_([0-9]{1,3})$/
const EPOCH_KEY = /^(consensus-epoch|hoster-commit_epoch|hoster-reveal_epoch|validator-reveal_epoch|validator-commit_epoch|hoster-audit_epoch)_(0|[1-9][0-9]{0,14})$/

/** The kind (and epoch) of an allowed key, or null for any other key. */
export function parseKey(key: string): ParsedKey | null {
  const heartbeat = HEARTBEAT_KEY.exec(key)
  if (heartbeat !== null) {
    const shard = Number(heartbeat[2])
    return shard < HEARTBEAT_SHARDS && String(shard) === heartbeat[2] ? { kind: 'heartbeat', name: heartbeat[1] as HeartbeatKey, shard } : null
  }
  const match = EPOCH_KEY.exec(key)
  if (match === null) return null
  const kind = match[1]!.replace(/_epoch$/, '') as EpochKeyKind
  return { kind, epoch: Number(match[2]) }
}

/** The block range [from, to) in which an epoch key may be written, widened by `slackBlocks` each side. */
export function writableBlocks(
  kind: EpochKeyKind,
  epoch: number,
  clock: Pick<EpochInfo, 'slot' | 'epochLength'>,
  slackBlocks = 0,
): { from: number; to: number } {
  const epochStart = clock.slot + epoch * clock.epochLength
  const window = PHASES[kind]
  // Block index i is inside when start <= i / L < end; the epsilon absorbs float noise (0.15 * 20).
  const firstIndex = (fraction: number): number => Math.ceil(fraction * clock.epochLength - 1e-9)
  return {
    from: epochStart + firstIndex(window.start) - slackBlocks,
    to: epochStart + firstIndex(window.end) + slackBlocks,
  }
}

/**
 * Why the windows cannot serve an epoch of `epochLength` blocks, or null when they can: every
 * window holds a block, and (the invariant of PROTOCOL.md, "Epochs and phases") the last block at
 * which a storing node one block behind still accepts a commit comes before the first block at
 * which an honest node reveals.
 */
export function epochLengthProblem(epochLength: number, slackBlocks = PHASE_SLACK_BLOCKS): string | null {
  if (!Number.isSafeInteger(epochLength) || epochLength < 1) return `an epoch length is a positive integer of blocks, not ${epochLength}`
  const clock = { slot: 0, epochLength }
  for (const kind of EPOCH_KEY_KINDS) {
    const { from, to } = writableBlocks(kind, 0, clock)
    if (from >= to) return `the ${kind} window (${PHASES[kind].start * 100}–${PHASES[kind].end * 100}%) holds no block of a ${epochLength}-block epoch`
  }
  for (const [commit, reveal, later] of OPENED_BY) {
    // A storing node accepts up to block `to - 1` of its own view; one block behind, that is block `to`.
    const lastAccepted = writableBlocks(commit, 0, clock, slackBlocks).to
    const firstReveal = writableBlocks(reveal, later, clock).from
    if (lastAccepted >= firstReveal) {
      return `in a ${epochLength}-block epoch a storing node one block behind still accepts ${commit} records at block ${lastAccepted}, ` +
        `and honest ${reveal} records are written from block ${firstReveal}: a copier could commit what it read`
    }
  }
  return null
}

/** Refuses an epoch length the windows cannot serve (MeshError EPOCH_LENGTH_UNSERVED). */
export function checkEpochLength(epochLength: number): void {
  const problem = epochLengthProblem(epochLength)
  if (problem !== null) {
    throw new MeshError('EPOCH_LENGTH_UNSERVED', `the subnet's epoch of ${epochLength} blocks cannot be played: ${problem}`, {
      fix: `use an epoch of ${SERVED_LENGTHS} blocks; the Hypertensor testnet's is 20`,
    })
  }
}

/** Whether the phase window of `kind` in `epoch` is open at the clock's block. */
export function inPhase(kind: EpochKeyKind, epoch: number, clock: Pick<EpochInfo, 'block' | 'slot' | 'epochLength'>, slackBlocks = 0): boolean {
  const { from, to } = writableBlocks(kind, epoch, clock, slackBlocks)
  return clock.block >= from && clock.block < to
}

/** The latest expiration (unix ms) a record of `key` may carry when written at `now`, or null for a key that is not allowed. */
export function maxExpiration(key: ParsedKey, clock: Pick<EpochInfo, 'block' | 'slot' | 'epochLength'>, blockTimeMs: number, now: number): number {
  const epochMs = clock.epochLength * blockTimeMs
  if (key.kind === 'heartbeat') return now + HEARTBEAT_MAX_EPOCHS * epochMs
  const lastBlock = clock.slot + (key.epoch + 1 + EPOCH_KEY_EXTRA_EPOCHS) * clock.epochLength
  return now + Math.max(0, lastBlock - clock.block) * blockTimeMs
}

/** The epoch lengths the windows serve, in words: the few short ones, then every length from some point on (checked to 10,000). */
const SERVED_LENGTHS = ((): string => {
  let from = 10_000
  while (from > 1 && epochLengthProblem(from - 1) === null) from--
  const short = Array.from({ length: from }, (_, i) => i).filter((length) => epochLengthProblem(length) === null)
  return `${short.length === 0 ? '' : `${short.join(', ')} or `}${from} or more`
})()

/** The shortest epoch the windows serve (some longer ones fail the invariant, e.g. 16 and 18). */
export const MIN_EPOCH_LENGTH = ((): number => {
  let length = 1
  while (epochLengthProblem(length) !== null) length++
  return length
})()
