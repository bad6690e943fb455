// The DHT algorithm: a write goes to the k closest peers of its key that answer, a read asks them
// and merges their subkeys (newest valid expiration wins), and a schedule hands records over to
// peers that became closest since. Storing-side checks live in the validator chain; this file
// decides who to ask and what to believe.
import { setMaxListeners } from 'node:events'
import type { Ed25519PrivateKey, PeerId } from '@libp2p/interface'
import { MeshError, errorMessage } from '../errors.js'
import { logger } from '../log.js'
import { RPC_CODES, RpcError } from '../rpc/errors.js'
import { signRecord, verifyRecord, type SignedRecord } from './crypto.js'
import { RecordRefused } from './errors.js'
import type { DhtRecord, GetOptions, StoreResult } from './record-store.js'
import type { KeyRouting } from './routing.js'
import type { RecordStorage } from './storage.js'
import type { ValidatorChain } from './validation.js'

const log = logger('dht:node')

/** One replica's answer to one record of a store. */
export interface StoreAnswer {
  accepted: boolean
  code: string
  message: string
}

/** What the node needs of the wire (src/dht/protocol.ts implements it on the signed RPC layer). */
export interface ReplicaClient {
  store(peer: PeerId, records: SignedRecord[], handoff: boolean, signal: AbortSignal): Promise<StoreAnswer[]>
  /** The records `peer` holds under `key`, as it sent them (not yet verified), and how many did not even decode. */
  find(peer: PeerId, key: string, signal: AbortSignal): Promise<{ records: SignedRecord[]; malformed: number }>
}

export interface DhtNodeComponents {
  peerId: PeerId
  privateKey: Ed25519PrivateKey
  routing: KeyRouting
  client: ReplicaClient
  storage: RecordStorage
  validators: ValidatorChain
  /** Whether a connection to `peer` is open now. */
  isConnected(peer: PeerId): boolean
}

export interface DhtNodeInit {
  subnetId: number
  /** Replicas per key (default 8). */
  replicas?: number
  /** Time for one peer to answer a store or find, dialing included (default 10 s). */
  requestTimeoutMs?: number
  /** Time a `get` waits for replicas before it returns what it found (default 5 s). */
  getTimeoutMs?: number
}

/** Counts of what the node saw, for logs and tests. */
export interface DhtNodeStats {
  /** Records peers sent back that failed verification, by peer id: forged, altered or misfiled. */
  invalidRecordsFrom: Map<string, number>
}

const UNREACHABLE = 'DHT_PEER_UNREACHABLE'
/**
 * How long a peer that could not be reached is asked last. The replicas come from the chain's
 * member list, which still names a member that is down: without this, every operation on its keys
 * would wait for a dial to it to time out.
 */
const UNREACHABLE_FOR_MS = 60_000

/** Whether the peer itself answered with a refusal (the RPC layer marks those `remote`). */
function isRemoteRefusal(err: unknown): boolean {
  return err instanceof RpcError && err.remote
}

/**
 * Transport failures worth trying again: a dial or a new stream lost while two peers connect to
 * each other at once (libp2p keeps one of the two connections and closes the other under us).
 */
const TRANSIENT = new Set<string>([RPC_CODES.UNREACHABLE, RPC_CODES.CLOSED])
// Long enough for a loaded peer to finish the handshakes queued before ours.
const RETRY_DELAYS_MS = [250, 1000]

async function withRetries<T>(call: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await call()
    } catch (err) {
      if (!(err instanceof RpcError) || err.remote || !TRANSIENT.has(err.code) || attempt >= RETRY_DELAYS_MS.length) throw err
      log.debug('retrying a replica call', { code: err.code, err: err.message })
      await new Promise((resolve) => setTimeout(resolve, RETRY_DELAYS_MS[attempt]))
    }
  }
}

