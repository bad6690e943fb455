// The DHT's wire calls on the signed RPC layer: `dht-store` (keep these records, with the receipts a
// handoff carries) and `dht-find` (one page of what you hold under a key: records, digests or their
// summary, all subkeys or given ones), served at /hypertensor/<subnet>/dht-store/2.0.0 and
// …/dht-find/2.0.0. Callers must be staked nodes of the subnet (the RPC layer checks).
import type { PeerId } from '@libp2p/interface'
import type { RpcClient } from '../rpc/client.js'
import { unaryMethod } from '../rpc/method.js'
import type { RpcServer } from '../rpc/server.js'
import type { SignedRecord } from './crypto.js'
import { RpcError } from '../rpc/errors.js'
import { MAX_PAGE_ENTRIES, type FindMode as Mode, type FindPage, type FindQuery } from './digest.js'
import { RecordRefused } from './errors.js'
import { FindMode, FindRequest, FindResponse, StoreRequest, StoreResponse } from './messages.js'
import type { DhtNode, FindAnswer, ReplicaClient, StoreAnswer } from './node.js'
import { decodeFindResponse, decodeStoreRequest, digestFromWire, digestToWire, fromWire, MAX_RECORDS_PER_MESSAGE, toWire } from './wire.js'

/** Largest store request: a handoff is split into batches under this. */
export const MAX_STORE_REQUEST_BYTES = 4 * 1024 * 1024
/** Largest find response: one page (PAGE_BYTES of values or digests, src/dht/digest.ts) and its framing. */
export const MAX_FIND_RESPONSE_BYTES = 4 * 1024 * 1024
/** Largest find request: a key and up to MAX_RECORDS_PER_MESSAGE subkeys (peer ids of ~53 characters). */
export const MAX_FIND_REQUEST_BYTES = 320 * 1024
/** Longest key a find request may name (the storing nodes' key limit). */
const MAX_FIND_KEY_LENGTH = 128

const MODES: Record<FindMode, Mode> = { [FindMode.RECORDS]: 'records', [FindMode.DIGESTS]: 'digests', [FindMode.SUMMARY]: 'summary' }
const WIRE_MODES: Record<Mode, FindMode> = { records: FindMode.RECORDS, digests: FindMode.DIGESTS, summary: FindMode.SUMMARY }

export const storeMethod = unaryMethod<StoreRequest, StoreResponse>({
  name: 'dht-store',
  version: '2.0.0',
  request: { encode: (m) => StoreRequest.encode(m), decode: decodeStoreRequest },
  response: { encode: (m) => StoreResponse.encode(m), decode: (b) => StoreResponse.decode(b, { limits: { answers: 4096 } }) },
  maxRequestBytes: MAX_STORE_REQUEST_BYTES,
  maxResponseBytes: 1024 * 1024,
})

export const findMethod = unaryMethod<FindRequest, FindResponse>({
  name: 'dht-find',
  version: '2.0.0',
  request: { encode: (m) => FindRequest.encode(m), decode: (b) => FindRequest.decode(b, { limits: { subkeys: MAX_RECORDS_PER_MESSAGE } }) },
  response: { encode: (m) => FindResponse.encode(m), decode: decodeFindResponse },
  maxRequestBytes: MAX_FIND_REQUEST_BYTES,
  maxResponseBytes: MAX_FIND_RESPONSE_BYTES,
})

/** Serves both methods for `node`. */
export async function serveDht(server: RpcServer, node: DhtNode): Promise<void> {
  await server.handle(storeMethod, async (request, { caller }) => {
    const answers: StoreAnswer[] = new Array(request.records.length)
    const records: SignedRecord[] = []
    const at: number[] = []
    request.records.forEach((wire, i) => {
      try {
        records.push(fromWire(wire))
        at.push(i)
      } catch (err) {
        if (!(err instanceof RecordRefused)) throw err
        answers[i] = { accepted: false, code: err.code, message: err.message }
      }
    })
    const accepted = await node.accept(records, caller.toString(), request.handoff)
    accepted.forEach((answer, j) => { answers[at[j]!] = answer })
    return { answers }
  })
  await server.handle(findMethod, (request) => pageToWire(node.find(findQuery(request))))
}

export async function unserveDht(server: RpcServer): Promise<void> {
  await server.unhandle(storeMethod)
  await server.unhandle(findMethod)
}

/** A page as a find response: values go without receipts (the reader has them from the digests). */
export function pageToWire(page: FindPage): FindResponse {
  return {
    records: page.records.map((r) => toWire(r, { receipts: false })),
    digests: page.digests.map(digestToWire),
    next: page.next,
    summary: page.summary as Uint8Array<ArrayBuffer>,
  }
}

/** A find request as a query; refuses (DHT_BAD_REQUEST) what no reader sends. */
export function findQuery(request: FindRequest): FindQuery {
  const bad = (message: string) => new RpcError('DHT_BAD_REQUEST', message)
  if (request.key.length === 0 || request.key.length > MAX_FIND_KEY_LENGTH) throw bad(`a find names a key of 1 to ${MAX_FIND_KEY_LENGTH} characters, got ${request.key.length}`)
  if (request.limit > MAX_PAGE_ENTRIES) throw bad(`a page holds at most ${MAX_PAGE_ENTRIES} entries, asked for ${request.limit}`)
  const mode = MODES[request.mode]
  if (mode === undefined) throw bad(`unknown find mode ${String(request.mode)}: records, digests or summary`)
  return { key: request.key, subkeys: request.subkeys, after: request.after, limit: request.limit, mode }
}

/** The calling side, for DhtNode. */
export function replicaClient(client: RpcClient): ReplicaClient {
  return {
    async store(peer: PeerId, records: SignedRecord[], handoff: boolean, signal: AbortSignal): Promise<StoreAnswer[]> {
      const answers: StoreAnswer[] = []
      for (const batch of batches(records)) {
        const response = await client.call(peer, storeMethod, { records: batch.map((r) => toWire(r)), handoff }, { signal })
        answers.push(...response.answers)
      }
      return answers
    },
    async find(peer: PeerId, query: FindQuery, signal: AbortSignal): Promise<FindAnswer> {
      const { key, subkeys, after, limit, mode } = query
      const response = await client.call(peer, findMethod, { key, subkeys: [...subkeys], after, limit, mode: WIRE_MODES[mode] }, { signal })
      const answer: FindAnswer = { records: [], digests: [], next: response.next, summary: response.summary, malformed: 0 }
      const decode = <W, T>(wire: W[], from: (w: W) => T, into: T[]) => {
        for (const entry of wire) {
          try {
            into.push(from(entry))
          } catch (err) {
            if (!(err instanceof RecordRefused)) throw err
            answer.malformed++
          }
        }
      }
      decode(response.records, fromWire, answer.records)
      decode(response.digests, digestFromWire, answer.digests)
      return answer
    },
  }
}

/** Splits records into store requests of at most half the request limit each (a record is far smaller). */
function batches(records: SignedRecord[]): SignedRecord[][] {
  const out: SignedRecord[][] = [[]]
  let bytes = 0
  for (const record of records) {
    const size = record.value.length + record.key.length + record.subkey.length + 96
    if (bytes + size > MAX_STORE_REQUEST_BYTES / 2 && out.at(-1)!.length > 0) {
      out.push([])
      bytes = 0
    }
    out.at(-1)!.push(record)
    bytes += size
  }
  return out
}
