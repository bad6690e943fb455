// The re-put attack on a storing node's memory (issue #15), as test/dht/storage-memory.test.ts and
// `bench dht` run it: a real host sends one storing node version after version of its own
// heartbeat, each a large value, and the process's memory is read after full garbage collections.
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { peerIdFromString } from '@libp2p/peer-id'
import { signRecord, type SignedRecord } from '../../src/dht/crypto.js'
import { heartbeatKey } from '../../src/dht/keys.js'
import { storeMethod } from '../../src/dht/protocol.js'
import { toWire } from '../../src/dht/wire.js'
import { peerIdOf } from '../../src/p2p/keys.js'
import type { Swarm, SwarmNode } from './dht-swarm.js'

// Neither the test runner nor `npm run bench` passes --expose-gc; the flag still works when set before gc is looked up.
setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as () => void

/** Full collections, letting finalizers run between them. */
export async function collectGarbage(): Promise<void> {
  for (let i = 0; i < 3; i++) {
    gc()
    await new Promise((resolve) => setImmediate(resolve))
  }
}

/** Heap and buffer memory after full collections (buffers live outside the JS heap). */
export async function usedBytes(): Promise<number> {
  await collectGarbage()
  const { heapUsed, arrayBuffers } = process.memoryUsage()
  return heapUsed + arrayBuffers
}

export interface RePuts {
  /** Store requests sent, one after another. */
  requests: number
  /** Versions of the heartbeat in each request (each a later expiration). */
  versions: number
  valueBytes: number
}

export interface RePutResult {
  /** Heap and buffers after full collections, before the first measured request and after the last. */
  usedBefore: number
  usedAfter: number
  /** What the storing node counts as stored afterwards (its bound applies to this). */
  storedBytes: number
  storedRecords: number
  /** The storing node's answers to every version, by code ('' = accepted). */
  answers: Record<string, number>
}

/**
 * `writer` sends `storer` `requests` store requests of `versions` versions each of its heartbeat,
 * a block produced after each request (a heartbeat may be replaced once a block). A first request,
 * before the measurement, warms the connection and the stream buffers.
 */
export async function rePut(swarm: Swarm, writer: SwarmNode, storer: SwarmNode, shape: RePuts): Promise<RePutResult> {
  const peer = peerIdFromString(storer.peerId)
  const writerId = peerIdOf(writer.key)
  const answers: Record<string, number> = {}
  const send = async (records: SignedRecord[]): Promise<void> => {
    const response = await writer.client.call(peer, storeMethod, { records: records.map((r) => toWire(r)), handoff: false }, { timeoutMs: 60_000 })
    for (const { code } of response.answers) answers[code] = (answers[code] ?? 0) + 1
  }
  const start = Date.now() + 60_000
  const version = (i: number) => signRecord(writer.key, writerId, swarm.subnetId, {
    key: heartbeatKey('hoster', writer.peerId), value: new Uint8Array(shape.valueBytes).fill(i & 0xff), expiration: start + i,
  })
  await send([await version(0)])
  if (answers[''] !== 1) throw new Error(`the storing node refused the first heartbeat: ${JSON.stringify(answers)}`)
  delete answers['']
  swarm.runtime.advance(1)
  const usedBefore = await usedBytes()
  for (let request = 0; request < shape.requests; request++) {
    await send(await Promise.all(Array.from({ length: shape.versions }, (_, j) => version(1 + request * shape.versions + j))))
    swarm.runtime.advance(1)
  }
  const usedAfter = await usedBytes()
  const size = storer.dht.size()
  return { usedBefore, usedAfter, storedBytes: size.bytes, storedRecords: size.records, answers }
}
