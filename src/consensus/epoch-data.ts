// Reading one epoch's game from the record store: the stored challenge checked against the derivation, and the commits and
// reveals that every node scores. Records arrive signature-checked, the subkey being the writer.
import type { Chain, ConsensusEntry, ScoringReference, SubnetNode } from '../chain/chain.js'
import type { DhtRecord, RecordStore } from '../dht/record-store.js'
import { epochKey } from '../dht/keys.js'
import { decodeChallenge, sameChallenge, type Challenge } from './challenge.js'
import { REFERENCES } from './reference.js'
import { scoreHosters, scoreValidators, type PeerRecords, type RoleScores } from './scoring.js'
import { buildEntries, hasClass } from './submission.js'

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

export interface EpochScores {
  epoch: number
  /** The subnet's reference the scores were computed against, as the chain said. */
  reference: ScoringReference
  hosters: RoleScores
  validators: RoleScores
  entries: ConsensusEntry[]
  /** Node ids Included+ in the next epoch, as the chain said when the scores were computed (for the churn tolerance). */
  included: Set<number>
  records: { hosterCommits: string[]; hosterReveals: string[]; validatorCommits: string[]; validatorReveals: string[] }
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
 * commits of the epoch before with their reveals in this one, against the reference the subnet
 * chose on chain.
 */
export async function scoreEpoch(components: { store: RecordStore; chain: Chain }, epoch: number, options: ScoreEpochOptions): Promise<EpochScores> {
  const get = (key: string) => components.store.get(key, { timeoutMs: options.timeoutMs })
  const [hosterCommits, hosterReveals, validatorCommits, validatorReveals, nodes, subnet] = await Promise.all([
    get(epochKey('hoster-commit', epoch)),
    get(epochKey('hoster-reveal', epoch)),
    epoch > 0 ? get(epochKey('validator-commit', epoch - 1)) : Promise.resolve([]),
    get(epochKey('validator-reveal', epoch)),
    components.chain.subnetNodes(options.subnetId),
    components.chain.subnet(options.subnetId),
  ])
  if (subnet === null) throw new RangeError(`subnet ${options.subnetId} does not exist on chain`)
  const scoring = { tau: options.tau, reference: REFERENCES[subnet.reference] }
  const hosters = scoreHosters(pairRecords(hosterCommits, hosterReveals), options.nEmbd, scoring)
  const validators = scoreValidators(pairRecords(validatorCommits, validatorReveals), epoch - 1, scoring)
  const writers = (records: DhtRecord[]) => records.map((r) => r.subkey).sort()
  return {
    epoch,
    reference: subnet.reference,
    hosters,
    validators,
    entries: buildEntries(hosters, validators, nodes, epoch + 1),
    included: includedIds(nodes, epoch + 1),
    records: {
      hosterCommits: writers(hosterCommits),
      hosterReveals: writers(hosterReveals),
      validatorCommits: writers(validatorCommits),
      validatorReveals: writers(validatorReveals),
    },
  }
}

/** Node ids of the nodes that are Included+ in `epoch`. */
export function includedIds(nodes: readonly SubnetNode[], epoch: number): Set<number> {
  return new Set(nodes.filter((n) => hasClass(n, 'Included', epoch)).map((n) => n.id))
}
