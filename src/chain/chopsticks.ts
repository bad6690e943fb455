// The real Hypertensor runtime on loopback: chopsticks (a development dependency) from a raw chain
// spec, in memory, on a free port. What `mesh devnet --runtime hypertensor` and the real-runtime
// tests run.
//
// Blocks are built in one of chopsticks' modes: "Batch" builds a block as soon as a transaction
// arrives (tests: a write awaiting inclusion is included at once) and otherwise only on
// `newBlocks`; "Manual" builds only on `newBlocks`, so whoever starts it must build blocks (the
// devnet's block timer), as a real chain's block time does.
import { type ChildProcess, spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { MeshError, errorMessage } from '../errors.js'

export const CHOPSTICKS_PACKAGE = '@acala-network/chopsticks@1.5.1'

/** chopsticks' command-line script; its package's exports hide it, so it is found beside the package's entry. */
function chopsticksBin(): string {
  let entry: string
  try {
    entry = fileURLToPath(import.meta.resolve('@acala-network/chopsticks'))
  } catch (err) {
    throw new MeshError('CHOPSTICKS_MISSING', `chopsticks, which runs the Hypertensor runtime locally, is not installed (${errorMessage(err)})`,
      { fix: `install it beside mesh: npm install ${CHOPSTICKS_PACKAGE}` })
  }
  const root = /^(.*[\\/]node_modules[\\/]@acala-network[\\/]chopsticks)[\\/]/.exec(entry)?.[1]
  if (root === undefined) throw new MeshError('CHOPSTICKS_MISSING', `chopsticks resolved to ${entry}, outside a node_modules folder`, { fix: `reinstall it: npm install ${CHOPSTICKS_PACKAGE}` })
  return `${root}/chopsticks.cjs`
}

/**
 * Checks that `path` is a readable raw chain spec (JSON with `genesis.raw.top`, the form
 * chopsticks starts from) and returns the chain's name. chopsticks itself fails late and vaguely.
 */
export function checkRawSpec(path: string): string {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (err) {
    throw new MeshError('SPEC_UNREADABLE', `cannot read the chain spec ${path}: ${errorMessage(err)}`, { fix: 'pass --spec the path of a raw chain spec, e.g. hoskinsonSpecRaw.json' })
  }
  let spec: { name?: unknown; genesis?: { raw?: { top?: unknown } } }
  try {
    spec = JSON.parse(text) as typeof spec
  } catch {
    throw new MeshError('SPEC_INVALID', `the chain spec ${path} is not JSON`, { fix: 'pass --spec a raw chain spec (JSON)' })
  }
  if (typeof spec?.genesis?.raw?.top !== 'object' || spec.genesis.raw.top === null) {
    throw new MeshError('SPEC_INVALID', `the chain spec ${path} has no raw genesis state (genesis.raw.top)`,
      { fix: 'pass a raw chain spec: `<node> build-spec --raw` writes one' })
  }
  return typeof spec.name === 'string' ? spec.name : 'unnamed chain'
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
// Last resort for a process that dies without closing: never leave chopsticks behind.
process.once('exit', () => { for (const child of running) child.kill('SIGKILL') })

export interface ChopsticksOptions {
  /** A raw chain spec (checked first with `checkRawSpec`). */
  spec: string
  /** 'Batch' (default) includes transactions as they come; 'Manual' only builds on `newBlocks`. */
  buildBlockMode?: 'Batch' | 'Manual'
  startTimeoutMs?: number
}

export async function startChopsticks(options: ChopsticksOptions): Promise<Chopsticks> {
  checkRawSpec(options.spec)
  const child = spawn(process.execPath, [chopsticksBin(), '--genesis', options.spec, '--host', '127.0.0.1',
    '--port', '0', '--build-block-mode', options.buildBlockMode ?? 'Batch'],
  { stdio: ['ignore', 'pipe', 'pipe'] })
  running.add(child)
  const exited = new Promise<void>((done) => child.once('exit', () => { running.delete(child); done() }))
  let output = ''
  const startTimeoutMs = options.startTimeoutMs ?? 120_000
  try {
    const port = await new Promise<number>((resolvePort, reject) => {
      const timer = setTimeout(() => reject(new MeshError('CHOPSTICKS_START', `chopsticks did not start within ${startTimeoutMs / 1000} s:\n${output.slice(-2000)}`)),
        startTimeoutMs)
      const onData = (chunk: Buffer): void => {
        output += chunk.toString()
        const listening = /listening on .*ws:\/\/127\.0\.0\.1:(\d+)/.exec(output)
        if (listening !== null) { clearTimeout(timer); resolvePort(Number(listening[1])) }
      }
      child.stdout?.on('data', onData)
      child.stderr?.on('data', onData)
      child.once('exit', (code) => { clearTimeout(timer); reject(new MeshError('CHOPSTICKS_START', `chopsticks exited (${code}) before serving:\n${output.slice(-2000)}`)) })
    })
    // Keep draining its output so that a full pipe never stalls it.
    child.stdout?.resume()
    child.stderr?.resume()
    const stop = async (signal: NodeJS.Signals): Promise<void> => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal)
      const force = setTimeout(() => child.kill('SIGKILL'), 5000)
      await exited
      clearTimeout(force)
    }
    return {
      url: `ws://127.0.0.1:${port}`,
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

async function rpc(port: number, method: string, params: unknown[]): Promise<unknown> {
  const response = await fetch(`http://127.0.0.1:${port}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
    signal: AbortSignal.timeout(300_000),
  })
  const body = await response.json() as { result?: unknown; error?: { message: string } }
  if (body.error !== undefined) throw new MeshError('CHOPSTICKS_RPC', `chopsticks ${method}: ${body.error.message}`)
  return body.result
}
