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
  /** Lowers the odds of every token already in the recent text by this much (OpenAI's −2…2). */
  presencePenalty?: number
  /** Lowers the odds of a token by this much for each time it is in the recent text. */
  frequencyPenalty?: number
}

/** A function the model may call (OpenAI's `tools`), its arguments described by a JSON Schema. */
export interface ToolDefinition {
  name: string
  description?: string
  parameters?: unknown
}

/** Whether the model may (auto), must (required, or a named function) or must not (none) call a function. */
export type ToolChoice = 'auto' | 'none' | 'required' | { name: string }

export interface ToolCall {
  id: string
  name: string
  /** The arguments as JSON text. */
  arguments: string
}

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant' | 'tool'
  content: string
  /** An assistant message's function calls. */
  toolCalls?: ToolCall[]
  /** A tool message: the call it answers. */
  toolCallId?: string
}

/** Output held to a grammar: any JSON object, or JSON that matches a schema. */
export type ResponseFormat = { type: 'json_object' } | { type: 'json_schema'; schema: unknown }

export type GenerateInput = { prompt: string } | { messages: ChatMessage[] }

export interface GenerateRequest extends SamplingOptions {
  input: GenerateInput
  /**
   * Text of the response already generated (elsewhere): the engine continues it rather than
   * starting the response afresh. A client uses it to fail over mid-stream.
   */
  continueFrom?: string
  responseFormat?: ResponseFormat
  /** Functions the model may call; the output follows src/inference/tool-format.ts. */
  tools?: ToolDefinition[]
  toolChoice?: ToolChoice
  /** Several calls in one answer (default true). */
  parallelToolCalls?: boolean
  /** Report each token's log probability and this many most likely alternatives (0–20). */
  logprobs?: number
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
  /** With `logprobs`: one entry per token of this chunk. */
  logprobs?: TokenLogprob[]
  /** On the last chunk, from engines that keep it. */
  record?: GenerationRecord
  /** On the last chunk of a network answer: the hoster's transcript bytes and signature (src/inference/transcript.ts). */
  transcript?: { bytes: Uint8Array; signature: Uint8Array }
}

/** A generated token's natural-log probability, with the most likely alternatives (most likely first). */
export interface TokenLogprob {
  token: string
  logprob: number
  top: Array<{ token: string; logprob: number }>
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
  /** Embeddings of texts (length nEmbd each, unit length), with the tokens read. */
  embed(texts: string[], options?: { signal?: AbortSignal }): Promise<{ vectors: Float32Array[]; tokens: number }>
  stats(): EngineStats
  close(): Promise<void>
}
