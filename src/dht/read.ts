// The reader's tally (PROTOCOL.md, "Who plays, and which records count"): from the digests every
// replica sent, which value of each writer a reader may count, and from whom to fetch it. Epoch keys
// count a value only when a majority of the key's current replica set vouch for it with receipts
// inside the key's window; other keys (heartbeats) take each writer's newest value.
import type { PeerId } from '@libp2p/interface'
import { peerIdFromString } from '@libp2p/peer-id'
import { errorMessage } from '../errors.js'
import { logger } from '../log.js'
import { verifyRecord, type SignedRecord } from './crypto.js'
import { cachedValueHash, compare, digestSummary, type Digest, type FindQuery } from './digest.js'
import { RecordRefused, type ReadDiscardCode } from './errors.js'
import type { FindAnswer } from './node.js'
import { quorum, type Receipt, type ReceiptJudge } from './receipt.js'

const log = logger('dht:read')

/** One value of one writer, as the replicas offered it. */
export interface Offer {
  writer: string
  valueHash: Uint8Array
  /** The latest expiration a replica announced for it. */
  expiration: number
  /** Replicas that hold it, in the order they answered. */
  offeredBy: string[]
  /** For an epoch key, the receipts that made it count (a quorum of them). */
  receipts?: Receipt[]
}

export interface EpochRule {
  judge: ReceiptJudge
  /** Members of the key's replica set. */
  replicas: number
}

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex')

/**
 * Per writer, the values to try, best first: for an epoch key at most one (the value a quorum
 * vouches for); for another key every live value, newest first, then the most offered.
 * `discard` hears every receipt and writer that does not count, by code.
 */
export function tally(
  answers: ReadonlyMap<string, readonly Digest[]>,
  rule: EpochRule | null,
  now: number,
  discard: (code: ReadDiscardCode, from?: string) => void,
  key: string,
  verified: Set<string>,
): Map<string, Offer[]> {
  const byWriter = new Map<string, Map<string, Offer & { vouchers: Array<{ receipt: Receipt; from: string }> }>>()
  // Receipts their storer sent itself, in its signed answer: their signatures are not checked (ReceiptJudge.judge).
  const direct = new Set<Receipt>()
  for (const [from, digests] of answers) {
    for (const digest of digests) {
      if (digest.expiration <= now) continue
      let offers = byWriter.get(digest.writer)
      if (offers === undefined) {
        offers = new Map()
        byWriter.set(digest.writer, offers)
      }
      const id = hex(digest.valueHash)
      let offer = offers.get(id)
      if (offer === undefined) {
        offer = { writer: digest.writer, valueHash: digest.valueHash, expiration: digest.expiration, offeredBy: [], vouchers: [] }
        offers.set(id, offer)
      }
      offer.expiration = Math.max(offer.expiration, digest.expiration)
      if (!offer.offeredBy.includes(from)) offer.offeredBy.push(from)
      // The serving replica's own receipt comes with an empty storer.
      for (const receipt of digest.receipts) {
        if (receipt.storer === '') {
          const own = { ...receipt, storer: from }
          direct.add(own)
          offer.vouchers.push({ receipt: own, from })
        } else {
          offer.vouchers.push({ receipt, from })
        }
      }
    }
  }
  const out = new Map<string, Offer[]>()
  for (const [writer, offers] of byWriter) {
    const list = [...offers.values()]
    if (rule === null) {
      list.sort((a, b) => b.expiration - a.expiration || b.offeredBy.length - a.offeredBy.length)
      out.set(writer, list.map(({ vouchers: _, ...offer }) => offer))
      continue
    }
    const need = quorum(rule.replicas)
    let best: { offer: Offer; count: number } | null = null
    for (const { vouchers: receipts, ...offer } of list) {
      const about = { key, writer, valueHash: offer.valueHash }
      // Receipts already checked in an earlier read of this get are not verified again.
      const id = (receipt: Receipt) => `${writer}:${hex(offer.valueHash)}:${receipt.storer}:${receipt.block}:${hex(receipt.signature)}`
      const fresh = receipts.filter(({ receipt }) => !verified.has(id(receipt)))
      const known = receipts.filter(({ receipt }) => verified.has(id(receipt))).map(({ receipt }) => receipt)
      const blamedBy = new Map(fresh.map(({ receipt, from }) => [receipt, from]))
      const counted = rule.judge.counted(about, [...known, ...fresh.map(({ receipt }) => receipt)], need, (code, receipt) => discard(code, code === 'DHT_RECEIPT_BAD_SIGNATURE' ? blamedBy.get(receipt) : undefined), (receipt) => direct.has(receipt))
      for (const receipt of counted) verified.add(id(receipt))
      if (counted.length < need) continue
      if (best === null || counted.length > best.count || (counted.length === best.count && offer.expiration > best.offer.expiration)) best = { offer: { ...offer, receipts: counted }, count: counted.length }
    }
    if (best === null) discard('DHT_NO_QUORUM')
    else out.set(writer, [best.offer])
  }
  return out
}

