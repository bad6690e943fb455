// Runs `mesh chain local` as a child process, as operators do, and stops it after the test.
import { spawn, type ChildProcess } from 'node:child_process'
import { MESH_BIN } from './cli.js'

export interface ChainProcess {
  url: string
  child: ChildProcess
  /** Everything it printed so far (stdout and stderr). */
  output(): string
  /** SIGTERM, and resolves with the exit code (or the signal that killed it) once it has exited. */
  stop(): Promise<number | string | null>
}

export async function startLocalChain(args: string[], timeoutMs = 60_000): Promise<ChainProcess> {
  const child = spawn(process.execPath, [MESH_BIN, 'chain', 'local', '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  const exited = new Promise<number | string | null>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)))
  child.stderr!.on('data', (d: Buffer) => { output += d.toString() })
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`mesh chain local did not start in ${timeoutMs} ms: ${output}`)) }, timeoutMs)
    child.stdout!.on('data', (d: Buffer) => {
      output += d.toString()
      const match = /listening on (ws:\/\/\S+)/.exec(output)
      if (match !== null) { clearTimeout(timer); resolve(match[1]!) }
    })
    void exited.then((code) => { clearTimeout(timer); reject(new Error(`mesh chain local exited with ${code}: ${output}`)) })
  })
  return {
    url,
    child,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
      return exited
    },
  }
}
