// The hoster's inference service: token streaming over the signed RPC layer. Clients (the API
// gateway, apps with MeshClient) call it with a client peer id that the chain knows.
import type { Access } from '../rpc/admission.js'
import { RpcError } from '../rpc/errors.js'
import { streamMethod } from '../rpc/method.js'
import type { CallContext, RpcServer } from '../rpc/server.js'
import { MeshError } from '../errors.js'
import { type ChatMessage, type Engine, type GenerateChunk, type GenerateRequest, Priority } from './engine.js'
import * as wire from './messages.js'

export const generateMethod = streamMethod<wire.GenerateRequest, wire.GenerateChunk>({
  name: 'inference-generate',
  version: '1.0.0',
  request: { encode: (m) => wire.GenerateRequest.encode(m), decode: (b) => wire.GenerateRequest.decode(b) },
  response: { encode: (m) => wire.GenerateChunk.encode(m), decode: (b) => wire.GenerateChunk.decode(b) },
  maxRequestBytes: 256 * 1024,
  maxResponseBytes: 64 * 1024,
})

/** An engine request as the wire carries it, for `model` (the GGUF sha256). */
export function requestToWire(model: string, request: GenerateRequest): wire.GenerateRequest {
  const input = request.input
  return {
    model,
    prompt: 'prompt' in input ? input.prompt : undefined,
    messages: 'messages' in input ? input.messages : [],
    maxTokens: request.maxTokens,
    temperature: request.temperature,
    topP: request.topP,
    topK: request.topK,
    seed: request.seed,
    stop: request.stop ?? [],
    repeatPenalty: request.repeatPenalty,
    continueFrom: request.continueFrom,
  }
}

/** A wire request as the engine takes it; RpcError INVALID_REQUEST when it is neither a prompt nor well-formed chat. */
export function requestFromWire(message: wire.GenerateRequest, signal: AbortSignal): GenerateRequest {
  const hasPrompt = message.prompt !== undefined
  if (hasPrompt === (message.messages.length > 0)) {
    throw new RpcError('INVALID_REQUEST', 'a generate request carries either a prompt or chat messages')
  }
  const messages = message.messages.map((m, i): ChatMessage => {
    if (m.role !== 'system' && m.role !== 'user' && m.role !== 'assistant') {
      throw new RpcError('INVALID_REQUEST', `messages[${i}].role ${JSON.stringify(m.role)} is not system, user or assistant`)
    }
    return { role: m.role, content: m.content }
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
  return chunk
}

function chunkToWire(chunk: GenerateChunk): wire.GenerateChunk {
  return {
    text: chunk.text,
    tokens: chunk.tokens,
    finish: chunk.finish,
    promptTokens: chunk.usage?.promptTokens,
    completionTokens: chunk.usage?.completionTokens,
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
  }

  async *generate(message: wire.GenerateRequest, context: CallContext): AsyncIterable<wire.GenerateChunk> {
    const { engine } = this.components
    if (message.model !== engine.model.id) {
      throw new RpcError('MODEL_NOT_FOUND', `this hoster runs model ${engine.model.id}, not ${message.model}`)
    }
    const request = requestFromWire(message, context.signal)
    try {
      for await (const chunk of engine.generate(request)) yield chunkToWire(chunk)
    } catch (err) {
      // Engine errors keep their code (QUEUE_FULL, INVALID_REQUEST …) on the caller's side.
      if (err instanceof MeshError && !(err instanceof RpcError)) throw new RpcError(err.code, err.message)
      throw err
    }
  }
}
