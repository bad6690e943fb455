// Function calling as one JSON format that any model can be held to by a grammar (as llama.cpp's
// "generic" tool format does): the hoster tells the model the functions and the format in a
// system message and constrains its output to
//   {"tool_calls": [{"name": "<function>", "arguments": {…}}, …]}   (a call: required, named, or auto)
//   {"content": "<text>"}                                           (an answer: auto only)
// so that a forced call is a call even on a random-weight model. The gateway reads the same
// format back into OpenAI's tool_calls as it streams (ToolOutputParser).
import type { GbnfJsonSchema } from 'node-llama-cpp'
import type { ChatMessage, ToolCall, ToolChoice, ToolDefinition } from './engine.js'
import { InferenceError } from './errors.js'
import { grammarSchema } from './json-schema.js'

/** Calls in one answer when parallel calls are allowed: the grammar's bound. */
export const MAX_PARALLEL_CALLS = 8
export const MAX_TOOLS = 128
const NAME = /^[a-zA-Z0-9_-]{1,64}$/

/** Checks the function set (names, schemas) and the choice; throws INVALID_REQUEST naming the part. */
export function checkTools(tools: readonly ToolDefinition[], choice: ToolChoice | undefined): void {
  if (tools.length > MAX_TOOLS) throw new InferenceError('INVALID_REQUEST', `tools: at most ${MAX_TOOLS} functions`)
  const names = new Set<string>()
  tools.forEach((tool, i) => {
    if (!NAME.test(tool.name)) throw new InferenceError('INVALID_REQUEST', `tools[${i}].function.name must be 1 to 64 letters, digits, _ or -`)
    if (names.has(tool.name)) throw new InferenceError('INVALID_REQUEST', `tools[${i}].function.name ${tool.name} is given twice`)
    names.add(tool.name)
    parametersSchema(tool, i)
  })
  if (typeof choice === 'object' && !names.has(choice.name)) {
    throw new InferenceError('INVALID_REQUEST', `tool_choice names the function ${choice.name}, which is not in tools`)
  }
  if (choice !== undefined && choice !== 'none' && tools.length === 0) {
    throw new InferenceError('INVALID_REQUEST', 'tool_choice needs tools')
  }
}

function parametersSchema(tool: ToolDefinition, index: number): GbnfJsonSchema {
  const parameters = tool.parameters ?? { type: 'object', properties: {} }
  const schema = grammarSchema(parameters, `tools[${index}].function.parameters`)
  if ((schema as { type?: unknown }).type !== 'object') {
    throw new InferenceError('INVALID_REQUEST', `tools[${index}].function.parameters must be a schema of type object`)
  }
  return schema
}

/** The grammar schema of the model's output, or undefined when it answers freely (no tools, or choice none). */
export function toolOutputSchema(tools: readonly ToolDefinition[], choice: ToolChoice = 'auto', parallel = true): GbnfJsonSchema | undefined {
  if (tools.length === 0 || choice === 'none') return undefined
  const chosen = typeof choice === 'object' ? tools.filter((t) => t.name === choice.name) : tools
  const calls = chosen.map((tool) => ({
    type: 'object',
    properties: { name: { const: tool.name }, arguments: parametersSchema(tool, tools.indexOf(tool)) },
  }))
  const callList = {
    type: 'object',
    properties: {
      tool_calls: {
        type: 'array',
        items: calls.length === 1 ? calls[0] : { oneOf: calls },
        minItems: 1,
        maxItems: parallel && typeof choice !== 'object' ? MAX_PARALLEL_CALLS : 1,
      },
    },
  }
  return (choice === 'auto' ? { oneOf: [callList, { type: 'object', properties: { content: { type: 'string' } } }] } : callList) as GbnfJsonSchema
}

/** The system message that tells the model its functions and how to answer. */
export function toolsInstruction(tools: readonly ToolDefinition[], choice: ToolChoice = 'auto'): string {
  const list = tools.map((t) => JSON.stringify({ name: t.name, description: t.description ?? '', parameters: t.parameters ?? { type: 'object', properties: {} } })).join('\n')
  const call = '{"tool_calls": [{"name": "<function name>", "arguments": {<the arguments>}}]}'
  const how = choice === 'auto' ? `Answer in JSON: either call functions with ${call}, or reply to the user with {"content": "<your reply>"}.`
    : typeof choice === 'object' ? `Answer in JSON by calling the function ${choice.name}: ${call}.`
      : `Answer in JSON by calling one or more functions: ${call}.`
  return `You can call these functions:\n${list}\n${how}`
}

