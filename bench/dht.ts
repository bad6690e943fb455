// `npm run bench -- dht [--json] [--nodes 32] [--rounds 3] [--reads 8]`: a loopback swarm in one
// process; the latency of `store` and of `get` of a heartbeat key with one subkey per node, of `get`
// of an epoch key (receipts and their quorum checked) with 32 and with 1,000 subkeys, success
// rates, memory per node.
import { randomBytes } from 'node:crypto'
import { epochKey, heartbeatKey, heartbeatKeys } from '../src/dht/keys.js'
import { plantRecords, Swarm } from '../test/helpers/dht-swarm.js'
import { survivingKadDhtAborts } from './lib/kad-dht-aborts.js'

export const description = 'DHT: store and get latency in a loopback swarm (one process), get of an epoch key of 32 and 1,000 subkeys, success rates, memory per node'

function option(args: string[], name: string, fallback: number): number {
  const at = args.indexOf(`--${name}`)
  if (at === -1) return fallback
  const value = Number(args[at + 1])
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} takes a positive integer`)
  return value
}

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b)
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! * 10) / 10
}

async function timed<T>(run: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now()
  const value = await run()
  return [value, performance.now() - start]
}

export async function run(args: string[]): Promise<Record<string, unknown>> {
  const aborts = survivingKadDhtAborts()
  try {
    return await measure(args, aborts.count)
  } finally {
    aborts.stop()
  }
}

async function measure(args: string[], kadDhtAborts: () => number): Promise<Record<string, unknown>> {
  const nodes = option(args, 'nodes', 32)
  const rounds = option(args, 'rounds', 3)
  global.gc?.()
  const before = process.memoryUsage()
  // Epochs of 100 blocks (10 min at 6 s): heartbeats may then live the whole run.
  const [swarm, startupMs] = await timed(() => Swarm.start({ nodes, epochLength: 100 }))
  try {
    global.gc?.()
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
    // An epoch key: every node commits in the window; reads check a quorum of receipts a subkey.
    const reads = option(args, 'reads', 8)
    const epoch = await swarm.advanceInto('hoster-commit')
    const key = epochKey('hoster-commit', epoch)
    const expiration = Date.now() + 10 * 60_000
    await Promise.all(swarm.nodes.map((node) => node.dht.store(key, randomBytes(32), expiration)))
    const epochGet = async (subkeys: number) => {
      const samples: number[] = []
      let full = 0
      for (const node of swarm.nodes.slice(0, reads)) {
        const [records, ms] = await timed(() => node.dht.get(key, { timeoutMs: 60_000 }))
        samples.push(ms)
        if (records.length === subkeys) full++
      }
      return { subkeys, samples: samples.length, p50Ms: percentile(samples, 50), p95Ms: percentile(samples, 95), fullReadRate: full / samples.length }
    }
    // 32 and 1,000 subkeys: the key's replicas also hold the commits of writers that are not in the swarm.
    const holders = swarm.nodes.filter((n) => n.dht.storage.get(key).length > 0)
    const { block } = await swarm.chain.epochInfo(swarm.subnetId)
    await plantRecords(swarm.subnetId, holders.map((n) => ({ key: n.key, storage: n.dht.storage })), key, Math.max(0, 32 - nodes), block, expiration)
    const epochGet32 = await epochGet(Math.max(32, nodes))
    await plantRecords(swarm.subnetId, holders.map((n) => ({ key: n.key, storage: n.dht.storage })), key, 1000 - Math.max(32, nodes), block, expiration)
    const epochGet1000 = await epochGet(1000)
    const perNode = (bytes: number) => Math.round((bytes / nodes / 2 ** 20) * 100) / 100
    return {
      nodes,
      replicas,
      subkeys: nodes,
      rounds,
      startupMs: Math.round(startupMs),
      firstStoreRound: { samples: firstMs.length, p50Ms: percentile(firstMs, 50), p95Ms: percentile(firstMs, 95), successRate: firstOk / firstMs.length },
      store: { samples: storeMs.length, p50Ms: percentile(storeMs, 50), p95Ms: percentile(storeMs, 95), successRate: storesOk / storeMs.length },
      get: { samples: getMs.length, p50Ms: percentile(getMs, 50), p95Ms: percentile(getMs, 95), fullReadRate: fullReads / getMs.length },
      epochGet32,
      epochGet1000,
      memoryPerNodeMiB: { heap: perNode(started.heapUsed - before.heapUsed), rss: perNode(started.rss - before.rss) },
      storageBytesPerNode: Math.round(swarm.nodes.reduce((sum, n) => sum + n.dht.size().bytes, 0) / nodes),
      kadDhtQueryAborts: kadDhtAborts(),
    }
  } finally {
    await swarm.close()
  }
}
