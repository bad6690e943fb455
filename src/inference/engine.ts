// The engine interface: what a hoster needs of an inference engine. One implementation runs
// node-llama-cpp; the consensus code and the RPC services only see this.

export interface ModelInfo {
  /** The model identity: sha256 of the GGUF file, lowercase hex. */
  id: string
  path: string
  name: string
  architecture: string
  /** Width of the final hidden state (the consensus output's length). */
  nEmbd: number
  nVocab: number
  contextLength: number
}

/** Lower runs first: the epoch challenge goes before client requests. */
export enum Priority {
  Challenge = 0,
  Client = 1,
}

export interface SamplingOptions {
  maxTokens?: number
  temperature?: number
  topP?: number
  topK?: number
  seed?: number
  stop?: string[]
  repeatPenalty?: number
}

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant'
  content: string
}

export type GenerateInput = { prompt: string } | { messages: ChatMessage[] }

export interface GenerateRequest extends SamplingOptions {
  input: GenerateInput
  /**
   * Text of the response already generated (elsewhere): the engine continues it rather than
   * starting the response afresh. A client uses it to fail over mid-stream.
   */
  continueFrom?: string
  priority?: Priority
  signal?: AbortSignal
}

export type FinishReason = 'stop' | 'length' | 'abort'

/** Exactly what was generated, for the hoster's transcript: re-running it reproduces the answer. */
export interface GenerationRecord {
  /** The tokens evaluated as the prompt (chat template, BOS and any continued text included). */
  promptTokens: number[]
  outputTokens: number[]
  /** The sampling as applied; the seed is always set (drawn at random when the request gave none). */
  sampling: { maxTokens: number; temperature: number; topP: number; topK: number; seed: number; repeatPenalty: number }
}

/** One streamed piece of a generation; the last one carries `finish` and the usage counts. */
export interface GenerateChunk {
  text: string
  tokens: number
  finish?: FinishReason
  usage?: { promptTokens: number; completionTokens: number }
  /** On the last chunk, from engines that keep it. */
  record?: GenerationRecord
  /** On the last chunk of a network answer: the hoster's transcript bytes and signature (src/inference/transcript.ts). */
  transcript?: { bytes: Uint8Array; signature: Uint8Array }
}

/** Per output position of an audited answer: what the auditor's model makes of the served token. */
export interface TokenAudit {
  /** Rank of the served token in the sampling distribution (0 = most likely); -1 when the sampler could not pick it. */
  rank: number
  /** Its log-probability there (-Infinity when the sampler could not pick it). */
  logprob: number
  /** Whether this sampler, with the transcript's seed, picked the same token. */
  sampledSame: boolean
}

/** An engine that can re-run an answer as one prefill and score each served token (the audit). */
export interface TokenScorer {
  scoreTokens(record: GenerationRecord, options?: { signal?: AbortSignal }): Promise<TokenAudit[]>
}

export interface EngineStats {
  queueLength: number
  /** Recent generation throughput, tokens per second (0 before the first request). */
  tokensPerSecond: number
  tokensServed: number
}

export interface Engine {
  readonly model: ModelInfo
  tokenize(text: string): number[]
  detokenize(tokenIds: number[]): string
  /** Token ids a challenge may draw from: the vocabulary without special tokens. */
  challengeVocabulary(): number[]
  generate(request: GenerateRequest): AsyncIterable<GenerateChunk>
  /** The final hidden state of the last token (float32, length nEmbd), the consensus output. */
  hiddenState(tokenIds: number[], options?: { priority?: Priority; signal?: AbortSignal }): Promise<Float32Array>
  stats(): EngineStats
  close(): Promise<void>
}
