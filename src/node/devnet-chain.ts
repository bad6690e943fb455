// The chain under a devnet: the embedded local chain as a `mesh chain local` process (the default),
// or the real Hypertensor runtime from a raw chain spec under chopsticks, with a timer building
// its blocks. Each starts the chain, funds the devnet's fresh accounts and names the owner who
// registers the subnet; the nodes reach it with the flags it gives.
import type { ChildProcess } from 'node:child_process'
import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import type { KeyringPair } from '@polkadot/keyring/types'
import { randomAccount } from '../chain/accounts.js'
import type { Chain } from '../chain/chain.js'
import { type Chopsticks, checkRawSpec, startChopsticks } from '../chain/chopsticks.js'
import { connectChain } from '../chain/connect.js'
import { DELEGATE_STAKE, PAIR_FUNDS, devAccountViews, fundPairs } from '../chain/dev-funds.js'
import { SubstrateChain } from '../chain/substrate.js'
import { MeshError, errorMessage } from '../errors.js'
import { logger } from '../log.js'
import { isRunning, startMeshProcess, stopMeshProcess } from './mesh-process.js'

const log = logger('devnet')

export interface KeyPair {
  coldkey: KeyringPair
  hotkey: KeyringPair
}

export interface DevnetChain {
  /** The chain's ws:// URL. */
  readonly url: string
  /** What runs, for people. */
  readonly description: string
  /** Starts the chain with `pairs` funded; returns a view that signs as the subnet's owner. */
  start(pairs: KeyPair[]): Promise<Chain>
  /** A view of the chain, signing with `keys` if given. */
  connect(keys?: Partial<KeyPair>): Promise<Chain>
  /** `mesh run` and `mesh api` flags that point at this chain. */
  readonly flags: string[]
  /** Tokens the owner delegates to the subnet before activating it (the runtime pays node rewards only then). */
  readonly delegateStake: bigint
  /** Kills the chain (faults); the chains that cannot come back refuse. */
  kill(signal: NodeJS.Signals): Promise<void>
  restart(): Promise<void>
  stop(): Promise<void>
}

/** `mesh chain local` as a process, its state in a file so that it can restart where it was. */
export class LocalDevnetChain implements DevnetChain {
  private process?: ChildProcess
  url = ''
  readonly delegateStake = 0n

  constructor(private readonly options: { dir: string; blockTimeSeconds: number; epochLength: number }) {}

  get description(): string {
    return `local chain, a block every ${this.options.blockTimeSeconds} s, ${this.options.epochLength} blocks an epoch`
  }

  get flags(): string[] {
    return ['--local_chain', this.url]
  }

  async start(pairs: KeyPair[]): Promise<Chain> {
    const owner = await randomAccount()
    const funded = [owner, ...pairs.flatMap((p) => [p.hotkey, p.coldkey])].map((a) => a.address)
    // A devnet always begins a new chain; its state file lets the chain restart where it was.
    await rm(this.statePath, { force: true })
    await this.run(['--port', '0', '--epoch-length', String(this.options.epochLength), '--fund', ...funded])
    return this.connect({ coldkey: owner })
  }

  connect(keys: Partial<KeyPair> = {}): Promise<Chain> {
    return connectChain({ localChain: this.url, ...keys })
  }

  async kill(signal: NodeJS.Signals): Promise<void> {
    await stopMeshProcess(this.process, signal)
  }

  async restart(): Promise<void> {
    if (isRunning(this.process)) throw new MeshError('DEVNET_RUNNING', 'the chain is running', { fix: 'kill it first' })
    await this.run(['--port', new URL(this.url).port])
  }

  async stop(): Promise<void> {
    await stopMeshProcess(this.process)
  }

  private get statePath(): string {
    return join(this.options.dir, 'chain-state.json')
  }

  private async run(args: string[]): Promise<void> {
    const started = await startMeshProcess('the local chain', ['chain', 'local', '--block-time', String(this.options.blockTimeSeconds),
      '--state', this.statePath, ...args], /listening on (ws:\/\/\S+)/, { logPath: join(this.options.dir, 'chain.log') })
    this.process = started.child
    this.url = started.match[1]!
  }
}

