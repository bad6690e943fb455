// Every HTTP (and WebSocket) endpoint on random and mutated input: the API (`mesh api`'s
// /v1 routes and the dashboard's) over a hoster's real engine, the hoster's status server
// (/metrics /health /reports), and the local chain server. Requests go over raw sockets, so
// that malformed HTTP, wrong lengths, huge bodies and half-sent requests (slowloris) are tried
// too. Every input must be answered within a bound: the API with a 4xx in the OpenAI error
// shape (or a well-formed success), the status server with no 5xx, the chain server with a
// reply to every request that has an id. endpoints.test.ts and the soak fuzz them.
import { connect } from 'node:net'
import WebSocket from 'ws'
import { ApiServer } from '../../src/api/server.js'
import { EngineBackend } from '../../src/api/engine-backend.js'
import { dashboardRoutes } from '../../src/api/dashboard/routes.js'
import { NetworkDashboard } from '../../src/api/dashboard/network-source.js'
import { devSubnet } from '../../src/chain/local/bootstrap.js'
import { fromJson, toJson } from '../../src/chain/local/json.js'
import { LocalChain } from '../../src/chain/local/local-chain.js'
import { LocalChainRuntime } from '../../src/chain/local/runtime.js'
import { LocalChainServer } from '../../src/chain/local/server.js'
import { testModelFile } from '../../src/inference/gguf/test-model-file.js'
import { StatusServer } from '../../src/node/status-server.js'
import { SubnetNode } from '../../src/node/subnet-node.js'
import { generateIdentity, peerIdOf } from '../../src/p2p/keys.js'
import { type FuzzBudget, type Rng, fuzz, mutate } from '../helpers/fuzz.js'
import { LOOPBACK } from '../helpers/swarm.js'

/** The servers' request deadline here: a half-sent request is cut off after it. */
export const REQUEST_TIMEOUT_MS = 2_000
/** The longest an answer may take: a deadline plus the time of a loaded machine, or a generation. */
const ANSWER_BOUND_MS = 60_000

export interface Endpoints {
  apiUrl: string
  statusUrl: string
  chainUrl: string
  model: string
  close(): Promise<void>
}

/** A hoster node on a local chain, with the API (and dashboard) over its engine, its status server and the chain server. */
export async function startEndpoints(): Promise<Endpoints> {
  const runtime = new LocalChainRuntime({ params: { epochLength: 20, seed: 'fuzz-endpoints' }, blockTimeMs: 6000 })
  const keys = await Promise.all([generateIdentity(), generateIdentity(), generateIdentity()])
  const subnet = await devSubnet(runtime, { nodes: keys.map((k) => ({ peerId: peerIdOf(k).toString() })) })
  runtime.advance(1)
  const closers: Array<() => Promise<void> | void> = [() => runtime.stop()]
  const close = async (): Promise<void> => {
    for (const c of closers.reverse()) await c()
  }
  try {
    const node = await SubnetNode.start({
      role: 'hoster', model: testModelFile({ quant: 'q8_0' }), subnetId: subnet.subnetId, identity: keys[0],
      chain: new LocalChain(runtime, { hotkey: subnet.nodes[0].hotkey }), host: { ...LOOPBACK, newSwarm: true }, engine: { threads: 1, parallel: 2 },
    })
    closers.push(() => node.stop())
    const api = new ApiServer({
      backend: new EngineBackend(node.engine!),
      extraRoutes: dashboardRoutes(new NetworkDashboard({ chain: new LocalChain(runtime), records: node.dht }, { subnetId: subnet.subnetId })),
      requestTimeoutMs: REQUEST_TIMEOUT_MS,
    })
    const apiUrl = await api.listen(0)
    closers.push(() => api.close())
    const status = new StatusServer(node, 'hoster', { requestTimeoutMs: REQUEST_TIMEOUT_MS })
    const statusUrl = await status.listen(0)
    closers.push(() => status.close())
    const chainServer = new LocalChainServer(runtime, { port: 0 })
    const chainUrl = await chainServer.listen()
    closers.push(() => chainServer.close())
    return { apiUrl, statusUrl, chainUrl, model: node.engine!.model.name, close }
  } catch (err) {
    await close()
    throw err
  }
}

