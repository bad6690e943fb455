// One inference request over the network. Tokens stream from the best hoster; if it dies or
// stalls mid-stream, the request continues on another hoster from the text so far, and the
// caller sees one uninterrupted stream.
import { createHash, timingSafeEqual } from 'node:crypto'
import { peerIdFromString } from '@libp2p/peer-id'
import { MeshError, errorMessage } from '../errors.js'
import { logger } from '../log.js'
import type { GenerateChunk, GenerateRequest } from '../inference/engine.js'
import { chunkFromWire, embedMethod, generateMethod, requestToWire } from '../inference/service.js'
import type { RpcClient } from '../rpc/client.js'
import { RPC_CODES, RpcError } from '../rpc/errors.js'
import { openTranscript, type SignedTranscript } from '../inference/transcript.js'
import type { HosterCandidate, Router } from './router.js'

const log = logger('client:session')

/** Errors that say the request itself is wrong: another hoster would refuse it too. */
const REQUEST_ERRORS = new Set(['INVALID_REQUEST', RPC_CODES.BAD_REQUEST, RPC_CODES.TOO_LARGE, RPC_CODES.ABORTED])

export interface HosterSource {
  /** Hosters that say they serve `modelId` now. */
  hosters(modelId: string): Promise<HosterCandidate[]>
}

export interface SessionComponents {
  rpc: RpcClient
  router: Router
  hosters: HosterSource
}

export interface SessionOptions {
  /** Longest wait for the first token, or between two tokens, before moving on (default 30 s). */
  stallTimeoutMs?: number
  /** Hosters tried for one request before giving up (default 4). */
  maxAttempts?: number
  /** Told of each hoster a request goes to, in order (for logs and metrics). */
  onHoster?: (peerId: string) => void
}

export interface SessionHooks {
  /**
   * Told of each finished answer's checked, signed transcript (the client audits some), for
   * answers an auditor can replay: a transcript records the sampler (temperature, top-k, top-p,
   * repeat penalty, seed), not a grammar or the presence and frequency penalties, under which an
   * honest answer would fail its replay.
   */
  onTranscript?: (signed: SignedTranscript) => void
  /** Told of what each hoster served: time to first token and tokens a second, measured here. */
  onMeasured?: (peerId: string, measured: { ttftMs: number; tokensPerSecond?: number }) => void
}

/** Generates `request` with `modelId` on the network, failing over between hosters. */
export async function* generateOnNetwork(components: SessionComponents, modelId: string, request: GenerateRequest,
  options: SessionOptions = {}, hooks: SessionHooks = {}): AsyncGenerator<GenerateChunk, void, undefined> {
  const { rpc, router, hosters } = components
  const maxAttempts = options.maxAttempts ?? 4
  const tried = new Set<string>()
  let text = ''
  let tokens = 0
  let lastError: unknown
  for (let attempt = 0; attempt < maxAttempts; attempt++) {
    const hoster = router.pick(await hosters.hosters(modelId), tried)
    if (hoster === undefined) break
    tried.add(hoster.peerId)
    options.onHoster?.(hoster.peerId)
    const tokensBefore = tokens
    const continued: GenerateRequest = text === ''
      ? request
      : { ...request, continueFrom: text, maxTokens: request.maxTokens === undefined ? undefined : request.maxTokens - tokens }
    const end = router.begin(hoster.peerId)
    try {
      const stream = rpc.stream(peerIdFromString(hoster.peerId), generateMethod, requestToWire(modelId, continued), {
        timeoutMs: options.stallTimeoutMs ?? 30_000,
        signal: request.signal,
      })
      const started = performance.now()
      let firstTokenAt: number | undefined
      const answer = createHash('sha256')
      for await (const message of stream) {
        const chunk = chunkFromWire(message)
        if (firstTokenAt === undefined && chunk.tokens > 0) {
          firstTokenAt = performance.now()
          hooks.onMeasured?.(hoster.peerId, { ttftMs: firstTokenAt - started })
        }
        answer.update(chunk.text)
        text += chunk.text
        tokens += chunk.tokens
        if (chunk.finish !== undefined) {
          const elapsed = (performance.now() - (firstTokenAt ?? started)) / 1000
          if (tokens - tokensBefore > 1 && elapsed > 0) hooks.onMeasured?.(hoster.peerId, { ttftMs: (firstTokenAt ?? performance.now()) - started, tokensPerSecond: (tokens - tokensBefore - 1) / elapsed })
          const signed = checkTranscript(chunk, hoster.peerId, modelId, tokens - tokensBefore, answer.digest())
          if (signed !== undefined && replayable(request)) hooks.onTranscript?.(signed)
        }
        if (chunk.usage !== undefined) {
          // The hoster counted the text it continued from as prompt: give the caller its own counts.
          chunk.usage = { promptTokens: Math.max(0, chunk.usage.promptTokens - tokensBefore), completionTokens: tokens }
        }
        yield chunk
      }
      router.succeeded(hoster.peerId)
      return
    } catch (err) {
      if (request.signal?.aborted === true || (err instanceof MeshError && REQUEST_ERRORS.has(err.code))) throw err
      // A hoster's grammar starts the answer afresh: an answer held to one is not continued elsewhere.
      if (text !== '' && constrained(request)) throw err
      lastError = err
      const ban = router.failed(hoster.peerId)
      log.warn('hoster failed, moving on', { peer: hoster.peerId, tokens, banMs: ban, error: errorMessage(err) })
    } finally {
      end()
    }
  }
  if (lastError === undefined) {
    throw new MeshError('NO_HOSTER', `no hoster serves model ${modelId} now`, { fix: 'start a hoster with this model, or wait for one to announce itself' })
  }
  throw new MeshError('NO_HOSTER', `every hoster tried for model ${modelId} failed; the last: ${errorMessage(lastError)}`, {
    cause: lastError instanceof RpcError ? lastError : undefined,
  })
}

