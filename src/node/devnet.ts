// A whole local subnet on one machine: a chain with fast blocks (the local chain, or the real
// Hypertensor runtime under chopsticks), a subnet with its nodes registered and staked, each node
// its own `mesh run` process on loopback, and the API gateway with the dashboard in this process.
// What `mesh devnet` runs.
import type { ChildProcess } from 'node:child_process'
import { mkdir } from 'node:fs/promises'
import { type AddressInfo, createServer } from 'node:net'
import { join } from 'node:path'
import type { KeyringPair } from '@polkadot/keyring/types'
import { NetworkDashboard } from '../api/dashboard/network-source.js'
import { dashboardRoutes } from '../api/dashboard/routes.js'
import { ApiServer } from '../api/server.js'
import { randomBytes } from 'node:crypto'
import { accountFromSecret, randomAccount } from '../chain/accounts.js'
import type { Chain, EpochInfo, EpochRewards } from '../chain/chain.js'
import { DEFAULT_MIN_STAKE, bootstrapSubnet } from '../chain/local/bootstrap.js'
import { MeshClient } from '../client/mesh-client.js'
import type { SessionOptions } from '../client/session.js'
import { MeshError } from '../errors.js'
import { logger } from '../log.js'
import { generateIdentity, peerIdOf, writeIdentity, type Ed25519PrivateKey } from '../p2p/keys.js'
import { type BlockPace, type DevnetChain, LocalDevnetChain, RuntimeDevnetChain } from './devnet-chain.js'
import { isRunning, startMeshProcess, stopMeshProcess } from './mesh-process.js'

const log = logger('devnet')
const LOOPBACK_HOST = ['/ip4/127.0.0.1/tcp/0']
/**
 * Each node stakes 5× the minimum: a validator is slashed for a submission too few attest (an
 * epoch lost to a loaded machine or a fault), and at the bare minimum one slash would lock it
 * out of the subnet, and with it the API gateway, its client.
 */
const NODE_STAKE = 5n * DEFAULT_MIN_STAKE

export interface DevnetOptions {
  dir: string
  model: string
  hosters: number
  validators: number
  blockTimeSeconds: number
  /** Blocks an epoch of the local chain (the real runtime has its own). */
  epochLength: number
  /** A raw chain spec: run the real Hypertensor runtime from it under chopsticks instead of the local chain. */
  runtimeSpec?: string
  apiPort: number
  /** Lines for people: progress and one line an epoch. */
  print: (line: string) => void
  /** How the API gateway fails over between hosters (stall timeout, attempts, a hook per hoster tried). */
  session?: SessionOptions
}

/** A node of the devnet as it runs now. */
export interface DevnetNode {
  nodeId: number
  role: 'hoster' | 'validator'
  peerId: string
  statusUrl: string
  running: boolean
}

interface Member {
  role: 'hoster' | 'validator'
  key: Ed25519PrivateKey
  /** The node process reads it from its environment (MESH_HOTKEY), never from a flag. */
  hotkeySecret: string
  hotkey: KeyringPair
  coldkey: KeyringPair
  nodeId?: number
  process?: ChildProcess
  statusUrl?: string
  /** Where it listens: a port chosen before it starts for the founding node (the subnet's bootnode), any free one for the others. */
  listen: string
  /** The first node also serves the dashboard and the API itself (`mesh run --dashboard`). */
  dashboardUrl?: string
  addresses?: string[]
}

export interface EpochLine {
  epoch: number
  challenge: boolean
  reveals: number
  hosters: number
  proposed: boolean
  attestationRatio: number | null
  /** What the chain paid for the epoch's scores, where it keeps a record of rewards (the real runtime does). */
  rewards?: EpochRewards | null
}

/** A TCP port free on loopback now (the founding node takes it a moment later). */
async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve, reject) => { server.once('error', reject); server.listen(0, '127.0.0.1', resolve) })
  const { port } = server.address() as AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return port
}

export class Devnet {
  private readonly members: Member[] = []
  private chain?: Chain
  private client?: MeshClient
  private api?: ApiServer
  subnetId = 0
  apiUrl = ''
  private readonly backend: DevnetChain

  constructor(private readonly options: DevnetOptions) {
    this.backend = options.runtimeSpec === undefined
      ? new LocalDevnetChain({ dir: options.dir, blockTimeSeconds: options.blockTimeSeconds, epochLength: options.epochLength })
      : new RuntimeDevnetChain({ spec: options.runtimeSpec, blockTimeSeconds: options.blockTimeSeconds })
  }

