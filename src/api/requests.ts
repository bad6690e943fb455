// Parsing of OpenAI request bodies into engine requests. Every refusal names the field, as
// OpenAI's own 400s do. A field this API does not serve is refused, never ignored: an app that
// asks for something must not silently get something else. Only fields that change nothing in
// the answer (user, metadata …) are accepted and unused.
import { createHash } from 'node:crypto'
import type { ChatMessage, GenerateInput, GenerateRequest, SamplingOptions, ToolCall, ToolChoice, ToolDefinition } from '../inference/engine.js'
import { InferenceError } from '../inference/errors.js'
import { grammarSchema } from '../inference/json-schema.js'
import { MAX_EMBED_INPUTS } from '../inference/service.js'
import { checkTools } from '../inference/tool-format.js'
import { badRequest } from './errors.js'

export const MAX_TOKENS_LIMIT = 32_768
/** OpenAI's bounds: top_logprobs (chat) 0–20, logprobs (completions) 0–5. */
export const MAX_TOP_LOGPROBS = 20
export const MAX_COMPLETION_LOGPROBS = 5

export interface ParsedRequest {
  model: string
  input: GenerateInput
  sampling: SamplingOptions
  /** What the hoster holds the answer to, and what it reports beside the text. */
  shape: Pick<GenerateRequest, 'responseFormat' | 'tools' | 'toolChoice' | 'parallelToolCalls' | 'logprobs'>
  stream: boolean
  includeUsage: boolean
  /** The answer is in the function-calling format (src/inference/tool-format.ts): read it into tool_calls. */
  toolCalls: boolean
}

/** Fields that change nothing in the answer: accepted and unused. */
const INERT = ['user', 'store', 'metadata', 'service_tier', 'safety_identifier', 'prompt_cache_key']
const COMMON = ['model', 'stream', 'stream_options', 'max_tokens', 'temperature', 'top_p', 'top_k', 'seed', 'stop', 'repeat_penalty',
  'presence_penalty', 'frequency_penalty', 'n', 'logprobs', 'logit_bias', ...INERT]
const CHAT_FIELDS = new Set([...COMMON, 'messages', 'max_completion_tokens', 'top_logprobs', 'response_format', 'tools', 'tool_choice', 'parallel_tool_calls'])
const COMPLETION_FIELDS = new Set([...COMMON, 'prompt', 'echo', 'best_of', 'suffix'])
/** Fields OpenAI knows that change the answer and are not served here, with what to do instead. */
const UNSERVED: Record<string, string> = {
  functions: 'functions is the deprecated form of tools: send tools',
  function_call: 'function_call is the deprecated form of tool_choice: send tool_choice',
  audio: 'audio output is not served: the models here write text',
  modalities: 'only text output is served: leave out modalities or send ["text"]',
  prediction: 'predicted outputs are not served',
  reasoning_effort: 'reasoning_effort is not served',
  web_search_options: 'web search is not served',
  verbosity: 'verbosity is not served',
}

type Body = Record<string, unknown>

function optionalNumber(body: Body, field: string, min: number, max: number, integer = false): number | undefined {
  const value = body[field]
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'number' || !Number.isFinite(value)) throw badRequest(field, `${field} must be a number`)
  if (integer && !Number.isInteger(value)) throw badRequest(field, `${field} must be an integer`)
  if (value < min || value > max) throw badRequest(field, `${field} must be between ${min} and ${max}, got ${value}`)
  return value
}

function parseStop(body: Body): string[] | undefined {
  const stop = body.stop
  if (stop === undefined || stop === null) return undefined
  const list = typeof stop === 'string' ? [stop] : stop
  if (!Array.isArray(list) || list.length > 4 || list.some((s) => typeof s !== 'string' || s === '')) {
    throw badRequest('stop', 'stop must be a non-empty string or an array of up to 4 non-empty strings')
  }
  return list as string[]
}

/** Refuses fields that are not served (by name) and fields this API does not know. */
function checkFields(b: Body, known: Set<string>): void {
  for (const field of Object.keys(b)) {
    if (known.has(field)) continue
    if (field === 'modalities' && Array.isArray(b.modalities) && b.modalities.length === 1 && b.modalities[0] === 'text') continue
    if (b[field] === null || b[field] === undefined) continue
    throw badRequest(field, UNSERVED[field] ?? `${field} is not a field this API serves (it refuses what it would otherwise ignore); the README's API section lists the fields`)
  }
  if (b.logit_bias !== undefined && b.logit_bias !== null && (typeof b.logit_bias !== 'object' || Object.keys(b.logit_bias).length > 0)) {
    throw badRequest('logit_bias', 'logit_bias is not served: send it empty or leave it out')
  }
}

