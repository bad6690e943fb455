// The hoster's inference service: token streaming over the signed RPC layer. Clients (the API
// gateway, apps with MeshClient) call it with a client peer id that the chain knows.
import type { Access } from '../rpc/admission.js'
import { RpcError } from '../rpc/errors.js'
import { streamMethod, unaryMethod } from '../rpc/method.js'
import type { CallContext, RpcServer } from '../rpc/server.js'
import { createHash } from 'node:crypto'
import { MeshError } from '../errors.js'
import { type ChatMessage, type Engine, type GenerateChunk, type GenerateRequest, Priority, type ResponseFormat, type ToolChoice } from './engine.js'
import * as wire from './messages.js'
import { encodeTranscript } from './transcript.js'

export const generateMethod = streamMethod<wire.GenerateRequest, wire.GenerateChunk>({
  name: 'inference-generate',
  version: '1.0.0',
  request: { encode: (m) => wire.GenerateRequest.encode(m), decode: (b) => wire.GenerateRequest.decode(b) },
  response: { encode: (m) => wire.GenerateChunk.encode(m), decode: (b) => wire.GenerateChunk.decode(b) },
  maxRequestBytes: 256 * 1024,
  // The last chunk carries the transcript: up to MAX_TRANSCRIPT_TOKENS varints.
  maxResponseBytes: 256 * 1024,
  // The transcript signature on the last chunk covers the whole answer.
  signChunks: false,
})

/** Inputs of one embeddings request: a bound on the work and the answer's size (64 × 4,096 floats = 1 MiB). */
export const MAX_EMBED_INPUTS = 64

export const embedMethod = unaryMethod<wire.EmbedRequest, wire.EmbedResponse>({
  name: 'inference-embed',
  version: '1.0.0',
  request: { encode: (m) => wire.EmbedRequest.encode(m), decode: (b) => wire.EmbedRequest.decode(b) },
  response: { encode: (m) => wire.EmbedResponse.encode(m), decode: (b) => wire.EmbedResponse.decode(b) },
  maxRequestBytes: 1024 * 1024,
  maxResponseBytes: 2 * 1024 * 1024,
})

/** An engine request as the wire carries it, for `model` (the GGUF sha256). */
export function requestToWire(model: string, request: GenerateRequest): wire.GenerateRequest {
  const input = request.input
  return {
    model,
    prompt: 'prompt' in input ? input.prompt : undefined,
    messages: 'messages' in input ? input.messages.map((m) => ({ role: m.role, content: m.content, toolCalls: m.toolCalls ?? [], toolCallId: m.toolCallId })) : [],
    maxTokens: request.maxTokens,
    temperature: request.temperature,
    topP: request.topP,
    topK: request.topK,
    seed: request.seed,
    stop: request.stop ?? [],
    repeatPenalty: request.repeatPenalty,
    continueFrom: request.continueFrom,
    presencePenalty: request.presencePenalty,
    frequencyPenalty: request.frequencyPenalty,
    responseFormat: request.responseFormat?.type,
    jsonSchema: request.responseFormat?.type === 'json_schema' ? JSON.stringify(request.responseFormat.schema) : undefined,
    tools: (request.tools ?? []).map((t) => ({ name: t.name, description: t.description, parameters: t.parameters === undefined ? undefined : JSON.stringify(t.parameters) })),
    toolChoice: request.toolChoice === undefined ? undefined : typeof request.toolChoice === 'object' ? `function:${request.toolChoice.name}` : request.toolChoice,
    parallelToolCalls: request.parallelToolCalls,
    logprobs: request.logprobs,
  }
}

function parseJson(text: string, field: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    throw new RpcError('INVALID_REQUEST', `${field} is not JSON text`)
  }
}

function responseFormatFromWire(message: wire.GenerateRequest): ResponseFormat | undefined {
  if (message.responseFormat === undefined) return undefined
  if (message.responseFormat === 'json_object') return { type: 'json_object' }
  if (message.responseFormat === 'json_schema' && message.jsonSchema !== undefined) return { type: 'json_schema', schema: parseJson(message.jsonSchema, 'json_schema') }
  throw new RpcError('INVALID_REQUEST', `response_format ${JSON.stringify(message.responseFormat)} is not json_object, or json_schema with a schema`)
}

function toolChoiceFromWire(choice: string | undefined): ToolChoice | undefined {
  if (choice === undefined || choice === 'auto' || choice === 'none' || choice === 'required') return choice
  if (choice.startsWith('function:')) return { name: choice.slice('function:'.length) }
  throw new RpcError('INVALID_REQUEST', `tool_choice ${JSON.stringify(choice)} is not auto, none, required or function:<name>`)
}

