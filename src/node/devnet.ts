// A whole local subnet on one machine: a local chain with fast blocks, a subnet with its nodes
// registered and staked, each node its own `mesh run` process on loopback, and the API gateway
// with the dashboard in this process. What `mesh devnet` runs.
import { spawn, type ChildProcess } from 'node:child_process'
import { createWriteStream } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { KeyringPair } from '@polkadot/keyring/types'
import { NetworkDashboard } from '../api/dashboard/network-source.js'
import { dashboardRoutes } from '../api/dashboard/routes.js'
import { ApiServer } from '../api/server.js'
import { randomBytes } from 'node:crypto'
import { accountFromSecret, randomAccount } from '../chain/accounts.js'
import type { Chain } from '../chain/chain.js'
import { connectChain } from '../chain/connect.js'
import { bootstrapSubnet } from '../chain/local/bootstrap.js'
import { MeshClient } from '../client/mesh-client.js'
import { MeshError } from '../errors.js'
import { logger } from '../log.js'
import { generateIdentity, peerIdOf, writeIdentity, type Ed25519PrivateKey } from '../p2p/keys.js'

const log = logger('devnet')
const MESH_BIN = fileURLToPath(new URL('../cli/main.js', import.meta.url))
const LOOPBACK_HOST = ['/ip4/127.0.0.1/tcp/0']

export interface DevnetOptions {
  dir: string
  model: string
  hosters: number
  validators: number
  blockTimeSeconds: number
  epochLength: number
  apiPort: number
  /** Lines for people: progress and one line an epoch. */
  print: (line: string) => void
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
  /** The first node also serves the dashboard and the API itself (`mesh run --dashboard`). */
  dashboardUrl?: string
  addresses?: string[]
}

/**
 * Starts `mesh <args>` and resolves with the first stdout match of `ready`, keeping the process.
 * Its log lines go to `logPath`.
 */
function startProcess(name: string, args: string[], ready: RegExp, env: NodeJS.ProcessEnv, timeoutMs: number, logPath: string): Promise<{ child: ChildProcess; match: RegExpExecArray; output: () => string }> {
  const child = spawn(process.execPath, [MESH_BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } })
  let stdout = ''
  let stderr = ''
  const logFile = createWriteStream(logPath, { flags: 'a' })
  child.stderr!.pipe(logFile)
  child.stderr!.on('data', (d: Buffer) => { stderr = (stderr + d.toString()).slice(-20_000) })
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new MeshError('DEVNET_START', `${name} did not start in ${timeoutMs / 1000} s:\n${stderr.slice(-2000)}`)), timeoutMs)
    child.stdout!.on('data', (d: Buffer) => {
      stdout += d.toString()
      const match = ready.exec(stdout)
      if (match !== null) {
        clearTimeout(timer)
        resolve({ child, match, output: () => stdout + stderr })
      }
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new MeshError('DEVNET_START', `${name} exited with ${code} before it was ready:\n${stderr.slice(-2000)}`))
    })
  })
}

async function stopProcess(child: ChildProcess | undefined, graceMs = 5_000): Promise<void> {
  if (child === undefined || child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs)
  await exited
  clearTimeout(timer)
}

export interface EpochLine {
  epoch: number
  challenge: boolean
  reveals: number
  hosters: number
  proposed: boolean
  attestationRatio: number | null
}

export class Devnet {
  private chainProcess?: ChildProcess
  private readonly members: Member[] = []
  private chain?: Chain
  private client?: MeshClient
  private api?: ApiServer
  subnetId = 0
  apiUrl = ''
  private chainUrl = ''

  constructor(private readonly options: DevnetOptions) {}