/** An assistant message's tool calls as the model would have written them. */
export function toolCallsText(calls: readonly ToolCall[]): string {
  return JSON.stringify({ tool_calls: calls.map((c) => ({ name: c.name, arguments: parseArguments(c.arguments) })) })
}

function parseArguments(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

/** A tool message as the model reads it. */
export function toolResultText(message: ChatMessage): string {
  return `The function call ${message.toolCallId ?? ''} returned: ${message.content}`
}

/** One event read from a constrained answer, in the order OpenAI streams them. */
export type ToolOutputEvent =
  | { type: 'content'; text: string }
  | { type: 'call'; index: number; name: string }
  | { type: 'arguments'; index: number; text: string }

interface Frame {
  kind: 'object' | 'array'
  key?: string
  index: number
  expectKey: boolean
}

/**
 * Reads the format above as it streams: the reply's text (JSON escapes decoded), each call's name
 * once known, then its arguments' JSON text as it arrives. The grammar guarantees the shape; the
 * reader only follows nesting, strings and escapes.
 */
export class ToolOutputParser {
  private readonly stack: Frame[] = []
  private inString = false
  private escape: string | undefined
  private stringText = ''
  private calls = 0

  push(text: string): ToolOutputEvent[] {
    const events: ToolOutputEvent[] = []
    for (const ch of text) this.char(ch, events)
    return merge(events)
  }

  /** Calls read so far. */
  get callCount(): number {
    return this.calls
  }

  /** Inside the arguments value of call i (depth: tool_calls array, call object, then the value). */
  private argumentsOf(): number | undefined {
    const [root, list, call] = this.stack
    if (root?.key !== 'tool_calls' || list?.kind !== 'array' || call?.kind !== 'object') return undefined
    if (this.stack.length >= 4) return call.key === 'arguments' ? list.index : undefined
    return call.key === 'arguments' && !call.expectKey ? list.index : undefined
  }

  private char(ch: string, events: ToolOutputEvent[]): void {
    const before = this.argumentsOf()
    const inReply = this.stack.length === 1 && this.stack[0].key === 'content' && !this.stack[0].expectKey
    if (this.inString) {
      if (before !== undefined) events.push({ type: 'arguments', index: before, text: ch })
      if (this.escape !== undefined) {
        this.escape += ch
        const decoded = decodeEscape(this.escape)
        if (decoded !== undefined) {
          this.escape = undefined
          this.stringText += decoded
          if (inReply) events.push({ type: 'content', text: decoded })
        }
      } else if (ch === '\\') this.escape = ''
      else if (ch === '"') this.endString(events)
      else {
        this.stringText += ch
        if (inReply) events.push({ type: 'content', text: ch })
      }
      return
    }
    const top = this.stack[this.stack.length - 1]
    if (before !== undefined && (this.stack.length >= 4 || !/[\s,}]/.test(ch))) events.push({ type: 'arguments', index: before, text: ch })
    switch (ch) {
      case '"':
        this.inString = true
        this.stringText = ''
        break
      case '{':
        this.stack.push({ kind: 'object', index: 0, expectKey: true })
        break
      case '[':
        this.stack.push({ kind: 'array', index: 0, expectKey: false })
        break
      case '}': case ']':
        this.stack.pop()
        break
      case ',':
        if (top?.kind === 'array') top.index++
        else if (top !== undefined) top.expectKey = true
        break
      case ':':
        if (top !== undefined) top.expectKey = false
        break
      default:
    }
  }

  private endString(events: ToolOutputEvent[]): void {
    this.inString = false
    const top = this.stack[this.stack.length - 1]
    if (top?.kind === 'object' && top.expectKey) {
      top.key = this.stringText
      return
    }
    const [root, list, call] = this.stack
    if (this.stack.length === 3 && root.key === 'tool_calls' && list.kind === 'array' && call.key === 'name') {
      this.calls = list.index + 1
      events.push({ type: 'call', index: list.index, name: this.stringText })
    }
  }
}

function decodeEscape(escape: string): string | undefined {
  if (escape.startsWith('u')) return escape.length === 5 ? String.fromCharCode(parseInt(escape.slice(1), 16)) : undefined
  return ({ n: '\n', t: '\t', r: '\r', b: '\b', f: '\f' } as Record<string, string>)[escape] ?? escape
}

/** Adjacent events of one kind and call, joined. */
function merge(events: ToolOutputEvent[]): ToolOutputEvent[] {
  const out: ToolOutputEvent[] = []
  for (const e of events) {
    const last = out[out.length - 1]
    if (last !== undefined && last.type === e.type && e.type !== 'call' && (e.type === 'content' || (last as { index: number }).index === e.index)) {
      (last as { text: string }).text += (e as { text: string }).text
    } else out.push({ ...e })
  }
  return out
}
