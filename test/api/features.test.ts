// The API features apps built on the SDKs use (structured outputs, tools, logprobs, penalties,
// seeds, embeddings), through the official openai client against the devnet's parts: a gateway
// over MeshClient, the network, and a hoster node on the tiny random-weight model. Every request
// field travels to the hoster in the inference request, and the hoster applies it.
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import OpenAI from 'openai'
import { ApiServer } from '../../src/api/server.js'
import { devSubnet } from '../../src/chain/local/bootstrap.js'
import { LocalChain } from '../../src/chain/local/local-chain.js'
import { LocalChainRuntime } from '../../src/chain/local/runtime.js'
import { MeshClient } from '../../src/client/mesh-client.js'
import { testModelFile } from '../../src/inference/gguf/test-model-file.js'
import { SubnetNode } from '../../src/node/subnet-node.js'
import { generateIdentity, peerIdOf } from '../../src/p2p/keys.js'
import { LOOPBACK } from '../helpers/swarm.js'

let runtime: LocalChainRuntime
let node: SubnetNode
let client: MeshClient
let api: ApiServer
let openai: OpenAI
let url: string
let model: string

before(async () => {
  runtime = new LocalChainRuntime({ params: { epochLength: 20, seed: 'api-features' }, blockTimeMs: 6000 })
  const keys = await Promise.all([generateIdentity(), generateIdentity(), generateIdentity()])
  const clientKey = await generateIdentity()
  const subnet = await devSubnet(runtime, { nodes: keys.map((k, i) => ({ peerId: peerIdOf(k).toString(), ...(i === 0 ? { clientPeerId: peerIdOf(clientKey).toString() } : {}) })) })
  runtime.advance(1)
  node = await SubnetNode.start({
    role: 'hoster', model: testModelFile({ quant: 'q8_0' }), subnetId: subnet.subnetId, identity: keys[0],
    chain: new LocalChain(runtime, { hotkey: subnet.nodes[0].hotkey }), host: { ...LOOPBACK, newSwarm: true }, engine: { threads: 1, parallel: 2 },
  })
  client = await MeshClient.connect({
    subnetId: subnet.subnetId, identity: clientKey, chain: new LocalChain(runtime), initialPeers: [node.host.addresses()[0].toString()], host: LOOPBACK,
    directory: { refreshMs: 500 },
  })
  for (let i = 0; (await client.directory.all()).length === 0; i++) {
    if (i > 100) throw new Error('the hoster heartbeat did not arrive')
    await new Promise((r) => setTimeout(r, 200))
  }
  api = new ApiServer({ backend: client })
  url = await api.listen(0)
  openai = new OpenAI({ baseURL: `${url}/v1`, apiKey: 'none', maxRetries: 0 })
  model = node.engine!.model.name
})

after(async () => {
  await api?.close()
  await client?.close()
  await node?.stop()
  runtime?.stop()
})

const user = (content: string): OpenAI.ChatCompletionMessageParam => ({ role: 'user', content })

const PERSON = {
  type: 'object',
  properties: {
    name: { type: 'string', maxLength: 12 },
    member: { type: 'boolean' },
    color: { type: 'string', enum: ['red', 'green', 'blue'] },
    tags: { type: 'array', items: { type: 'string', maxLength: 6 }, maxItems: 3 },
    pet: { anyOf: [{ type: 'null' }, { type: 'object', properties: { kind: { const: 'cat' } }, required: ['kind'], additionalProperties: false }] },
  },
  required: ['name', 'member', 'color', 'tags', 'pet'],
  additionalProperties: false,
} as const

/** The PERSON schema checked by hand, apart from the code that built the grammar. */
function matchesPerson(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false
  const v = value as Record<string, unknown>
  return Object.keys(v).sort().join() === 'color,member,name,pet,tags' &&
    typeof v.name === 'string' && [...v.name].length <= 12 && typeof v.member === 'boolean' && ['red', 'green', 'blue'].includes(v.color as string) &&
    Array.isArray(v.tags) && v.tags.length <= 3 && v.tags.every((t) => typeof t === 'string' && [...t].length <= 6) &&
    (v.pet === null || (typeof v.pet === 'object' && JSON.stringify(v.pet) === '{"kind":"cat"}'))
}

