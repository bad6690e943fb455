// The Engine on node-llama-cpp: one model, one generation context whose sequences serve
// concurrent requests (llama.cpp batches their tokens together), and one embedding context for
// the consensus output. Requests wait for a sequence in a bounded priority queue.
import { randomInt } from 'node:crypto'
import { freemem } from 'node:os'
import {
  type ControlledEvaluateInputItem, InsufficientMemoryError, type Llama, type LlamaContext, type LlamaContextSequence,
  type LlamaEmbeddingContext, type LlamaModel, type Token,
} from 'node-llama-cpp'
import { errorMessage } from '../errors.js'
import { logger } from '../log.js'
import { BatchRounds } from './batch-rounds.js'
import { ChatTemplate } from './chat-template.js'
import {
  type Engine, type EngineStats, type FinishReason, type GenerateChunk, type GenerateInput, type GenerateRequest, type GenerationRecord,
  type ModelInfo, Priority, type TokenAudit, type TokenScorer,
} from './engine.js'
import { InferenceError } from './errors.js'
import { acquireLlamaRuntime, defaultThreads, type Device, type RuntimeLease } from './llama-runtime.js'
import { inspectModelFile, modelId } from './model-file.js'
import { defaultModelCacheDir, type LoadProgress, resolveModelSource } from './model-source.js'
import { validateSampling, type Sampling } from './sampling.js'
import { SlotQueue } from './slot-queue.js'
import { TextStream } from './text-stream.js'
import { ThroughputMeter } from './throughput.js'

const log = logger('inference:engine')

export interface LlamaEngineOptions {
  /** A GGUF path, or a Hugging Face reference `hf:owner/repo:quant` (downloaded into cacheDir). */
  model: string
  /** Downloaded models and the model ids already computed; default $MESH_MODEL_CACHE or ~/.cache/mesh/models. */
  cacheDir?: string
  device?: Device
  /** CPU threads for the math; default: cores − 1 on small machines, at least 1. */
  threads?: number
  /** Generations that run at once, batched together (default 4). */
  parallel?: number
  /** Tokens each generation can see, prompt included (default: the model's, at most 2048). */
  contextSize?: number
  /** Requests that may wait for a free slot before new ones fail with QUEUE_FULL (default 64). */
  maxQueue?: number
  onProgress?: (progress: LoadProgress) => void
  signal?: AbortSignal
}

export async function openLlamaEngine(options: LlamaEngineOptions): Promise<LlamaEngine> {
  const { parallel = 4, maxQueue = 64 } = options
  for (const [name, value] of Object.entries({ threads: options.threads, parallel, maxQueue, contextSize: options.contextSize })) {
    if (value !== undefined && (!Number.isInteger(value) || value < 1)) {
      throw new InferenceError('INVALID_REQUEST', `${name} must be a positive integer, not ${value}`)
    }
  }
  const path = await resolveModelSource(options.model, options)
  const file = await inspectModelFile(path)
  const runtime = await acquireLlamaRuntime(options.device)
  const llama = runtime.llama
  try {
    const threads = options.threads ?? defaultThreads(undefined, llama.cpuMathCores)
    log.info('loading model', { path, architecture: file.architecture, bytes: file.sizeBytes, threads, parallel })
    const started = performance.now()
    let lastLogged = -1
    const [id, model] = await Promise.all([
      modelId(path, options.cacheDir ?? defaultModelCacheDir()),
      llama.loadModel({
        modelPath: path,
        loadSignal: options.signal,
        onLoadProgress: (fraction) => {
          options.onProgress?.({ stage: 'load', fraction })
          const percent = Math.floor(fraction * 4) * 25
          if (percent > lastLogged) {
            lastLogged = percent
            log.info('model load progress', { percent })
          }
        },
      }),
    ]).catch((err: unknown) => { throw loadError(path, err, options.signal) })
    const contextSize = Math.min(options.contextSize ?? Math.min(model.trainContextSize, 2048), model.trainContextSize)
    await checkContextsFit(llama, model, contextSize, parallel).catch(async (err: unknown) => {
      await model.dispose()
      throw err
    })
    const [context, embedding] = await Promise.all([
      model.createContext({ sequences: parallel, contextSize, threads }),
      model.createEmbeddingContext({ contextSize, threads }),
    ]).catch(async (err: unknown) => {
      await model.dispose()
      throw loadError(path, err, options.signal)
    })
    const info: ModelInfo = {
      id,
      path,
      name: file.name,
      architecture: file.architecture,
      nEmbd: model.embeddingVectorSize,
      nVocab: file.nVocab,
      contextLength: model.trainContextSize,
    }
    log.info('model ready', {
      id, name: info.name, device: llama.gpu === false ? 'cpu' : llama.gpu, gpuLayers: model.gpuLayers, contextSize: context.contextSize,
      ms: Math.round(performance.now() - started),
    })
    return new LlamaEngine({ runtime, model, context, embedding, info, maxQueue })
  } catch (err) {
    await runtime.release()
    throw err
  }
}

