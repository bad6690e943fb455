// The record store interface: signed dictionary records (PROTOCOL.md, "DHT records").
// The DHT implements it over libp2p; consensus, heartbeats and the client only see this.

/** One subkey of a dictionary record, as a reader gets it back (signature already verified). */
export interface DhtRecord {
  key: string
  /** The writer's peer id. */
  subkey: string
  value: Uint8Array
  /** Unix time in milliseconds after which the record is gone. */
  expiration: number
}

export interface StoreResult {
  /** Replicas that accepted the record. */
  accepted: number
  /** Replicas asked. */
  tried: number
  /** Why replicas refused, by error code, for logs. */
  refusals: Record<string, number>
}

export interface RecordStore {
  /** Stores `value` under `key` with this node's peer id as the subkey, signed by this node. */
  store(key: string, value: Uint8Array, expiration: number): Promise<StoreResult>
  /** Every live subkey of `key`, newest expiration per subkey, each signature verified. */
  get(key: string, options?: { timeoutMs?: number; signal?: AbortSignal }): Promise<DhtRecord[]>
}