const WEATHER: OpenAI.ChatCompletionTool = {
  type: 'function',
  function: {
    name: 'get_weather', description: 'the weather in a city',
    parameters: { type: 'object', properties: { city: { type: 'string', maxLength: 16 }, unit: { type: 'string', enum: ['c', 'f'] } }, required: ['city', 'unit'], additionalProperties: false },
    strict: true,
  },
}
const TIME: OpenAI.ChatCompletionTool = { type: 'function', function: { name: 'get_time', description: 'the time now' } }

function functionCall(call: OpenAI.ChatCompletionMessageToolCall): OpenAI.ChatCompletionMessageFunctionToolCall {
  assert.equal(call.type, 'function')
  return call as OpenAI.ChatCompletionMessageFunctionToolCall
}

function checkWeatherArguments(args: string): void {
  const parsed = JSON.parse(args) as { city: unknown; unit: unknown }
  assert.equal(typeof parsed.city, 'string')
  assert.ok(parsed.unit === 'c' || parsed.unit === 'f')
}

describe('structured outputs', () => {
  test('json_schema (strict): the answer parses and matches the schema, for every seed tried', async () => {
    for (let seed = 1; seed <= 4; seed++) {
      const answer = await openai.chat.completions.create({
        model, messages: [user('describe a person')], max_tokens: 300, seed,
        response_format: { type: 'json_schema', json_schema: { name: 'person', schema: PERSON, strict: true } },
      })
      assert.equal(answer.choices[0].finish_reason, 'stop')
      const parsed = JSON.parse(answer.choices[0].message.content!) as unknown
      assert.ok(matchesPerson(parsed), answer.choices[0].message.content!)
    }
  })

  test('json_object, streamed: the deltas add up to a JSON object', async () => {
    let text = ''
    for await (const chunk of await openai.chat.completions.create({ model, messages: [user('json please')], max_tokens: 200, seed: 5, stream: true, response_format: { type: 'json_object' } })) {
      text += chunk.choices[0]?.delta.content ?? ''
    }
    const parsed = JSON.parse(text) as unknown
    assert.ok(typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed), text)
  })
})