export class DhtNode {
  readonly stats: DhtNodeStats = { invalidRecordsFrom: new Map() }
  private readonly c: DhtNodeComponents
  private readonly subnetId: number
  private readonly replicas: number
  private readonly requestTimeoutMs: number
  private readonly getTimeoutMs: number
  /** Peers known to hold each key's records (they accepted or refused them), for re-replication. */
  private readonly holders = new Map<string, Set<string>>()
  /** Peers that could not be reached lately, and until when they are asked last. */
  private readonly unreachable = new Map<string, number>()

  constructor(components: DhtNodeComponents, init: DhtNodeInit) {
    this.c = components
    this.subnetId = init.subnetId
    this.replicas = init.replicas ?? 8
    this.requestTimeoutMs = init.requestTimeoutMs ?? 10_000
    this.getTimeoutMs = init.getTimeoutMs ?? 5_000
    if (!Number.isInteger(this.replicas) || this.replicas < 1) throw new RangeError(`replicas must be a positive integer, got ${this.replicas}`)
  }

  /** Validates and keeps records a peer (or this node) sent; one answer per record, in order. */
  async accept(records: SignedRecord[], sender: string, handoff: boolean): Promise<StoreAnswer[]> {
    const answers: StoreAnswer[] = []
    for (const record of records) {
      const now = Date.now()
      try {
        await this.c.validators.validate(record, { subnetId: this.subnetId, now, sender, handoff })
        this.c.storage.put(record, now)
        answers.push({ accepted: true, code: '', message: '' })
      } catch (err) {
        if (!(err instanceof RecordRefused)) throw err
        log.debug('record refused', { key: record.key, subkey: record.subkey, sender, code: err.code, reason: err.message })
        answers.push({ accepted: false, code: err.code, message: err.message })
      }
    }
    return answers
  }

  /** The live records this node holds under `key`. */
  held(key: string): SignedRecord[] {
    return this.c.storage.get(key)
  }

  async store(key: string, value: Uint8Array, expiration: number, options: { signal?: AbortSignal } = {}): Promise<StoreResult> {
    const record = await signRecord(this.c.privateKey, this.c.peerId, this.subnetId, { key, value, expiration })
    const result: StoreResult = { accepted: 0, tried: 0, refusals: {} }
    const candidates = this.reachableFirst(await this.c.routing.closest(key))
    const holders = this.holdersOf(key)
    await this.askClosest(candidates, this.replicas, async (peer) => {
      result.tried++
      let answer: StoreAnswer
      try {
        answer = (await this.storeOn(peer, [record], false, options.signal))[0]!
      } catch (err) {
        // A refusal the peer sent (no stake, rate limit) is its answer; a peer that cannot be
        // reached gives its place to the next closest.
        const code = err instanceof MeshError ? err.code : UNREACHABLE
        result.refusals[code] = (result.refusals[code] ?? 0) + 1
        log.debug('replica failed', { key, peer: peer.toString(), err: errorMessage(err) })
        this.noteFailure(peer, err)
        return isRemoteRefusal(err)
      }
      holders.add(peer.toString())
      if (answer.accepted) result.accepted++
      else result.refusals[answer.code] = (result.refusals[answer.code] ?? 0) + 1
      return true
    })
    log.debug('stored', { key, accepted: result.accepted, tried: result.tried })
    return result
  }

