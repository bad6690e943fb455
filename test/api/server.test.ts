import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import OpenAI from 'openai'
import { ApiServer } from '../../src/api/server.js'
import { EngineBackend } from '../../src/api/engine-backend.js'
import { testModelFile } from '../../src/inference/gguf/test-model-file.js'
import { type LlamaEngine, openLlamaEngine } from '../../src/inference/llama-engine.js'

let engine: LlamaEngine
let model: string

before(async () => {
  engine = await openLlamaEngine({ model: testModelFile({ quant: 'q8_0' }), threads: 1, parallel: 2 })
  model = engine.model.name
})
after(async () => {
  await engine?.close()
})

async function withServer(options: Partial<ConstructorParameters<typeof ApiServer>[0]>, run: (url: string) => Promise<void>): Promise<void> {
  const server = new ApiServer({ backend: new EngineBackend(engine), ...options })
  const url = await server.listen(0)
  try {
    await run(url)
  } finally {
    await server.close()
  }
}

const client = (url: string, apiKey = 'none'): OpenAI => new OpenAI({ baseURL: `${url}/v1`, apiKey, maxRetries: 0 })

describe('the official openai client', () => {
  test('lists the model', async () => {
    await withServer({}, async (url) => {
      const list = await client(url).models.list()
      assert.deepEqual(list.data.map((m) => m.id), [model])
      assert.equal(list.data[0].object, 'model')
    })
  })

  test('chat completion, not streamed, with usage and a seed that reproduces', async () => {
    await withServer({}, async (url) => {
      const ask = () => client(url).chat.completions.create({ model, messages: [{ role: 'user', content: 'hello' }], max_tokens: 12, temperature: 0.9, seed: 7 })
      const first = await ask()
      assert.equal(first.object, 'chat.completion')
      assert.equal(first.choices.length, 1)
      assert.equal(first.choices[0].message.role, 'assistant')
      assert.ok(first.choices[0].message.content!.length > 0)
      assert.ok(['stop', 'length'].includes(first.choices[0].finish_reason))
      assert.ok(first.usage!.prompt_tokens > 0)
      assert.ok(first.usage!.completion_tokens > 0 && first.usage!.completion_tokens <= 12)
      assert.equal(first.usage!.total_tokens, first.usage!.prompt_tokens + first.usage!.completion_tokens)
      assert.equal((await ask()).choices[0].message.content, first.choices[0].message.content)
    })
  })

  test('chat completion streamed: deltas add up to the text, then usage, then [DONE]', async () => {
    await withServer({}, async (url) => {
      const stream = await client(url).chat.completions.create({
        model, messages: [{ role: 'user', content: 'hello' }], max_tokens: 10, temperature: 0, stream: true, stream_options: { include_usage: true },
      })
      let text = ''
      let finish: string | null = null
      let usage: OpenAI.CompletionUsage | undefined
      let roles = 0
      for await (const chunk of stream) {
        assert.equal(chunk.object, 'chat.completion.chunk')
        if (chunk.usage) usage = chunk.usage
        const choice = chunk.choices[0]
        if (choice === undefined) continue
        if (choice.delta.role === 'assistant') roles++
        text += choice.delta.content ?? ''
        finish = choice.finish_reason ?? finish
      }
      assert.equal(roles, 1)
      assert.ok(finish === 'length' || finish === 'stop')
      if (finish === 'length') assert.equal(usage!.completion_tokens, 10)
      else assert.ok(usage!.completion_tokens <= 10)
      const whole = await client(url).chat.completions.create({ model, messages: [{ role: 'user', content: 'hello' }], max_tokens: 10, temperature: 0 })
      assert.equal(text, whole.choices[0].message.content)
    })
  })

  test('text completion, streamed and not, with max_tokens and stop', async () => {
    await withServer({}, async (url) => {
      const whole = await client(url).completions.create({ model, prompt: 'the model', max_tokens: 8, temperature: 0 })
      assert.equal(whole.object, 'text_completion')
      assert.equal(whole.usage!.completion_tokens, 8)
      assert.equal(whole.choices[0].finish_reason, 'length')
      let streamed = ''
      for await (const chunk of await client(url).completions.create({ model, prompt: 'the model', max_tokens: 8, temperature: 0, stream: true })) {
        streamed += chunk.choices[0]?.text ?? ''
      }
      assert.equal(streamed, whole.choices[0].text)
      const stop = whole.choices[0].text.slice(2, 4)
      const stopped = await client(url).completions.create({ model, prompt: 'the model', max_tokens: 8, temperature: 0, stop: [stop] })
      assert.equal(stopped.choices[0].finish_reason, 'stop')
      assert.ok(!stopped.choices[0].text.includes(stop))
    })
  })
})