/** How the block timer has kept its pace: what a loaded machine shows first. */
export interface BlockPace {
  blocks: number
  /** Mean and longest time chopsticks took to build a block, in ms. */
  meanBuildMs: number
  maxBuildMs: number
  /** Blocks that took longer to build than the block time (the chain then runs slower than asked). */
  late: number
}

/**
 * The Hypertensor runtime from a raw chain spec under chopsticks, in memory, a block built every
 * `blockTimeSeconds` (or as soon as the last one is built, when building takes longer). The owner
 * is Alith, the genesis' sudo account; the nodes' accounts are funded from the dev accounts.
 */
export class RuntimeDevnetChain implements DevnetChain {
  private chopsticks?: Chopsticks
  private root?: SubstrateChain
  private timer?: NodeJS.Timeout
  private building?: Promise<void>
  private stopped = false
  /** Blocks built so far: how many, their total and longest build time, and how many were late. */
  private readonly built = { blocks: 0, totalMs: 0, maxMs: 0, late: 0 }
  readonly delegateStake = DELEGATE_STAKE
  readonly chainName: string

  constructor(private readonly options: { spec: string; blockTimeSeconds: number }) {
    this.chainName = checkRawSpec(options.spec)
  }

  get url(): string {
    return this.chopsticks?.url ?? ''
  }

  get description(): string {
    return `the Hypertensor runtime of "${this.chainName}" under chopsticks, a block every ${this.options.blockTimeSeconds} s`
  }

  get flags(): string[] {
    return ['--rpc', this.url]
  }

  async start(pairs: KeyPair[]): Promise<Chain> {
    this.chopsticks = await startChopsticks({ spec: this.options.spec, buildBlockMode: 'Manual' })
    this.scheduleBlock(0)
    // Chopsticks from a genesis spec refuses some mortal-era signatures near its first blocks (see SubstrateChain's `immortal`).
    this.root = await SubstrateChain.connect({ url: this.chopsticks.url, immortal: true })
    const funders = await devAccountViews(this.root)
    await fundPairs(this.root, funders, pairs, PAIR_FUNDS)
    return funders[0]!
  }

  async connect(keys: Partial<KeyPair> = {}): Promise<Chain> {
    if (this.root === undefined) throw new MeshError('DEVNET_NOT_STARTED', 'the chain is not started')
    return this.root.withKeys(keys)
  }

  /** The block timer's record so far. */
  pace(): BlockPace {
    const { blocks, totalMs, maxMs, late } = this.built
    return { blocks, meanBuildMs: blocks === 0 ? 0 : totalMs / blocks, maxBuildMs: maxMs, late }
  }

  kill(): Promise<void> {
    return Promise.reject(new MeshError('DEVNET_UNSUPPORTED', 'chopsticks keeps its state in memory: a killed runtime cannot come back', { fix: 'use the local chain (--runtime local) for chain faults' }))
  }

  restart(): Promise<void> {
    return this.kill()
  }

  async stop(): Promise<void> {
    this.stopped = true
    clearTimeout(this.timer)
    await this.building
    await this.root?.close()
    await this.chopsticks?.close()
  }

  /** The next block in `delayMs`; never two builds at once. */
  private scheduleBlock(delayMs: number): void {
    if (this.stopped) return
    this.timer = setTimeout(() => {
      const started = Date.now()
      this.building = this.chopsticks!.newBlocks(1).then(() => {
        const took = Date.now() - started
        this.built.blocks++
        this.built.totalMs += took
        this.built.maxMs = Math.max(this.built.maxMs, took)
        if (took > this.options.blockTimeSeconds * 1000) this.built.late++
        this.scheduleBlock(Math.max(0, this.options.blockTimeSeconds * 1000 - took))
      }, (err: unknown) => {
        if (this.stopped) return
        log.warn('chopsticks did not build a block; trying again', { error: errorMessage(err) })
        this.scheduleBlock(this.options.blockTimeSeconds * 1000)
      })
    }, delayMs)
  }
}
