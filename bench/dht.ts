// `npm run bench -- dht [--json] [--nodes 32] [--rounds 3] [--reads 32] [--re-puts 1000]`: a
// loopback swarm in one process; the latency of `store` and of `get` of a heartbeat key with one
// subkey per node; `get` of an epoch key (a quorum of receipts a writer) with a subkey per node
// and with 1,000 subkeys, every writer a registered node; memory per node; then a storing node's
// heap under the re-put attack (one writer's heartbeat re-put 1,000 times, and 25 requests × 40
// versions).
import { randomBytes } from 'node:crypto'
import { peerIdFromString } from '@libp2p/peer-id'
import { epochSeed } from '../src/chain/chain.js'
import { epochKey, heartbeatKey, heartbeatKeys } from '../src/dht/keys.js'
import { byXorDistance, plantRecords, Swarm } from '../test/helpers/dht-swarm.js'
import { collectGarbage, rePut, type RePutResult, type RePuts } from '../test/helpers/re-put.js'
import { registerLate } from '../test/helpers/rpc.js'
import { survivingKadDhtAborts } from './lib/kad-dht-aborts.js'
import { positiveOption } from './lib/options.js'

export const description = 'DHT: store and get latency in a loopback swarm (one process), quorum get of an epoch key of 32 and 1,000 subkeys from registered writers, success rates, memory per node, a storing node\'s heap under re-puts'

const MiB = 1024 * 1024
/** Subkeys of the large epoch key. */
const LARGE_KEY = 1000

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b)
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! * 10) / 10
}

async function timed<T>(run: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now()
  const value = await run()
  return [value, performance.now() - start]
}

const mib = (bytes: number) => Math.round((bytes / MiB) * 100) / 100

export async function run(args: string[]): Promise<Record<string, unknown>> {
  const aborts = survivingKadDhtAborts()
  try {
    // The re-put attacks first: the swarm's memory, once it has closed, takes a while to be freed.
    const rePuts = await measureRePuts(args)
    return { ...(await measure(args, aborts.count)), rePuts }
  } finally {
    aborts.stop()
  }
}

async function measure(args: string[], kadDhtAborts: () => number): Promise<Record<string, unknown>> {
  const nodes = positiveOption(args, '--nodes', 32)
  const rounds = positiveOption(args, '--rounds', 3)
  await collectGarbage()
  const before = process.memoryUsage()
  const [swarm, startupMs] = await timed(() => Swarm.start({
    nodes,
    // Epochs of 100 blocks (10 min at 6 s): heartbeats may then live the whole run.
    epochLength: 100,
    // Room for the large key's writers, who leave the registration queue at the next epoch.
    params: { maxSubnetNodes: nodes + LARGE_KEY, queueEpochs: 0, churnLimit: LARGE_KEY },
  }))
  try {
    await collectGarbage()
    const started = process.memoryUsage()
    const replicas = Math.min(8, nodes)
    const storeMs: number[] = []
    let storesOk = 0
    const getMs: number[] = []
    let fullReads = 0
    const storeAll = async (round: number, samples: number[]): Promise<number> => {
      // Every node writes its heartbeat at once, as nodes do at the start of an epoch.
      const expiration = Date.now() + 10 * 60_000 + round
      let ok = 0
      await Promise.all(swarm.nodes.map(async (node) => {
        const [result, ms] = await timed(() => node.dht.store(heartbeatKey('hoster', node.peerId), new TextEncoder().encode(`round ${round} ${node.peerId}`), expiration))
        samples.push(ms)
        if (result.accepted === replicas) ok++
        else console.error(`store by ${node.peerId}: ${JSON.stringify(result)}`)
      }))
      // Storing nodes take one heartbeat per writer and block.
      swarm.runtime.advance(1)
      return ok
    }
    // The first round meets cold connections, streams and caches: reported apart from the steady state.
    const firstMs: number[] = []
    const firstOk = await storeAll(-1, firstMs)
    for (let round = 0; round < rounds; round++) {
      storesOk += await storeAll(round, storeMs)
      // Then every node reads the key, one read at a time.
      for (const node of swarm.nodes) {
        // Heartbeats are sharded by writer: a reader of all of them reads every shard.
        const [records, ms] = await timed(async () => (await Promise.all(heartbeatKeys('hoster').map((key) => node.dht.get(key, { timeoutMs: 10_000 })))).flat())
        getMs.push(ms)
        if (records.length === nodes) fullReads++
      }
    }
    const epochGets = await measureEpochGets(swarm, swarm.nodes.slice(0, positiveOption(args, '--reads', nodes)), replicas)
    const perNode = (bytes: number) => Math.round((bytes / nodes / MiB) * 100) / 100
    return {
      nodes,
      replicas,
      subkeys: nodes,
      rounds,
      startupMs: Math.round(startupMs),
      firstStoreRound: { samples: firstMs.length, p50Ms: percentile(firstMs, 50), p95Ms: percentile(firstMs, 95), successRate: firstOk / firstMs.length },
      store: { samples: storeMs.length, p50Ms: percentile(storeMs, 50), p95Ms: percentile(storeMs, 95), successRate: storesOk / storeMs.length },
      get: { samples: getMs.length, p50Ms: percentile(getMs, 50), p95Ms: percentile(getMs, 95), fullReadRate: fullReads / getMs.length },
      ...epochGets,
      memoryPerNodeMiB: { heap: perNode(started.heapUsed - before.heapUsed), rss: perNode(started.rss - before.rss) },
      storageBytesPerNode: Math.round(swarm.nodes.reduce((sum, n) => sum + n.dht.size().bytes, 0) / swarm.nodes.length),
      kadDhtQueryAborts: kadDhtAborts(),
    }
  } finally {
    await swarm.close()
  }
}