  async start(): Promise<void> {
    const { options } = this
    await mkdir(options.dir, { recursive: true, mode: 0o700 })
    for (let i = 0; i < options.hosters + options.validators; i++) {
      const hotkeySecret = `0x${randomBytes(32).toString('hex')}`
      this.members.push({
        role: i < options.hosters ? 'hoster' : 'validator', key: await generateIdentity(),
        hotkeySecret, hotkey: await accountFromSecret(hotkeySecret), coldkey: await randomAccount(),
        listen: i === 0 ? `/ip4/127.0.0.1/tcp/${await freePort()}` : LOOPBACK_HOST[0]!,
      })
    }
    const clientKey = await generateIdentity()

    options.print(`starting the chain: ${this.backend.description}`)
    const ownerView = await this.backend.start(this.members)
    this.chain = await this.backend.connect()

    options.print(`registering a subnet with ${options.hosters} hosters and ${options.validators} validators`)
    const views = await Promise.all(this.members.map((m) => this.backend.connect({ hotkey: m.hotkey, coldkey: m.coldkey })))
    try {
      const made = await bootstrapSubnet({
        owner: ownerView,
        name: 'devnet',
        delegateStake: this.backend.delegateStake,
        bootnodes: [`${this.members[0]!.listen}/p2p/${peerIdOf(this.members[0]!.key).toString()}`],
        nodes: this.members.map((m, i) => ({
          chain: views[i], coldkey: m.coldkey.address, peerId: peerIdOf(m.key).toString(), stake: NODE_STAKE,
          ...(i === 0 ? { clientPeerId: peerIdOf(clientKey).toString() } : {}),
        })),
      })
      this.subnetId = made.subnetId
      made.nodeIds.forEach((id, i) => { this.members[i].nodeId = id })
    } finally {
      await Promise.all([...views, ownerView].map((v) => v.close()))
    }
    const { epochLength: blocks } = await this.chain.epochInfo(this.subnetId)
    options.print(`subnet ${this.subnetId} is active: ${blocks} blocks an epoch`)

    for (const [i, member] of this.members.entries()) {
      await writeIdentity(this.keyPath(i), member.key, true)
      options.print(`starting node ${member.nodeId} (${member.role})`)
      await this.startNode(i)
    }

    // The client identity is the first node's client peer id: `mesh api` can use it too.
    await writeIdentity(join(options.dir, 'client.key'), clientKey, true)
    options.print('starting the API gateway')
    this.client = await MeshClient.connect({
      subnetId: this.subnetId, identity: clientKey, chain: this.chain, initialPeers: [this.members[0].addresses![0]],
      host: { hostMaddrs: LOOPBACK_HOST, privateAddresses: true, inboundConnectionThreshold: 10_000 },
      ...(options.session === undefined ? {} : { session: options.session }),
    })
    this.api = new ApiServer({
      backend: this.client,
      extraRoutes: dashboardRoutes(new NetworkDashboard({ chain: this.chain, records: this.client.records, audits: () => this.client!.auditCounts() }, { subnetId: this.subnetId })),
    })
    this.apiUrl = await this.api.listen(options.apiPort)
    log.info('devnet running', { subnet: this.subnetId, nodes: this.members.length, api: this.apiUrl })
  }

  /** What is running, for people. */
  describe(): string {
    const lines = [`chain: ${this.backend.url} (subnet ${this.subnetId}), ${this.backend.description}`]
    for (const m of this.members) {
      lines.push(`node ${m.nodeId} ${m.role.padEnd(9)} ${peerIdOf(m.key).toString()}  ${m.addresses?.[0] ?? ''}  status ${m.statusUrl}` +
        (m.dashboardUrl === undefined ? '' : `  node dashboard ${m.dashboardUrl}/`))
    }
    lines.push(`OpenAI API: ${this.apiUrl}/v1    dashboard: ${this.apiUrl}/`)
    lines.push(`another gateway: mesh api ${this.backend.flags.join(' ')} --subnet_id ${this.subnetId} ` +
      `--initial_peers ${this.members[0].addresses?.[0] ?? ''} --client_path ${join(this.options.dir, 'client.key')} --port 8001`)
    return lines.join('\n')
  }