/**
 * Refuses contexts the machine cannot hold. node-llama-cpp checks only video memory for a
 * context size given as a number, and a KV cache larger than RAM gets the process killed by
 * the kernel rather than an error, so the generation and embedding contexts are sized here
 * first. The arithmetic estimate is used: its successor (…V2) measures by allocating in llama.cpp.
 */
async function checkContextsFit(llama: Llama, model: LlamaModel, contextSize: number, sequences: number): Promise<void> {
  const estimate = (isEmbeddingContext: boolean) => model.fileInsights.estimateContextResourceRequirements({
    contextSize, sequences: isEmbeddingContext ? 1 : sequences, isEmbeddingContext, modelGpuLayers: model.gpuLayers,
  })
  const generation = estimate(false)
  const embedding = estimate(true)
  const ram = generation.cpuRam + embedding.cpuRam
  const vram = generation.gpuVram + embedding.gpuVram
  const freeRam = freemem()
  const freeVram = vram > 0 ? (await llama.getVramState()).free : 0
  const missing = ram > freeRam ? `${gib(ram)} of RAM (${gib(freeRam)} free)` : vram > freeVram ? `${gib(vram)} of video memory (${gib(freeVram)} free)` : null
  if (missing !== null) {
    throw new InferenceError('OUT_OF_MEMORY', `a context of ${contextSize} tokens × ${sequences} sequences needs ${missing}`, {
      fix: 'choose a smaller context size or fewer parallel sequences, or free memory',
    })
  }
}

const gib = (bytes: number): string => `${(bytes / 2 ** 30).toFixed(1)} GiB`

function loadError(path: string, err: unknown, signal: AbortSignal | undefined): Error {
  if (err instanceof InferenceError) return err
  if (signal?.aborted === true) return new InferenceError('ABORTED', `loading ${path} was cancelled`, { cause: err })
  if (err instanceof InsufficientMemoryError) {
    return new InferenceError('OUT_OF_MEMORY', `not enough memory to load ${path}: ${errorMessage(err)}`, {
      fix: 'choose a smaller quantization (e.g. q4_0), a smaller contextSize or fewer parallel sequences',
      cause: err,
    })
  }
  return new InferenceError('MODEL_LOAD_FAILED', `llama.cpp cannot load ${path}: ${errorMessage(err)}`, {
    fix: 'the file may be damaged or of an unsupported variant; download it again or choose another GGUF',
    cause: err,
  })
}

function closedError(): InferenceError {
  return new InferenceError('ENGINE_CLOSED', 'the engine is closed')
}

interface Parts {
  runtime: RuntimeLease
  model: LlamaModel
  context: LlamaContext
  embedding: LlamaEmbeddingContext
  info: ModelInfo
  maxQueue: number
}

