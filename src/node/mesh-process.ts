// A `mesh <command>` child process, started and stopped as an operator would: what the devnet
// runs its chain and nodes with, and what tests that need real processes use.
import { spawn, type ChildProcess } from 'node:child_process'
import { createWriteStream } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { MeshError } from '../errors.js'

const MESH_BIN = fileURLToPath(new URL('../cli/main.js', import.meta.url))

export interface MeshProcess {
  child: ChildProcess
  /** The first match of the `ready` pattern in its stdout. */
  match: RegExpExecArray
  /** Everything it printed so far: stdout, then the last 20 kB of stderr. */
  output(): string
}

export interface StartOptions {
  env?: NodeJS.ProcessEnv
  timeoutMs?: number
  /** Its stderr (the log lines) is appended to this file. */
  logPath?: string
}

/**
 * Starts `mesh <args>` and resolves once its stdout matches `ready`, keeping the process. A process
 * that exits first, or does not get ready in time (it is then killed), fails with DEVNET_START.
 */
export function startMeshProcess(name: string, args: string[], ready: RegExp, options: StartOptions = {}): Promise<MeshProcess> {
  const timeoutMs = options.timeoutMs ?? 60_000
  const child = spawn(process.execPath, [MESH_BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...options.env } })
  let stdout = ''
  let stderr = ''
  if (options.logPath !== undefined) child.stderr!.pipe(createWriteStream(options.logPath, { flags: 'a' }))
  child.stderr!.on('data', (d: Buffer) => { stderr = (stderr + d.toString()).slice(-20_000) })
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new MeshError('DEVNET_START', `${name} did not start in ${timeoutMs / 1000} s:\n${stderr.slice(-2000)}`))
    }, timeoutMs)
    child.stdout!.on('data', (d: Buffer) => {
      stdout += d.toString()
      const match = ready.exec(stdout)
      if (match !== null) {
        clearTimeout(timer)
        resolve({ child, match, output: () => stdout + stderr })
      }
    })
    child.once('exit', (code, signal) => {
      clearTimeout(timer)
      reject(new MeshError('DEVNET_START', `${name} exited with ${code ?? signal} before it was ready:\n${stderr.slice(-2000)}`))
    })
  })
}

/** Whether the process has not exited yet. */
export function isRunning(child: ChildProcess | undefined): child is ChildProcess {
  return child !== undefined && child.exitCode === null && child.signalCode === null
}

/** Sends `signal` (SIGTERM by default, SIGKILL after `graceMs`) and resolves once the process has exited. */
export async function stopMeshProcess(child: ChildProcess | undefined, signal: NodeJS.Signals = 'SIGTERM', graceMs = 5_000): Promise<void> {
  if (!isRunning(child)) return
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  child.kill(signal)
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs)
  await exited
  clearTimeout(timer)
}
