// The OpenAI-compatible HTTP gateway: existing apps and SDKs work by changing only the base URL.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { randomBytes } from 'node:crypto'
import { logger } from '../log.js'
import type { FinishReason, GenerateChunk, TokenLogprob } from '../inference/engine.js'
import { type ToolOutputEvent, ToolOutputParser } from '../inference/tool-format.js'
import type { InferenceBackend } from './backend.js'
import { ApiError, badRequest, toApiError } from './errors.js'
import { type RateLimit, RateLimiter } from '../rpc/rate-limiter.js'
import { type ParsedRequest, parseChatRequest, parseCompletionRequest, parseEmbeddingsRequest } from './requests.js'

const log = logger('api:server')
const MAX_BODY_BYTES = 1 << 20

export interface ApiServerOptions {
  backend: InferenceBackend
  /** Accepted bearer keys; when absent the API is open. */
  apiKeys?: Set<string>
  /** Per API key, or per client address when the API is open (whatever token a caller sends). */
  rateLimit?: RateLimit
  /** Extra routes (the dashboard) tried before the API's own 404. */
  extraRoutes?: (req: IncomingMessage, res: ServerResponse) => Promise<boolean>
  /**
   * How long a client has to send its whole request, headers and body (default 30 s); a
   * client that trickles it (slowloris) gets 408 and its connection closed.
   */
  requestTimeoutMs?: number
}

type Kind = 'chat' | 'completion'

export class ApiServer {
  private readonly server: Server
  private readonly limiter?: RateLimiter
  private readonly retryAfterSeconds: number

