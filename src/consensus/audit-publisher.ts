// The writing side of hoster-audit_epoch_{e}: a writer's one record per epoch, rewritten with
// each item of evidence it adds (up to MAX_EVIDENCE_PER_RECORD; past that, the epoch has enough
// against everyone it names).
import type { Chain } from '../chain/chain.js'
import { epochKey, maxExpiration, parseKey } from '../dht/keys.js'
import type { RecordStore } from '../dht/record-store.js'
import { encodeAuditRecord, type Evidence, MAX_EVIDENCE_PER_RECORD } from './audits.js'

export class AuditPublisher {
  private epoch = -1
  private evidence: Evidence[] = []
  private writing: Promise<unknown> = Promise.resolve()

  constructor(private readonly components: { store: RecordStore; chain: Chain }, private readonly init: { subnetId: number }) {}

  /** Adds `evidence` to this writer's record of the current epoch; false when the record is full. */
  async publish(evidence: Evidence): Promise<boolean> {
    const { chain, store } = this.components
    const info = await chain.epochInfo(this.init.subnetId)
    if (info.epoch !== this.epoch) {
      this.epoch = info.epoch
      this.evidence = []
    }
    if (this.evidence.length >= MAX_EVIDENCE_PER_RECORD) return false
    this.evidence.push(evidence)
    const key = epochKey('hoster-audit', info.epoch)
    const value = encodeAuditRecord(this.evidence)
    const expiration = Math.floor(maxExpiration(parseKey(key)!, info, chain.blockTimeMs, Date.now()) - chain.blockTimeMs)
    // One write at a time, so that a later (longer) record is never overtaken by an earlier one.
    const write = this.writing.then(() => store.store(key, value, expiration))
    this.writing = write.catch(() => undefined)
    const result = await write
    if (result.accepted === 0) throw new Error(`no replica accepted ${key} (of ${result.tried})`)
    return true
  }
}
