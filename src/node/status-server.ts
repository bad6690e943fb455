// A node's own HTTP endpoints (--metrics_port): Prometheus metrics at /metrics, liveness at
// /health, and the epoch reports at /reports (JSON: what `mesh devnet` prints a line from) and
// /reports.txt (for people).
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Gauge, Registry, collectDefaultMetrics } from 'prom-client'
import { formatReport, reportToJSON } from '../consensus/epoch-report.js'
import { phaseSchedule } from '../consensus/epoch-ticker.js'
import type { Dht } from '../dht/dht.js'
import { logger } from '../log.js'
import type { SubnetNode } from './subnet-node.js'

const log = logger('node:status')

/**
 * The DHT's gauges, read when Prometheus scrapes: what it holds, what it refused (by side and code),
 * what its reads did not count (by code) and how many records, digests and receipts peers sent that
 * did not verify.
 */
export function registerDhtMetrics(registry: Registry, dht: Pick<Dht, 'size' | 'validators' | 'storage' | 'stats'>): void {
  const gauge = (name: string, help: string, read: () => number): void => {
    registry.registerMetric(new Gauge({ name, help, registers: [], collect() { this.set(read()) } }))
  }
  gauge('mesh_dht_records', 'records this node stores for the DHT', () => dht.size().records)
  gauge('mesh_dht_bytes', 'bytes this node holds for the DHT (records and expiry bookkeeping), bounded by its storage limit', () => dht.size().bytes)
  const { validators, storage } = dht
  registry.registerMetric(new Gauge({
    name: 'mesh_dht_refusals', labelNames: ['side', 'code'], registers: [],
    help: 'DHT records refused by code: side="store" when this node was asked to store them, side="read" when it dropped them from a read',
    collect() {
      const stored = new Map(validators.refusals)
      for (const [code, n] of storage.refusals) stored.set(code, (stored.get(code) ?? 0) + n)
      for (const [code, n] of stored) this.set({ side: 'store', code }, n)
      for (const [code, n] of validators.readRefusals) this.set({ side: 'read', code }, n)
    },
  }))
  const { stats } = dht
  registry.registerMetric(new Gauge({
    name: 'mesh_dht_read_discards', labelNames: ['code'], registers: [],
    help: 'what this node\'s reads did not count, by code: receipts (not a replica, late, bad signature), writers without a quorum, values that did not check, unsettled reads',
    collect() {
      for (const [code, n] of stats.readDiscards) this.set({ code }, n)
    },
  }))
  gauge('mesh_dht_invalid_records', 'records, digests and receipts peers sent this node that failed verification (forged, altered or misfiled), all peers together',
    () => [...stats.invalidRecordsFrom.values()].reduce((a, b) => a + b, 0))
}

