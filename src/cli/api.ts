// `mesh api`: the OpenAI-compatible gateway to a subnet, with the dashboard.
import { readFile } from 'node:fs/promises'
import { Command } from 'commander'
import { ApiServer } from '../api/server.js'
import { dashboardRoutes } from '../api/dashboard/routes.js'
import { NetworkDashboard } from '../api/dashboard/network-source.js'
import { connectChain } from '../chain/connect.js'
import { DEFAULT_AUDIT_RATE } from '../client/auditor.js'
import { MeshClient } from '../client/mesh-client.js'
import { MeshError, errorMessage } from '../errors.js'
import { logger } from '../log.js'
import { readIdentity } from '../p2p/keys.js'

const log = logger('cli:api')

interface ApiOptions {
  subnet_id: string
  initial_peers?: string[]
  host_maddrs?: string[]
  rpc?: string
  local_chain?: string
  client_path?: string
  host: string
  port: string
  apiKeys?: string
  rateLimit?: string
  burst?: string
  auditRate: string
  dashboard: boolean
}

function number(value: string, flag: string, min: number): number {
  const n = Number(value)
  if (!Number.isFinite(n) || n < min) throw new MeshError('USAGE', `${flag} must be a number ≥ ${min}, got ${JSON.stringify(value)}`)
  return n
}

async function readApiKeys(file: string): Promise<Set<string>> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (err) {
    throw new MeshError('USAGE', `cannot read the API key file ${file}: ${errorMessage(err)}`)
  }
  const keys = new Set(text.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#')))
  if (keys.size === 0) throw new MeshError('USAGE', `${file} holds no API key`, { fix: 'write one key a line' })
  return keys
}

export function apiCommand(): Command {
  return new Command('api')
    .description('serve an OpenAI-compatible API (and the dashboard) for a subnet, routing requests to its hosters')
    .requiredOption('--initial_peers <maddr...>', 'subnet nodes to join through, each ending in /p2p/<peer id>')
    .requiredOption('--client_path <file>', 'the client identity key (`mesh keygen --client_path`), registered on chain as a node\'s client peer id')
    .option('--subnet_id <id>', 'the subnet id', '1')
    .option('--rpc <url>', 'a Hypertensor node\'s WebSocket endpoint, e.g. wss://… for the testnet')
    .option('--local_chain <url>', 'a local chain server, e.g. ws://127.0.0.1:9944')
    .option('--host_maddrs <maddr...>', 'addresses the gateway\'s libp2p host listens on', ['/ip4/0.0.0.0/tcp/0'])
    .option('--host <address>', 'address the HTTP server listens on', '127.0.0.1')
    .option('--port <port>', 'port the HTTP server listens on (0 picks a free one)', '8000')
    .option('--api-keys <file>', 'accept only these bearer keys, one a line (default: open)')
    .option('--rate-limit <per-second>', 'requests a second per API key (or per address when open)')
    .option('--burst <requests>', 'requests at once per key before the rate limit applies', '20')
    .option('--audit-rate <share>', 'share of finished requests sent to another node for audit, 0 to 1', String(DEFAULT_AUDIT_RATE))
    .option('--no-dashboard', 'do not serve the dashboard page at /')
    .action(async (opts: ApiOptions) => {
      const subnetId = number(opts.subnet_id, '--subnet_id', 1)
      const auditRate = number(opts.auditRate, '--audit-rate', 0)
      if (auditRate > 1) throw new MeshError('USAGE', `--audit-rate is a share from 0 to 1, got ${opts.auditRate}`, { fix: 'e.g. --audit-rate 0.05 audits one request in 20' })
      const port = number(opts.port, '--port', 0)
      const identity = await readIdentity(opts.client_path!)
      const apiKeys = opts.apiKeys === undefined ? undefined : await readApiKeys(opts.apiKeys)
      const rateLimit = opts.rateLimit === undefined ? undefined : { perSecond: number(opts.rateLimit, '--rate-limit', 0.001), burst: number(opts.burst ?? '20', '--burst', 1) }
      const chain = await connectChain({ rpc: opts.rpc, localChain: opts.local_chain })
      const loopback = (opts.initial_peers ?? []).every((a) => a.includes('/127.') || a.includes('/localhost/'))
      const client = await MeshClient.connect({
        subnetId, identity, chain, initialPeers: opts.initial_peers ?? [],
        host: { hostMaddrs: opts.host_maddrs, privateAddresses: loopback, inboundConnectionThreshold: loopback ? 10_000 : undefined },
        audit: { rate: auditRate },
      }).catch(async (err: unknown) => { await chain.close(); throw err })
      const dashboard = opts.dashboard ? dashboardRoutes(new NetworkDashboard({ chain, records: client.records, audits: () => client.auditCounts() }, { subnetId })) : undefined
      const server = new ApiServer({ backend: client, apiKeys, rateLimit, extraRoutes: dashboard })
      const url = await server.listen(port, opts.host)
      process.stdout.write(`mesh api listening on ${url}/v1${opts.dashboard ? ` (dashboard at ${url}/)` : ''}\n`)
      log.info('api ready', { url, subnet: subnetId, keys: apiKeys?.size ?? 0 })
      await new Promise<void>((resolve) => {
        const stop = (): void => resolve()
        process.once('SIGINT', stop)
        process.once('SIGTERM', stop)
      })
      log.info('api stopping')
      await server.close()
      await client.close()
      await chain.close()
    })
}