/** A wire request as the engine takes it; RpcError INVALID_REQUEST when it is neither a prompt nor well-formed chat. */
export function requestFromWire(message: wire.GenerateRequest, signal: AbortSignal): GenerateRequest {
  const hasPrompt = message.prompt !== undefined
  if (hasPrompt === (message.messages.length > 0)) {
    throw new RpcError('INVALID_REQUEST', 'a generate request carries either a prompt or chat messages')
  }
  const messages = message.messages.map((m, i): ChatMessage => {
    if (m.role !== 'system' && m.role !== 'user' && m.role !== 'assistant' && m.role !== 'tool') {
      throw new RpcError('INVALID_REQUEST', `messages[${i}].role ${JSON.stringify(m.role)} is not system, user, assistant or tool`)
    }
    const out: ChatMessage = { role: m.role, content: m.content }
    if (m.toolCalls.length > 0) out.toolCalls = m.toolCalls.map((c) => ({ id: c.id, name: c.name, arguments: c.arguments }))
    if (m.toolCallId !== undefined) out.toolCallId = m.toolCallId
    return out
  })
  return {
    input: hasPrompt ? { prompt: message.prompt as string } : { messages },
    maxTokens: message.maxTokens,
    temperature: message.temperature,
    topP: message.topP,
    topK: message.topK,
    seed: message.seed,
    stop: message.stop.length > 0 ? message.stop : undefined,
    repeatPenalty: message.repeatPenalty,
    continueFrom: message.continueFrom,
    presencePenalty: message.presencePenalty,
    frequencyPenalty: message.frequencyPenalty,
    responseFormat: responseFormatFromWire(message),
    tools: message.tools.length === 0 ? undefined : message.tools.map((t, i) => ({
      name: t.name, description: t.description, parameters: t.parameters === undefined ? undefined : parseJson(t.parameters, `tools[${i}].parameters`),
    })),
    toolChoice: toolChoiceFromWire(message.toolChoice),
    parallelToolCalls: message.parallelToolCalls,
    logprobs: message.logprobs,
    priority: Priority.Client,
    signal,
  }
}

export function chunkFromWire(message: wire.GenerateChunk): GenerateChunk {
  const chunk: GenerateChunk = { text: message.text, tokens: message.tokens }
  if (message.finish !== undefined) {
    if (message.finish !== 'stop' && message.finish !== 'length' && message.finish !== 'abort') {
      throw new MeshError('BAD_RESPONSE', `a hoster sent the unknown finish reason ${JSON.stringify(message.finish)}`)
    }
    chunk.finish = message.finish
  }
  if (message.promptTokens !== undefined && message.completionTokens !== undefined) {
    chunk.usage = { promptTokens: message.promptTokens, completionTokens: message.completionTokens }
  }
  if (message.logprobs.length > 0) chunk.logprobs = message.logprobs.map((l) => ({ token: l.token, logprob: l.logprob, top: l.top.map((t) => ({ token: t.token, logprob: t.logprob })) }))
  if (message.transcript !== undefined) chunk.transcript = { bytes: message.transcript, signature: message.transcriptSignature ?? new Uint8Array() }
  return chunk
}

function chunkToWire(chunk: GenerateChunk): wire.GenerateChunk {
  return {
    text: chunk.text,
    tokens: chunk.tokens,
    finish: chunk.finish,
    promptTokens: chunk.usage?.promptTokens,
    completionTokens: chunk.usage?.completionTokens,
    logprobs: chunk.logprobs ?? [],
  }
}

export interface InferenceServiceComponents {
  engine: Engine
}

export class InferenceService {
  constructor(private readonly components: InferenceServiceComponents) {}

  /** Serves generation on `server`; `access` is who may call (default: any staked peer id, client ids included). */
  async register(server: RpcServer, access: Access = 'Registered'): Promise<void> {
    await server.handle(generateMethod, (request, context) => this.generate(request, context), { access })
    await server.handle(embedMethod, (request, context) => this.embed(request, context), { access })
  }

  async embed(message: wire.EmbedRequest, context: CallContext): Promise<wire.EmbedResponse> {
    const { engine } = this.components
    if (message.model !== engine.model.id) {
      throw new RpcError('MODEL_NOT_FOUND', `this hoster runs model ${engine.model.id}, not ${message.model}`)
    }
    if (message.input.length === 0 || message.input.length > MAX_EMBED_INPUTS) {
      throw new RpcError('INVALID_REQUEST', `an embeddings request carries 1 to ${MAX_EMBED_INPUTS} inputs, not ${message.input.length}`)
    }
    try {
      const { vectors, tokens } = await engine.embed(message.input, { signal: context.signal })
      return { data: vectors.map((v) => ({ values: [...v] })), tokens }
    } catch (err) {
      if (err instanceof MeshError && !(err instanceof RpcError)) throw new RpcError(err.code, err.message)
      throw err
    }
  }

  async *generate(message: wire.GenerateRequest, context: CallContext): AsyncIterable<wire.GenerateChunk> {
    const { engine } = this.components
    if (message.model !== engine.model.id) {
      throw new RpcError('MODEL_NOT_FOUND', `this hoster runs model ${engine.model.id}, not ${message.model}`)
    }
    const request = requestFromWire(message, context.signal)
    try {
      const text = createHash('sha256')
      for await (const chunk of engine.generate(request)) {
        text.update(chunk.text)
        const out = chunkToWire(chunk)
        if (chunk.record !== undefined && chunk.finish !== undefined) {
          const bytes = encodeTranscript({
            model: engine.model.id, hoster: context.self, timeMs: Date.now(), record: chunk.record, finish: chunk.finish, textSha256: text.digest(),
          })
          out.transcript = bytes
          out.transcriptSignature = context.sign?.(bytes) as Uint8Array<ArrayBuffer> | undefined
        }
        yield out
      }
    } catch (err) {
      // Engine errors keep their code (QUEUE_FULL, INVALID_REQUEST …) on the caller's side.
      if (err instanceof MeshError && !(err instanceof RpcError)) throw new RpcError(err.code, err.message)
      throw err
    }
  }
}
