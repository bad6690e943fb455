// The Engine on node-llama-cpp: one model, one generation context whose sequences serve
// concurrent requests (llama.cpp batches their tokens together), and one embedding context for
// the consensus output. Requests wait for a sequence in a bounded priority queue.
import { randomInt } from 'node:crypto'
import { freemem } from 'node:os'
import {
  type ControlledEvaluateInputItem, GgufInsights, type GbnfJsonSchema, InsufficientMemoryError, type Llama, type LlamaContext,
  type LlamaContextSequence, type LlamaEmbeddingContext, type LlamaGrammar, LlamaGrammarEvaluationState, type LlamaModel,
  readGgufFileInfo, type SequenceEvaluateOptions, type Token,
} from 'node-llama-cpp'
import { errorMessage } from '../errors.js'
import { logger } from '../log.js'
import { BatchRounds } from './batch-rounds.js'
import { ChatTemplate } from './chat-template.js'
import {
  type Engine, type EngineStats, type FinishReason, type GenerateChunk, type GenerateInput, type GenerateRequest, type GenerationRecord,
  type ModelInfo, Priority, type TokenAudit, type TokenLogprob, type TokenScorer,
} from './engine.js'
import { InferenceError } from './errors.js'
import { acquireLlamaRuntime, defaultThreads, type Device, type RuntimeLease } from './llama-runtime.js'
import { inspectModelFile, modelId } from './model-file.js'
import { defaultModelCacheDir, type LoadProgress, resolveModelSource } from './model-source.js'
import { validateSampling, type Sampling } from './sampling.js'
import { SlotQueue } from './slot-queue.js'
import { TextStream } from './text-stream.js'
import { ThroughputMeter } from './throughput.js'
import { ANY_OBJECT, grammarSchema } from './json-schema.js'
import { checkTools, toolOutputSchema, toolsInstruction } from './tool-format.js'

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
  /**
   * llama.cpp's flash attention; default on a GPU (llama.cpp's own default there), off on the CPU
   * (node-llama-cpp's default). Without it, batched decoding on CUDA slowed down with each stream
   * added (docs/gpu.md): attention then runs as one small matrix product per head and sequence.
   */
  flashAttention?: boolean
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
    const device = llama.gpu === false ? 'cpu' : llama.gpu
    // On a GPU every layer goes there: a model split with the CPU runs at the CPU's pace.
    const gpuLayers = device === 'cpu' ? 0 : 'max'
    const flashAttention = options.flashAttention ?? device !== 'cpu'
    const insights = await GgufInsights.from(await readGgufFileInfo(path, { sourceType: 'filesystem', logWarnings: false }), llama)
    const trainContextSize = insights.trainContextSize ?? 2048
    const contextSize = Math.min(options.contextSize ?? Math.min(trainContextSize, 2048), trainContextSize)
    await checkMemory(llama, insights, { contextSize, sequences: parallel, onGpu: device !== 'cpu', flashAttention })
    log.info('loading model', { path, architecture: file.architecture, bytes: file.sizeBytes, device, threads, parallel })
    const started = performance.now()
    let lastLogged = -1
    const [id, model] = await Promise.all([
      modelId(path, options.cacheDir ?? defaultModelCacheDir()),
      llama.loadModel({
        modelPath: path,
        gpuLayers,
        defaultContextFlashAttention: flashAttention,
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
      id, name: info.name, device, gpuLayers: model.gpuLayers, contextSize: context.contextSize, flashAttention,
      ms: Math.round(performance.now() - started),
    })
    return new LlamaEngine({ runtime, model, context, embedding, info, vocabulary: file.challengeVocabulary, maxQueue })
  } catch (err) {
    await runtime.release()
    throw err
  }
}

/**
 * Refuses, before anything is loaded, a model and contexts the machine cannot hold. On a GPU the
 * whole model and both contexts must fit its free memory; on the CPU the contexts must fit the
 * free RAM (the model is mapped from its file). node-llama-cpp checks only video memory for a
 * context size given as a number, and a KV cache larger than RAM gets the process killed by the
 * kernel rather than an error. The arithmetic estimates are used: their successors (…V2) measure
 * by allocating in llama.cpp.
 */