  async start(): Promise<void> {
    const { options } = this
    await mkdir(options.dir, { recursive: true, mode: 0o700 })
    for (let i = 0; i < options.hosters + options.validators; i++) {
      const hotkeySecret = `0x${randomBytes(32).toString('hex')}`
      this.members.push({
        role: i < options.hosters ? 'hoster' : 'validator', key: await generateIdentity(),
        hotkeySecret, hotkey: await accountFromSecret(hotkeySecret), coldkey: await randomAccount(),
      })
    }
    const owner = await randomAccount()
    const clientKey = await generateIdentity()
    const funded = [owner, ...this.members.flatMap((m) => [m.hotkey, m.coldkey])].map((a) => a.address)

    options.print(`starting a local chain (blocks every ${options.blockTimeSeconds} s, ${options.epochLength} blocks an epoch)`)
    const chain = await startProcess('the local chain', ['chain', 'local', '--port', '0', '--block-time', String(options.blockTimeSeconds),
      '--epoch-length', String(options.epochLength), '--fund', ...funded], /listening on (ws:\/\/\S+)/, {}, 60_000, join(options.dir, 'chain.log'))
    this.chainProcess = chain.child
    const chainUrl = chain.match[1]
    this.chainUrl = chainUrl
    this.chain = await connectChain({ localChain: chainUrl })

    options.print(`registering a subnet with ${options.hosters} hosters and ${options.validators} validators`)
    const views = await Promise.all(this.members.map((m) => connectChain({ localChain: chainUrl, hotkey: m.hotkey, coldkey: m.coldkey })))
    const ownerView = await connectChain({ localChain: chainUrl, coldkey: owner })
    try {
      const made = await bootstrapSubnet({
        owner: ownerView,
        name: 'devnet',
        nodes: this.members.map((m, i) => ({
          chain: views[i], coldkey: m.coldkey.address, peerId: peerIdOf(m.key).toString(),
          ...(i === 0 ? { clientPeerId: peerIdOf(clientKey).toString() } : {}),
        })),
      })
      this.subnetId = made.subnetId
      made.nodeIds.forEach((id, i) => { this.members[i].nodeId = id })
    } finally {
      await Promise.all([...views, ownerView].map((v) => v.close()))
    }

    for (const [i, member] of this.members.entries()) {
      const keyPath = join(options.dir, `node${i}.key`)
      await writeIdentity(keyPath, member.key, true)
      const first = i === 0
      const args = ['run', options.model, `--${member.role}`, '--identity_path', keyPath, '--subnet_id', String(this.subnetId),
        '--local_chain', chainUrl, '--host_maddrs', ...LOOPBACK_HOST, '--private_addresses', '--metrics_port', '0',
        ...(first ? ['--new_swarm', '--dashboard', '0'] : ['--initial_peers', this.members[0].addresses![0]])]
      options.print(`starting node ${member.nodeId} (${member.role})`)
      const ready = first ? /status at (http:\/\/\S+)\ndashboard at \S+ .*\n/ : /status at (http:\/\/\S+)\n/
      const started = await startProcess(`node ${member.nodeId}`, args, ready,
        { MESH_HOTKEY: member.hotkeySecret }, 120_000, join(options.dir, `node${i}.log`))
      member.process = started.child
      member.statusUrl = started.match[1]
      member.addresses = [...started.output().matchAll(/^ {2}(\/ip4\/\S+)$/gm)].map((m) => m[1])
      member.dashboardUrl = /dashboard at (http:\/\/\S+)\//.exec(started.output())?.[1]
    }

    // The client identity is the first node's client peer id: `mesh api` can use it too.
    await writeIdentity(join(options.dir, 'client.key'), clientKey, true)
    options.print('starting the API gateway')
    this.client = await MeshClient.connect({
      subnetId: this.subnetId, identity: clientKey, chain: this.chain, initialPeers: [this.members[0].addresses![0]],
      host: { hostMaddrs: LOOPBACK_HOST, privateAddresses: true, inboundConnectionThreshold: 10_000 },
    })
    this.api = new ApiServer({
      backend: this.client,
      extraRoutes: dashboardRoutes(new NetworkDashboard({ chain: this.chain, records: this.client.records }, { subnetId: this.subnetId })),
    })
    this.apiUrl = await this.api.listen(options.apiPort)
    log.info('devnet running', { subnet: this.subnetId, nodes: this.members.length, api: this.apiUrl })
  }

  /** What is running, for people. */
  describe(): string {
    const lines = [`chain: ${this.chainUrl} (subnet ${this.subnetId})`]
    for (const m of this.members) {
      lines.push(`node ${m.nodeId} ${m.role.padEnd(9)} ${peerIdOf(m.key).toString()}  ${m.addresses?.[0] ?? ''}  status ${m.statusUrl}` +
        (m.dashboardUrl === undefined ? '' : `  node dashboard ${m.dashboardUrl}/`))
    }
    lines.push(`OpenAI API: ${this.apiUrl}/v1    dashboard: ${this.apiUrl}/`)
    lines.push(`another gateway: mesh api --local_chain ${this.chainUrl} --subnet_id ${this.subnetId} ` +
      `--initial_peers ${this.members[0].addresses?.[0] ?? ''} --client_path ${join(this.options.dir, 'client.key')} --port 8001`)
    return lines.join('\n')
  }

  /** The epoch's line: challenge, reveals, and the submission of its scores with its attestations. */
  async epochLine(epoch: number): Promise<EpochLine> {
    const chain = this.chain!
    const submission = await chain.consensusSubmission(this.subnetId, epoch + 1)
    const reports = await fetch(`${this.members[0].statusUrl}/reports`).then((r) => r.json() as Promise<Array<{ epoch: number; challenge?: unknown; records?: { hosterReveals: string[] } }>>)
    const report = reports.find((r) => r.epoch === epoch)
    return {
      epoch,
      challenge: report?.challenge !== undefined,
      reveals: report?.records?.hosterReveals.length ?? 0,
      hosters: this.options.hosters,
      proposed: submission !== null,
      attestationRatio: submission === null || submission.validatorCount === 0 ? null : submission.attestations.length / submission.validatorCount,
    }
  }

  async epochInfo(): Promise<{ epoch: number; progress: number }> {
    return this.chain!.epochInfo(this.subnetId)
  }

  async stop(): Promise<void> {
    await this.api?.close()
    await this.client?.close()
    await Promise.all(this.members.map((m) => stopProcess(m.process)))
    await this.chain?.close()
    await stopProcess(this.chainProcess)
  }
}
