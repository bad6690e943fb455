// Checks a model file before llama.cpp sees it, so that each way a file can be wrong gets its
// own clear error, and computes the model identity (the file's sha256).
import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { mkdir, open, readFile, realpath, stat, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { GgmlType, readGgufFileInfo } from 'node-llama-cpp'
import { errorMessage } from '../errors.js'
import { logger } from '../log.js'
import { InferenceError } from './errors.js'

const log = logger('inference:model-file')

/** Architectures (llama.cpp names) the network serves: Llama 1–3, TinyLlama, Mistral, Mixtral. */
export const LLAMA_FAMILY: readonly string[] = ['llama']

export interface ModelFileInfo {
  path: string
  architecture: string
  name: string
  sizeBytes: number
  nEmbd: number
  nVocab: number
  contextLength: number
  /**
   * Token ids a challenge is drawn from, ascending: the tokenizer's normal and byte tokens (GGUF
   * `tokenizer.ggml.token_type` 1 and 6), never control, unknown, user-defined or unused ones. Read
   * from the file, so that hosters and validators (which load no engine) derive the same challenge.
   */
  challengeVocabulary: number[]
}

/** llama.cpp's token types that a challenge may use: NORMAL (1) and BYTE (6). */
const CHALLENGE_TOKEN_TYPES: ReadonlySet<number> = new Set([1, 6])

// [values a block, bytes a block] of the common ggml encodings, to find a truncated file.
const BLOCKS: Partial<Record<GgmlType, [number, number]>> = {
  [GgmlType.F32]: [1, 4],
  [GgmlType.F16]: [1, 2],
  [GgmlType.BF16]: [1, 2],
  [GgmlType.Q4_0]: [32, 18],
  [GgmlType.Q4_1]: [32, 20],
  [GgmlType.Q5_0]: [32, 22],
  [GgmlType.Q5_1]: [32, 24],
  [GgmlType.Q8_0]: [32, 34],
  [GgmlType.Q2_K]: [256, 84],
  [GgmlType.Q3_K]: [256, 110],
  [GgmlType.Q4_K]: [256, 144],
  [GgmlType.Q5_K]: [256, 176],
  [GgmlType.Q6_K]: [256, 210],
}

export async function inspectModelFile(path: string): Promise<ModelFileInfo> {
  const sizeBytes = await fileSize(path)
  await checkMagic(path)
  let info
  try {
    info = await readGgufFileInfo(path, { readTensorInfo: true, logWarnings: false, sourceType: 'filesystem' })
  } catch (err) {
    throw new InferenceError('MODEL_CORRUPT', `${path}: the GGUF header cannot be read: ${errorMessage(err)}`, {
      fix: 'the file is damaged or truncated; download it again',
      cause: err,
    })
  }
  const architecture = String(info.metadata.general?.architecture ?? '')
  if (!LLAMA_FAMILY.includes(architecture)) {
    throw new InferenceError('MODEL_UNSUPPORTED_ARCHITECTURE', `${path} is a "${architecture || 'unnamed'}" model, not a Llama-family one (${LLAMA_FAMILY.join(', ')})`, {
      fix: 'choose a GGUF of a Llama-family model, e.g. TinyLlama or Llama 3',
    })
  }
  for (const t of info.tensorInfo ?? []) {
    const block = BLOCKS[t.ggmlType]
    const values = t.dimensions.reduce<number>((a, b) => a * Number(b), 1)
    const end = Number(t.fileOffset) + (block === undefined ? 0 : (values / block[0]) * block[1])
    if (end > sizeBytes) {
      throw new InferenceError('MODEL_CORRUPT', `${path} is truncated: tensor ${t.name} ends at byte ${end}, the file has ${sizeBytes}`, {
        fix: 'the download was cut short; download the file again',
      })
    }
  }
  const arch = info.architectureMetadata as { embedding_length?: number; context_length?: number; vocab_size?: number }
  const tokens = info.metadata.tokenizer?.ggml?.tokens
  const types = (info.metadata.tokenizer?.ggml as { token_type?: unknown } | undefined)?.token_type
  if (!Array.isArray(types) || types.length === 0) {
    throw new InferenceError('MODEL_NO_TOKEN_TYPES', `${path} has no tokenizer.ggml.token_type: the challenge vocabulary (its normal tokens) cannot be read`, {
      fix: 'convert the model again with a recent llama.cpp convert_hf_to_gguf.py, which writes the token types',
    })
  }
  const challengeVocabulary: number[] = []
  types.forEach((type, id) => { if (CHALLENGE_TOKEN_TYPES.has(Number(type))) challengeVocabulary.push(id) })
  return {
    path,
    architecture,
    name: String(info.metadata.general?.name ?? ''),
    sizeBytes,
    nEmbd: Number(arch.embedding_length ?? 0),
    nVocab: Number(arch.vocab_size ?? tokens?.length ?? 0),
    contextLength: Number(arch.context_length ?? 0),
    challengeVocabulary,
  }
}

async function fileSize(path: string): Promise<number> {
  try {
    const s = await stat(path)
    if (!s.isFile()) throw new InferenceError('MODEL_NOT_FOUND', `${path} is not a file`, { fix: 'pass the path of a .gguf file' })
    return s.size
  } catch (err) {
    if (err instanceof InferenceError) throw err
    throw new InferenceError('MODEL_NOT_FOUND', `model file ${path} does not exist or cannot be read (${errorMessage(err)})`, {
      fix: 'check the path, or pass a Hugging Face reference hf:owner/repo:quant',
      cause: err,
    })
  }
}

async function checkMagic(path: string): Promise<void> {
  const file = await open(path, 'r')
  try {
    const { buffer, bytesRead } = await file.read(Buffer.alloc(4), 0, 4, 0)
    if (bytesRead < 4 || buffer.toString('latin1') !== 'GGUF') {
      throw new InferenceError('MODEL_NOT_GGUF', `${path} is not a GGUF model file`, {
        fix: 'pass a .gguf file (convert other formats with llama.cpp\'s convert_hf_to_gguf.py)',
      })
    }
  } finally {
    await file.close()
  }
}

/** The model identity: the file's sha256, lowercase hex, streamed. */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer)
  return hash.digest('hex')
}

/**
 * The model identity, hashed once per file version: the result is kept in `cacheDir/ids`
 * under a key of the file's real path, inode, size and modification time.
 */
export async function modelId(path: string, cacheDir: string): Promise<string> {
  const s = await stat(path)
  const key = createHash('sha256').update(`${await realpath(path)}\0${s.ino}\0${s.size}\0${s.mtimeMs}`).digest('hex')
  const file = join(cacheDir, 'ids', `${key}.sha256`)
  const cached = await readFile(file, 'utf8').catch(() => '')
  if (/^[0-9a-f]{64}$/.test(cached)) return cached
  const id = await sha256File(path)
  try {
    await mkdir(dirname(file), { recursive: true })
    await writeFile(file, id)
  } catch (err) {
    log.debug('cannot keep the model id', { file, err })
  }
  return id
}
