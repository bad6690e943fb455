// The llama.cpp runtime (node-llama-cpp's Llama): the binary for the chosen device, never a
// download or a build, with llama.cpp's own log lines sent to our logger. A local build
// (`npx node-llama-cpp source build --gpu cuda`) is preferred over the prebuilt binary of its GPU
// type: the prebuilt CUDA binary aborts on drivers older than its toolkit (docs/gpu.md). One runtime a
// device is shared by the engines of a process: llama.cpp's log hook is global to the process,
// so disposing one of several runtimes would leave the others printing straight to stderr.
import { readFileSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { getLlama, type Llama, LlamaLogLevel } from 'node-llama-cpp'
import { errorMessage } from '../errors.js'
import { logger } from '../log.js'
import { InferenceError } from './errors.js'

const log = logger('inference:llama')

export const DEVICES = ['auto', 'cpu', 'cuda', 'vulkan', 'metal'] as const
export type Device = (typeof DEVICES)[number]

/** A use of the shared runtime; the runtime is disposed when its last lease is released. */
export interface RuntimeLease {
  llama: Llama
  release(): Promise<void>
}

const runtimes = new Map<Device, { llama: Promise<Llama>; leases: number }>()

export async function acquireLlamaRuntime(device: Device = 'auto'): Promise<RuntimeLease> {
  if (!DEVICES.includes(device)) {
    throw new InferenceError('INVALID_REQUEST', `unknown device ${String(device)}`, { fix: `choose one of ${DEVICES.join(', ')}` })
  }
  let entry = runtimes.get(device)
  if (entry === undefined) {
    const created = { llama: loadLlamaRuntime(device), leases: 0 }
    runtimes.set(device, created)
    created.llama.catch(() => { if (runtimes.get(device) === created) runtimes.delete(device) }) // the next call tries again
    entry = created
  }
  const shared = entry
  shared.leases++
  let llama: Llama
  try {
    llama = await shared.llama
  } catch (err) {
    shared.leases--
    throw err
  }
  let released = false
  return {
    llama,
    async release() {
      if (released) return
      released = true
      if (--shared.leases > 0) return
      if (runtimes.get(device) === shared) runtimes.delete(device)
      await llama.dispose()
    },
  }
}

/**
 * The GPU type and cmake options of node-llama-cpp's last local build, if any: its folder name
 * carries the options, so they must be given again to find it.
 */
export function localBuild(llamaDir = fileURLToPath(new URL('../llama/', import.meta.resolve('node-llama-cpp')))): { gpu: string; cmakeOptions: Record<string, string> } | undefined {
  try {
    const { folderName } = JSON.parse(readFileSync(join(llamaDir, 'lastBuild.json'), 'utf8')) as { folderName: string }
    const meta = JSON.parse(readFileSync(join(llamaDir, 'localBuilds', folderName, 'Release', '_nlcBuildMetadata.json'), 'utf8')) as {
      buildOptions: { gpu: string | false; customCmakeOptions?: Record<string, string> }
    }
    const gpu = meta.buildOptions.gpu
    return gpu === false ? undefined : { gpu, cmakeOptions: meta.buildOptions.customCmakeOptions ?? {} }
  } catch {
    return undefined
  }
}

async function loadLlamaRuntime(device: Device): Promise<Llama> {
  const local = device === 'cpu' ? undefined : localBuild()
  const useLocal = local !== undefined && (device === 'auto' || device === local.gpu)
  try {
    const llama = await getLlama({
      gpu: device === 'cpu' ? false : device,
      ...(useLocal ? { cmakeOptions: local.cmakeOptions } : {}),
      build: 'never',
      skipDownload: true,
      usePrebuiltBinaries: true,
      progressLogs: false,
      // Threads are set per context; no cap here.
      maxThreads: 0,
      logLevel: LlamaLogLevel.warn,
      logger: (level, message) => {
        const line = message.trim()
        if (line === '') return
        if (level === LlamaLogLevel.error || level === LlamaLogLevel.fatal) log.warn(line)
        else log.debug(line, { level })
      },
    })
    log.info('llama.cpp runtime ready', { device: llama.gpu === false ? 'cpu' : llama.gpu, binary: llama.buildType, cores: llama.cpuMathCores })
    return llama
  } catch (err) {
    throw new InferenceError('DEVICE_UNAVAILABLE', `no llama.cpp binary runs on device ${device} here: ${errorMessage(err)}`, {
      fix: device === 'auto' || device === 'cpu' ? 'reinstall node-llama-cpp for this platform' : buildFix(device),
      cause: err,
    })
  }
}

/**
 * Threads for the CPU math: on small machines one core fewer than there are, since llama.cpp's
 * threads wait for each other and collapse when another process holds a core; at least 1.
 */
export function defaultThreads(cores = availableParallelism(), mathCores = cores): number {
  if (cores <= 4) return Math.max(1, cores - 1)
  return Math.max(1, Math.min(mathCores, cores - 1))
}

/** What makes a GPU backend run where the prebuilt binary does not. */
export function buildFix(device: Device): string {
  const gpu = device === 'auto' || device === 'cpu' ? 'cuda' : device
  return `build the backend for this machine with \`npx node-llama-cpp source build --gpu ${gpu}\`, or use --device cpu`
}