/** One raw HTTP exchange to try. */
export interface HttpInput {
  server: 'api' | 'status'
  method: string
  path: string
  bytes: Buffer
  /** The request is sent only in part and the socket left open: the server must time it out. */
  stalled: boolean
  /**
   * The server may drop the connection without a (whole) answer: the request is not HTTP, or
   * its body is refused as too large while it is still being sent.
   */
  mayDrop: boolean
}

export interface HttpAnswer {
  status: number
  headers: Record<string, string>
  body: string
}

const API_PATHS = ['/v1/chat/completions', '/v1/completions', '/v1/embeddings', '/v1/models', '/v1/models/', '/', '/dashboard', '/dashboard/state', '/v1', '/x']
const STATUS_PATHS = ['/metrics', '/health', '/reports', '/reports.txt', '/', '/metrics/', '/nope']
const METHODS = ['GET', 'POST', 'POST', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH', 'HEAD']
const SCHEMA = { type: 'object', properties: { a: { type: 'string', maxLength: 4 }, b: { enum: [1, 2] } }, required: ['a', 'b'] }
const TOOLS = [{ type: 'function', function: { name: 'f', parameters: SCHEMA } }, { type: 'function', function: { name: 'g' } }]
const VALUES: unknown[] = [null, true, 0, -1, 1.5, 1e308, -1e308, 2 ** 53 + 2, '', 'x', 'user', 'assistant', 'tool', 'text', [], [1], {}, { type: 'text', text: 'hi' }, 'y'.repeat(5000),
  'auto', 'required', 'none', 'json_object', 'base64', { type: 'json_object' }, { type: 'json_schema', json_schema: { name: 's', schema: SCHEMA } }, SCHEMA, TOOLS,
  { type: 'function', function: { name: 'f' } }, [{ id: 'call_1', type: 'function', function: { name: 'f', arguments: '{}' } }], { pattern: 'a' }, { $ref: '#/$defs/x' }]
const FIELDS = ['model', 'messages', 'prompt', 'max_tokens', 'max_completion_tokens', 'temperature', 'top_p', 'top_k', 'seed', 'stop', 'stream',
  'stream_options', 'n', 'repeat_penalty', 'frequency_penalty', 'presence_penalty', 'role', 'content', 'include_usage', '__proto__', 'constructor',
  'response_format', 'tools', 'tool_choice', 'parallel_tool_calls', 'logprobs', 'top_logprobs', 'tool_calls', 'tool_call_id', 'logit_bias', 'echo', 'best_of',
  'suffix', 'user', 'input', 'encoding_format', 'dimensions', 'json_schema', 'schema', 'strict', 'function', 'parameters']
/** Chat extras a valid request may carry, one at a time: each feature's fields, then mutated. */
const CHAT_EXTRAS: Array<Record<string, unknown>> = [
  {},
  { response_format: { type: 'json_object' } },
  { response_format: { type: 'json_schema', json_schema: { name: 's', schema: SCHEMA, strict: true } } },
  { tools: TOOLS, tool_choice: 'required', parallel_tool_calls: false },
  { tools: TOOLS, tool_choice: { type: 'function', function: { name: 'f' } } },
  { tools: TOOLS, messages: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'f', arguments: '{"a":"x","b":1}' } }] }, { role: 'tool', tool_call_id: 'call_1', content: 'ok' }] },
  { logprobs: true, top_logprobs: 3, presence_penalty: 0.5, frequency_penalty: -0.5, seed: -(2 ** 40) },
]

