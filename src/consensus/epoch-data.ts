// Reading one epoch's game from the record store: the stored challenge checked against the
// derivation, and the commits and reveals that every node scores. Records arrive through the
// store's read-side check (signature, expiry, replicas vouching), the subkey being the writer; who
// may play is checked again here.
import { hasClass, type Chain, type ConsensusEntry, type SubnetNode } from '../chain/chain.js'
import type { DhtRecord, RecordStore } from '../dht/record-store.js'
import { epochKey } from '../dht/keys.js'
import { decodeChallenge, sameChallenge, type Challenge } from './challenge.js'
import { recordSetDigest } from './record-set.js'
import { scoreHosters, scoreValidators, type PeerRecords, type RoleScores } from './scoring.js'
import { auditConfirmers, tallyAudits } from './audits.js'
import { buildEntries } from './submission.js'

export interface StoredChallengeCheck {
  /** Whether the elected validator stored exactly the derived challenge. */
  fromElected: boolean
  /** Writers of stored challenges that are not the derivation (malformed, another epoch, model or tokens): ignored. */
  ignored: string[]
}

/**
 * Checks the challenges stored under `consensus-epoch_{e}` against the derivation: only the
 * derived challenge is ever run (a node that finds none runs it all the same); a record that
 * differs from it is ignored, whoever wrote it.
 */
export function checkStoredChallenge(records: readonly DhtRecord[], derived: Challenge, electedPeerId: string | undefined): StoredChallengeCheck {
  let fromElected = false
  const ignored: string[] = []
  for (const record of records) {
    let matches = false
    try {
      matches = sameChallenge(decodeChallenge(record.value), derived)
    } catch {
      // a malformed challenge is ignored like any other that is not the derivation
    }
    if (!matches) ignored.push(record.subkey)
    else if (record.subkey === electedPeerId) fromElected = true
  }
  return { fromElected, ignored: ignored.sort() }
}

/** Pairs each writer's commit with its reveal. */
export function pairRecords(commits: readonly DhtRecord[], reveals: readonly DhtRecord[]): PeerRecords[] {
  const byPeer = new Map<string, PeerRecords>()
  const entry = (peerId: string) => byPeer.get(peerId) ?? byPeer.set(peerId, { peerId }).get(peerId)!
  for (const r of commits) entry(r.subkey).commit = r.value
  for (const r of reveals) entry(r.subkey).reveal = r.value
  return [...byPeer.values()]
}

/** The records of each key one epoch's scores are computed from, by key. */
export type EpochRecords = ReadonlyMap<string, readonly DhtRecord[]>

/**
 * The keys the scores of `epoch` are computed from: its hoster commits and reveals, the validator
 * reveals stored in it with their commits of the epoch before, and the hoster commits of the epoch
 * before (who was a hoster there: its validator commit of that epoch does not count).
 */
export function scoredKeys(epoch: number): string[] {
  // The audit failures published in the epoch zero scores: they are part of the record set.
  const keys = [epochKey('hoster-commit', epoch), epochKey('hoster-reveal', epoch), epochKey('validator-reveal', epoch), epochKey('hoster-audit', epoch)]
  if (epoch > 0) keys.push(epochKey('validator-commit', epoch - 1), epochKey('hoster-commit', epoch - 1))
  return keys
}

export interface EpochScores {
  epoch: number
  hosters: RoleScores
  validators: RoleScores
  entries: ConsensusEntry[]
  /** Node ids Included+ in the next epoch, as the chain said when the scores were computed (for the churn tolerance). */
  included: Set<number>
  /** Hosters with a confirmed audit failure in the epoch (scored 0). */
  auditFailures: string[]
  records: { hosterCommits: string[]; hosterReveals: string[]; validatorCommits: string[]; validatorReveals: string[]; hosterAudits: string[] }
  /** Records that were read but do not count, one line each (writer not a node's own peer id, a hoster's validator records). */
  ignored: string[]
  /** The records counted, by key: the record set the digest covers. */
  recordSet: EpochRecords
  /** recordSetDigest of `recordSet`: what the proposer puts in its submission's args. */
  digest: Uint8Array
  /** The subnet's nodes as the chain listed them when the scores were computed (a repair recomputes against the same list). */
  nodes: readonly SubnetNode[]
}

export interface ScoreEpochOptions {
  subnetId: number
  nEmbd: number
  /** The tolerance τ of the score 1 / (1 + d / τ). */
  tau: number
  timeoutMs: number
}

/**
 * Scores epoch `epoch` from the store: its hoster commits and reveals, and the validators'
 * commits of the epoch before with their reveals in this one, against their medians.
 */
export async function scoreEpoch(components: { store: RecordStore; chain: Chain }, epoch: number, options: ScoreEpochOptions): Promise<EpochScores> {
  const [records, nodes] = await Promise.all([
    readEpochRecords(components.store, epoch, options.timeoutMs),
    components.chain.subnetNodes(options.subnetId),
  ])
  return scoreRecords(records, nodes, epoch, options)
}

