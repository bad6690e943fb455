// The record store interface: signed dictionary records (PROTOCOL.md, "DHT records" and "Who
// plays, and which records count"). The DHT implements it over libp2p; consensus, heartbeats and
// the client only see this.

/** One subkey of a dictionary record, as a reader gets it back (every read-side check passed). */
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

export interface GetOptions {
  timeoutMs?: number
  signal?: AbortSignal
  /**
   * Only the records of these writers (peer ids): the attestor's repair path fetches by subkey
   * the records it lacks. Default: every subkey of the key.
   */
  subkeys?: readonly string[]
}

export interface RecordStore {
  /** Stores `value` under `key` with this node's peer id as the subkey, signed by this node. */
  store(key: string, value: Uint8Array, expiration: number): Promise<StoreResult>
  /**
   * The records of `key` a reader may count, one per subkey, sorted by subkey. The store applies
   * the read-side check itself, so that no caller can forget it:
   * - every record: its signature verifies, it is not expired, and its writer is a registered
   *   node's own peer id (not a bootnode or client peer id);
   * - epoch keys (consensus records): a record counts only when a majority of the key's replica
   *   set vouch for the same value with signed receipts whose blocks lie inside the key's window;
   *   the key is re-read until two reads agree (or the timeout), never keeping a partial read.
   */
  get(key: string, options?: GetOptions): Promise<DhtRecord[]>
}