describe('tools', () => {
  test('a forced call (required), not streamed: tool_calls with ids, finish_reason tool_calls', async () => {
    const answer = await openai.chat.completions.create({ model, messages: [user('weather in Paris?')], max_tokens: 300, seed: 2, tools: [WEATHER, TIME], tool_choice: 'required' })
    const choice = answer.choices[0]
    assert.equal(choice.finish_reason, 'tool_calls')
    assert.equal(choice.message.content, null)
    const calls = choice.message.tool_calls!
    assert.ok(calls.length >= 1)
    for (const call of calls) {
      assert.equal(call.type, 'function')
      assert.match(call.id, /^call_[0-9a-f]{24}$/)
      assert.ok(['get_weather', 'get_time'].includes(call.function.name))
      if (call.function.name === 'get_weather') checkWeatherArguments(call.function.arguments)
      else assert.deepEqual(JSON.parse(call.function.arguments), {})
    }
    assert.equal(new Set(calls.map((c) => c.id)).size, calls.length)
  })

  test('a named function, streamed as OpenAI streams it (id and name, then argument deltas), parallel_tool_calls false: one call', async () => {
    const ask: OpenAI.ChatCompletionCreateParamsNonStreaming = {
      model, messages: [user('weather?')], max_tokens: 300, seed: 3, tools: [WEATHER, TIME], tool_choice: { type: 'function', function: { name: 'get_weather' } }, parallel_tool_calls: false,
    }
    const whole = await openai.chat.completions.create(ask)
    assert.equal(whole.choices[0].message.tool_calls!.length, 1)
    const streamed = { id: '', name: '', args: '', argumentDeltas: 0, finish: '' as string | null }
    for await (const chunk of await openai.chat.completions.create({ ...ask, stream: true })) {
      const choice = chunk.choices[0]
      if (choice === undefined) continue
      for (const call of choice.delta.tool_calls ?? []) {
        assert.equal(call.index, 0)
        if (call.id !== undefined) {
          assert.equal(streamed.id, '', 'the id comes once')
          streamed.id = call.id
          streamed.name = call.function!.name!
          assert.equal(call.function!.arguments, '')
        } else {
          assert.notEqual(streamed.id, '', 'arguments come after the id and name')
          streamed.args += call.function!.arguments
          streamed.argumentDeltas++
        }
      }
      streamed.finish = choice.finish_reason ?? streamed.finish
    }
    assert.equal(streamed.finish, 'tool_calls')
    assert.equal(streamed.name, 'get_weather')
    assert.match(streamed.id, /^call_/)
    assert.ok(streamed.argumentDeltas > 1)
    // Same seed, same answer: streamed and not.
    assert.equal(streamed.args, functionCall(whole.choices[0].message.tool_calls![0]).function.arguments)
    checkWeatherArguments(streamed.args)
  })

  test('auto: the model calls or replies; a seed where it calls gives the same call streamed and not, one where it replies gives text', async () => {
    let calledSeed: number | undefined
    let repliedSeed: number | undefined
    for (let seed = 1; seed <= 12 && (calledSeed === undefined || repliedSeed === undefined); seed++) {
      const answer: OpenAI.ChatCompletion = await openai.chat.completions.create({ model, messages: [user('weather?')], max_tokens: 150, seed, tools: [WEATHER], tool_choice: 'auto' })
      const choice: OpenAI.ChatCompletion.Choice = answer.choices[0]
      if (choice.message.tool_calls !== undefined) {
        // A call cut short by max_tokens says so, as OpenAI's does.
        assert.ok(choice.finish_reason === 'tool_calls' || choice.finish_reason === 'length')
        if (choice.finish_reason === 'tool_calls') calledSeed ??= seed
      } else {
        assert.equal(typeof choice.message.content, 'string')
        repliedSeed ??= seed
      }
    }
    assert.ok(calledSeed !== undefined && repliedSeed !== undefined, `called with seed ${calledSeed}, replied with ${repliedSeed}`)
    const ask: OpenAI.ChatCompletionCreateParamsNonStreaming = { model, messages: [user('weather?')], max_tokens: 150, seed: calledSeed, tools: [WEATHER], tool_choice: 'auto' }
    const whole = await openai.chat.completions.create(ask)
    let args = ''
    let name = ''
    for await (const chunk of await openai.chat.completions.create({ ...ask, stream: true })) {
      for (const call of chunk.choices[0]?.delta.tool_calls ?? []) {
        name ||= call.function?.name ?? ''
        args += call.function?.arguments ?? ''
      }
    }
    assert.equal(name, 'get_weather')
    assert.equal(args, functionCall(whole.choices[0].message.tool_calls![0]).function.arguments)
  })

  test('a tool-result round trip: the call and its result as history, then an answer', async () => {
    const first = await openai.chat.completions.create({ model, messages: [user('weather in Paris?')], max_tokens: 200, seed: 2, tools: [WEATHER], tool_choice: 'required', parallel_tool_calls: false })
    const call = first.choices[0].message.tool_calls![0] as OpenAI.ChatCompletionMessageFunctionToolCall
    const history: OpenAI.ChatCompletionMessageParam[] = [
      user('weather in Paris?'),
      { role: 'assistant', content: null, tool_calls: [call] },
      { role: 'tool', tool_call_id: call.id, content: '{"temperature": 21}' },
    ]
    const answer = await openai.chat.completions.create({ model, messages: history, max_tokens: 8, temperature: 0, tools: [WEATHER], tool_choice: 'none' })
    assert.ok(answer.choices[0].message.content!.length > 0)
    assert.equal(answer.choices[0].message.tool_calls, undefined)
    // The history reaches the model: another result gives another prompt.
    const other = await openai.chat.completions.create({ model, messages: [...history.slice(0, 2), { role: 'tool', tool_call_id: call.id, content: 'raining hard' }], max_tokens: 8, temperature: 0 })
    assert.notEqual(other.usage!.prompt_tokens, answer.usage!.prompt_tokens)
  })
})

