// The hoster's inference service: token streaming over the signed RPC layer. Clients (the API
// gateway, apps with MeshClient) call it with a client peer id that the chain knows.
import type { Access } from '../rpc/admission.js'
import { RpcError } from '../rpc/errors.js'
import { streamMethod } from '../rpc/method.js'
import type { CallContext, RpcServer } from '../rpc/server.js'
import { createHash } from 'node:crypto'
import { MeshError } from '../errors.js'
import { logger } from '../log.js'
import { type ChatMessage, type Engine, type GenerateChunk, type GenerateRequest, Priority } from './engine.js'
import * as wire from './messages.js'
import { encodeTranscript } from './transcript.js'

const log = logger('inference:service')

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

/** The current epoch's challenges (consensus's ChallengeGuard). */
export interface ChallengeCheck {
  challenges(): ReadonlyArray<readonly number[]>
}

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
  }
}

export interface InferenceServiceComponents {
  engine: Engine
  /** Absent on a node that plays no consensus (a pure server). */
  challenge?: ChallengeCheck
}

export class InferenceService {
  constructor(private readonly components: InferenceServiceComponents) {}

  /** Serves generation on `server`; `access` is who may call (default: any staked peer id, client ids included). */
  async register(server: RpcServer, access: Access = 'Registered'): Promise<void> {
    await server.handle(generateMethod, (request, context) => this.generate(request, context), { access })
  }

  async *generate(message: wire.GenerateRequest, context: CallContext): AsyncIterable<wire.GenerateChunk> {
    const { engine, challenge } = this.components
    if (message.model !== engine.model.id) {
      throw new RpcError('MODEL_NOT_FOUND', `this hoster runs model ${engine.model.id}, not ${message.model}`)
    }
    const request = requestFromWire(message, context.signal)
    if (challenge !== undefined) {
      // Compared as text: a prompt can spell the challenge's tokens without tokenizing back to them.
      const texts = 'prompt' in request.input ? [request.input.prompt] : request.input.messages.map((m) => m.content)
      const challengeTexts = challenge.challenges().map((tokens) => engine.detokenize([...tokens]).trim())
      if (challengeTexts.some((c) => c !== '' && texts.some((text) => text.includes(c)))) {
        log.warn('refused a request carrying the current challenge', { peer: context.caller.toString() })
        throw new RpcError('CHALLENGE_REFUSED', 'the request carries the current epoch challenge: hosters answer it themselves')
      }
    }
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