async function checkMemory(
  llama: Llama, insights: GgufInsights, { contextSize, sequences, onGpu, flashAttention }: { contextSize: number; sequences: number; onGpu: boolean; flashAttention: boolean },
): Promise<void> {
  const modelGpuLayers = onGpu ? insights.totalLayers : 0
  const estimate = (isEmbeddingContext: boolean) => insights.estimateContextResourceRequirements({
    contextSize, sequences: isEmbeddingContext ? 1 : sequences, isEmbeddingContext, modelGpuLayers, flashAttention,
  })
  const generation = estimate(false)
  const embedding = estimate(true)
  const ram = generation.cpuRam + embedding.cpuRam
  const vram = onGpu ? insights.estimateModelResourceRequirements({ gpuLayers: modelGpuLayers }).gpuVram + generation.gpuVram + embedding.gpuVram : 0
  const shortfall = memoryShortfall({ ram, freeRam: freemem(), vram, freeVram: onGpu ? (await llama.getVramState()).free : 0 })
  if (shortfall !== null) {
    const what = onGpu ? `the model and a context of ${contextSize} tokens × ${sequences} sequences` : `a context of ${contextSize} tokens × ${sequences} sequences`
    throw new InferenceError('OUT_OF_MEMORY', `${what} ${onGpu ? 'need' : 'needs'} ${shortfall}`, {
      fix: onGpu
        ? 'choose a smaller quantization (e.g. q4_0), a smaller context size or fewer parallel sequences, free GPU memory, or use --device cpu'
        : 'choose a smaller context size or fewer parallel sequences, or free memory',
    })
  }
}

