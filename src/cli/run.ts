// `mesh run <model> --hoster | --validator …`: a subnet node, as an operator runs it.
import { Command, Option } from 'commander'
import { loadAccount } from '../chain/accounts.js'
import { connectChain } from '../chain/connect.js'
import { MeshError, errorMessage } from '../errors.js'
import { chooseDevice } from '../inference/gpu-probe.js'
import { DEVICES, type Device } from '../inference/llama-runtime.js'
import { logger } from '../log.js'
import { dashboardRoutes } from '../api/dashboard/routes.js'
import { NetworkDashboard } from '../api/dashboard/network-source.js'
import { ApiServer } from '../api/server.js'
import { MeshClient, pingerOf } from '../client/mesh-client.js'
import { installCrashGuard } from '../node/crash-guard.js'
import { StatusServer } from '../node/status-server.js'
import { SubnetNode } from '../node/subnet-node.js'
import { readIdentity } from '../p2p/keys.js'
import { addOptionsWithEnvironment, applyConfigFile } from './config.js'

const log = logger('cli:run')

interface RunOptions {
  config?: string
  model?: string
  hoster?: boolean
  validator?: boolean
  host_maddrs: string[]
  announce_maddrs?: string[]
  initial_peers?: string[]
  new_swarm?: boolean
  private_addresses?: boolean
  identity_path?: string
  data_dir?: string
  subnet_id?: string
  subnet_node_id?: string
  rpc?: string
  local_chain?: string
  hotkeyFile?: string
  threads?: string
  device: string
  metrics_port?: string
  dashboard?: string
}

function integer(value: string | undefined, flag: string, min: number): number | undefined {
  if (value === undefined) return undefined
  const n = Number(value)
  if (!Number.isSafeInteger(n) || n < min) throw new MeshError('USAGE', `${flag} must be an integer ≥ ${min}, got ${JSON.stringify(value)}`)
  return n
}

function usage(message: string, fix: string): MeshError {
  return new MeshError('USAGE', message, { fix })
}

/** Stops on the first of SIGINT and SIGTERM; a second one exits at once. */
function untilSignal(): Promise<string> {
  return new Promise((resolve) => {
    const first = (signal: string): void => {
      process.once('SIGINT', () => process.exit(130))
      process.once('SIGTERM', () => process.exit(143))
      resolve(signal)
    }
    process.once('SIGINT', () => first('SIGINT'))
    process.once('SIGTERM', () => first('SIGTERM'))
  })
}