  /**
   * The epoch's line: challenge, reveals, the submission of its scores (made in the next epoch)
   * with its attestations, and what the chain paid for it (at the start of the epoch after).
   */
  async epochLine(epoch: number): Promise<EpochLine> {
    const chain = this.chain!
    const submission = await chain.consensusSubmission(this.subnetId, epoch + 1)
    const rewards = chain.rewards === undefined ? undefined : await chain.rewards(this.subnetId, epoch + 1)
    const reports = await fetch(`${this.members[0].statusUrl}/reports`).then((r) => r.json() as Promise<Array<{ epoch: number; challenge?: unknown; records?: { hosterReveals: string[] } }>>)
    const report = reports.find((r) => r.epoch === epoch)
    return {
      epoch,
      challenge: report?.challenge !== undefined,
      reveals: report?.records?.hosterReveals.length ?? 0,
      hosters: this.options.hosters,
      proposed: submission !== null,
      attestationRatio: submission === null || submission.validatorCount === 0 ? null : submission.attestations.length / submission.validatorCount,
      ...(rewards === undefined ? {} : { rewards }),
    }
  }

  async epochInfo(): Promise<EpochInfo> {
    return this.chain!.epochInfo(this.subnetId)
  }

  /** How the block timer of the real runtime kept its pace (undefined on the local chain, whose blocks keep their own). */
  blockPace(): BlockPace | undefined {
    return this.backend instanceof RuntimeDevnetChain ? this.backend.pace() : undefined
  }

  /** The chain's ws:// URL (the same across a restart of the chain). */
  get chainEndpoint(): string {
    return this.backend.url
  }

  nodes(): DevnetNode[] {
    return this.members.map((m) => ({
      nodeId: m.nodeId!, role: m.role, peerId: peerIdOf(m.key).toString(), statusUrl: m.statusUrl ?? '', running: isRunning(m.process),
    }))
  }

  // --- faults: what an operator's machine does to a node or the chain --------------------------

  /** Kills a node's process (SIGKILL by default: no goodbye) and waits until it is gone. */
  async killNode(nodeId: number, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    await stopMeshProcess(this.member(nodeId).process, signal)
  }

  /** Starts a stopped node again with its key and settings, joining through a running node. */
  async restartNode(nodeId: number): Promise<void> {
    const member = this.member(nodeId)
    if (isRunning(member.process)) throw new MeshError('DEVNET_RUNNING', `node ${nodeId} is running`, { fix: 'kill it first' })
    await this.startNode(this.members.indexOf(member))
  }

  /** Kills the chain process (SIGKILL by default); the local chain's state stays in its file. */
  async killChain(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    await this.backend.kill(signal)
  }

  /** Starts the chain again on the same port from its state file: the same endpoint comes back. */
  async restartChain(): Promise<void> {
    await this.backend.restart()
  }

  async stop(): Promise<void> {
    await this.api?.close()
    await this.client?.close()
    await Promise.all(this.members.map((m) => stopMeshProcess(m.process)))
    await this.chain?.close()
    await this.backend.stop()
  }

  private keyPath(index: number): string {
    return join(this.options.dir, `node${index}.key`)
  }

  private member(nodeId: number): Member {
    const member = this.members.find((m) => m.nodeId === nodeId)
    if (member === undefined) throw new MeshError('DEVNET_NO_NODE', `the devnet has no node ${nodeId}`)
    return member
  }

  /** Starts the node's process: the first one founds the swarm, the others (and restarts) join a running node. */
  private async startNode(index: number): Promise<void> {
    const member = this.members[index]!
    const founding = index === 0 && member.process === undefined
    const through = this.members.find((m) => m !== member && isRunning(m.process) && m.addresses !== undefined)
    if (!founding && through === undefined) throw new MeshError('DEVNET_NO_PEER', `no running node for node ${member.nodeId} to join through`)
    const dashboard = index === 0
    const args = ['run', this.options.model, `--${member.role}`, '--identity_path', this.keyPath(index), '--subnet_id', String(this.subnetId),
      '--data_dir', join(this.options.dir, `node${index}`),
      ...this.backend.flags, '--host_maddrs', member.listen, '--private_addresses', '--metrics_port', '0',
      ...(dashboard ? ['--dashboard', '0'] : []),
      ...(founding ? ['--new_swarm'] : ['--initial_peers', through!.addresses![0]!])]
    const ready = dashboard ? /status at (http:\/\/\S+)\ndashboard at \S+ .*\n/ : /status at (http:\/\/\S+)\n/
    const started = await startMeshProcess(`node ${member.nodeId}`, args, ready,
      { env: { MESH_HOTKEY: member.hotkeySecret }, timeoutMs: 120_000, logPath: join(this.options.dir, `node${index}.log`) })
    member.process = started.child
    member.statusUrl = started.match[1]
    member.addresses = [...started.output().matchAll(/^ {2}(\/ip4\/\S+)$/gm)].map((m) => m[1]!)
    member.dashboardUrl = /dashboard at (http:\/\/\S+)\//.exec(started.output())?.[1]
    log.info('node process started', { node: member.nodeId, role: member.role, pid: started.child.pid })
  }
}