/** A JSON value with random changes: fields removed, retyped, added, at any depth. */
function mutateJson(rng: Rng, value: unknown, depth = 0): unknown {
  if (Array.isArray(value)) {
    const out = value.map((v) => (rng.chance(0.3) ? mutateJson(rng, v, depth + 1) : v))
    if (rng.chance(0.2)) out.push(rng.pick(VALUES))
    if (rng.chance(0.1)) out.length = 0
    return out
  }
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = { ...(value as Record<string, unknown>) }
    for (const key of Object.keys(out)) {
      if (rng.chance(0.15)) delete out[key]
      else if (rng.chance(0.2)) out[key] = rng.chance(0.5) ? rng.pick(VALUES) : mutateJson(rng, out[key], depth + 1)
    }
    if (rng.chance(0.3)) out[rng.pick(FIELDS)] = rng.pick(VALUES)
    return out
  }
  return rng.chance(0.5) ? rng.pick(VALUES) : value
}

function request(method: string, path: string, headers: Array<[string, string]>, body: Buffer): Buffer {
  const head = `${method} ${path} HTTP/1.1\r\n${headers.map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`
  return Buffer.concat([Buffer.from(head, 'latin1'), body])
}

/** A random request to one of the servers, most often a mutation of a valid one. */
export function nextHttpInput(rng: Rng, model: string): HttpInput {
  const server = rng.chance(0.8) ? 'api' : 'status'
  // Most requests go where the input is parsed: the completion routes.
  let path = server === 'api' && rng.chance(0.6) ? rng.pick(API_PATHS.slice(0, 3)) : rng.pick(server === 'api' ? API_PATHS : STATUS_PATHS)
  if (rng.chance(0.1)) path += rng.pick(['?x=1', '?stream=true', '%00', '/..%2f..', '//', `?${'a'.repeat(3000)}`, '#frag'])
  const method = server === 'api' && (path.startsWith('/v1/c') || path.startsWith('/v1/e')) && rng.chance(0.7) ? 'POST' : server === 'status' && rng.chance(0.7) ? 'GET' : rng.pick(METHODS)
  const valid = path.includes('chat')
    ? { model, messages: [{ role: 'user', content: 'hi' }], max_tokens: 3, temperature: 0.5, stream: rng.chance(0.5), ...rng.pick(CHAT_EXTRAS) }
    : path.includes('embeddings') ? { model, input: rng.chance(0.5) ? 'hi' : ['hi', 'there'], encoding_format: rng.pick(['float', 'base64']) }
      : { model, prompt: 'the', max_tokens: 3, stream: rng.chance(0.5), stream_options: { include_usage: true }, ...(rng.chance(0.3) ? { logprobs: 2 } : {}) }
  let body: Buffer
  let mayDrop = false
  const shape = rng.int(20)
  if (shape === 0) body = Buffer.from(rng.bytes(rng.int(2000)))
  else if (shape === 1) {
    body = Buffer.from(JSON.stringify({ ...valid, prompt: 'z'.repeat((1 << 20) + rng.int(1 << 20)) })) // over the 1 MiB limit
    mayDrop = true
  }
  else if (shape === 2) body = Buffer.from('['.repeat(1 + rng.int(200_000)))
  else if (shape === 3) body = Buffer.from(JSON.stringify({ ...valid, prompt: 'word '.repeat(rng.int(20_000)), messages: [{ role: 'user', content: 'word '.repeat(rng.int(20_000)) }] }))
  else if (shape < 6) body = Buffer.from(mutate(rng, Buffer.from(JSON.stringify(valid))))
  else {
    const mutated = mutateJson(rng, valid) as Record<string, unknown>
    // Generations stay short: the fuzz is about input, not about the engine's speed.
    if (typeof mutated === 'object' && mutated !== null && typeof mutated.max_tokens === 'number' && mutated.max_tokens > 64) mutated.max_tokens = 64
    body = Buffer.from(JSON.stringify(mutated) ?? 'null')
  }
  if (method === 'GET' || method === 'HEAD' || rng.chance(0.05)) body = method === 'GET' && rng.chance(0.9) ? Buffer.alloc(0) : body
  const headers: Array<[string, string]> = [['Host', 'localhost'], ['Connection', 'close']]
  if (rng.chance(0.9)) headers.push(['Content-Type', rng.chance(0.9) ? 'application/json' : rng.pick(['text/plain', '', 'application/json; charset=utf-8', 'multipart/form-data'])])
  if (rng.chance(0.1)) headers.push(['Authorization', rng.pick(['Bearer ', 'Bearer x', 'Basic abc', 'Bearer ' + 'k'.repeat(500)])])
  let stalled = false
  const lengthCase = rng.int(20)
  if (lengthCase === 0) headers.push(['Transfer-Encoding', 'chunked'])
  else if (lengthCase === 1) headers.push(['Content-Length', String(body.length + 1 + rng.int(100))])
  else if (lengthCase === 2) headers.push(['Content-Length', rng.pick(['-1', 'abc', '99999999999999999999', '1, 2'])])
  else if (lengthCase === 3) headers.push(['X-Big', 'h'.repeat(20_000 + rng.int(60_000))])
  else headers.push(['Content-Length', String(body.length)])
  if (lengthCase === 1 || rng.chance(0.02)) stalled = true
  let bytes = request(method, path, headers, body)
  if (rng.chance(0.03)) {
    bytes = Buffer.from(mutate(rng, bytes)) // broken HTTP itself
    mayDrop = true
  }
  if (stalled) bytes = bytes.subarray(0, rng.int(bytes.length))
  return { server, method, path, bytes, stalled, mayDrop: mayDrop || stalled }
}