describe('errors in the OpenAI shape', () => {
  const post = async (url: string, path: string, body: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${url}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) })
    return { status: res.status, body: await res.json() as { error: { message: string; type: string; param: string | null; code: string } }, headers: res.headers }
  }

  test('400 names the field', async () => {
    await withServer({}, async (url) => {
      const base = { model, messages: [{ role: 'user', content: 'hi' }] }
      const cases: Array<[unknown, string | null, RegExp]> = [
        ['{not json', null, /not valid JSON/],
        [[1, 2], null, /JSON object/],
        [{ messages: base.messages }, 'model', /model is required/],
        [{ model, messages: [] }, 'messages', /non-empty array/],
        [{ model, messages: [{ role: 'function', content: 'x' }] }, 'messages[0].role', /role must be/],
        [{ model, messages: [{ role: 'tool', content: 'x' }] }, 'messages[0].tool_call_id', /tool_call_id/],
        [{ model, messages: [{ role: 'user', content: [{ type: 'image_url' }] }] }, 'messages[0].content[0]', /only text/],
        [{ ...base, temperature: 3 }, 'temperature', /between 0 and 2/],
        [{ ...base, top_p: 'x' }, 'top_p', /must be a number/],
        [{ ...base, max_tokens: 0 }, 'max_tokens', /between 1 and/],
        [{ ...base, max_tokens: 1.5 }, 'max_tokens', /integer/],
        [{ ...base, n: 2 }, 'n', /n must be 1/],
        [{ ...base, stop: ['a', 'b', 'c', 'd', 'e'] }, 'stop', /up to 4/],
        [{ ...base, seed: 'x' }, 'seed', /must be an integer/],
        [{ ...base, stream: 'yes' }, 'stream', /boolean/],
        [{ ...base, frequency_penalty: 3 }, 'frequency_penalty', /between -2 and 2/],
        [{ ...base, seed: 1.5 }, 'seed', /integer/],
      ]
      for (const [body, param, message] of cases) {
        const res = await post(url, '/v1/chat/completions', body)
        assert.equal(res.status, 400, JSON.stringify(body))
        assert.equal(res.body.error.type, 'invalid_request_error')
        assert.equal(res.body.error.param, param, JSON.stringify(body))
        assert.match(res.body.error.message, message)
      }
      const prompt = await post(url, '/v1/completions', { model, prompt: 42 })
      assert.equal(prompt.body.error.param, 'prompt')
    })
  })

  test('404 for an unknown model and an unknown route; 413 for an oversized body', async () => {
    await withServer({}, async (url) => {
      const res = await post(url, '/v1/chat/completions', { model: 'gpt-4', messages: [{ role: 'user', content: 'hi' }] })
      assert.equal(res.status, 404)
      assert.equal(res.body.error.code, 'model_not_found')
      assert.match(res.body.error.message, new RegExp(`lists ${model}`))
      const route = await fetch(`${url}/v1/images/generations`, { method: 'POST' })
      assert.equal(route.status, 404)
      const big = await post(url, '/v1/completions', { model, prompt: 'x'.repeat(2 << 20) })
      assert.equal(big.status, 413)
    })
  })

  test('a prompt longer than the context is the caller\'s error: 400 context_length_exceeded (found by the endpoint fuzz)', async () => {
    await withServer({}, async (url) => {
      for (const [path, body] of [
        ['/v1/completions', { model, prompt: 'word '.repeat(5000) }],
        ['/v1/chat/completions', { model, messages: [{ role: 'user', content: 'word '.repeat(5000) }], stream: true }],
      ] as const) {
        const res = await post(url, path, body)
        assert.equal(res.status, 400, path)
        assert.equal(res.body.error.code, 'context_length_exceeded')
        assert.match(res.body.error.message, /the context holds/)
      }
    })
  })

  test('API keys: 401 without a valid key, served with one', async () => {
    await withServer({ apiKeys: new Set(['sk-good']) }, async (url) => {
      await assert.rejects(client(url, 'sk-bad').models.list(), (err: unknown) => err instanceof OpenAI.AuthenticationError)
      const none = await fetch(`${url}/v1/models`)
      assert.equal(none.status, 401)
      assert.equal((await client(url, 'sk-good').models.list()).data.length, 1)
    })
  })

  test('an open gateway limits by address: a fresh bearer token each request gets no fresh bucket', async () => {
    await withServer({ rateLimit: { perSecond: 0.5, burst: 2 } }, async (url) => {
      const statuses: number[] = []
      for (let i = 0; i < 3; i++) statuses.push((await fetch(`${url}/v1/models`, { headers: { Authorization: `Bearer attacker-${i}` } })).status)
      assert.deepEqual(statuses, [200, 200, 429])
    })
  })

  test('429 with Retry-After over the per-key rate limit', async () => {
    await withServer({ rateLimit: { perSecond: 0.5, burst: 2 }, apiKeys: new Set(['k1', 'k2']) }, async (url) => {
      const statuses: number[] = []
      let retryAfter: string | null = null
      for (let i = 0; i < 3; i++) {
        const res = await fetch(`${url}/v1/models`, { headers: { Authorization: 'Bearer k1' } })
        statuses.push(res.status)
        if (res.status === 429) {
          retryAfter = res.headers.get('retry-after')
          assert.equal(((await res.json()) as { error: { type: string } }).error.type, 'rate_limit_error')
        }
      }
      assert.deepEqual(statuses, [200, 200, 429])
      assert.equal(retryAfter, '2')
      // Another key has its own bucket.
      assert.equal((await fetch(`${url}/v1/models`, { headers: { Authorization: 'Bearer k2' } })).status, 200)
    })
  })
})

test('a client that goes away cancels its generation', async () => {
  await withServer({}, async (url) => {
    const served = engine.stats().tokensServed
    const abort = new AbortController()
    const stream = await client(url).chat.completions.create(
      { model, messages: [{ role: 'user', content: 'hello' }], max_tokens: 2000, seed: 1, stream: true }, { signal: abort.signal })
    let chunks = 0
    for await (const _chunk of stream) if (++chunks === 3) abort.abort() // the SDK ends the stream quietly
    assert.equal(chunks, 3)
    // The engine stops long before 2000 tokens and is free for the next request.
    const next = await client(url).completions.create({ model, prompt: 'hi', max_tokens: 4, temperature: 0 })
    assert.equal(next.usage!.completion_tokens, 4)
    assert.ok(engine.stats().tokensServed - served < 1000, `served ${engine.stats().tokensServed - served} tokens`)
  })
})