  constructor(private readonly options: ApiServerOptions) {
    this.limiter = options.rateLimit === undefined ? undefined : new RateLimiter(options.rateLimit)
    this.retryAfterSeconds = options.rateLimit === undefined ? 0 : Math.ceil(1 / options.rateLimit.perSecond)
    const requestTimeout = options.requestTimeoutMs ?? 30_000
    this.server = createServer({
      requestTimeout,
      headersTimeout: requestTimeout,
      // How often node checks those deadlines (its default, 30 s, would let a 2 s deadline run 30).
      connectionsCheckingInterval: Math.max(100, Math.min(requestTimeout / 4, 5_000)),
    }, (req, res) => {
      this.handle(req, res).catch((err: unknown) => this.fail(res, toApiError(err)))
    })
    this.server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => clientError(err, socket))
  }

  async listen(port: number, host = '127.0.0.1'): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject)
      this.server.listen(port, host, () => resolve())
    })
    const address = this.server.address() as AddressInfo
    return `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`
  }

  async close(): Promise<void> {
    this.server.closeAllConnections()
    await new Promise<void>((resolve) => this.server.close(() => resolve()))
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    res.setHeader('Access-Control-Allow-Origin', '*')
    if (req.method === 'OPTIONS') {
      res.writeHead(204, {
        'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
        'Access-Control-Allow-Headers': 'Authorization, Content-Type',
      })
      res.end()
      return
    }
    const path = (req.url ?? '/').split('?')[0].replace(/\/+$/, '')
    if (path.startsWith('/v1/')) {
      this.authorize(req)
      if (req.method === 'GET' && path === '/v1/models') return this.models(res)
      if (req.method === 'POST' && path === '/v1/chat/completions') return this.complete(req, res, 'chat')
      if (req.method === 'POST' && path === '/v1/completions') return this.complete(req, res, 'completion')
      if (req.method === 'POST' && path === '/v1/embeddings') return this.embeddings(req, res)
    } else if (this.options.extraRoutes !== undefined && (await this.options.extraRoutes(req, res))) {
      return
    }
    throw new ApiError(404, 'invalid_request_error', 'not_found', `no route ${req.method} ${path}: the API serves GET /v1/models, POST /v1/chat/completions, POST /v1/completions and POST /v1/embeddings`)
  }

  private authorize(req: IncomingMessage): void {
    const header = req.headers.authorization
    const key = header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined
    if (this.options.apiKeys !== undefined && (key === undefined || !this.options.apiKeys.has(key))) {
      throw new ApiError(401, 'authentication_error', 'invalid_api_key', 'a valid API key is required: send it as "Authorization: Bearer <key>"')
    }
    if (this.limiter !== undefined) {
      // An open gateway counts by address: a bearer token it does not check would let a caller
      // take a fresh bucket with every request.
      const caller = this.options.apiKeys === undefined ? `address ${req.socket.remoteAddress ?? 'unknown'}` : `key ${key}`
      if (!this.limiter.take(caller)) {
        const wait = this.retryAfterSeconds
        throw new ApiError(429, 'rate_limit_error', 'rate_limit_exceeded', `rate limit reached: retry in ${wait} s`, null, wait)
      }
    }
  }

  private async models(res: ServerResponse): Promise<void> {
    const cards = await this.options.backend.models()
    sendJson(res, 200, {
      object: 'list',
      data: cards.map((c) => ({ id: c.id, object: 'model', created: c.created, owned_by: c.ownedBy })),
    })
  }

  private async complete(req: IncomingMessage, res: ServerResponse, kind: Kind): Promise<void> {
    const body = await readJson(req)
    const request = kind === 'chat' ? parseChatRequest(body) : parseCompletionRequest(body)
    // The caller going away cancels the generation, wherever it is queued or running.
    const abort = new AbortController()
    res.on('close', () => abort.abort())
    const chunks = this.options.backend.stream(request.model, { ...request.sampling, ...request.shape, input: request.input, signal: abort.signal })
    const id = `${kind === 'chat' ? 'chatcmpl' : 'cmpl'}-${randomBytes(12).toString('hex')}`
    const created = Math.floor(Date.now() / 1000)
    const started = Date.now()
    if (request.stream) await this.stream(res, kind, request, chunks, id, created)
    else await this.collect(res, kind, request, chunks, id, created)
    log.debug('completion served', { id, kind, model: request.model, stream: request.stream, ms: Date.now() - started })
  }

  private async embeddings(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const request = parseEmbeddingsRequest(await readJson(req))
    const abort = new AbortController()
    res.on('close', () => abort.abort())
    const { vectors, tokens } = await this.options.backend.embed(request.model, request.input, abort.signal)
    if (request.dimensions !== undefined && vectors.some((v) => v.length !== request.dimensions)) {
      throw badRequest('dimensions', `this model's embeddings have ${vectors[0]?.length} dimensions, not ${request.dimensions}: leave dimensions out or send that`)
    }
    sendJson(res, 200, {
      object: 'list',
      data: vectors.map((v, index) => ({
        object: 'embedding', index,
        embedding: request.base64 ? Buffer.from(Float32Array.from(v).buffer).toString('base64') : Array.from(v),
      })),
      model: request.model,
      usage: { prompt_tokens: tokens, total_tokens: tokens },
    })
  }

  private async collect(res: ServerResponse, kind: Kind, request: ParsedRequest, chunks: AsyncIterable<GenerateChunk>, id: string, created: number): Promise<void> {
    let text = ''
    let finish: FinishReason = 'stop'
    let usage = { promptTokens: 0, completionTokens: 0 }
    const logprobs: TokenLogprob[] = []
    const calls = request.toolCalls ? new ToolCalls() : undefined
    for await (const chunk of chunks) {
      text += chunk.text
      calls?.read(chunk.text)
      if (chunk.logprobs !== undefined) logprobs.push(...chunk.logprobs)
      if (chunk.finish !== undefined) finish = chunk.finish
      if (chunk.usage !== undefined) usage = chunk.usage
    }
    const reported = request.shape.logprobs === undefined ? null : kind === 'chat' ? chatLogprobs(logprobs) : completionLogprobs(logprobs)
    const message = calls === undefined ? { role: 'assistant', content: text, refusal: null }
      : { role: 'assistant', content: calls.content, refusal: null, ...(calls.calls.length > 0 ? { tool_calls: calls.calls } : {}) }
    const choice = kind === 'chat'
      ? { index: 0, message, logprobs: reported, finish_reason: finishReason(finish, (calls?.calls.length ?? 0) > 0) }
      : { index: 0, text, logprobs: reported, finish_reason: finishReason(finish) }
    sendJson(res, 200, {
      id,
      object: kind === 'chat' ? 'chat.completion' : 'text_completion',
      created,
      model: request.model,
      choices: [choice],
      usage: usageBody(usage),
    })
  }

  private async stream(res: ServerResponse, kind: Kind, request: ParsedRequest, chunks: AsyncIterable<GenerateChunk>, id: string, created: number): Promise<void> {
    const object = kind === 'chat' ? 'chat.completion.chunk' : 'text_completion'
    const event = (choices: unknown[], extra: Record<string, unknown> = {}): void => {
      res.write(`data: ${JSON.stringify({ id, object, created, model: request.model, choices, ...extra })}\n\n`)
    }
    const iterator = chunks[Symbol.asyncIterator]()
    // Pull the first chunk before committing to 200, so that "no hoster" is still a clean 503.
    let next = await iterator.next()
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive' })
    res.flushHeaders()
    if (kind === 'chat') event([{ index: 0, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null }])
    let usage: GenerateChunk['usage']
    const calls = request.toolCalls ? new ToolCalls() : undefined
    const withLogprobs = request.shape.logprobs !== undefined
    try {
      for (; !next.done; next = await iterator.next()) {
        const chunk = next.value
        if (chunk.usage !== undefined) usage = chunk.usage
        const logprobs = !withLogprobs ? null : kind === 'chat' ? chatLogprobs(chunk.logprobs ?? []) : completionLogprobs(chunk.logprobs ?? [])
        if (kind === 'completion') {
          const finish = chunk.finish === undefined ? null : finishReason(chunk.finish)
          if (chunk.text !== '' || finish !== null) event([{ index: 0, text: chunk.text, logprobs, finish_reason: finish }])
          continue
        }
        // Chat: the text as content deltas, or read as the function-calling format into OpenAI's
        // tool-call deltas (a call's id and name first, then its arguments as they arrive).
        const deltas: Array<Record<string, unknown>> = calls === undefined ? (chunk.text === '' ? [] : [{ content: chunk.text }]) : calls.read(chunk.text).map(toolDelta)
        const finish = chunk.finish === undefined ? null : finishReason(chunk.finish, (calls?.calls.length ?? 0) > 0)
        if (deltas.length === 0 && finish === null && logprobs === null) continue
        if (deltas.length === 0) deltas.push({})
        deltas.forEach((delta, i) => {
          const last = i === deltas.length - 1
          event([{ index: 0, delta, logprobs: last ? logprobs : null, finish_reason: last ? finish : null }])
        })
      }
      if (request.includeUsage && usage !== undefined) event([], { usage: usageBody(usage) })
    } catch (err) {
      // Headers are gone: the error travels as an event, as OpenAI sends it.
      const apiError = toApiError(err)
      log.warn('stream failed', { id, code: apiError.code, error: apiError.message })
      res.write(`data: ${JSON.stringify(apiError.body())}\n\n`)
    }
    res.end('data: [DONE]\n\n')
  }

  private fail(res: ServerResponse, err: ApiError): void {
    if (err.status >= 500) log.warn('request failed', { status: err.status, code: err.code, error: err.message })
    if (res.headersSent) {
      res.destroy()
      return
    }
    if (err.retryAfterSeconds !== undefined) res.setHeader('Retry-After', String(err.retryAfterSeconds))
    sendJson(res, err.status, err.body())
  }
}