/**
 * Sends one raw request and reads the answer: the status, headers and body once complete
 * (by Content-Length, the chunked terminator, or the server closing). Rejects if none comes
 * within `boundMs`.
 */
export function exchange(url: string, input: HttpInput, boundMs = ANSWER_BOUND_MS): Promise<HttpAnswer | 'closed'> {
  const { hostname, port } = new URL(url)
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname)
    let data = Buffer.alloc(0)
    let settled = false
    const finish = (answer: HttpAnswer | 'closed' | Error): void => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      socket.destroy()
      if (answer instanceof Error) reject(answer)
      else resolve(answer)
    }
    const timer = setTimeout(() => finish(new Error(`no answer within ${boundMs} ms`)), boundMs)
    const parse = (ended: boolean): void => {
      const end = data.indexOf('\r\n\r\n')
      const cut = (what: string): void => finish(input.mayDrop ? 'closed' : new Error(what))
      if (end < 0) {
        if (ended) cut(data.length === 0 ? 'the connection closed without an answer' : `a partial answer: ${JSON.stringify(data.toString('latin1').slice(0, 200))}`)
        return
      }
      const [statusLine, ...lines] = data.subarray(0, end).toString('latin1').split('\r\n')
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(statusLine)?.[1])
      if (!Number.isInteger(status)) return finish(new Error(`not an HTTP answer: ${statusLine}`))
      const headers: Record<string, string> = {}
      for (const line of lines) {
        const at = line.indexOf(':')
        headers[line.slice(0, at).toLowerCase()] = line.slice(at + 1).trim()
      }
      const rest = data.subarray(end + 4)
      const length = headers['content-length']
      const complete = input.method === 'HEAD' || status === 204 || status === 304 ||
        (length !== undefined ? rest.length >= Number(length) : headers['transfer-encoding'] === 'chunked' ? rest.includes('\r\n0\r\n\r\n') || rest.indexOf('0\r\n\r\n') === 0 : ended)
      if (complete) finish({ status, headers, body: dechunk(rest, headers) })
      else if (ended) cut(`the answer ${status} was cut short`)
    }
    socket.on('data', (chunk: Buffer) => {
      data = Buffer.concat([data, chunk])
      parse(false)
    })
    socket.on('end', () => parse(true))
    socket.on('close', () => parse(true))
    // A reset while the request is still going out (the server refused it early) is an answer too.
    socket.on('error', () => parse(true))
    // The socket is not half-closed after the request: node's server drops a connection whose
    // client ends its side (httpAllowHalfOpen), and HTTP clients do not do it.
    socket.write(input.bytes)
  })
}

