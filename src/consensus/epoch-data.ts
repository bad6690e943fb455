// Reading one epoch's game from the record store: the challenge to run, and the commits and
// reveals that every node scores. Records arrive signature-checked, the subkey being the writer.
import type { Chain, ConsensusEntry, ScoringReference, SubnetNode } from '../chain/chain.js'
import type { DhtRecord, RecordStore } from '../dht/record-store.js'
import { epochKey } from '../dht/keys.js'
import { challengeProblem, decodeChallenge, type Challenge } from './challenge.js'
import { REFERENCES } from './reference.js'
import { scoreHosters, scoreValidators, type PeerRecords, type RoleScores } from './scoring.js'
import { auditConfirmers, tallyAudits } from './audits.js'
import { buildEntries, hasClass } from './submission.js'

export interface ChosenChallenge {
  challenge: Challenge
  writer: string
  fromElected: boolean
  /** Every valid challenge stored for the epoch (the guard refuses all of them). */
  candidates: Challenge[]
}

/**
 * The challenge hosters run: the elected validator's when it stored a valid one, else the
 * valid one of the lowest writer peer id (an order every node agrees on).
 */
export function chooseChallenge(
  records: readonly DhtRecord[],
  electedPeerId: string | undefined,
  epoch: number,
  modelId: string,
  vocabulary: ReadonlySet<number>,
): ChosenChallenge | null {
  const valid: Array<{ writer: string; challenge: Challenge }> = []
  for (const record of records) {
    try {
      const challenge = decodeChallenge(record.value)
      if (challengeProblem(challenge, epoch, modelId, vocabulary) === null) valid.push({ writer: record.subkey, challenge })
    } catch {
      // a malformed challenge is one nobody runs
    }
  }
  if (valid.length === 0) return null
  valid.sort((a, b) => (a.writer < b.writer ? -1 : a.writer > b.writer ? 1 : 0))
  const elected = valid.find((v) => v.writer === electedPeerId)
  const chosen = elected ?? valid[0]
  return { ...chosen, fromElected: elected !== undefined, candidates: valid.map((v) => v.challenge) }
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
  /** Hosters with a confirmed audit failure in the epoch (scored 0). */
  auditFailures: string[]
  records: { hosterCommits: string[]; hosterReveals: string[]; validatorCommits: string[]; validatorReveals: string[]; hosterAudits: string[] }
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
  const [hosterCommits, hosterReveals, validatorCommits, validatorReveals, hosterAudits, nodes, subnet] = await Promise.all([
    get(epochKey('hoster-commit', epoch)),
    get(epochKey('hoster-reveal', epoch)),
    epoch > 0 ? get(epochKey('validator-commit', epoch - 1)) : Promise.resolve([]),
    get(epochKey('validator-reveal', epoch)),
    get(epochKey('hoster-audit', epoch)),
    components.chain.subnetNodes(options.subnetId),
    components.chain.subnet(options.subnetId),
  ])
  if (subnet === null) throw new RangeError(`subnet ${options.subnetId} does not exist on chain`)
  const scoring = { tau: options.tau, reference: REFERENCES[subnet.reference] }
  const audits = tallyAudits(hosterAudits, auditConfirmers(nodes, epoch))
  const hosters = scoreHosters(pairRecords(hosterCommits, hosterReveals), options.nEmbd, scoring, new Set(audits.confirmed.keys()))
  const validators = scoreValidators(pairRecords(validatorCommits, validatorReveals), epoch - 1, scoring)
  const writers = (records: DhtRecord[]) => records.map((r) => r.subkey).sort()
  return {
    epoch,
    reference: subnet.reference,
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
  }
}

/** Node ids of the nodes that are Included+ in `epoch`. */
export function includedIds(nodes: readonly SubnetNode[], epoch: number): Set<number> {
  return new Set(nodes.filter((n) => hasClass(n, 'Included', epoch)).map((n) => n.id))
}