describe('logprobs, penalties, seeds', () => {
  test('chat logprobs with top_logprobs: one per token, each ≤ 0, the top ones sorted; streamed too', async () => {
    const ask: OpenAI.ChatCompletionCreateParamsNonStreaming = { model, messages: [user('hello')], max_tokens: 10, temperature: 0.7, seed: 4, logprobs: true, top_logprobs: 3 }
    const answer = await openai.chat.completions.create(ask)
    const content = answer.choices[0].logprobs!.content!
    assert.equal(content.length, answer.usage!.completion_tokens)
    for (const token of content) {
      assert.ok(token.logprob <= 0)
      assert.deepEqual(token.bytes, [...Buffer.from(token.token)])
      assert.ok(token.top_logprobs.length >= 1 && token.top_logprobs.length <= 3)
      const tops = token.top_logprobs.map((t) => t.logprob)
      assert.ok(tops.every((lp, i) => lp <= 0 && (i === 0 || lp <= tops[i - 1])), JSON.stringify(tops))
      assert.ok(token.logprob <= tops[0] + 1e-9)
    }
    let streamed = 0
    for await (const chunk of await openai.chat.completions.create({ ...ask, stream: true })) streamed += chunk.choices[0]?.logprobs?.content?.length ?? 0
    assert.equal(streamed, content.length)
  })

  test('completions logprobs: tokens, token_logprobs ≤ 0 and top_logprobs in the legacy shape', async () => {
    const answer = await openai.completions.create({ model, prompt: 'the model', max_tokens: 6, temperature: 0, logprobs: 2 })
    const lp = answer.choices[0].logprobs!
    assert.equal(lp.tokens!.length, 6)
    assert.equal(lp.tokens!.join(''), answer.choices[0].text)
    assert.ok(lp.token_logprobs!.every((x) => x <= 0))
    assert.ok(lp.top_logprobs!.every((top) => Object.keys(top).length <= 2 && Object.values(top).every((x) => x <= 0)))
    assert.deepEqual(lp.text_offset!.slice(0, 2), [0, lp.tokens![0].length])
  })

  test('presence and frequency penalties change the answer; a seed of any size reproduces', async () => {
    const ask = (extra: Record<string, unknown>) => openai.completions.create({ model, prompt: 'the', max_tokens: 30, temperature: 0, ...extra })
    const plain = (await ask({})).choices[0].text
    assert.notEqual((await ask({ presence_penalty: 1.5, frequency_penalty: 1 })).choices[0].text, plain)
    for (const seed of [2 ** 40, -7, 9_007_199_254_740_991]) {
      const a = await ask({ temperature: 1, seed })
      const b = await ask({ temperature: 1, seed })
      assert.equal(a.choices[0].text, b.choices[0].text)
    }
  })
})

describe('embeddings through the network', () => {
  test('one unit vector of the model\'s width per input, the same text the same vector, base64 too', async () => {
    const answer = await openai.embeddings.create({ model, input: ['hello world', 'the model', 'hello world'] })
    assert.equal(answer.object, 'list')
    assert.equal(answer.data.length, 3)
    for (const [i, e] of answer.data.entries()) {
      assert.equal(e.index, i)
      assert.equal(e.embedding.length, node.engine!.model.nEmbd)
      assert.ok(Math.abs(Math.hypot(...e.embedding) - 1) < 1e-4)
    }
    assert.deepEqual(answer.data[2].embedding, answer.data[0].embedding)
    assert.notDeepEqual(answer.data[1].embedding, answer.data[0].embedding)
    assert.ok(answer.usage.prompt_tokens > 0)
    // The SDK asks for base64 by default when no format is given and decodes it; ask for floats explicitly too.
    const floats = await openai.embeddings.create({ model, input: 'hello world', encoding_format: 'float' })
    assert.deepEqual(floats.data[0].embedding.map((x) => Math.fround(x)), answer.data[0].embedding.map((x) => Math.fround(x)))
  })
})