export function runCommand(): Command {
  const command = new Command('run')
    .description('run a subnet node: a hoster (serves the model, plays consensus) or a validator (scores)')
    .argument('[model]', 'the subnet model: a GGUF path or hf:owner/repo:quant')
  addOptionsWithEnvironment(command, [
    new Option('--config <file>', 'read settings from a YAML file (keys named as these flags); flags and environment variables win'),
    new Option('--hoster', 'host the model: serve inference and answer the epoch challenge'),
    new Option('--validator', 'score hosters and validators without hosting'),
    new Option('--host_maddrs <maddr...>', 'addresses to listen on').default(['/ip4/0.0.0.0/tcp/31330', '/ip4/0.0.0.0/udp/31330/quic-v1']),
    new Option('--announce_maddrs <maddr...>', 'addresses to tell other peers, e.g. a public IP behind port forwarding'),
    new Option('--initial_peers <maddr...>', 'peers to join through, each ending in /p2p/<peer id>'),
    new Option('--new_swarm', 'start a new swarm: this node is the first bootstrap'),
    new Option('--private_addresses', 'keep private and loopback addresses in the DHT (a LAN, or one machine)'),
    new Option('--identity_path <file>', 'the node identity key (`mesh keygen --path`)'),
    new Option('--data_dir <dir>', "where the node keeps its state, e.g. its open commits' secrets (default: ~/.mesh/nodes/<peer id>)"),
    new Option('--subnet_id <id>', 'the subnet id'),
    new Option('--subnet_node_id <id>', "the node id on chain, checked against the hotkey's"),
    new Option('--rpc <url>', "a Hypertensor node's WebSocket endpoint, e.g. wss://… for the testnet"),
    new Option('--local_chain <url>', 'a local chain server, e.g. ws://127.0.0.1:9944'),
    new Option('--hotkey-file <file>', 'file holding the hotkey secret (default: $MESH_HOTKEY)'),
    new Option('--threads <n>', 'CPU threads for inference (default: cores − 1 on small machines)'),
    new Option('--device <device>', `where inference runs: ${DEVICES.join(', ')} (auto: the GPU when its backend passes a check, else the CPU)`).default('auto'),
    new Option('--metrics_port <port>', 'serve /metrics (Prometheus), /health and /reports on 127.0.0.1:<port>'),
    new Option('--dashboard <port>', 'serve the dashboard and the OpenAI API through this node on 127.0.0.1:<port>'),
  ])
  command.hook('preAction', (cmd) => {
    const file = cmd.opts<RunOptions>().config
    if (file !== undefined) applyConfigFile(cmd, file)
  })
  return command.action(async (modelArg: string | undefined, opts: RunOptions) => {
    const model = modelArg ?? opts.model ?? process.env.MESH_MODEL
    if (model === undefined) throw usage('no model given', 'pass a GGUF path or hf:owner/repo:quant as the first argument')
    if (opts.hoster === opts.validator) throw usage('choose one role', 'pass --hoster or --validator')
    if (opts.identity_path === undefined) throw usage('no node identity', 'pass --identity_path <file> (create it with `mesh keygen --path <file>`)')
    const subnetId = integer(opts.subnet_id, '--subnet_id', 1)
    if (subnetId === undefined) throw usage('no subnet', 'pass --subnet_id <id>')
    if (opts.new_swarm !== true && (opts.initial_peers ?? []).length === 0) {
      throw usage('no way into the swarm', 'pass --initial_peers <maddr…>, or --new_swarm for the first node')
    }
    if (!(DEVICES as readonly string[]).includes(opts.device)) throw usage(`unknown device ${opts.device}`, `use one of ${DEVICES.join(', ')}`)
    const expectedNodeId = integer(opts.subnet_node_id, '--subnet_node_id', 1)
    const metricsPort = integer(opts.metrics_port, '--metrics_port', 0)
    const dashboardPort = integer(opts.dashboard, '--dashboard', 0)
    const identity = await readIdentity(opts.identity_path)
    const hotkey = await loadAccount(opts.hotkeyFile, 'MESH_HOTKEY')
    if (hotkey === undefined) throw usage('no hotkey to sign consensus with', 'pass --hotkey-file <file> or set MESH_HOTKEY')
    // A GPU backend is checked in a child process first: one that aborts must not take the node down.
    const device = opts.hoster === true ? await chooseDevice(opts.device as Device) : undefined
    if (device !== undefined) process.stdout.write(`${device.message}\n`)
    installCrashGuard()
    const chain = await connectChain({ rpc: opts.rpc, localChain: opts.local_chain, hotkey })
    let node: SubnetNode
    try {
      node = await SubnetNode.start({
        role: opts.hoster === true ? 'hoster' : 'validator',
        model,
        subnetId,
        identity,
        chain,
        dataDir: opts.data_dir,
        host: {
          hostMaddrs: opts.host_maddrs,
          announceMaddrs: opts.announce_maddrs,
          initialPeers: opts.initial_peers,
          newSwarm: opts.new_swarm === true,
          privateAddresses: opts.private_addresses === true,
          ...(opts.private_addresses === true ? { inboundConnectionThreshold: 10_000 } : {}),
        },
        engine: { device: device?.device ?? 'cpu', threads: integer(opts.threads, '--threads', 1) },
      })
    } catch (err) {
      await chain.close()
      throw err
    }
    if (expectedNodeId !== undefined && expectedNodeId !== node.chainNode.id) {
      await node.stop()
      await chain.close()
      throw usage(`--subnet_node_id ${expectedNodeId} is not this hotkey's node (${node.chainNode.id})`, 'pass the id `mesh chain status` shows for this node')
    }
    const status = metricsPort === undefined ? undefined : new StatusServer(node, opts.hoster === true ? 'hoster' : 'validator')
    const statusUrl = status === undefined ? undefined : await status.listen(metricsPort!)
    const backend = dashboardPort === undefined ? undefined : MeshClient.over({
      rpc: node.rpcClient, records: node.dht, ping: pingerOf(node.host), chain: node.chain, subnetId, self: node.host.peerId.toString(),
    })
    const gateway = backend === undefined ? undefined : new ApiServer({
      backend,
      extraRoutes: dashboardRoutes(new NetworkDashboard({ chain: node.chain, records: node.dht, audits: () => backend.auditCounts() }, { subnetId })),
    })
    const gatewayUrl = gateway === undefined ? undefined : await gateway.listen(dashboardPort!)
    process.stdout.write(`mesh node ${node.host.peerId.toString()} running as node ${node.chainNode.id}; addresses:\n` +
      `${node.host.addresses().map((a) => `  ${a.toString()}`).join('\n')}\n${statusUrl === undefined ? '' : `status at ${statusUrl}\n`}` +
      `${gatewayUrl === undefined ? '' : `dashboard at ${gatewayUrl}/ (OpenAI API at ${gatewayUrl}/v1)\n`}`)
    const signal = await untilSignal()
    log.info('stopping', { signal })
    try {
      await gateway?.close()
      await status?.close()
      await node.stop()
    } catch (err) {
      log.warn('unclean stop', { error: errorMessage(err) })
    } finally {
      await chain.close()
    }
  })
}