  async get(key: string, options: GetOptions = {}): Promise<DhtRecord[]> {
    const deadline = AbortSignal.timeout(options.timeoutMs ?? this.getTimeoutMs)
    const signal = options.signal === undefined ? deadline : AbortSignal.any([options.signal, deadline])
    // Each replica's request listens on it: more than Node's default of 10 listeners is expected.
    setMaxListeners(Infinity, signal)
    const found: Array<{ from: string; records: SignedRecord[] }> = []
    const asking = (async () => {
      const candidates = this.reachableFirst(await this.c.routing.closest(key))
      await this.askClosest(candidates, this.replicas, async (peer) => {
        if (signal.aborted) return true // past the deadline: stop walking
        try {
          if (peer.equals(this.c.peerId)) {
            found.push({ from: peer.toString(), records: this.held(key) })
            return true
          }
          const { records, malformed } = await withRetries(() => this.c.client.find(peer, key, this.requestSignal(signal)))
          if (malformed > 0) this.blame(peer.toString(), key, `${malformed} records that do not decode`)
          found.push({ from: peer.toString(), records })
          return true
        } catch (err) {
          log.debug('replica unreachable', { key, peer: peer.toString(), err: errorMessage(err) })
          if (!signal.aborted) this.noteFailure(peer, err)
          return false
        }
      })
    })()
    await Promise.race([asking, new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }))])
    options.signal?.throwIfAborted()
    const merged = await this.readable(this.merge(key, found))
    if (options.subkeys === undefined) return merged
    const wanted = new Set(options.subkeys)
    return merged.filter((record) => wanted.has(record.subkey))
  }

  /** The records that pass the reader's checks (`ValidatorChain.validateRead`); the others are dropped. */
  private async readable(records: SignedRecord[]): Promise<DhtRecord[]> {
    const now = Date.now()
    const kept: DhtRecord[] = []
    for (const record of records) {
      try {
        await this.c.validators.validateRead(record, { subnetId: this.subnetId, now, from: '' })
        kept.push({ key: record.key, subkey: record.subkey, value: record.value, expiration: record.expiration })
      } catch (err) {
        if (!(err instanceof RecordRefused)) throw err
        log.debug('record dropped on read', { key: record.key, subkey: record.subkey, code: err.code, reason: err.message })
      }
    }
    return kept
  }

  /**
   * One round of re-replication: for each key held, the records go to the peers that are now among
   * the k closest and have not had them. Returns how many peers were handed records.
   */
  async replicate(): Promise<number> {
    this.c.storage.purge()
    let handed = 0
    for (const [key, records] of this.c.storage.entries()) {
      const holders = this.holdersOf(key)
      let candidates: PeerId[]
      try {
        candidates = this.reachableFirst(await this.c.routing.closest(key, { fresh: true }))
      } catch (err) {
        log.warn('re-replication lookup failed', { key, err: errorMessage(err) })
        continue
      }
      await this.askClosest(candidates, this.replicas, async (peer) => {
        const name = peer.toString()
        if (peer.equals(this.c.peerId) || (holders.has(name) && this.c.isConnected(peer))) return true
        try {
          await this.storeOn(peer, records, true)
        } catch (err) {
          holders.delete(name)
          this.noteFailure(peer, err)
          log.debug('handoff failed', { key, peer: name, err: errorMessage(err) })
          return false
        }
        holders.add(name)
        handed++
        return true
      })
    }
    for (const key of this.holders.keys()) if (this.c.storage.get(key).length === 0) this.holders.delete(key)
    if (handed > 0) log.info('re-replicated', { peers: handed })
    return handed
  }

  /** A peer was seen again (it connected): it is asked in its turn again. */
  reachable(peer: PeerId): void {
    this.unreachable.delete(peer.toString())
  }

  /** `candidates` in their order, but the peers that could not be reached lately at the end. */
  private reachableFirst(candidates: PeerId[]): PeerId[] {
    if (this.unreachable.size === 0) return candidates
    const now = Date.now()
    for (const [peer, until] of this.unreachable) if (until <= now) this.unreachable.delete(peer)
    const first: PeerId[] = []
    const last: PeerId[] = []
    for (const peer of candidates) (this.unreachable.has(peer.toString()) ? last : first).push(peer)
    return [...first, ...last]
  }

  /** A peer that answered nothing (no connection, no stream) is asked last for a while. */
  private noteFailure(peer: PeerId, err: unknown): void {
    if (err instanceof RpcError && !err.remote && err.code === RPC_CODES.UNREACHABLE) this.unreachable.set(peer.toString(), Date.now() + UNREACHABLE_FOR_MS)
  }

  private async storeOn(peer: PeerId, records: SignedRecord[], handoff: boolean, signal?: AbortSignal): Promise<StoreAnswer[]> {
    if (peer.equals(this.c.peerId)) return this.accept(records, this.c.peerId.toString(), handoff)
    const answers = await withRetries(() => this.c.client.store(peer, records, handoff, this.requestSignal(signal)))
    if (answers.length !== records.length) {
      throw new MeshError('DHT_BAD_ANSWER', `${peer.toString()} answered ${answers.length} records of ${records.length}`)
    }
    return answers
  }

  /**
   * Asks peers in order, `width` at a time, until `width` of them answered (`ask` resolves true)
   * or none is left: a peer that cannot be reached gives its place to the next one.
   */
  private async askClosest(candidates: PeerId[], width: number, ask: (peer: PeerId) => Promise<boolean>): Promise<void> {
    let next = 0
    let answered = 0
    let asking = 0
    const lane = async (): Promise<void> => {
      while (answered + asking < width && next < candidates.length) {
        asking++
        const ok = await ask(candidates[next++]!)
        asking--
        if (ok) answered++
      }
    }
    await Promise.all(Array.from({ length: Math.min(width, candidates.length) }, lane))
  }

  /** Per subkey, the newest record that verifies; records that do not are counted against their sender. */
  private merge(key: string, found: Array<{ from: string; records: SignedRecord[] }>): SignedRecord[] {
    const now = Date.now()
    const bySubkey = new Map<string, Array<{ from: string; record: SignedRecord }>>()
    for (const { from, records } of found) {
      for (const record of records) {
        const list = bySubkey.get(record.subkey) ?? []
        list.push({ from, record })
        bySubkey.set(record.subkey, list)
      }
    }
    // Replicas send the same record many times: each distinct copy is verified once.
    const verdicts = new Map<string, boolean>()
    const check = (record: SignedRecord): boolean => {
      if (record.key !== key || record.expiration <= now) return false
      const id = `${record.expiration}:${Buffer.from(record.signature).toString('base64')}:${Buffer.from(record.value).toString('base64')}`
      let verdict = verdicts.get(id)
      if (verdict === undefined) {
        verdict = verifyRecord(this.subnetId, record)
        verdicts.set(id, verdict)
      }
      return verdict
    }
    const merged = [...bySubkey.values()].map((offers) => {
      offers.sort((a, b) => b.record.expiration - a.record.expiration)
      let winner: SignedRecord | undefined
      for (const { from, record } of offers) {
        if (!check(record)) {
          // An expired copy is stale, not a lie; anything else that fails was forged or altered.
          if (record.expiration > now || record.key !== key) this.blame(from, key, `the record of ${record.subkey}`)
          continue
        }
        winner ??= record
      }
      return winner
    })
    return merged
      .filter((r): r is SignedRecord => r !== undefined)
      .sort((a, b) => (a.subkey < b.subkey ? -1 : a.subkey > b.subkey ? 1 : 0))
  }

  private blame(from: string, key: string, what: string): void {
    this.stats.invalidRecordsFrom.set(from, (this.stats.invalidRecordsFrom.get(from) ?? 0) + 1)
    log.warn('peer returned records that do not verify', { peer: from, key, what })
  }

  private holdersOf(key: string): Set<string> {
    let set = this.holders.get(key)
    if (set === undefined) {
      set = new Set()
      this.holders.set(key, set)
    }
    return set
  }

  private requestSignal(signal?: AbortSignal): AbortSignal {
    const timeout = AbortSignal.timeout(this.requestTimeoutMs)
    if (signal === undefined) return timeout
    const both = AbortSignal.any([signal, timeout])
    setMaxListeners(Infinity, both)
    return both
  }
}