/** Registers the node's gauges, each read from the node when Prometheus scrapes. */
function nodeMetrics(node: SubnetNode, role: string): Registry {
  const registry = new Registry()
  registry.setDefaultLabels({ role, peer: node.host.peerId.toString() })
  collectDefaultMetrics({ register: registry, prefix: 'mesh_process_' })
  const gauge = (name: string, help: string, read: () => number): void => {
    registry.registerMetric(new Gauge({ name, help, registers: [], collect() { this.set(read()) } }))
  }
  const latest = () => node.ticker.latest
  gauge('mesh_epoch', 'the subnet epoch the node is in', () => latest()?.epoch ?? -1)
  gauge('mesh_epoch_progress', 'progress through the epoch, 0 to 1', () => latest()?.progress ?? 0)
  gauge('mesh_block', 'the latest block the node has seen', () => latest()?.block ?? -1)
  gauge('mesh_peers', 'connected libp2p peers', () => node.host.libp2p.getPeers().length)
  registerDhtMetrics(registry, node.dht)
  gauge('mesh_score', "this node's score in the last epoch it computed scores for", () => {
    const reports = node.reports.all().filter((r) => r.scores !== undefined)
    const scores = reports[reports.length - 1]?.scores
    const mine = [...(scores?.hosters ?? []), ...(scores?.validators ?? [])].find((s) => s.peerId === node.host.peerId.toString())
    return mine?.score ?? 0
  })
  const counts = node.rpcServer.counts
  registry.registerMetric(new Gauge({
    name: 'mesh_rpc_calls', help: 'RPC calls this node answered, and those it failed or refused, by code', labelNames: ['result'], registers: [],
    collect() {
      this.set({ result: 'served' }, counts.served)
      for (const [code, n] of counts.failed) this.set({ result: code }, n)
    },
  }))
  const chainCalls = node.chain.calls
  if (chainCalls !== undefined) {
    registry.registerMetric(new Gauge({
      name: 'mesh_chain_calls', help: 'requests this node sent to its chain endpoint, by kind (JSON-RPC method and what it reads)', labelNames: ['kind'], registers: [],
      collect() {
        for (const [kind, n] of chainCalls.byKind()) this.set({ kind }, n)
      },
    }))
  }
  if (node.engine !== undefined) {
    const engine = node.engine
    gauge('mesh_tokens_served', 'tokens generated for clients and challenges', () => engine.stats().tokensServed)
    gauge('mesh_tokens_per_second', 'recent generation throughput', () => engine.stats().tokensPerSecond)
    gauge('mesh_queue_length', 'inference requests waiting', () => engine.stats().queueLength)
  }
  return registry
}

export interface StatusServerOptions {
  /** How long a client has to send its request before it gets 408 (default 10 s). */
  requestTimeoutMs?: number
}

export class StatusServer {
  private readonly server: Server

  constructor(node: SubnetNode, role: string, options: StatusServerOptions = {}) {
    const registry = nodeMetrics(node, role)
    const requestTimeout = options.requestTimeoutMs ?? 10_000
    const deadlines = { requestTimeout, headersTimeout: requestTimeout, connectionsCheckingInterval: Math.max(100, Math.min(requestTimeout / 4, 5_000)) }
    this.server = createServer(deadlines, (req, res) => {
      const path = (req.url ?? '/').split('?')[0]
      const send = (status: number, type: string, body: string): void => {
        res.writeHead(status, { 'Content-Type': type })
        res.end(body)
      }
      if (req.method !== 'GET') return send(405, 'text/plain', 'GET only\n')
      if (path === '/health') {
        const latest = node.ticker.latest
        return send(200, 'application/json', JSON.stringify({
          status: 'ok', peerId: node.host.peerId.toString(), role, nodeId: node.chainNode.id,
          block: latest?.block ?? null, epoch: latest?.epoch ?? null, peers: node.host.libp2p.getPeers().length,
          // Seconds until each phase window of this epoch opens and closes.
          phases: latest === undefined ? null : phaseSchedule(latest, node.chain.blockTimeMs),
        }))
      }
      if (path === '/reports') return send(200, 'application/json', JSON.stringify(node.reports.all().map(reportToJSON)))
      if (path === '/reports.txt') return send(200, 'text/plain; charset=utf-8', node.reports.all().map(formatReport).join('\n\n') + '\n')
      if (path === '/metrics') {
        registry.metrics().then((text) => send(200, registry.contentType, text), (err: unknown) => {
          log.warn('metrics failed', { error: String(err) })
          send(500, 'text/plain', 'metrics failed\n')
        })
        return
      }
      send(404, 'text/plain', 'endpoints: /metrics /health /reports /reports.txt\n')
    })
  }

  async listen(port: number, host = '127.0.0.1'): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject)
      this.server.listen(port, host, () => resolve())
    })
    return `http://${host}:${(this.server.address() as AddressInfo).port}`
  }

  async close(): Promise<void> {
    this.server.closeAllConnections()
    await new Promise<void>((resolve) => this.server.close(() => resolve()))
  }
}
