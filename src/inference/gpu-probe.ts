// Checks a GPU backend in a short child process before the node trusts it with the real model.
// A GPU binary that does not fit the machine's driver can load a model and then abort the whole
// process at its first decode (node-llama-cpp's prebuilt CUDA binary on a driver older than its
// toolkit: "the provided PTX was compiled with an unsupported toolchain"); in a child, that abort
// costs a fallback, not the node and its stake work for the epoch.
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { logger } from '../log.js'
import { InferenceError } from './errors.js'
import { buildFix, type Device } from './llama-runtime.js'

const log = logger('inference:gpu-probe')

/** What the child reports: the backend that ran, and the GPU it ran on. */
export interface ProbeReport {
  device: 'cpu' | 'cuda' | 'vulkan' | 'metal'
  gpu?: string
  freeVramBytes?: number
}

export type ProbeResult = ({ ok: true } & ProbeReport) | { ok: false; cause: string }

export interface ProbeOptions {
  timeoutMs?: number
  /** The script the child runs (default: gpu-probe-child.js beside this module); tests give a failing one. */
  childScript?: string
}

const CHILD = fileURLToPath(new URL('./gpu-probe-child.js', import.meta.url))

/** Loads a tiny model on `device` in a child process and decodes a token there. */
export function probeDevice(device: Device, options: ProbeOptions = {}): Promise<ProbeResult> {
  const { timeoutMs = 120_000, childScript = CHILD } = options
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [childScript, device], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, MESH_LOG_LEVEL: 'error' } })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d })
    child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr = (stderr + d).slice(-4000) })
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    child.on('error', (err) => { clearTimeout(timer); resolve({ ok: false, cause: `the check could not start: ${err.message}` }) })
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      const last = stdout.trim().split('\n').pop() ?? ''
      let report: (ProbeReport & { error?: undefined }) | { error: string } | undefined
      try { report = JSON.parse(last) as typeof report } catch { report = undefined }
      if (code === 0 && report !== undefined && report.error === undefined) return resolve({ ok: true, ...report })
      const detail = lastLines(stderr)
      if (report?.error !== undefined) return resolve({ ok: false, cause: report.error })
      if (signal === 'SIGKILL') return resolve({ ok: false, cause: `it did not decode a token within ${timeoutMs / 1000} s` })
      const how = signal !== null ? `crashed (${signal})` : `exited with code ${code}`
      resolve({ ok: false, cause: `the backend ${how} loading a tiny model and decoding a token${detail === '' ? '' : `: ${detail}`}` })
    })
  })
}

/** The last error lines a crashed child printed (a native abort adds a stack trace after them). */
function lastLines(text: string): string {
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => l !== '')
  const errors = lines.filter((l) => /error|fatal|abort/i.test(l))
  return (errors.length > 0 ? errors : lines).slice(-3).join(' | ')
}

/** The device a node runs on, and what to tell its operator about the choice. */
export interface DeviceChoice {
  device: Device
  message: string
  /** True when a GPU backend was asked for or found and failed its check. */
  fellBack: boolean
}

/**
 * `cpu` runs on the CPU unchecked. `auto` checks the GPU backend node-llama-cpp finds: the GPU when
 * it works, else the CPU with the cause and the fix. A named GPU (`cuda`, `vulkan`, `metal`) that
 * fails its check is refused (DEVICE_UNAVAILABLE) with the cause and the fix.
 */
export async function chooseDevice(requested: Device, probe: (device: Device) => Promise<ProbeResult> = probeDevice): Promise<DeviceChoice> {
  if (requested === 'cpu') return { device: 'cpu', message: 'running on the CPU (--device cpu)', fellBack: false }
  const result = await probe(requested)
  if (result.ok && result.device !== 'cpu') {
    const free = result.freeVramBytes === undefined ? '' : `, ${(result.freeVramBytes / 2 ** 30).toFixed(1)} GiB free`
    return { device: result.device, message: `running on the GPU: ${result.device}${result.gpu === undefined ? '' : ` (${result.gpu}${free})`}`, fellBack: false }
  }
  if (result.ok && requested === 'auto') return { device: 'cpu', message: 'no GPU backend found: running on the CPU', fellBack: false }
  const cause = result.ok ? `node-llama-cpp found no ${requested} backend, only the CPU` : result.cause
  if (requested !== 'auto') {
    throw new InferenceError('DEVICE_UNAVAILABLE', `the ${requested} backend failed its check: ${cause}`, { fix: buildFix(requested) })
  }
  log.warn('the GPU backend failed its check; falling back to the CPU', { cause })
  return { device: 'cpu', message: `the GPU backend failed its check (${cause}): running on the CPU; to use the GPU, ${buildFix('auto')}`, fellBack: true }
}