export class LlamaEngine implements Engine, TokenScorer {
  readonly model: ModelInfo
  private readonly runtime: RuntimeLease
  private readonly llamaModel: LlamaModel
  private readonly context: LlamaContext
  private readonly sequences: SlotQueue<LlamaContextSequence>
  private readonly embeddings: SlotQueue<LlamaEmbeddingContext>
  private readonly chat: ChatTemplate
  private readonly meter = new ThroughputMeter()
  private readonly rounds = new BatchRounds()
  private readonly closing = new AbortController()
  private vocabulary?: number[]

  constructor(parts: Parts) {
    this.model = parts.info
    this.runtime = parts.runtime
    this.llamaModel = parts.model
    this.context = parts.context
    const slots = Array.from({ length: parts.context.totalSequences }, () => parts.context.getSequence())
    this.sequences = new SlotQueue(slots, parts.maxQueue)
    this.embeddings = new SlotQueue([parts.embedding], parts.maxQueue)
    this.chat = new ChatTemplate(parts.model)
  }

  tokenize(text: string): number[] {
    return this.llamaModel.tokenize(text, false)
  }

  detokenize(tokenIds: number[]): string {
    return this.llamaModel.detokenize(tokenIds as Token[], false)
  }

  challengeVocabulary(): number[] {
    if (this.vocabulary === undefined) {
      const ids: number[] = []
      for (let id = 0; id < this.model.nVocab; id++) {
        const a = this.llamaModel.getTokenAttributes(id as Token)
        if ((a.normal || a.byte) && !a.control && !a.unused && !a.userDefined) ids.push(id)
      }
      this.vocabulary = ids
    }
    return [...this.vocabulary]
  }

  async *generate(request: GenerateRequest): AsyncGenerator<GenerateChunk> {
    this.checkOpen()
    // A seed always: the transcript must say how each token was drawn.
    const sampling = { ...validateSampling(request), seed: request.seed ?? randomInt(0, 2 ** 32) }
    const prompt = this.promptTokens(request.input, request.continueFrom ?? '')
    const room = this.context.contextSize - prompt.length
    if (room < 1) {
      throw new InferenceError('PROMPT_TOO_LONG', `the prompt has ${prompt.length} tokens, the context holds ${this.context.contextSize}`, {
        fix: 'shorten the prompt or the conversation',
      })
    }
    const signal = request.signal
    const usage = (completionTokens: number): GenerateChunk['usage'] => ({ promptTokens: prompt.length, completionTokens })
    let sequence: LlamaContextSequence
    try {
      sequence = await this.sequences.acquire(request.priority ?? Priority.Client, signal)
    } catch (err) {
      if (err instanceof InferenceError && err.code === 'ABORTED') {
        yield { text: '', tokens: 0, finish: 'abort', usage: usage(0) }
        return
      }
      throw err
    }
    try {
      yield* this.run(sequence, prompt, { ...sampling, maxTokens: Math.min(sampling.maxTokens, room) }, signal, usage)
    } finally {
      this.sequences.release(sequence)
    }
  }