describe('400 naming the field for what is not served', () => {
  const post = async (path: string, body: unknown) => {
    const res = await fetch(`${url}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) })
    return { status: res.status, body: await res.json() as { error: { message: string; param: string | null } } }
  }

  test('chat, completions and embeddings fields', async () => {
    const chat = { model, messages: [{ role: 'user', content: 'hi' }] }
    const cases: Array<[string, unknown, string, RegExp]> = [
      ['/v1/chat/completions', { ...chat, n: 2 }, 'n', /n must be 1/],
      ['/v1/chat/completions', { ...chat, logit_bias: { 5: 10 } }, 'logit_bias', /not served/],
      ['/v1/chat/completions', { ...chat, functions: [] }, 'functions', /send tools/],
      ['/v1/chat/completions', { ...chat, frobnicate: true }, 'frobnicate', /not a field this API serves/],
      ['/v1/chat/completions', { ...chat, top_logprobs: 2 }, 'top_logprobs', /needs logprobs/],
      ['/v1/chat/completions', { ...chat, top_logprobs: 21, logprobs: true }, 'top_logprobs', /between 0 and 20/],
      ['/v1/chat/completions', { ...chat, response_format: { type: 'json_schema', json_schema: { name: 'x', schema: { type: 'string', pattern: '^a' } } } },
        'response_format.json_schema.schema', /pattern.*cannot be enforced/],
      ['/v1/chat/completions', { ...chat, response_format: { type: 'yaml' } }, 'response_format.type', /json_schema/],
      ['/v1/chat/completions', { ...chat, tools: [WEATHER], tool_choice: { type: 'function', function: { name: 'nope' } } }, 'tools', /not in tools/],
      ['/v1/chat/completions', { ...chat, tools: [{ type: 'web_search' }] }, 'tools[0]', /only functions/],
      ['/v1/chat/completions', { ...chat, tools: [WEATHER], response_format: { type: 'json_schema', json_schema: { name: 'p', schema: PERSON } } }, 'response_format', /cannot be combined/],
      ['/v1/chat/completions', { ...chat, modalities: ['text', 'audio'] }, 'modalities', /only text/],
      ['/v1/completions', { model, prompt: 'hi', echo: true }, 'echo', /not served/],
      ['/v1/completions', { model, prompt: 'hi', best_of: 3 }, 'best_of', /must be 1/],
      ['/v1/completions', { model, prompt: 'hi', logprobs: 6 }, 'logprobs', /between 0 and 5/],
      ['/v1/completions', { model, prompt: 'hi', suffix: 'end' }, 'suffix', /not served/],
      ['/v1/embeddings', { model, input: [[1, 2, 3]] }, 'input[0]', /token arrays/],
      ['/v1/embeddings', { model, input: 'hi', dimensions: 3 }, 'dimensions', /dimensions/],
      ['/v1/embeddings', { model, input: [] }, 'input', /1 to 64/],
    ]
    for (const [path, body, param, message] of cases) {
      const res = await post(path, body)
      assert.equal(res.status, 400, JSON.stringify(body))
      assert.equal(res.body.error.param, param, JSON.stringify(body))
      assert.match(res.body.error.message, message)
    }
    // Fields that change nothing are accepted.
    assert.equal((await post('/v1/chat/completions', { ...chat, max_tokens: 2, user: 'u1', metadata: { a: 'b' }, store: false, modalities: ['text'] })).status, 200)
  })
})
