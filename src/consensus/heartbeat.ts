// Heartbeats: a node keeps its `hoster_{shard}` or `validator_{shard}` record alive in the store
// (the shard from its peer id), refreshed before it expires (PROTOCOL.md, "DHT records":
// expiration ≤ now + 1.1 epoch; storing nodes take a writer's new heartbeat once a block at most).
import { heartbeatKey } from '../dht/keys.js'
import type { RecordStore } from '../dht/record-store.js'
import type { Engine } from '../inference/engine.js'
import { errorMessage } from '../errors.js'
import { logger } from '../log.js'
import { encodeHeartbeat, type Heartbeat, type Role } from './heartbeat-record.js'

const log = logger('consensus:heartbeat')

export interface HeartbeatInit {
  role: Role
  /** This node's own peer id: the record's subkey, and what picks its shard key. */
  peerId: string
  version: string
  /** The subnet model's id and name ('' for none); a hoster's engine overrides them. */
  modelId?: string
  modelName?: string
  /** The addresses to announce, read at each refresh. */
  addresses: () => string[]
  /** One epoch in milliseconds (epoch length × block time). */
  epochMs: number
}

export class Heartbeater {
  private readonly store: RecordStore
  private readonly engine?: Engine
  private readonly init: HeartbeatInit
  private timer: NodeJS.Timeout | null = null
  private running = false
  /** The last heartbeat stored, and until when it lives. */
  last?: { heartbeat: Heartbeat; expiration: number }

  constructor(components: { store: RecordStore; engine?: Engine }, init: HeartbeatInit) {
    this.store = components.store
    this.engine = components.engine
    this.init = init
  }

  /** The record lives one epoch and is refreshed every half epoch (a failed store retries sooner). */
  start(): void {
    if (this.running) return
    this.running = true
    void this.beat()
  }

  stop(): void {
    this.running = false
    if (this.timer !== null) clearTimeout(this.timer)
    this.timer = null
  }

  current(): Heartbeat {
    const stats = this.engine?.stats()
    return {
      role: this.init.role,
      modelId: this.engine?.model.id ?? this.init.modelId ?? '',
      modelName: this.engine?.model.name ?? this.init.modelName ?? '',
      version: this.init.version,
      addresses: this.init.addresses(),
      throughput: stats?.tokensPerSecond ?? 0,
      queueLength: stats?.queueLength ?? 0,
    }
  }

  private async beat(): Promise<void> {
    if (!this.running) return
    const heartbeat = this.current()
    const expiration = Date.now() + this.init.epochMs
    let next = this.init.epochMs / 2
    try {
      const result = await this.store.store(heartbeatKey(this.init.role, this.init.peerId), encodeHeartbeat(heartbeat), expiration)
      if (result.accepted === 0) throw new Error(`no replica accepted it (${JSON.stringify(result.refusals)})`)
      this.last = { heartbeat, expiration }
    } catch (err) {
      next = Math.min(next, 2_000)
      log.warn('heartbeat not stored', { role: this.init.role, retryMs: next, err: errorMessage(err) })
    }
    if (!this.running) return
    this.timer = setTimeout(() => void this.beat(), Math.max(500, next))
  }
}
