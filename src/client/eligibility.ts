// Which hosters a client may route to (PROTOCOL.md, "Served inference"): Included+ nodes on
// chain, without a confirmed audit failure in this epoch or the last, whose latest score on
// chain is above a floor. Read from the chain and the store at most once per refresh interval,
// behind the requests.
import { hasClass, type Chain, type ConsensusSubmission, type SubnetNode } from '../chain/chain.js'
import { auditConfirmers, tallyAudits } from '../consensus/audits.js'
import { epochKey, type EpochKeyKind } from '../dht/keys.js'
import type { RecordStore } from '../dht/record-store.js'
import { errorMessage } from '../errors.js'
import { logger } from '../log.js'
import { Refreshed } from './refreshed.js'

const log = logger('client:eligibility')

export interface EligibilityOptions {
  subnetId: number
  /**
   * A hoster whose latest score on chain is under this share of the median positive score is
   * not routed to (default 0.1). A hoster not scored yet (new) is.
   */
  scoreFloor?: number
  /** How long one reading is used (default 10 s). */
  refreshMs?: number
  now?: () => number
}

export interface EligibilityView {
  allowed(peerId: string): boolean
  /** Hosters with a confirmed audit failure in this epoch or the last. */
  confirmedFailures: ReadonlySet<string>
}

export class HosterEligibility {
  private readonly reading: Refreshed<EligibilityView>

  constructor(private readonly components: { chain: Chain; records: RecordStore }, private readonly options: EligibilityOptions) {
    this.reading = new Refreshed(() => this.read(), { refreshMs: options.refreshMs ?? 10_000, now: options.now ?? Date.now })
  }

  /**
   * The last reading; one older than the refresh interval starts the next behind the caller.
   * Only the first is waited for: a reading takes chain queries and DHT reads of two epochs'
   * audit records (1–3 s), which a request paid as time to first token every refresh interval.
   */
  view(): Promise<EligibilityView> {
    return this.reading.get()
  }

  /** As `view`, without starting the next reading: a request's path. */
  current(): Promise<EligibilityView> {
    return this.reading.current()
  }

  /** Starts the next reading when the last is older than the refresh interval. */
  refresh(): void {
    this.reading.refresh()
  }

  private async read(): Promise<EligibilityView> {
    const { chain } = this.components
    const { subnetId } = this.options
    const info = await chain.epochInfo(subnetId)
    const epoch = info.epoch
    const nodes = await chain.subnetNodes(subnetId)
    const [submission, failures] = await Promise.all([latestSubmission(chain, subnetId, epoch), this.confirmed(nodes, epoch)])
    const byPeer = new Map(nodes.map((n) => [n.peerId, n]))
    const scores = new Map((submission?.data ?? []).map((e) => [e.nodeId, Number(e.score)]))
    const positive = [...scores.values()].filter((s) => s > 0).sort((a, b) => a - b)
    const floor = positive.length === 0 ? 0 : (this.options.scoreFloor ?? 0.1) * positive[Math.floor(positive.length / 2)]
    return {
      confirmedFailures: failures,
      allowed: (peerId) => {
        const node = byPeer.get(peerId)
        if (node === undefined || !hasClass(node, 'Included', epoch) || failures.has(peerId)) return false
        const score = scores.get(node.id)
        return score === undefined || (score > 0 && score >= floor)
      },
    }
  }

  /** Confirmed failures of this epoch and the last (a failure late in an epoch still counts in the next). */
  private async confirmed(nodes: readonly SubnetNode[], epoch: number): Promise<Set<string>> {
    const out = new Set<string>()
    for (const e of epoch > 0 ? [epoch - 1, epoch] : [epoch]) {
      try {
        const read = (kind: EpochKeyKind) => this.components.records.get(epochKey(kind, e), { timeoutMs: 5_000 })
        // The epoch's hosters of the model (its commits) are who may confirm.
        const [records, commits] = await Promise.all([read('hoster-audit'), read('hoster-commit')])
        for (const hoster of tallyAudits(records, auditConfirmers(nodes, e, commits)).confirmed.keys()) out.add(hoster)
      } catch (err) {
        log.debug('audit records unreadable', { epoch: e, error: errorMessage(err) })
      }
    }
    return out
  }
}

/** The latest scores proposed on chain: those of the epoch before, else the one before that. */
async function latestSubmission(chain: Chain, subnetId: number, epoch: number): Promise<ConsensusSubmission | null> {
  for (const e of [epoch, epoch - 1]) {
    if (e < 0) continue
    const submission = await chain.consensusSubmission(subnetId, e)
    if (submission !== null) return submission
  }
  return null
}
