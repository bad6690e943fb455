// The llama.cpp runtime (node-llama-cpp's Llama): the prebuilt binary for the chosen device,
// never a download or a build, with llama.cpp's own log lines sent to our logger. One runtime a
// device is shared by the engines of a process: llama.cpp's log hook is global to the process,
// so disposing one of several runtimes would leave the others printing straight to stderr.
import { availableParallelism } from 'node:os'
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

async function loadLlamaRuntime(device: Device): Promise<Llama> {
  try {
    const llama = await getLlama({
      gpu: device === 'cpu' ? false : device,
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
    log.info('llama.cpp runtime ready', { device: llama.gpu === false ? 'cpu' : llama.gpu, cores: llama.cpuMathCores })
    return llama
  } catch (err) {
    throw new InferenceError('DEVICE_UNAVAILABLE', `no llama.cpp binary runs on device ${device} here: ${errorMessage(err)}`, {
      fix: device === 'auto' || device === 'cpu' ? 'reinstall node-llama-cpp for this platform' : 'use --device auto or --device cpu',
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