  private async *run(
    sequence: LlamaContextSequence, prompt: Token[], sampling: Sampling & { seed: number }, signal: AbortSignal | undefined,
    usage: (completionTokens: number) => GenerateChunk['usage'],
  ): AsyncGenerator<GenerateChunk> {
    // Keep what the sequence already holds of this prompt (a conversation's earlier turns);
    // at least the last prompt token is evaluated again, for its logits.
    const reuse = Math.min(sequence.compareContextTokens(prompt).firstDifferentIndex, prompt.length - 1)
    if (reuse < sequence.nextTokenIndex) await sequence.eraseContextTokenRanges([{ start: reuse, end: sequence.nextTokenIndex }])
    const history: Token[] = [...prompt]
    const stream = new TextStream(
      (tokens, context) => this.llamaModel.detokenize(tokens as Token[], false, context as Token[]),
      sampling.stop,
      prompt,
    )
    const evaluation = sequence.evaluate(prompt.slice(reuse), {
      temperature: sampling.temperature,
      topK: sampling.topK,
      topP: sampling.topP,
      seed: sampling.seed,
      repeatPenalty: sampling.repeatPenalty === 1 ? undefined : {
        punishTokens: () => history,
        maxPunishTokens: 64,
        penalty: sampling.repeatPenalty,
      },
    })
    let completion = 0
    let unreported = 0
    let text = ''
    let finish: FinishReason = 'stop' // evaluation ends by itself on an end-of-generation token
    try {
      for (;;) {
        const next = await this.rounds.step(() => evaluation.next())
        if (next.done === true) break
        completion++
        unreported++
        history.push(next.value)
        text = stream.push(next.value)
        if (stream.stopped) break
        if (completion >= sampling.maxTokens) {
          finish = 'length'
          break
        }
        if (signal?.aborted === true || this.closing.signal.aborted) {
          finish = 'abort'
          break
        }
        if (text !== '') {
          this.meter.add(unreported)
          yield { text, tokens: unreported }
          unreported = 0
          text = ''
        }
      }
    } catch (err) {
      if (!this.closing.signal.aborted) throw err
      finish = 'abort'
    } finally {
      // Ends node-llama-cpp's evaluation (and frees its sampler) however this one ends.
      await evaluation.return().catch(() => undefined)
    }
    this.meter.add(unreported)
    if (!stream.stopped) text += stream.flush()
    const { maxTokens, temperature, topP, topK, seed, repeatPenalty } = sampling
    const record: GenerationRecord = {
      promptTokens: prompt, outputTokens: history.slice(prompt.length), sampling: { maxTokens, temperature, topP, topK, seed, repeatPenalty },
    }
    yield { text, tokens: unreported, finish, usage: usage(completion), record }
  }

  /**
   * The audit: evaluates prompt + output as one prefill (llama.cpp's batch, no generation loop
   * here) with the record's sampler at every output position, and reports for each served
   * token its rank and log-probability in the sampling distribution and whether the sampler,
   * seeded as the record says, drew the same token. Its random draws come in the same order as
   * in generation (one a token), so an honest answer replays exactly, up to numeric drift.
   */
  async scoreTokens(record: GenerationRecord, options: { signal?: AbortSignal } = {}): Promise<TokenAudit[]> {
    this.checkOpen()
    const { promptTokens, outputTokens } = record
    const sampling = validateSampling(record.sampling)
    if (promptTokens.length === 0 || outputTokens.length === 0) throw new InferenceError('INVALID_REQUEST', 'an audit needs prompt and output tokens')
    const tokens = [...promptTokens, ...outputTokens]
    const bad = tokens.find((t) => !Number.isInteger(t) || t < 0 || t >= this.model.nVocab)
    if (bad !== undefined) throw new InferenceError('INVALID_REQUEST', `token id ${bad} is not in the vocabulary (0..${this.model.nVocab - 1})`)
    if (tokens.length > this.context.contextSize) {
      throw new InferenceError('PROMPT_TOO_LONG', `${tokens.length} tokens do not fit the context of ${this.context.contextSize}`)
    }
    const first = promptTokens.length - 1
    const input: ControlledEvaluateInputItem[] = tokens.map((token, i) => {
      if (i < first || i >= tokens.length - 1) return token as Token
      return [token as Token, {
        generateNext: {
          token: true,
          probabilities: true,
          options: {
            temperature: sampling.temperature, topK: sampling.topK, topP: sampling.topP, seed: sampling.seed,
            repeatPenalty: sampling.repeatPenalty === 1 ? undefined : {
              punishTokens: tokens.slice(0, i + 1) as Token[], maxPunishTokens: 64, penalty: sampling.repeatPenalty,
            },
          },
        },
      }]
    })
    const sequence = await this.sequences.acquire(Priority.Client, options.signal)
    try {
      await sequence.clearHistory()
      const results = await sequence.controlledEvaluate(input)
      return outputTokens.map((served, j): TokenAudit => {
        const next = results[first + j]?.next
        let rank = -1
        let probability = 0
        let index = 0
        // The map is sorted, most likely first.
        for (const [token, p] of next?.probabilities ?? []) {
          if (token === served) {
            rank = index
            probability = p
            break
          }
          index++
        }
        return { rank, logprob: rank < 0 ? -Infinity : Math.log(probability), sampledSame: next?.token === served }
      })
    } catch (err) {
      throw this.closing.signal.aborted ? closedError() : err
    } finally {
      this.sequences.release(sequence)
    }
  }

