// The DHT's key names and the phase table (PROTOCOL.md, "Epochs and phases"): which key may be
// written in which part of which epoch, and how long its records may live. Consensus builds its
// keys with these functions so that writers and storing nodes agree on one table.
import type { EpochInfo } from '../chain/chain.js'

/** Heartbeat keys: written any time, each record living at most 1.1 epochs. */
export const HEARTBEAT_KEYS = ['hoster', 'validator'] as const
export type HeartbeatKey = (typeof HEARTBEAT_KEYS)[number]

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

export const PHASES: Readonly<Record<EpochKeyKind, PhaseWindow>> = {
  'consensus-epoch': { start: 0, end: 0.15 },
  'hoster-commit': { start: 0.15, end: 0.5 },
  'hoster-reveal': { start: 0.5, end: 0.6 },
  'validator-reveal': { start: 0.5, end: 0.6 },
  'validator-commit': { start: 0.6, end: 1 },
  // Published audit failures and their confirmations: any time in the epoch (a writer replaces its own record as it adds evidence).
  'hoster-audit': { start: 0, end: 1 },
}

/** How long a heartbeat may live, in epochs from now. */
export const HEARTBEAT_MAX_EPOCHS = 1.1

/**
 * How many epochs after its own an epoch key's records may live: a validator commit of epoch e
 * is revealed in e+1 and scored until the end of e+1; one more epoch covers attestors that
 * re-read the data the elected validator scored.
 */
export const EPOCH_KEY_EXTRA_EPOCHS = 2

export type ParsedKey =
  | { kind: 'heartbeat'; name: HeartbeatKey }
  | { kind: EpochKeyKind; epoch: number }

/** The key of `kind` for epoch `epoch`: `consensus-epoch_7`, `hoster-commit_epoch_7`, … */
export function epochKey(kind: EpochKeyKind, epoch: number): string {
  if (!Number.isSafeInteger(epoch) || epoch < 0) throw new RangeError(`epoch must be a non-negative integer, got ${epoch}`)
  return kind === 'consensus-epoch' ? `consensus-epoch_${epoch}` : `${kind}_epoch_${epoch}`
}

const EPOCH_KEY = /^(consensus-epoch|hoster-commit_epoch|hoster-reveal_epoch|validator-reveal_epoch|validator-commit_epoch|hoster-audit_epoch)_(0|[1-9][0-9]{0,14})$/

/** The kind (and epoch) of an allowed key, or null for any other key. */
export function parseKey(key: string): ParsedKey | null {
  if ((HEARTBEAT_KEYS as readonly string[]).includes(key)) return { kind: 'heartbeat', name: key as HeartbeatKey }
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