/** Any integer seed, as the engine's 32 bits: itself when it fits, else a hash of it (so that every seed reproduces). */
export function engineSeed(seed: number): number {
  if (Number.isInteger(seed) && seed >= 0 && seed <= 0xffffffff) return seed
  return createHash('sha256').update(`mesh/seed/${BigInt(seed)}`).digest().readUInt32BE(0)
}

function parseSeed(b: Body): number | undefined {
  const seed = b.seed
  if (seed === undefined || seed === null) return undefined
  if (typeof seed !== 'number' || !Number.isInteger(seed)) throw badRequest('seed', 'seed must be an integer')
  return engineSeed(seed)
}

function parseCommon(body: unknown, maxTokensField: string, defaultMaxTokens: number | undefined, known: Set<string>): [Body, Omit<ParsedRequest, 'input' | 'shape' | 'toolCalls'>] {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badRequest(null, 'the request body must be a JSON object')
  const b = body as Body
  if (typeof b.model !== 'string' || b.model === '') throw badRequest('model', 'model is required: a model id from GET /v1/models')
  checkFields(b, known)
  const n = optionalNumber(b, 'n', 1, 128, true)
  if (n !== undefined && n !== 1) throw badRequest('n', `n must be 1: each request gets one choice here (send ${n} requests, with different seeds, for ${n} answers)`)
  if (b.stream !== undefined && b.stream !== null && typeof b.stream !== 'boolean') throw badRequest('stream', 'stream must be a boolean')
  const streamOptions = b.stream_options
  if (streamOptions !== undefined && streamOptions !== null && (typeof streamOptions !== 'object' || Array.isArray(streamOptions))) {
    throw badRequest('stream_options', 'stream_options must be an object')
  }
  const maxTokens = optionalNumber(b, maxTokensField, 1, MAX_TOKENS_LIMIT, true) ?? optionalNumber(b, 'max_tokens', 1, MAX_TOKENS_LIMIT, true)
  const sampling: SamplingOptions = {
    maxTokens: maxTokens ?? defaultMaxTokens,
    temperature: optionalNumber(b, 'temperature', 0, 2),
    topP: optionalNumber(b, 'top_p', 0, 1),
    topK: optionalNumber(b, 'top_k', 0, 1_000_000, true),
    seed: parseSeed(b),
    stop: parseStop(b),
    repeatPenalty: optionalNumber(b, 'repeat_penalty', 0, 10),
    presencePenalty: optionalNumber(b, 'presence_penalty', -2, 2),
    frequencyPenalty: optionalNumber(b, 'frequency_penalty', -2, 2),
  }
  for (const key of Object.keys(sampling) as Array<keyof SamplingOptions>) if (sampling[key] === undefined) delete sampling[key]
  return [b, {
    model: b.model,
    sampling,
    stream: b.stream === true,
    includeUsage: (streamOptions as Body | undefined)?.include_usage === true,
  }]
}

function messageText(content: unknown, index: number): string {
  if (typeof content === 'string') return content
  if (Array.isArray(content)) {
    return content.map((part, j) => {
      const p = part as Body
      if (typeof p !== 'object' || p === null || p.type !== 'text' || typeof p.text !== 'string') {
        throw badRequest(`messages[${index}].content[${j}]`, 'only text content parts are supported')
      }
      return p.text
    }).join('')
  }
  throw badRequest(`messages[${index}].content`, 'content must be a string or an array of text parts')
}

