// Parsing of OpenAI request bodies into engine requests. Every refusal names the field, as
// OpenAI's own 400s do; fields this API does not know are ignored, as OpenAI ignores them.
import type { ChatMessage, GenerateInput, SamplingOptions } from '../inference/engine.js'
import { badRequest } from './errors.js'

export const MAX_TOKENS_LIMIT = 32_768

export interface ParsedRequest {
  model: string
  input: GenerateInput
  sampling: SamplingOptions
  stream: boolean
  includeUsage: boolean
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

function parseCommon(body: unknown, maxTokensField: string, defaultMaxTokens: number | undefined): [Body, Omit<ParsedRequest, 'input'>] {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badRequest(null, 'the request body must be a JSON object')
  const b = body as Body
  if (typeof b.model !== 'string' || b.model === '') throw badRequest('model', 'model is required: a model id from GET /v1/models')
  optionalNumber(b, 'n', 1, 1, true) // one choice per request: any other n is refused
  for (const field of ['frequency_penalty', 'presence_penalty']) {
    const v = optionalNumber(b, field, -2, 2)
    if (v !== undefined && v !== 0) throw badRequest(field, `${field} is not supported; use repeat_penalty (1.0 = off)`)
  }
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
    seed: optionalNumber(b, 'seed', -(2 ** 53), 2 ** 53, true),
    stop: parseStop(b),
    repeatPenalty: optionalNumber(b, 'repeat_penalty', 0, 10),
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

export function parseChatRequest(body: unknown): ParsedRequest {
  const [b, common] = parseCommon(body, 'max_completion_tokens', undefined)
  const raw = b.messages
  if (!Array.isArray(raw) || raw.length === 0) throw badRequest('messages', 'messages must be a non-empty array')
  const messages: ChatMessage[] = raw.map((m, i) => {
    if (typeof m !== 'object' || m === null) throw badRequest(`messages[${i}]`, 'a message must be an object')
    const role = (m as Body).role === 'developer' ? 'system' : (m as Body).role
    if (role !== 'system' && role !== 'user' && role !== 'assistant') {
      throw badRequest(`messages[${i}].role`, 'role must be system, developer, user or assistant')
    }
    return { role, content: messageText((m as Body).content, i) }
  })
  return { ...common, input: { messages } }
}

export function parseCompletionRequest(body: unknown): ParsedRequest {
  const [b, common] = parseCommon(body, 'max_tokens', 16) // OpenAI's default for /v1/completions
  let prompt = b.prompt
  if (Array.isArray(prompt) && prompt.length === 1) prompt = prompt[0]
  if (typeof prompt !== 'string') throw badRequest('prompt', 'prompt must be a string (or an array of one string)')
  return { ...common, input: { prompt } }
}