/**
 * A request node's HTTP parser refused (malformed, headers too large, too slow): answered in
 * the OpenAI error shape as well, where the socket still takes it, then closed.
 */
function clientError(err: NodeJS.ErrnoException, socket: Socket): void {
  if (!socket.writable || err.code === 'ECONNRESET') {
    socket.destroy()
    return
  }
  const [status, reason, code, message] =
    err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? [408, 'Request Timeout', 'request_timeout', 'the request did not arrive in time']
    : err.code === 'HPE_HEADER_OVERFLOW' ? [431, 'Request Header Fields Too Large', 'headers_too_large', 'the request headers are too large']
    : [400, 'Bad Request', 'bad_http_request', `the request is not well-formed HTTP (${err.code ?? 'parse error'})`]
  const body = JSON.stringify(new ApiError(status, 'invalid_request_error', code, message).body())
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`)
}

function finishReason(finish: FinishReason, calledTools = false): 'stop' | 'length' | 'tool_calls' {
  return finish === 'length' ? 'length' : calledTools ? 'tool_calls' : 'stop'
}

interface ToolCallBody {
  id: string
  type: 'function'
  function: { name: string; arguments: string }
}

/** An answer in the function-calling format, read as it streams into OpenAI's tool calls. */
class ToolCalls {
  private readonly parser = new ToolOutputParser()
  readonly calls: ToolCallBody[] = []
  private reply: string | null = null

  /** The reply's text when the model answered instead of calling (null while it calls). */
  get content(): string | null {
    return this.reply
  }

  read(text: string): Array<ToolOutputEvent & { id?: string }> {
    const events = this.parser.push(text)
    return events.map((e) => {
      if (e.type === 'content') this.reply = (this.reply ?? '') + e.text
      else if (e.type === 'call') {
        const id = `call_${randomBytes(12).toString('hex')}`
        this.calls[e.index] = { id, type: 'function', function: { name: e.name, arguments: '' } }
        return { ...e, id }
      } else this.calls[e.index].function.arguments += e.text
      return e
    })
  }
}

function toolDelta(e: ToolOutputEvent & { id?: string }): Record<string, unknown> {
  if (e.type === 'content') return { content: e.text }
  if (e.type === 'call') return { tool_calls: [{ index: e.index, id: e.id, type: 'function', function: { name: e.name, arguments: '' } }] }
  return { tool_calls: [{ index: e.index, function: { arguments: e.text } }] }
}

const utf8 = (text: string): number[] => [...Buffer.from(text, 'utf8')]

/** Chat's shape: {content: [{token, logprob, bytes, top_logprobs}]}. */
function chatLogprobs(tokens: TokenLogprob[]): Record<string, unknown> {
  return {
    content: tokens.map((t) => ({
      token: t.token, logprob: t.logprob, bytes: utf8(t.token),
      top_logprobs: t.top.map((a) => ({ token: a.token, logprob: a.logprob, bytes: utf8(a.token) })),
    })),
    refusal: null,
  }
}

/** Completions' (legacy) shape: parallel lists, the alternatives as {token: logprob}. */
function completionLogprobs(tokens: TokenLogprob[]): Record<string, unknown> {
  let offset = 0
  const offsets = tokens.map((t) => {
    const at = offset
    offset += t.token.length
    return at
  })
  return {
    tokens: tokens.map((t) => t.token),
    token_logprobs: tokens.map((t) => t.logprob),
    top_logprobs: tokens.map((t) => Object.fromEntries(t.top.map((a) => [a.token, a.logprob]))),
    text_offset: offsets,
  }
}

function usageBody(usage: { promptTokens: number; completionTokens: number }): Record<string, number> {
  return { prompt_tokens: usage.promptTokens, completion_tokens: usage.completionTokens, total_tokens: usage.promptTokens + usage.completionTokens }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body)
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) })
  res.end(text)
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const type = req.headers['content-type'] ?? ''
  if (!type.includes('application/json')) throw badRequest(null, 'send the body as JSON with "Content-Type: application/json"')
  const parts: Buffer[] = []
  let size = 0
  try {
    for await (const part of req) {
      size += (part as Buffer).length
      if (size > MAX_BODY_BYTES) throw new ApiError(413, 'invalid_request_error', 'body_too_large', `the request body is over ${MAX_BODY_BYTES} bytes`)
      parts.push(part as Buffer)
    }
  } catch (err) {
    if (err instanceof ApiError) throw err
    // The client went away or missed the deadline mid-body; nobody may be left to answer.
    throw new ApiError(400, 'invalid_request_error', 'incomplete_body', `the request body did not arrive whole: ${(err as Error).message}`)
  }
  try {
    return JSON.parse(Buffer.concat(parts).toString('utf8'))
  } catch (err) {
    throw badRequest(null, `the request body is not valid JSON: ${(err as Error).message}`)
  }
}
