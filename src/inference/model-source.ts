// Where a model comes from: a local GGUF path, or a Hugging Face reference
// (`hf:owner/repo:quant`, or an https URL) downloaded once into a cache folder.
import { homedir } from 'node:os'
import { join } from 'node:path'
import { resolveModelFile } from 'node-llama-cpp'
import { errorMessage } from '../errors.js'
import { logger } from '../log.js'
import { InferenceError } from './errors.js'

const log = logger('inference:model-source')

export interface LoadProgress {
  stage: 'download' | 'hash' | 'load'
  /** 0..1 */
  fraction: number
}

export interface ModelSourceOptions {
  /** Where downloaded models are kept; default $MESH_MODEL_CACHE or ~/.cache/mesh/models. */
  cacheDir?: string
  onProgress?: (progress: LoadProgress) => void
  signal?: AbortSignal
}

export function isRemoteModel(ref: string): boolean {
  return ref.startsWith('hf:') || ref.startsWith('https://') || ref.startsWith('http://')
}

export function defaultModelCacheDir(): string {
  return process.env.MESH_MODEL_CACHE ?? join(homedir(), '.cache', 'mesh', 'models')
}

/** A local path for `ref`: the path itself, or the cached download of a remote reference. */
export async function resolveModelSource(ref: string, options: ModelSourceOptions = {}): Promise<string> {
  if (!isRemoteModel(ref)) return ref
  const directory = options.cacheDir ?? defaultModelCacheDir()
  let lastLogged = -1
  try {
    return await resolveModelFile(ref, {
      directory,
      cli: false,
      signal: options.signal,
      onProgress: ({ totalSize, downloadedSize }) => {
        const fraction = totalSize > 0 ? downloadedSize / totalSize : 0
        options.onProgress?.({ stage: 'download', fraction })
        const percent = Math.floor(fraction * 10) * 10
        if (percent > lastLogged) {
          lastLogged = percent
          log.info('downloading model', { ref, percent, downloadedBytes: downloadedSize, totalBytes: totalSize })
        }
      },
    })
  } catch (err) {
    throw new InferenceError('MODEL_DOWNLOAD_FAILED', `cannot fetch model ${ref}: ${errorMessage(err)}`, {
      fix: `check the network and the reference, or download the GGUF into ${directory} yourself and pass its path`,
      cause: err,
    })
  }
}
