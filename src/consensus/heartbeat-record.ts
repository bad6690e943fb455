// The `hoster` / `validator` heartbeat: what a node says of itself every refresh.
// Record: "MHBT" | u8 version 1 | u8 role | model id (u8 len, hex, empty for none) |
// model name (u8 len, UTF-8) | version (u8 len, UTF-8) | u8 address count | addresses (u8 len, UTF-8 each) |
// f64 tokens per second | u32 queue length.
import { ByteReader, ByteWriter } from './wire.js'

export type Role = 'hoster' | 'validator'
const ROLES: readonly Role[] = ['hoster', 'validator']
const MAGIC = 'MHBT'
const VERSION = 1
const MAX_ADDRESSES = 16

export interface Heartbeat {
  role: Role
  /** The hosted model's GGUF sha256, '' for a node that hosts none. */
  modelId: string
  /** The hosted model's name (the GGUF's general.name), as clients ask for it; '' for none. */
  modelName: string
  /** The node software's version. */
  version: string
  /** Multiaddrs the node is reachable at. */
  addresses: string[]
  /** Recent generation throughput, tokens per second. */
  throughput: number
  queueLength: number
}

export function encodeHeartbeat(h: Heartbeat): Uint8Array {
  if (h.addresses.length > MAX_ADDRESSES) throw new RangeError(`at most ${MAX_ADDRESSES} addresses, not ${h.addresses.length}`)
  if (!(Number.isFinite(h.throughput) && h.throughput >= 0)) throw new RangeError(`throughput ${h.throughput} is not a non-negative number`)
  const w = new ByteWriter().header(MAGIC, VERSION).u8(ROLES.indexOf(h.role)).string8(h.modelId).string8(h.modelName).string8(h.version).u8(h.addresses.length)
  for (const a of h.addresses) w.string8(a)
  return w.f64(h.throughput).u32(h.queueLength).finish()
}

export function decodeHeartbeat(bytes: Uint8Array): Heartbeat {
  const r = new ByteReader(bytes, 'heartbeat').header(MAGIC, VERSION)
  const roleIndex = r.u8('role')
  const role = ROLES[roleIndex] ?? r.fail(`role ${roleIndex} is unknown`)
  const modelId = r.string8('model id')
  if (modelId !== '' && !/^[0-9a-f]{64}$/.test(modelId)) r.fail('model id is not a sha256 hex digest')
  const modelName = r.string8('model name')
  const version = r.string8('version')
  const count = r.u8('address count')
  if (count > MAX_ADDRESSES) r.fail(`${count} addresses, at most ${MAX_ADDRESSES}`)
  const addresses: string[] = []
  for (let i = 0; i < count; i++) addresses.push(r.string8('address'))
  const throughput = r.f64('throughput')
  if (!(Number.isFinite(throughput) && throughput >= 0)) r.fail(`throughput ${throughput} is not a non-negative number`)
  const queueLength = r.u32('queue length')
  r.end()
  return { role, modelId, modelName, version, addresses, throughput, queueLength }
}