  /** The prompt's tokens; with `continueFrom`, followed by the response text already generated. */
  private promptTokens(input: GenerateInput, continueFrom: string): Token[] {
    let tokens: number[]
    if ('messages' in input) {
      if (!Array.isArray(input.messages) || input.messages.length === 0) {
        throw new InferenceError('INVALID_REQUEST', 'a chat request needs at least one message')
      }
      tokens = this.chat.tokenize(input.messages, continueFrom)
    } else if (typeof input.prompt === 'string') {
      tokens = this.llamaModel.tokenize(input.prompt + continueFrom, false)
    } else {
      throw new InferenceError('INVALID_REQUEST', 'a request needs a prompt or messages')
    }
    const bos = this.llamaModel.tokens.bos
    if (bos !== null && this.llamaModel.tokens.shouldPrependBosToken && tokens[0] !== bos) tokens.unshift(bos)
    if (tokens.length === 0) throw new InferenceError('INVALID_REQUEST', 'the prompt is empty')
    return tokens as Token[]
  }

  async hiddenState(tokenIds: number[], options: { priority?: Priority; signal?: AbortSignal } = {}): Promise<Float32Array> {
    this.checkOpen()
    if (!Array.isArray(tokenIds) || tokenIds.length === 0) throw new InferenceError('INVALID_REQUEST', 'hiddenState needs at least one token id')
    const bad = tokenIds.find((t) => !Number.isInteger(t) || t < 0 || t >= this.model.nVocab)
    if (bad !== undefined) throw new InferenceError('INVALID_REQUEST', `token id ${bad} is not in the vocabulary (0..${this.model.nVocab - 1})`)
    if (tokenIds.length >= this.context.contextSize) {
      throw new InferenceError('PROMPT_TOO_LONG', `${tokenIds.length} tokens do not fit the context of ${this.context.contextSize}`)
    }
    const embedding = await this.embeddings.acquire(options.priority ?? Priority.Challenge, options.signal)
    try {
      // getEmbeddingFor prepends BOS (as llama.cpp does for this vocabulary) and, for a model
      // without pooling, returns the last token's output-normed hidden state. It changes the
      // array it is given, hence the copy.
      const { vector } = await embedding.getEmbeddingFor([...tokenIds] as Token[])
      return Float32Array.from(vector)
    } catch (err) {
      throw this.closing.signal.aborted ? closedError() : err
    } finally {
      this.embeddings.release(embedding)
    }
  }

  stats(): EngineStats {
    return {
      queueLength: this.sequences.waiting + this.embeddings.waiting,
      tokensPerSecond: this.meter.rate(),
      tokensServed: this.meter.total,
    }
  }

  private checkOpen(): void {
    if (this.closing.signal.aborted) throw closedError()
  }

  async close(): Promise<void> {
    if (this.closing.signal.aborted) return
    this.closing.abort()
    this.sequences.close(closedError())
    this.embeddings.close(closedError())
    await this.llamaModel.dispose() // and its contexts
    await this.runtime.release()
    log.info('engine closed', { model: this.model.id, tokensServed: this.meter.total })
  }
}