/** What a read needs of its node (DhtNode). */
export interface ReadNode {
  readonly subnet: number
  findOn(peer: PeerId, query: FindQuery, signal: AbortSignal): Promise<FindAnswer>
  askReplicas(candidates: PeerId[], signal: AbortSignal, ask: (peer: PeerId) => Promise<void>): Promise<void>
  validateRead(record: SignedRecord, from: string): Promise<void>
  discard(code: string, count?: number): void
  blame(from: string, key: string, what: string): void
}

/** Subkeys asked for in one find request (the request stays far under its size limit). */
const SUBKEYS_PER_REQUEST = 1024
/** Most rounds of value fetching in one read: each tries the next replica that offered a value that failed. */
const FETCH_PASSES = 8
/** Most digests one replica's answer to one read may hold, all pages together (a storing node's record bound). */
const MAX_DIGESTS_PER_REPLICA = 200_000

const offerId = (offer: Pick<Offer, 'writer' | 'valueHash'>) => `${offer.writer}:${hex(offer.valueHash)}`

/** The state of one `get`: what each replica answered, receipts already verified, values already fetched. */
export class KeyRead {
  private readonly answers = new Map<string, { digests: Digest[]; summary: Uint8Array }>()
  private readonly verified = new Set<string>()
  private readonly fetched = new Map<string, SignedRecord>()
  /** `offer@peer` pairs that did not give a good value. */
  private readonly failed = new Set<string>()
  /**
   * Offers whose value a read check refused (not a registered writer, a bad value for the key…), by
   * code: when no replica is left to try, that code is the discard, not DHT_VALUE_UNAVAILABLE.
   */
  private readonly refusedAs = new Map<string, string>()
  /** Discards of the latest round only: a re-read does not count the same receipt twice. */
  private discards = new Map<string, number>()
  private readonly wanted: Set<string> | null
  private chosenOffers = new Map<string, Offer[]>()

  constructor(
    private readonly node: ReadNode,
    private readonly key: string,
    private readonly subkeys: string[],
    private readonly rule: EpochRule | null,
    private readonly signal: AbortSignal,
  ) {
    this.wanted = subkeys.length === 0 ? null : new Set(subkeys)
  }

  /** Every replica's digests (all pages); on a re-read, only from replicas whose summary changed. */
  async digests(candidates: PeerId[], reread: boolean): Promise<void> {
    await this.node.askReplicas(candidates, this.signal, async (peer) => {
      const name = peer.toString()
      const held = this.answers.get(name)
      if (reread && held !== undefined) {
        const { summary } = await this.node.findOn(peer, this.query('summary', ''), this.signal)
        if (Buffer.from(summary).equals(held.summary)) return
      }
      const digests: Digest[] = []
      for (let after = ''; ;) {
        const page = await this.node.findOn(peer, this.query('digests', after), this.signal)
        if (page.malformed > 0) this.node.blame(name, this.key, `${page.malformed} digests that do not decode`)
        for (const digest of page.digests) {
          // Pages come in subkey order, each after the last: anything else is a replica's lie or bug.
          if (digest.writer <= (digests.at(-1)?.writer ?? after) || (this.wanted !== null && !this.wanted.has(digest.writer))) {
            this.node.blame(name, this.key, `a digest of ${digest.writer.slice(0, 64)} out of order or not asked for`)
            continue
          }
          digests.push(digest)
        }
        if (page.next === '') break
        if (page.next <= after || digests.length > MAX_DIGESTS_PER_REPLICA) {
          this.node.blame(name, this.key, 'pages that do not advance')
          break
        }
        after = page.next
      }
      this.answers.set(name, { digests, summary: Buffer.from(digestSummary(digests)) })
    })
  }

  /** The offers each writer's value may be taken from (see `tally`). */
  tally(): Map<string, Offer[]> {
    this.discards = new Map()
    const answers = new Map([...this.answers].map(([peer, { digests }]) => [peer, digests]))
    return tally(answers, this.rule, Date.now(), (code, from) => {
      this.discards.set(code, (this.discards.get(code) ?? 0) + 1)
      if (from !== undefined) this.node.blame(from, this.key, 'a receipt whose signature does not verify')
    }, this.key, this.verified)
  }