function dechunk(body: Buffer, headers: Record<string, string>): string {
  if (headers['transfer-encoding'] !== 'chunked') return body.toString('utf8')
  let out = ''
  let at = 0
  for (;;) {
    const line = body.indexOf('\r\n', at)
    if (line < 0) break
    const size = parseInt(body.subarray(at, line).toString('latin1'), 16)
    if (!(size > 0)) break
    out += body.subarray(line + 2, line + 2 + size).toString('utf8')
    at = line + 2 + size + 2
  }
  return out
}

/** Throws unless the answer is one the endpoint may give to this input. */
export function checkHttpAnswer(input: HttpInput, answer: HttpAnswer | 'closed'): void {
  if (answer === 'closed') return // exchange() allows it only where the input may be dropped
  if (answer.status >= 500) throw new Error(`${answer.status}: ${answer.body.slice(0, 300)}`)
  if (input.server === 'status' || input.method === 'HEAD') return
  const api = input.path.startsWith('/v1')
  if (answer.status >= 400 && (api || answer.headers['content-type'] === 'application/json')) {
    const error = (JSON.parse(answer.body) as { error?: Record<string, unknown> }).error
    if (typeof error?.message !== 'string' || typeof error.type !== 'string' || typeof error.code !== 'string' || !('param' in error)) {
      throw new Error(`${answer.status} is not an OpenAI error: ${answer.body.slice(0, 300)}`)
    }
  }
  if (answer.status === 200 && api && input.path.includes('embeddings') && input.method === 'POST') {
    const data = (JSON.parse(answer.body) as { data?: Array<{ embedding?: unknown }> }).data
    if (!Array.isArray(data) || data.length === 0 || data.some((e) => !Array.isArray(e.embedding) && typeof e.embedding !== 'string')) {
      throw new Error(`embeddings without vectors: ${answer.body.slice(0, 300)}`)
    }
  }
  if (answer.status === 200 && api && input.path.includes('completions')) {
    if (answer.headers['content-type'] === 'text/event-stream') {
      if (!answer.body.endsWith('data: [DONE]\n\n')) throw new Error(`a stream that does not end with [DONE]: ${answer.body.slice(-300)}`)
      if (answer.body.includes('"error"')) throw new Error(`a stream that failed: ${answer.body.slice(0, 300)}`)
    } else if (!Array.isArray((JSON.parse(answer.body) as { choices?: unknown }).choices)) {
      throw new Error(`a completion without choices: ${answer.body.slice(0, 300)}`)
    }
  }
}

export interface EndpointOutcome {
  inputs: number
  /** Answers by status (and `closed` for a dropped unreadable request). */
  answers: Record<string, number>
}

/** Connections fuzzed at once: half-sent requests wait out their deadline side by side. */
const HTTP_LANES = 4

/**
 * Fuzzes the API, the dashboard and the status server over raw HTTP, on HTTP_LANES connections
 * at once (lane i from seed + i: a failure names its lane's seed); the outcome per server.
 */
export async function fuzzHttp(endpoints: Endpoints, seed: number, budget: FuzzBudget): Promise<Record<string, EndpointOutcome>> {
  const outcomes: Record<string, EndpointOutcome> = { api: { inputs: 0, answers: {} }, status: { inputs: 0, answers: {} } }
  const share = { ...budget, inputs: budget.inputs === undefined ? undefined : Math.ceil(budget.inputs / HTTP_LANES) }
  await Promise.all(Array.from({ length: HTTP_LANES }, (_, lane) => fuzz('http', (seed + lane) >>> 0, share, (rng) => nextHttpInput(rng, endpoints.model), async (input) => {
    const answer = await exchange(input.server === 'api' ? endpoints.apiUrl : endpoints.statusUrl, input)
    checkHttpAnswer(input, answer)
    const outcome = outcomes[input.server]
    outcome.inputs++
    const key = answer === 'closed' ? 'closed' : String(answer.status)
    outcome.answers[key] = (outcome.answers[key] ?? 0) + 1
  }, (input) => `${input.server} ${input.stalled ? '(stalled) ' : ''}${JSON.stringify(input.bytes.subarray(0, 1500).toString('latin1'))}`)))
  return outcomes
}