/** What is missing, in words, or null when both fit. */
export function memoryShortfall(m: { ram: number; freeRam: number; vram: number; freeVram: number }): string | null {
  if (m.ram > m.freeRam) return `${gib(m.ram)} of RAM (${gib(m.freeRam)} free)`
  if (m.vram > m.freeVram) return `${gib(m.vram)} of GPU memory (${gib(m.freeVram)} free)`
  return null
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

/** The grammar of a JSON schema (node-llama-cpp's) ends the JSON with four newlines: the answer ends there. */
const GRAMMAR_END = '\n\n\n\n'
const GRAMMAR_CACHE = 32
/** Recent tokens the repeat, presence and frequency penalties look at (llama.cpp's default). */
const PENALTY_WINDOW = 64

function closedError(): InferenceError {
  return new InferenceError('ENGINE_CLOSED', 'the engine is closed')
}

interface Parts {
  runtime: RuntimeLease
  model: LlamaModel
  context: LlamaContext
  embedding: LlamaEmbeddingContext
  info: ModelInfo
  /** The model file's challenge vocabulary (model-file.ts). */
  vocabulary: readonly number[]
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
  private readonly vocabulary: readonly number[]

  constructor(parts: Parts) {
    this.model = parts.info
    this.vocabulary = parts.vocabulary
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
    return [...this.vocabulary]
  }


  async *generate(request: GenerateRequest): AsyncGenerator<GenerateChunk> {
    this.checkOpen()
    // A seed always: the transcript must say how each token was drawn.
    const sampling = { ...validateSampling(request), seed: request.seed ?? randomInt(0, 2 ** 32) }
    const constraint = this.constraint(request)
    // Compiled only when asked for; the engine may have closed meanwhile.
    const grammar = constraint.schema === undefined ? undefined : await this.grammarFor(constraint.schema)
    this.checkOpen()
    const prompt = this.promptTokens(request.input, request.continueFrom ?? '', constraint.instruction)
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
      // The sequence that holds most of this prompt already (a conversation's earlier turns, a
      // repeated system prompt): a request on another one evaluates the whole prompt again.
      sequence = await this.sequences.acquire(request.priority ?? Priority.Client, signal, (s) => s.compareContextTokens(prompt).firstDifferentIndex)
    } catch (err) {
      if (err instanceof InferenceError && err.code === 'ABORTED') {
        yield { text: '', tokens: 0, finish: 'abort', usage: usage(0) }
        return
      }
      throw err
    }
    try {
      const stop = grammar === undefined ? sampling.stop : [...sampling.stop, GRAMMAR_END]
      yield* this.run(sequence, prompt, { ...sampling, stop, maxTokens: Math.min(sampling.maxTokens, room) }, signal, usage, {
        grammar: grammar === undefined ? undefined : new LlamaGrammarEvaluationState({ model: this.llamaModel, grammar }),
        logprobs: request.logprobs,
      })
    } finally {
      this.sequences.release(sequence)
    }
  }

  /**
   * The grammar a request holds the output to (response_format, or a function set the model
   * must or may call) and the system text that tells the model its functions.
   */
  private constraint(request: GenerateRequest): { schema?: GbnfJsonSchema; instruction?: string } {
    const tools = request.tools ?? []
    const chat = 'messages' in request.input
    if ((tools.length > 0 || request.toolChoice !== undefined) && !chat) throw new InferenceError('INVALID_REQUEST', 'tools need chat messages, not a prompt')
    checkTools(tools, request.toolChoice)
    const toolSchema = toolOutputSchema(tools, request.toolChoice, request.parallelToolCalls)
    const format = request.responseFormat
    if (toolSchema !== undefined && format !== undefined && format.type !== 'json_object') {
      // json_object is met by the call format itself; a schema of the answer and calls cannot both hold.
      throw new InferenceError('INVALID_REQUEST', 'response_format json_schema cannot be combined with tools the model may call')
    }
    const schema = toolSchema ?? (format === undefined ? undefined : format.type === 'json_object' ? ANY_OBJECT : grammarSchema(format.schema, 'response_format.json_schema.schema'))
    if (schema === undefined) return {}
    if (request.continueFrom !== undefined && request.continueFrom !== '') {
      throw new InferenceError('INVALID_REQUEST', 'an answer held to a grammar cannot be continued from text generated elsewhere')
    }
    return { schema, instruction: toolSchema === undefined ? undefined : toolsInstruction(tools, request.toolChoice) }
  }

  /** Compiled grammars, by schema: the same schema (an app's tools) comes with every request. */
  private readonly grammars = new Map<string, Promise<LlamaGrammar>>()

  private async grammarFor(schema: GbnfJsonSchema): Promise<LlamaGrammar> {
    const key = JSON.stringify(schema)
    let grammar = this.grammars.get(key)
    if (grammar === undefined) {
      grammar = this.runtime.llama.createGrammarForJsonSchema(schema as Parameters<Llama['createGrammarForJsonSchema']>[0])
      this.grammars.set(key, grammar)
      if (this.grammars.size > GRAMMAR_CACHE) this.grammars.delete(this.grammars.keys().next().value as string)
    }
    try {
      return await grammar
    } catch (err) {
      this.grammars.delete(key)
      throw new InferenceError('INVALID_REQUEST', `the schema cannot be made a grammar: ${errorMessage(err)}`)
    }
  }

  private async *run(
    sequence: LlamaContextSequence, prompt: Token[], sampling: Sampling & { seed: number }, signal: AbortSignal | undefined,
    usage: (completionTokens: number) => GenerateChunk['usage'],
    extra: { grammar?: LlamaGrammarEvaluationState; logprobs?: number } = {},
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
    const penalized = sampling.repeatPenalty !== 1 || sampling.presencePenalty !== 0 || sampling.frequencyPenalty !== 0
    const options: SequenceEvaluateOptions = {
      temperature: sampling.temperature,
      topK: sampling.topK,
      topP: sampling.topP,
      seed: sampling.seed,
      grammarEvaluationState: extra.grammar,
      repeatPenalty: !penalized ? undefined : {
        punishTokens: () => history.slice(-PENALTY_WINDOW),
        maxPunishTokens: PENALTY_WINDOW,
        penalty: sampling.repeatPenalty,
        presencePenalty: sampling.presencePenalty,
        frequencyPenalty: sampling.frequencyPenalty,
      },
    }
    // Token probabilities cost a pass over the vocabulary a token: asked for only when reported.
    const evaluation: AsyncGenerator<Token | { token: Token; probabilities: Map<Token, number> }, void, void> = extra.logprobs === undefined
      ? sequence.evaluate(prompt.slice(reuse), options)
      : sequence.evaluateWithMetadata(prompt.slice(reuse), { probabilities: true }, options)
    let completion = 0
    let unreported = 0
    let logprobs: TokenLogprob[] = []
    let text = ''
    let finish: FinishReason = 'stop' // evaluation ends by itself on an end-of-generation token
    try {
      for (;;) {
        const next = await this.rounds.step(() => evaluation.next())
        if (next.done === true) break
        const token = typeof next.value === 'number' ? next.value : next.value.token
        if (typeof next.value !== 'number') logprobs.push(this.logprob(token, next.value.probabilities, extra.logprobs ?? 0, history))
        completion++
        unreported++
        history.push(token)
        text = stream.push(token)
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
          yield extra.logprobs === undefined ? { text, tokens: unreported } : { text, tokens: unreported, logprobs }
          unreported = 0
          logprobs = []
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
    yield extra.logprobs === undefined ? { text, tokens: unreported, finish, usage: usage(completion), record }
      : { text, tokens: unreported, finish, usage: usage(completion), logprobs, record }
  }

  /** A token's log probability and the `top` likeliest alternatives, from the sampler's distribution. */
  private logprob(token: Token, probabilities: Map<Token, number>, top: number, before: readonly Token[]): TokenLogprob {
    const context = before.slice(-4)
    const text = (t: Token): string => this.llamaModel.detokenize([t], false, context)
    const alternatives: TokenLogprob['top'] = []
    for (const [t, p] of probabilities) {
      if (alternatives.length >= top || p <= 0) break
      alternatives.push({ token: text(t), logprob: Math.log(p) })
    }
    const p = probabilities.get(token) ?? 0
    // A token the sampler's filters left a zero (it cannot be chosen then): the least a double holds.
    return { token: text(token), logprob: p > 0 ? Math.log(p) : -9999, top: alternatives }

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
  private promptTokens(input: GenerateInput, continueFrom: string, instruction?: string): Token[] {
    let tokens: number[]
    if ('messages' in input) {
      if (!Array.isArray(input.messages) || input.messages.length === 0) {
        throw new InferenceError('INVALID_REQUEST', 'a chat request needs at least one message')
      }
      tokens = this.chat.tokenize(input.messages, continueFrom, instruction)
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

  async embed(texts: string[], options: { signal?: AbortSignal } = {}): Promise<{ vectors: Float32Array[]; tokens: number }> {
    this.checkOpen()
    if (!Array.isArray(texts) || texts.length === 0) throw new InferenceError('INVALID_REQUEST', 'embeddings need at least one input')
    const inputs = texts.map((text, i) => {
      if (typeof text !== 'string' || text === '') throw new InferenceError('INVALID_REQUEST', `input[${i}] must be a non-empty string`)
      const tokens = this.llamaModel.tokenize(text, false)
      if (tokens.length + 1 >= this.context.contextSize) {
        throw new InferenceError('PROMPT_TOO_LONG', `input[${i}] has ${tokens.length} tokens, the context holds ${this.context.contextSize}`, { fix: 'shorten the input' })
      }
      return tokens
    })
    // The hidden state after an end-of-sequence token: never the consensus output, which is the
    // state after a challenge of ordinary tokens, so that no hoster can ask another for it.
    const eos = this.llamaModel.tokens.eos
    if (eos === null) throw new InferenceError('INVALID_REQUEST', 'this model has no end-of-sequence token to take embeddings at')
    const embedding = await this.embeddings.acquire(Priority.Client, options.signal)
    try {
      const vectors: Float32Array[] = []
      for (const tokens of inputs) {
        if (options.signal?.aborted === true) throw new InferenceError('ABORTED', 'the embedding request was cancelled')
        const { vector } = await embedding.getEmbeddingFor([...tokens, eos])
        const norm = Math.hypot(...vector) || 1
        vectors.push(Float32Array.from(vector, (x) => x / norm))
      }
      return { vectors, tokens: inputs.reduce((sum, t) => sum + t.length, 0) }
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
