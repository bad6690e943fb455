import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'

/** The compiled CLI entry point, run as users run it. */
export const MESH_BIN = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url))

export interface CliResult { code: number; stdout: string; stderr: string }

export function runMesh(args: string[], options: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, [MESH_BIN, ...args], { env: { ...process.env, ...options.env }, timeout: options.timeoutMs ?? 60_000 },
      (err, stdout, stderr) => {
        const code = err === null ? 0 : typeof err.code === 'number' ? err.code : 1
        resolve({ code, stdout, stderr })
      })
  })
}