const CHAIN_REQUESTS: unknown[] = [
  { id: 1, type: 'hello' },
  { id: 2, type: 'read', method: 'subnet', args: [1] },
  { id: 3, type: 'read', method: 'subnetNodes', args: [1] },
  { id: 4, type: 'read', method: 'proofOfStake', args: [1, '12D3KooWxxx', 'Idle'] },
  { id: 5, type: 'read', method: 'epochInfo', args: [] },
  { id: 6, type: 'write', payload: '{"chainId":"x","method":"addStake","args":[],"signer":"5G","nonce":"00","time":0}', signature: '0x00' },
  { id: 7, type: 'subscribe' },
]

/**
 * Fuzzes the local chain server over one WebSocket: every message that parses to an object
 * with an integer id must get a reply with that id (a result or an error with a code); the
 * rest are dropped, and the connection must stay usable.
 */
export async function fuzzChainServer(url: string, seed: number, budget: FuzzBudget): Promise<EndpointOutcome> {
  const socket = new WebSocket(url)
  await new Promise((resolve, reject) => {
    socket.once('open', resolve)
    socket.once('error', reject)
  })
  const waiting = new Map<number, (reply: Record<string, unknown>) => void>()
  socket.on('message', (data) => {
    const reply = fromJson(data.toString()) as Record<string, unknown>
    if (typeof reply.id === 'number') waiting.get(reply.id)?.(reply)
  })
  const outcome: EndpointOutcome = { inputs: 0, answers: {} }
  let nextId = 1000
  const ask = (text: string, id: number): Promise<Record<string, unknown>> => new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no reply to id ${id} within 10 s`)), 10_000)
    waiting.set(id, (reply) => {
      clearTimeout(timer)
      waiting.delete(id)
      resolve(reply)
    })
    socket.send(text)
  })
  try {
    await fuzz('chain server', seed, budget, (rng) => {
      const base = rng.pick(CHAIN_REQUESTS) as Record<string, unknown>
      if (rng.chance(0.2)) return Buffer.from(mutate(rng, Buffer.from(toJson(base)))).toString('latin1')
      const mutated = mutateJson(rng, base) as Record<string, unknown>
      if (rng.chance(0.9) && typeof mutated === 'object' && mutated !== null && !Array.isArray(mutated)) mutated.id = nextId++
      return toJson(mutated) ?? 'null'
    }, async (text) => {
      let id: number | undefined
      try {
        const parsed = fromJson(text) as { id?: unknown }
        if (typeof parsed === 'object' && parsed !== null && Number.isSafeInteger(parsed.id)) id = parsed.id as number
      } catch {
        id = undefined
      }
      outcome.inputs++
      if (id === undefined || waiting.has(id)) {
        socket.send(text)
        const hello = await ask(toJson({ id: nextId, type: 'hello' }), nextId++)
        if (hello.result === undefined) throw new Error('the server stopped answering after an unreadable message')
        outcome.answers.dropped = (outcome.answers.dropped ?? 0) + 1
        return
      }
      const reply = await ask(text, id)
      const error = reply.error as { code?: unknown } | undefined
      if (error !== undefined && typeof error.code !== 'string') throw new Error(`an error without a code: ${toJson(reply)}`)
      // An internal error is an input the server did not check.
      if (error?.code === 'CHAIN_INTERNAL') throw new Error(`an internal error: ${toJson(reply)}`)
      const key = error === undefined ? 'result' : String(error.code)
      outcome.answers[key] = (outcome.answers[key] ?? 0) + 1
    })
  } finally {
    socket.terminate()
  }
  return outcome
}
