// Runs `mesh chain local` as a child process, as operators do (the devnet's own process starter),
// and stops it after the test.
import type { ChildProcess } from 'node:child_process'
import { startMeshProcess } from '../../src/node/mesh-process.js'

export interface ChainProcess {
  url: string
  child: ChildProcess
  /** Everything it printed so far (stdout and stderr). */
  output(): string
  /** SIGTERM, and resolves with the exit code (or the signal that killed it) once it has exited. */
  stop(): Promise<number | string | null>
}

export async function startLocalChain(args: string[], timeoutMs = 60_000): Promise<ChainProcess> {
  const started = await startMeshProcess('mesh chain local', ['chain', 'local', '--port', '0', ...args], /listening on (ws:\/\/\S+)/, { timeoutMs })
  const { child } = started
  const exited = new Promise<number | string | null>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode ?? child.signalCode)
    else child.once('exit', (code, signal) => resolve(code ?? signal))
  })
  return {
    url: started.match[1]!,
    child,
    output: started.output,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
      return exited
    },
  }
}