  /** Each chosen value, fetched once from a replica that offered it and checked; sorted by subkey. */
  async values(offers: Map<string, Offer[]>): Promise<SignedRecord[]> {
    this.chosenOffers = offers
    const chosen: SignedRecord[] = []
    const pending = new Map(offers)
    for (let pass = 0; ; pass++) {
      const asks = new Map<string, Offer[]>()
      const now = Date.now()
      for (const [writer, list] of pending) {
        let next: { offer: Offer; peer: string } | null = null
        let found: SignedRecord | undefined
        for (const offer of list) {
          found = this.fetched.get(offerId(offer))
          if (found !== undefined && found.expiration > now) break
          found = undefined
          const peer = offer.offeredBy.find((p) => !this.failed.has(`${offerId(offer)}@${p}`))
          if (peer !== undefined) {
            next = { offer, peer }
            break
          }
        }
        if (found !== undefined) {
          chosen.push(found)
          pending.delete(writer)
        } else if (next === null) {
          const code = this.refusedAs.get(offerId(list[0]!)) ?? 'DHT_VALUE_UNAVAILABLE'
          this.discards.set(code, (this.discards.get(code) ?? 0) + 1)
          pending.delete(writer)
        } else {
          let batch = asks.get(next.peer)
          if (batch === undefined) {
            batch = []
            asks.set(next.peer, batch)
          }
          batch.push(next.offer)
        }
      }
      if (asks.size === 0 || pass >= FETCH_PASSES || this.signal.aborted) break
      await Promise.all([...asks].map(([peer, list]) => this.fetch(peer, list)))
    }
    return chosen.sort((a, b) => compare(a.subkey, b.subkey))
  }

  /** The quorum receipts of each epoch-key value the last round counted (a replica keeps them for handoffs). */
  vouched(): Offer[] {
    return [...this.chosenOffers.values()].flatMap((list) => list.filter((offer) => offer.receipts !== undefined && this.fetched.has(offerId(offer))))
  }

  /** Adds this read's discards to the node's counts (once, at the end of the read). */
  commitDiscards(): void {
    for (const [code, count] of this.discards) this.node.discard(code, count)
  }

  private query(mode: FindQuery['mode'], after: string, subkeys: readonly string[] = this.subkeys): FindQuery {
    return { key: this.key, subkeys, after, limit: 0, mode }
  }

  /** Fetches `offers` from `peer`, keeping the values that check; marks the others failed from it. */
  private async fetch(name: string, offers: Offer[]): Promise<void> {
    const peer = peerIdFromString(name)
    const byWriter = new Map(offers.map((o) => [o.writer, o]))
    const writers = [...byWriter.keys()].sort(compare)
    try {
      for (let i = 0; i < writers.length; i += SUBKEYS_PER_REQUEST) {
        const chunk = writers.slice(i, i + SUBKEYS_PER_REQUEST)
        for (let after = ''; ;) {
          const page = await this.node.findOn(peer, this.query('records', after, chunk), this.signal)
          for (const record of page.records) await this.check(name, record, byWriter.get(record.subkey))
          if (page.next === '' || page.next <= after) break
          after = page.next
        }
      }
    } catch (err) {
      log.debug('value fetch failed', { key: this.key, peer: name, err: errorMessage(err) })
    }
    for (const offer of offers) if (!this.fetched.has(offerId(offer))) this.failed.add(`${offerId(offer)}@${name}`)
  }

  private async check(from: string, record: SignedRecord, offer: Offer | undefined): Promise<void> {
    const discard = (code: string, why: string, blame: boolean) => {
      this.discards.set(code, (this.discards.get(code) ?? 0) + 1)
      if (blame) this.node.blame(from, this.key, `${why} (${record.subkey.slice(0, 64)})`)
    }
    if (offer === undefined || record.key !== this.key) return discard('DHT_BAD_RECORD', 'a record not asked for', true)
    if (this.fetched.has(offerId(offer))) return
    if (!Buffer.from(cachedValueHash(record.value)).equals(offer.valueHash)) return discard('DHT_VALUE_MISMATCH', 'a value that is not the one its digest announced', true)
    if (record.expiration <= Date.now()) return discard('DHT_EXPIRED', 'an expired record', false)
    if (!verifyRecord(this.node.subnet, record)) return discard('DHT_BAD_SIGNATURE', 'a record whose signature does not verify', true)
    try {
      await this.node.validateRead(record, from)
    } catch (err) {
      if (!(err instanceof RecordRefused)) throw err
      this.refusedAs.set(offerId(offer), err.code)
      return discard(err.code, err.message, false)
    }
    this.fetched.set(offerId(offer), record)
  }
}
