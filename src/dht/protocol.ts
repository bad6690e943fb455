// The DHT's wire calls on the signed RPC layer: `dht-store` (keep these records) and `dht-find`
// (send what you hold under a key), served at /hypertensor/<subnet>/dht-store/1.0.0 and
// …/dht-find/1.0.0. Callers must be staked nodes of the subnet (the RPC layer checks).
import type { PeerId } from '@libp2p/interface'
import type { RpcClient } from '../rpc/client.js'
import { unaryMethod } from '../rpc/method.js'
import type { RpcServer } from '../rpc/server.js'
import type { SignedRecord } from './crypto.js'
import { RecordRefused } from './errors.js'
import { FindRequest, FindResponse, StoreRequest, StoreResponse } from './messages.js'
import type { DhtNode, ReplicaClient, StoreAnswer } from './node.js'
import { decodeFindResponse, decodeStoreRequest, fromWire, toWire } from './wire.js'

/** Largest store request: a handoff is split into batches under this. */
export const MAX_STORE_REQUEST_BYTES = 4 * 1024 * 1024
/** Largest find response: every subkey of one key. */
export const MAX_FIND_RESPONSE_BYTES = 32 * 1024 * 1024

export const storeMethod = unaryMethod<StoreRequest, StoreResponse>({
  name: 'dht-store',
  version: '1.0.0',
  request: { encode: (m) => StoreRequest.encode(m), decode: decodeStoreRequest },
  response: { encode: (m) => StoreResponse.encode(m), decode: (b) => StoreResponse.decode(b, { limits: { answers: 4096 } }) },
  maxRequestBytes: MAX_STORE_REQUEST_BYTES,
  maxResponseBytes: 1024 * 1024,
})

export const findMethod = unaryMethod<FindRequest, FindResponse>({
  name: 'dht-find',
  version: '1.0.0',
  request: { encode: (m) => FindRequest.encode(m), decode: (b) => FindRequest.decode(b) },
  response: { encode: (m) => FindResponse.encode(m), decode: decodeFindResponse },
  maxRequestBytes: 4 * 1024,
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
  await server.handle(findMethod, (request) => ({ records: node.held(request.key).map(toWire) }))
}

export async function unserveDht(server: RpcServer): Promise<void> {
  await server.unhandle(storeMethod)
  await server.unhandle(findMethod)
}

/** The calling side, for DhtNode. */
export function replicaClient(client: RpcClient): ReplicaClient {
  return {
    async store(peer: PeerId, records: SignedRecord[], handoff: boolean, signal: AbortSignal): Promise<StoreAnswer[]> {
      const answers: StoreAnswer[] = []
      for (const batch of batches(records)) {
        const response = await client.call(peer, storeMethod, { records: batch.map(toWire), handoff }, { signal })
        answers.push(...response.answers)
      }
      return answers
    },
    async find(peer: PeerId, key: string, signal: AbortSignal): Promise<{ records: SignedRecord[]; malformed: number }> {
      const response = await client.call(peer, findMethod, { key }, { signal })
      const records: SignedRecord[] = []
      let malformed = 0
      for (const wire of response.records) {
        try {
          records.push(fromWire(wire))
        } catch (err) {
          if (!(err instanceof RecordRefused)) throw err
          malformed++
        }
      }
      return { records, malformed }
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