/**
 * `get` of a hoster-commit key, by each of `readers`, with a subkey per node (every node stores its
 * commit: real stores, real receipts) and then with 1,000: the other writers are registered nodes
 * that run no host, their records planted in the key's replicas with the replicas' receipts
 * (`plantRecords`). In a subnet where every member runs, a key's replicas are its nearest members;
 * here only the swarm's nodes answer, so the planted writers are drawn outside the key's replica set
 * (its placement is salted with the epoch's seed, known once the epoch began) and registered after
 * that, leaving the registration queue at the next epoch. Each read must return every subkey: one
 * that returns fewer ends the benchmark with the reader's discards.
 */
async function measureEpochGets(swarm: Swarm, readers: Swarm['nodes'], replicas: number): Promise<Record<string, unknown>> {
  const epoch = await swarm.advanceInto('hoster-commit')
  const key = epochKey('hoster-commit', epoch)
  const expiration = Date.now() + 10 * 60_000
  const commits = await Promise.all(swarm.nodes.map((node) => node.dht.store(key, randomBytes(32), expiration)))
  const short = commits.filter((r) => r.accepted !== replicas)
  if (short.length > 0) throw new Error(`${short.length} commits were not stored on ${replicas} replicas: ${JSON.stringify(short[0])}`)
  const read = async (subkeys: number) => {
    const samples: number[] = []
    for (const node of readers) {
      const [records, ms] = await timed(() => node.dht.get(key, { timeoutMs: 120_000 }))
      if (records.length !== subkeys) {
        throw new Error(`${node.peerId} read ${records.length} of the ${subkeys} subkeys of ${key}; its read discards: ${JSON.stringify([...node.dht.stats.readDiscards])}`)
      }
      samples.push(ms)
    }
    return { subkeys, samples: samples.length, p50Ms: percentile(samples, 50), p95Ms: percentile(samples, 95) }
  }
  const small = await read(swarm.nodes.length)

  const holders = swarm.nodes.filter((n) => n.dht.storage.get(key).length > 0)
  if (holders.length !== replicas) throw new Error(`${holders.length} nodes hold ${key}, not ${replicas}`)
  const replicaIds = holders.map((n) => peerIdFromString(n.peerId))
  const seed = await epochSeed(swarm.chain, swarm.subnetId, epoch)
  const outsideReplicas = (writer: string) => byXorDistance(swarm.subnetId, key, [...replicaIds, peerIdFromString(writer)], seed).at(-1)!.toString() === writer
  const { block } = await swarm.chain.epochInfo(swarm.subnetId)
  const [, plantMs] = await timed(async () => {
    const writers = await plantRecords(swarm.subnetId, holders.map((n) => ({ key: n.key, storage: n.dht.storage })), key, LARGE_KEY - swarm.nodes.length, block, expiration, outsideReplicas)
    await registerLate(swarm.runtime, swarm.subnetId, ...writers)
  })
  // Every node reads the chain's node list again once its copy is older than a block time (members.ts).
  await new Promise((resolve) => setTimeout(resolve, swarm.chain.blockTimeMs + 1000))
  const large = await read(LARGE_KEY)
  return { epochGet: small, epochGet1000: { ...large, writersPlantedAndRegisteredMs: Math.round(plantMs) } }
}

/**
 * A storing node's memory under the re-put attack, in a swarm of its own (3 nodes, one replica a
 * key, a storage bound of 16 MiB): one writer's heartbeat re-put `--re-puts` times (1,000), one
 * version a request; then 25 requests of 40 versions each. One version a block is accepted.
 */
async function measureRePuts(args: string[]): Promise<Record<string, unknown>> {
  const maxBytes = 16 * MiB
  const attacks: Array<[string, RePuts]> = [
    ['oneHeartbeat', { requests: positiveOption(args, '--re-puts', 1000), versions: 1, valueBytes: 64 * 1024 }],
    ['requestsOf40Versions', { requests: 25, versions: 40, valueBytes: 90 * 1024 }],
  ]
  const figures: Record<string, unknown> = { storageBoundMiB: mib(maxBytes) }
  for (const [name, shape] of attacks) {
    const swarm = await Swarm.start({ nodes: 3, dht: { replicas: 1, storage: { maxBytes } } })
    try {
      const result: RePutResult = await rePut(swarm, swarm.nodes[0]!, swarm.nodes[1]!, shape)
      figures[name] = {
        ...shape,
        // JS heap and buffers, after full collections.
        heapAndBuffersAfterGcMiB: { before: mib(result.usedBefore), after: mib(result.usedAfter) },
        grownMiB: mib(result.usedAfter - result.usedBefore),
        storedBytes: result.storedBytes,
        storedRecords: result.storedRecords,
        answers: result.answers,
      }
    } finally {
      await swarm.close()
    }
  }
  return figures
}
