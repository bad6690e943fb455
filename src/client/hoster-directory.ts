// Which hosters serve which model, from their `hoster` heartbeats in the record store. Read at
// most once per refresh interval, behind the requests, so that routing a request costs no DHT lookup.
import { decodeHeartbeat, type Heartbeat } from '../consensus/heartbeat-record.js'
import { heartbeatKeys } from '../dht/keys.js'
import type { RecordStore } from '../dht/record-store.js'
import { errorMessage } from '../errors.js'
import { logger } from '../log.js'
import type { HosterCandidate } from './router.js'
import { Refreshed } from './refreshed.js'

const log = logger('client:hosters')

export interface HosterEntry extends HosterCandidate {
  heartbeat: Heartbeat
  /** When the heartbeat expires, Unix ms. */
  expiration: number
}

export interface HosterDirectoryOptions {
  /** How long a reading of the heartbeats is used before the next (default 5 s). */
  refreshMs?: number
  /** How long a DHT read may take (default 10 s). */
  timeoutMs?: number
  now?: () => number
}

/** Every hoster with a live heartbeat; which of them serve a model for a client: serving-hosters.ts. */
export class HosterDirectory {
  private readonly records: RecordStore
  private readonly timeoutMs: number
  private readonly now: () => number
  private readonly reading: Refreshed<HosterEntry[]>

  constructor(components: { records: RecordStore }, options: HosterDirectoryOptions = {}) {
    this.records = components.records
    this.timeoutMs = options.timeoutMs ?? 10_000
    this.now = options.now ?? Date.now
    this.reading = new Refreshed((last) => this.readKeeping(last ?? []), { refreshMs: options.refreshMs ?? 5_000, now: this.now })
  }

  /**
   * Every hoster with a live heartbeat, from the last reading; one older than the refresh
   * interval starts the next behind the caller. Only the first reading is waited for: a read
   * of the heartbeats takes the DHT's quorum rounds (1.4 s on loopback), which every request
   * after a refresh interval paid as time to first token.
   */
  async all(): Promise<HosterEntry[]> {
    return this.live(await this.reading.get())
  }

  /** As `all`, without starting the next reading: a request's path, so that none competes with its first token. */
  async current(): Promise<HosterEntry[]> {
    return this.live(await this.reading.current())
  }

  /** Starts the next reading when the last is older than the refresh interval. */
  refresh(): void {
    this.reading.refresh()
  }

  private live(entries: HosterEntry[]): HosterEntry[] {
    return entries.filter((e) => e.expiration > this.now())
  }

  /** A new reading, keeping the hosters of `last` it missed (a replica slow to answer) while their heartbeats live. */
  private async readKeeping(last: HosterEntry[]): Promise<HosterEntry[]> {
    const read = await this.read()
    const fresh = new Set(read.map((e) => e.peerId))
    return [...read, ...last.filter((e) => !fresh.has(e.peerId) && e.expiration > this.now())]
  }

  /** Every shard of the `hoster` heartbeats, read at once; a shard that cannot be read is skipped, not fatal. */
  private async read(): Promise<HosterEntry[]> {
    const shards = await Promise.allSettled(heartbeatKeys('hoster').map((key) => this.records.get(key, { timeoutMs: this.timeoutMs })))
    const failed = shards.filter((s) => s.status === 'rejected')
    if (failed.length === shards.length) throw (failed[0] as PromiseRejectedResult).reason
    for (const s of failed) log.debug('heartbeat shard unreadable', { error: errorMessage((s as PromiseRejectedResult).reason) })
    const records = shards.flatMap((s) => (s.status === 'fulfilled' ? s.value : []))
    const entries: HosterEntry[] = []
    for (const record of records) {
      try {
        const heartbeat = decodeHeartbeat(record.value)
        if (heartbeat.role !== 'hoster' || heartbeat.modelId === '') continue
        entries.push({
          peerId: record.subkey,
          throughput: heartbeat.throughput,
          queueLength: heartbeat.queueLength,
          heartbeat,
          expiration: record.expiration,
        })
      } catch (err) {
        log.debug('unreadable heartbeat ignored', { peer: record.subkey, error: errorMessage(err) })
      }
    }
    return entries
  }
}
