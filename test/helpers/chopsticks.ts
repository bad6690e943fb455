// Runs the real Hypertensor runtime on loopback for tests: chopsticks 1.5.1 from the public testnet's
// raw chain spec, in memory, on a free port. The spec is test data outside the project
// (../shared/hypertensor, or $MESH_HYPERTENSOR_DIR); without it the suites that need it are skipped
// with the reason.
//
// Blocks are built in chopsticks' "Batch" mode: a block only when a transaction arrives (so that a
// write awaiting inclusion is included, as on the real chain), and otherwise only by hand with
// `dev_newBlock`. "Manual" mode would leave every write waiting for a block nobody builds.
import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { xxhashAsHex } from '@polkadot/util-crypto'

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url))

/**
 * The repository's main checkout: REPO_ROOT itself, or for a git worktree (whose `.git` is a file
 * naming `<main>/.git/worktrees/<name>`) the checkout it was made from.
 */
function mainCheckout(): string {
  try {
    const gitdir = /^gitdir: (.+)$/m.exec(readFileSync(join(REPO_ROOT, '.git'), 'utf8'))?.[1]
    if (gitdir !== undefined) return dirname(dirname(dirname(resolve(REPO_ROOT, gitdir.trim()))))
  } catch {
    // `.git` is a folder (or absent): this is the main checkout.
  }
  return REPO_ROOT
}

/** $MESH_HYPERTENSOR_DIR, else ../shared/hypertensor beside the checkout (a worktree's main one too). */
const HYPERTENSOR_DIR = process.env.MESH_HYPERTENSOR_DIR ??
  [REPO_ROOT, mainCheckout()].map((root) => resolve(root, '../shared/hypertensor')).find((dir) => existsSync(dir)) ??
  resolve(REPO_ROOT, '../shared/hypertensor')
export const HYPERTENSOR_SPEC = join(HYPERTENSOR_DIR, 'hoskinsonSpecRaw.json')
// The package's exports hide its bin script from require.resolve.
const CHOPSTICKS_BIN = join(REPO_ROOT, 'node_modules/@acala-network/chopsticks/chopsticks.cjs')

/** Why the real-runtime tests cannot run here, or undefined when they can. */
export function chopsticksSkipReason(): string | undefined {
  return existsSync(HYPERTENSOR_SPEC)
    ? undefined
    : `the Hypertensor runtime spec ${HYPERTENSOR_SPEC} is absent (set MESH_HYPERTENSOR_DIR to the folder holding hoskinsonSpecRaw.json)`
}

export interface Chopsticks {
  readonly url: string
  readonly port: number
  /** Builds `count` blocks now. */
  newBlocks(count?: number): Promise<void>
  /** Any JSON-RPC call (state_getStorage, dev_setStorage, ...). */
  rpc(method: string, params: unknown[]): Promise<unknown>
  /** Kills the process at once (SIGKILL), as a crash would. */
  kill(): Promise<void>
  close(): Promise<void>
}

const running = new Set<ChildProcess>()
// Last resort for a test run that dies without closing: never leave chopsticks behind.
process.once('exit', () => { for (const child of running) child.kill('SIGKILL') })

export interface ChopsticksOptions {
  /** 'Batch' (default) includes transactions as they come; 'Manual' only builds on `newBlocks`. */
  buildBlockMode?: 'Batch' | 'Manual'
  startTimeoutMs?: number
}

export async function startChopsticks(options: ChopsticksOptions = {}): Promise<Chopsticks> {
  const child = spawn(process.execPath, [CHOPSTICKS_BIN, '--genesis', HYPERTENSOR_SPEC, '--host', '127.0.0.1',
    '--port', '0', '--build-block-mode', options.buildBlockMode ?? 'Batch'],
  { stdio: ['ignore', 'pipe', 'pipe'] })
  running.add(child)
  const exited = new Promise<void>((done) => child.once('exit', () => { running.delete(child); done() }))
  let output = ''
  try {
    const port = await new Promise<number>((resolvePort, reject) => {
      const timer = setTimeout(() => reject(new Error(`chopsticks did not start within ${(options.startTimeoutMs ?? 120_000) / 1000} s:\n${output.slice(-2000)}`)),
        options.startTimeoutMs ?? 120_000)
      const onData = (chunk: Buffer): void => {
        output += chunk.toString()
        const listening = /listening on .*ws:\/\/127\.0\.0\.1:(\d+)/.exec(output)
        if (listening !== null) { clearTimeout(timer); resolvePort(Number(listening[1])) }
      }
      child.stdout?.on('data', onData)
      child.stderr?.on('data', onData)
      child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`chopsticks exited (${code}) before serving:\n${output.slice(-2000)}`)) })
    })
    // Keep draining its output so that a full pipe never stalls it.
    child.stdout?.resume()
    child.stderr?.resume()
    const url = `ws://127.0.0.1:${port}`
    const stop = async (signal: NodeJS.Signals): Promise<void> => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal)
      const force = setTimeout(() => child.kill('SIGKILL'), 5000)
      await exited
      clearTimeout(force)
    }
    return {
      url,
      port,
      newBlocks: (count = 1) => rpc(port, 'dev_newBlock', [{ count }]).then(() => undefined),
      rpc: (method, params) => rpc(port, method, params),
      kill: () => stop('SIGKILL'),
      close: () => stop('SIGTERM'),
    }
  } catch (err) {
    child.kill('SIGKILL')
    await exited
    throw err
  }
}

/** The key of a plain storage value: twox128(pallet) ++ twox128(item). */
export function storageKey(pallet: string, item: string): string {
  return `${xxhashAsHex(pallet, 128)}${xxhashAsHex(item, 128).slice(2)}`
}

async function rpc(port: number, method: string, params: unknown[]): Promise<unknown> {
  const response = await fetch(`http://127.0.0.1:${port}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
    signal: AbortSignal.timeout(300_000),
  })
  const body = await response.json() as { result?: unknown; error?: { message: string } }
  if (body.error !== undefined) throw new Error(`chopsticks ${method}: ${body.error.message}`)
  return body.result
}