/** Every record of the keys the scores of `epoch` are computed from. */
export async function readEpochRecords(store: RecordStore, epoch: number, timeoutMs: number): Promise<EpochRecords> {
  const keys = scoredKeys(epoch)
  const read = await Promise.all(keys.map((key) => store.get(key, { timeoutMs })))
  return new Map(keys.map((key, i) => [key, read[i]!]))
}

/**
 * The attestor's repair (PROTOCOL.md, "One record set"): for each key of `scores`, fetches by
 * subkey the records of the registered nodes it has no record of, and returns the scores
 * recomputed from its records and those, with how many were fetched. `scores` is left as it was.
 */
export async function repairScores(store: RecordStore, scores: EpochScores, options: ScoreEpochOptions): Promise<{ scores: EpochScores; fetched: number }> {
  const ownIds = scores.nodes.map((n) => n.peerId)
  const merged = new Map<string, readonly DhtRecord[]>()
  let fetched = 0
  await Promise.all(scoredKeys(scores.epoch).map(async (key) => {
    const have = scores.recordSet.get(key) ?? []
    const known = new Set(have.map((r) => r.subkey))
    const missing = ownIds.filter((id) => !known.has(id))
    const found = missing.length === 0 ? [] : await store.get(key, { timeoutMs: options.timeoutMs, subkeys: missing })
    const wanted = new Set(missing)
    const added = found.filter((r) => r.key === key && wanted.delete(r.subkey))
    fetched += added.length
    merged.set(key, [...have, ...added])
  }))
  return { scores: scoreRecords(merged, scores.nodes, scores.epoch, options), fetched }
}

/**
 * The scores of `epoch` from its records (PROTOCOL.md, "Who plays, and which records count"):
 * only records whose writer is a registered node's own peer id count (not its bootnode or client
 * peer id), and a node that wrote a hoster commit in an epoch is a hoster there: its validator
 * records of that epoch are ignored. Every node applies the same rules to the same records.
 */
export function scoreRecords(read: EpochRecords, nodes: readonly SubnetNode[], epoch: number, options: Pick<ScoreEpochOptions, 'nEmbd' | 'tau'>): EpochScores {
  const own = new Set(nodes.map((n) => n.peerId))
  const ignored: string[] = []
  const recordSet = new Map<string, DhtRecord[]>()
  for (const key of scoredKeys(epoch)) {
    const kept: DhtRecord[] = []
    for (const r of read.get(key) ?? []) {
      if (!own.has(r.subkey)) ignored.push(`${key}: ${r.subkey} is not a registered node's own peer id`)
      else if (!kept.some((k) => k.subkey === r.subkey)) kept.push(r)
    }
    recordSet.set(key, kept)
  }
  const of = (kind: Parameters<typeof epochKey>[0], e: number): DhtRecord[] => (e < 0 ? [] : recordSet.get(epochKey(kind, e)) ?? [])
  const hostersIn = (e: number) => new Set(of('hoster-commit', e).map((r) => r.subkey))
  /** A validator record of epoch `e` counts only from a node that was no hoster in `e`. */
  const asValidator = (records: DhtRecord[], e: number): DhtRecord[] => {
    const hosters = hostersIn(e)
    return records.filter((r) => {
      if (!hosters.has(r.subkey)) return true
      ignored.push(`${r.key}: ${r.subkey} wrote a hoster commit in epoch ${e}, so it is a hoster there`)
      return false
    })
  }
  const hosterCommits = of('hoster-commit', epoch)
  const hosterReveals = of('hoster-reveal', epoch)
  const validatorReveals = asValidator(of('validator-reveal', epoch), epoch)
  // A commit whose reveal was ignored has nothing to pair with: the node is no validator here.
  const hosting = hostersIn(epoch)
  const validatorCommits = asValidator(of('validator-commit', epoch - 1), epoch - 1).filter((r) => !hosting.has(r.subkey))
  const scoring = { tau: options.tau }
  const hosterAudits = of('hoster-audit', epoch)
  const audits = tallyAudits(hosterAudits, auditConfirmers(nodes, epoch, hosterCommits))
  const hosters = scoreHosters(pairRecords(hosterCommits, hosterReveals), options.nEmbd, scoring, new Set(audits.confirmed.keys()))
  const validators = scoreValidators(pairRecords(validatorCommits, validatorReveals), epoch - 1, scoring)
  const writers = (records: DhtRecord[]) => records.map((r) => r.subkey).sort()
  return {
    epoch,
    hosters,
    validators,
    auditFailures: [...audits.confirmed.keys()].sort(),
    entries: buildEntries(hosters, validators, nodes, epoch + 1),
    included: includedIds(nodes, epoch + 1),
    records: {
      hosterCommits: writers(hosterCommits),
      hosterReveals: writers(hosterReveals),
      validatorCommits: writers(validatorCommits),
      validatorReveals: writers(validatorReveals),
      hosterAudits: writers(hosterAudits),
    },
    ignored,
    recordSet,
    digest: recordSetDigest([...recordSet.values()].flat()),
    nodes,
  }
}

/** Node ids of the nodes that are Included+ in `epoch`. */
export function includedIds(nodes: readonly SubnetNode[], epoch: number): Set<number> {
  return new Set(nodes.filter((n) => hasClass(n, 'Included', epoch)).map((n) => n.id))
}
