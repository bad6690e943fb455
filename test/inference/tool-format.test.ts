import { test } from 'node:test'
import assert from 'node:assert/strict'
import { InferenceError } from '../../src/inference/errors.js'
import { grammarSchema } from '../../src/inference/json-schema.js'
import { checkTools, ToolOutputParser, type ToolOutputEvent, toolOutputSchema } from '../../src/inference/tool-format.js'

/** Feeds `text` in pieces of `size` characters and joins what the parser reads. */
function read(text: string, size: number): { content: string; calls: Array<{ name: string; args: string }>; events: ToolOutputEvent[] } {
  const parser = new ToolOutputParser()
  const events: ToolOutputEvent[] = []
  for (let i = 0; i < text.length; i += size) events.push(...parser.push(text.slice(i, i + size)))
  const calls: Array<{ name: string; args: string }> = []
  let content = ''
  for (const e of events) {
    if (e.type === 'content') content += e.text
    else if (e.type === 'call') calls[e.index] = { name: e.name, args: '' }
    else calls[e.index].args += e.text
  }
  return { content, calls, events }
}

test('the calling format is read back as it streams, whatever the pieces: names first, then arguments as JSON text', () => {
  const text = '{ "tool_calls": [ {"name": "get_weather", "arguments": {"city": "Pa\\"ris, \\u00e9", "n": [1, {"x": "}"}]} },\n {"name":"noop","arguments":{}} ] }\n\n\n\n'
  for (const size of [1, 3, 7, text.length]) {
    const { content, calls, events } = read(text, size)
    assert.equal(content, '')
    assert.deepEqual(calls.map((c) => c.name), ['get_weather', 'noop'])
    assert.deepEqual(JSON.parse(calls[0].args), { city: 'Pa"ris, é', n: [1, { x: '}' }] })
    assert.equal(calls[1].args, '{}')
    // A call's name comes before any of its arguments.
    assert.ok(events.findIndex((e) => e.type === 'call' && e.index === 1) < events.findIndex((e) => e.type === 'arguments' && e.index === 1))
  }
})

test('a reply under auto is its text, JSON escapes decoded', () => {
  for (const size of [1, 2, 50]) {
    assert.equal(read('{"content": "line\\none \\"quoted\\" \\u00e9\\\\"}', size).content, 'line\none "quoted" é\\')
  }
})

test('the output schema: required and named calls are calls; auto may reply; none leaves the answer free', () => {
  const tools = [{ name: 'f', parameters: { type: 'object', properties: { a: { type: 'string' } } } }, { name: 'g' }]
  assert.equal(toolOutputSchema(tools, 'none'), undefined)
  const required = toolOutputSchema(tools, 'required', false) as unknown as { properties: { tool_calls: { maxItems: number; items: { oneOf: unknown[] } } } }
  assert.equal(required.properties.tool_calls.maxItems, 1)
  assert.equal(required.properties.tool_calls.items.oneOf.length, 2)
  const named = toolOutputSchema(tools, { name: 'g' }) as unknown as { properties: { tool_calls: { items: { properties: { name: unknown } } } } }
  assert.deepEqual(named.properties.tool_calls.items.properties.name, { const: 'g' })
  assert.equal((toolOutputSchema(tools, 'auto') as { oneOf: unknown[] }).oneOf.length, 2)
})

test('function sets and schemas a grammar cannot hold are refused, naming the part', () => {
  const refused = (run: () => unknown, message: RegExp) => assert.throws(run, (err: unknown) => err instanceof InferenceError && err.code === 'INVALID_REQUEST' && message.test(err.message))
  refused(() => checkTools([{ name: 'bad name' }], undefined), /tools\[0\]\.function\.name/)
  refused(() => checkTools([{ name: 'f' }, { name: 'f' }], undefined), /given twice/)
  refused(() => checkTools([{ name: 'f' }], { name: 'g' }), /not in tools/)
  refused(() => checkTools([{ name: 'f', parameters: { type: 'string' } }], undefined), /must be a schema of type object/)
  refused(() => grammarSchema({ type: 'string', pattern: 'a+' }, 's'), /s\.pattern: .*cannot be enforced/)
  refused(() => grammarSchema({ type: 'integer', minimum: 3 }, 's'), /s\.minimum/)
  refused(() => grammarSchema({ type: 'object', properties: { a: { allOf: [] } } }, 's'), /s\.properties\.a\.allOf/)
  refused(() => grammarSchema({ $ref: '#/$defs/missing' }, 's'), /missing is referenced but not defined/)
  refused(() => grammarSchema({ type: 'string', enum: ['a', 1] }, 's'), /1 is not of type string/)
  refused(() => grammarSchema({ type: 'object', properties: { a: { type: 'string', minLength: 1.5 } } }, 's'), /minLength/)
  let deep: unknown = { type: 'string' }
  for (let i = 0; i < 40; i++) deep = { type: 'array', items: deep }
  refused(() => grammarSchema(deep, 's'), /deeper than/)
  // What schemas usually say is kept: enum with its type, anyOf, $defs.
  assert.deepEqual(grammarSchema({ type: 'string', enum: ['a', 'b'], description: 'x' }, 's'), { enum: ['a', 'b'] })
  assert.deepEqual(grammarSchema({ anyOf: [{ type: 'null' }, { $ref: '#/$defs/p' }], $defs: { p: { type: 'integer' } } }, 's'),
    { oneOf: [{ type: 'null' }, { $ref: '#/$defs/p' }], $defs: { p: { type: 'integer' } } })
})