/** Whether an auditor can replay the answer from its transcript: plain sampling, no grammar, no presence or frequency penalty. */
function replayable(request: GenerateRequest): boolean {
  return !constrained(request) && (request.presencePenalty ?? 0) === 0 && (request.frequencyPenalty ?? 0) === 0
}

/** The answer is held to a grammar on the hoster (structured output, or functions to call). */
function constrained(request: GenerateRequest): boolean {
  return request.responseFormat !== undefined || ((request.tools?.length ?? 0) > 0 && request.toolChoice !== 'none')
}

/** Embeds `input` with `modelId` on the network, moving on to another hoster when one fails. */
export async function embedOnNetwork(components: SessionComponents, modelId: string, input: string[], signal: AbortSignal | undefined,
  options: SessionOptions = {}): Promise<{ vectors: number[][]; tokens: number }> {
  const { rpc, router, hosters } = components
  const tried = new Set<string>()
  let lastError: unknown
  for (let attempt = 0; attempt < (options.maxAttempts ?? 4); attempt++) {
    const hoster = router.pick(await hosters.hosters(modelId), tried)
    if (hoster === undefined) break
    tried.add(hoster.peerId)
    options.onHoster?.(hoster.peerId)
    const end = router.begin(hoster.peerId)
    try {
      const answer = await rpc.call(peerIdFromString(hoster.peerId), embedMethod, { model: modelId, input }, { timeoutMs: options.stallTimeoutMs ?? 30_000, signal })
      if (answer.data.length !== input.length) throw new MeshError('BAD_RESPONSE', `a hoster sent ${answer.data.length} embeddings for ${input.length} inputs`)
      router.succeeded(hoster.peerId)
      return { vectors: answer.data.map((e) => e.values), tokens: answer.tokens }
    } catch (err) {
      if (signal?.aborted === true || (err instanceof MeshError && REQUEST_ERRORS.has(err.code))) throw err
      lastError = err
      log.warn('hoster failed, moving on', { peer: hoster.peerId, banMs: router.failed(hoster.peerId), error: errorMessage(err) })
    } finally {
      end()
    }
  }
  throw new MeshError('NO_HOSTER', lastError === undefined ? `no hoster serves model ${modelId} now` : `every hoster tried for model ${modelId} failed; the last: ${errorMessage(lastError)}`)
}

/**
 * The last chunk's transcript when it is signed by `hoster` and says what was streamed: the
 * model asked for, as many output tokens, the same text. Anything else is logged and dropped
 * (the answer has reached the caller already; a hoster that signs something else only loses
 * the chance of a passed audit).
 */
function checkTranscript(chunk: GenerateChunk, hoster: string, modelId: string, tokens: number, textSha256: Uint8Array): SignedTranscript | undefined {
  if (chunk.transcript === undefined) {
    log.debug('an answer came without a transcript', { peer: hoster })
    return undefined
  }
  try {
    const signed = openTranscript(chunk.transcript.bytes, chunk.transcript.signature)
    const t = signed.transcript
    const problem = t.hoster.toString() !== hoster ? `it names ${t.hoster.toString()}`
      : t.model !== modelId ? `it is for model ${t.model}`
        : t.record.outputTokens.length !== tokens ? `it has ${t.record.outputTokens.length} output tokens, ${tokens} were streamed`
          : !timingSafeEqual(t.textSha256, textSha256) ? 'its text hash is not that of the text streamed' : null
    if (problem !== null) throw new MeshError('BAD_TRANSCRIPT', `the transcript does not match the answer: ${problem}`)
    return signed
  } catch (err) {
    log.warn('transcript refused', { peer: hoster, error: errorMessage(err) })
    return undefined
  }
}