function isObject(value: unknown): value is Body {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** An engine check (schema, function set) as a 400 naming `param`. */
function asBadRequest<T>(param: string, check: () => T): T {
  try {
    return check()
  } catch (err) {
    if (err instanceof InferenceError) throw badRequest(param, err.message)
    throw err
  }
}

function parseToolCalls(value: unknown, i: number): ToolCall[] | undefined {
  if (value === undefined || value === null) return undefined
  const field = `messages[${i}].tool_calls`
  if (!Array.isArray(value)) throw badRequest(field, 'tool_calls must be an array')
  return value.map((call, j) => {
    const f = isObject(call) ? call.function : undefined
    if (!isObject(call) || call.type !== 'function' || typeof call.id !== 'string' || !isObject(f) || typeof f.name !== 'string' || typeof f.arguments !== 'string') {
      throw badRequest(`${field}[${j}]`, 'a tool call is {id, type: "function", function: {name, arguments (JSON text)}}')
    }
    return { id: call.id, name: f.name, arguments: f.arguments }
  })
}

function parseMessage(m: unknown, i: number): ChatMessage {
  if (!isObject(m)) throw badRequest(`messages[${i}]`, 'a message must be an object')
  const role = m.role === 'developer' ? 'system' : m.role
  if (role === 'assistant') {
    const toolCalls = parseToolCalls(m.tool_calls, i)
    const content = m.content === null || (m.content === undefined && toolCalls !== undefined) ? '' : messageText(m.content, i)
    return toolCalls === undefined || toolCalls.length === 0 ? { role, content } : { role, content, toolCalls }
  }
  if (role === 'tool') {
    if (typeof m.tool_call_id !== 'string' || m.tool_call_id === '') throw badRequest(`messages[${i}].tool_call_id`, 'a tool message needs the tool_call_id of the call it answers')
    return { role, content: messageText(m.content, i), toolCallId: m.tool_call_id }
  }
  if (role !== 'system' && role !== 'user') throw badRequest(`messages[${i}].role`, 'role must be system, developer, user, assistant or tool')
  return { role, content: messageText(m.content, i) }
}

function parseTools(b: Body): { tools?: ToolDefinition[]; toolChoice?: ToolChoice; parallelToolCalls?: boolean } {
  const raw = b.tools
  let tools: ToolDefinition[] | undefined
  if (raw !== undefined && raw !== null) {
    if (!Array.isArray(raw)) throw badRequest('tools', 'tools must be an array of functions')
    tools = raw.map((tool, i) => {
      const f = isObject(tool) ? tool.function : undefined
      if (!isObject(tool) || tool.type !== 'function' || !isObject(f) || typeof f.name !== 'string') {
        throw badRequest(`tools[${i}]`, 'a tool is {type: "function", function: {name, description?, parameters?, strict?}}: only functions are served')
      }
      if (f.description !== undefined && typeof f.description !== 'string') throw badRequest(`tools[${i}].function.description`, 'description must be a string')
      if (f.strict !== undefined && f.strict !== null && typeof f.strict !== 'boolean') throw badRequest(`tools[${i}].function.strict`, 'strict must be a boolean')
      // strict or not, the hoster holds the arguments to the schema by grammar.
      return { name: f.name, description: f.description as string | undefined, parameters: f.parameters ?? undefined }
    })
  }
  let toolChoice: ToolChoice | undefined
  const choice = b.tool_choice
  if (choice === 'auto' || choice === 'none' || choice === 'required') toolChoice = choice
  else if (isObject(choice) && choice.type === 'function' && isObject(choice.function) && typeof choice.function.name === 'string') toolChoice = { name: choice.function.name }
  else if (choice !== undefined && choice !== null) throw badRequest('tool_choice', 'tool_choice must be "auto", "none", "required" or {type: "function", function: {name}}')
  const parallel = b.parallel_tool_calls
  if (parallel !== undefined && parallel !== null && typeof parallel !== 'boolean') throw badRequest('parallel_tool_calls', 'parallel_tool_calls must be a boolean')
  if (tools !== undefined && tools.length === 0) tools = undefined
  asBadRequest(toolChoice !== undefined && tools === undefined && toolChoice !== 'none' ? 'tool_choice' : 'tools', () => checkTools(tools ?? [], toolChoice))
  return { tools, toolChoice, parallelToolCalls: typeof parallel === 'boolean' ? parallel : undefined }
}

function parseResponseFormat(b: Body): GenerateRequest['responseFormat'] {
  const format = b.response_format
  if (format === undefined || format === null) return undefined
  if (!isObject(format)) throw badRequest('response_format', 'response_format must be an object')
  if (format.type === 'text') return undefined
  if (format.type === 'json_object') return { type: 'json_object' }
  if (format.type === 'json_schema') {
    const spec = format.json_schema
    if (!isObject(spec) || typeof spec.name !== 'string' || spec.name === '') throw badRequest('response_format.json_schema', 'json_schema needs {name, schema, strict?}')
    if (spec.strict !== undefined && spec.strict !== null && typeof spec.strict !== 'boolean') throw badRequest('response_format.json_schema.strict', 'strict must be a boolean')
    if (spec.schema === undefined) throw badRequest('response_format.json_schema.schema', 'the schema is required')
    asBadRequest('response_format.json_schema.schema', () => grammarSchema(spec.schema, 'response_format.json_schema.schema'))
    return { type: 'json_schema', schema: spec.schema }
  }
  throw badRequest('response_format.type', 'response_format.type must be text, json_object or json_schema')
}

export function parseChatRequest(body: unknown): ParsedRequest {
  const [b, common] = parseCommon(body, 'max_completion_tokens', undefined, CHAT_FIELDS)
  const raw = b.messages
  if (!Array.isArray(raw) || raw.length === 0) throw badRequest('messages', 'messages must be a non-empty array')
  const messages = raw.map(parseMessage)
  const { tools, toolChoice, parallelToolCalls } = parseTools(b)
  const responseFormat = parseResponseFormat(b)
  if (tools !== undefined && toolChoice !== 'none' && responseFormat?.type === 'json_schema') {
    throw badRequest('response_format', 'a json_schema response_format cannot be combined with tools the model may call: send tool_choice "none", or no response_format')
  }
  if (b.logprobs !== undefined && b.logprobs !== null && typeof b.logprobs !== 'boolean') throw badRequest('logprobs', 'logprobs must be a boolean')
  const top = optionalNumber(b, 'top_logprobs', 0, MAX_TOP_LOGPROBS, true)
  if (top !== undefined && b.logprobs !== true) throw badRequest('top_logprobs', 'top_logprobs needs logprobs: true')
  const shape: ParsedRequest['shape'] = { responseFormat, tools, toolChoice, parallelToolCalls, logprobs: b.logprobs === true ? top ?? 0 : undefined }
  for (const key of Object.keys(shape) as Array<keyof typeof shape>) if (shape[key] === undefined) delete shape[key]
  return { ...common, input: { messages }, shape, toolCalls: tools !== undefined && toolChoice !== 'none' }
}

export function parseCompletionRequest(body: unknown): ParsedRequest {
  const [b, common] = parseCommon(body, 'max_tokens', 16, COMPLETION_FIELDS) // OpenAI's default for /v1/completions
  let prompt = b.prompt
  if (Array.isArray(prompt) && prompt.length === 1) prompt = prompt[0]
  if (typeof prompt !== 'string') throw badRequest('prompt', 'prompt must be a string (or an array of one string)')
  if (b.echo !== undefined && b.echo !== null && b.echo !== false) throw badRequest('echo', 'echo is not served: the answer never repeats the prompt (leave echo out or false)')
  const bestOf = optionalNumber(b, 'best_of', 1, 128, true)
  if (bestOf !== undefined && bestOf !== 1) throw badRequest('best_of', 'best_of must be 1: one answer is generated per request')
  if (b.suffix !== undefined && b.suffix !== null && b.suffix !== '') throw badRequest('suffix', 'suffix (insertion) is not served')
  const logprobs = optionalNumber(b, 'logprobs', 0, MAX_COMPLETION_LOGPROBS, true)
  return { ...common, input: { prompt }, shape: logprobs === undefined ? {} : { logprobs }, toolCalls: false }
}

export interface EmbeddingsRequest {
  model: string
  input: string[]
  base64: boolean
  dimensions?: number
}

const EMBEDDING_FIELDS = new Set(['model', 'input', 'encoding_format', 'dimensions', ...INERT])

export function parseEmbeddingsRequest(body: unknown): EmbeddingsRequest {
  if (!isObject(body)) throw badRequest(null, 'the request body must be a JSON object')
  if (typeof body.model !== 'string' || body.model === '') throw badRequest('model', 'model is required: a model id from GET /v1/models')
  checkFields(body, EMBEDDING_FIELDS)
  const input = typeof body.input === 'string' ? [body.input] : body.input
  if (!Array.isArray(input) || input.length === 0 || input.length > MAX_EMBED_INPUTS) {
    throw badRequest('input', `input must be a string or an array of 1 to ${MAX_EMBED_INPUTS} strings`)
  }
  input.forEach((text, i) => {
    if (typeof text !== 'string') throw badRequest(`input[${i}]`, 'input must be text: token arrays are not served (each model tokenizes its own way)')
    if (text === '') throw badRequest(`input[${i}]`, 'an input must not be empty')
  })
  const format = body.encoding_format
  if (format !== undefined && format !== null && format !== 'float' && format !== 'base64') throw badRequest('encoding_format', 'encoding_format must be float or base64')
  return { model: body.model, input: input as string[], base64: format === 'base64', dimensions: optionalNumber(body, 'dimensions', 1, 1 << 20, true) }
}
