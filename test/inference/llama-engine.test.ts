import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdtemp, readFile, truncate, writeFile, copyFile, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { readGgufFileInfo } from 'node-llama-cpp'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { type GenerateChunk, type GenerateRequest, Priority } from '../../src/inference/engine.js'
import { InferenceError } from '../../src/inference/errors.js'
import { writeGguf, gguf } from '../../src/inference/gguf/container.js'
import { describeTestModel } from '../../src/inference/gguf/llama-model.js'
import { buildVocabulary } from '../../src/inference/gguf/vocabulary.js'
import { testModelFile } from '../../src/inference/gguf/test-model-file.js'
import { type LlamaEngine, memoryShortfall, openLlamaEngine } from '../../src/inference/llama-engine.js'

const MODEL = testModelFile({ quant: 'q8_0' })
// Model ids computed by the engines are kept here, not in the user's cache.
const CACHE = await mkdtemp(join(tmpdir(), 'mesh-engine-cache-'))
let engine: LlamaEngine

before(async () => {
  engine = await openLlamaEngine({ model: MODEL, cacheDir: CACHE, threads: 1, parallel: 2 })
})
after(async () => {
  await engine?.close()
})

async function collect(stream: AsyncIterable<GenerateChunk>): Promise<{ chunks: GenerateChunk[]; text: string; last: GenerateChunk }> {
  const chunks: GenerateChunk[] = []
  for await (const chunk of stream) chunks.push(chunk)
  return { chunks, text: chunks.map((c) => c.text).join(''), last: chunks[chunks.length - 1] }
}

const complete = (request: Partial<GenerateRequest> = {}): ReturnType<typeof collect> =>
  collect(engine.generate({ input: { prompt: 'hello world' }, maxTokens: 24, temperature: 0, ...request }))

const code = (c: string) => (err: unknown): boolean => err instanceof InferenceError && err.code === c

test('load: the model identity is the file\'s sha256, with the model\'s dimensions', async () => {
  assert.equal(engine.model.id, createHash('sha256').update(await readFile(MODEL)).digest('hex'))
  assert.equal(engine.model.architecture, 'llama')
  assert.equal(engine.model.nEmbd, 64)
  assert.equal(engine.model.nVocab, 618)
  assert.equal(engine.model.contextLength, 1024)
  assert.equal(engine.model.name, 'mesh-test-tiny-q8_0-seed1')
  assert.equal(engine.detokenize(engine.tokenize('hello world')), 'hello world')
})

test('the challenge vocabulary is every token but the specials and chat markers', () => {
  const vocab = engine.challengeVocabulary()
  assert.equal(vocab.length, 618 - 3 - 3)
  for (const special of [0, 1, 2, 615, 616, 617]) assert.ok(!vocab.includes(special), `${special}`)
  assert.ok(vocab.includes(3) && vocab.includes(614))
})

test('generate streams token by token up to maxTokens, with usage counts', async () => {
  const { chunks, text, last } = await complete()
  assert.ok(chunks.length > 10, `${chunks.length} chunks`)
  assert.equal(last.finish, 'length')
  assert.deepEqual(last.usage, { promptTokens: engine.tokenize('hello world').length + 1, completionTokens: 24 })
  assert.equal(chunks.reduce((n, c) => n + c.tokens, 0), 24)
  assert.ok(chunks.slice(0, -1).every((c) => c.finish === undefined && c.text !== ''))
  assert.ok(text.length > 24, text)
  assert.equal((await complete()).text, text, 'greedy generation repeats itself')
})

test('a seed reproduces a sampled generation; another seed gives another', async () => {
  const sampled = (seed: number): Promise<string> => complete({ temperature: 1, topK: 0, topP: 1, seed }).then((r) => r.text)
  const a = await sampled(5)
  assert.equal(await sampled(5), a)
  assert.notEqual(await sampled(6), a)
  assert.notEqual(await sampled(5), (await complete()).text)
})

test('a stop sequence ends the text before it, with finish stop', async () => {
  const { text } = await complete({ maxTokens: 30 })
  const stop = text.slice(20, 24)
  const stopped = await complete({ maxTokens: 30, stop: ['zzzz-never', stop] })
  assert.equal(stopped.text, text.slice(0, text.indexOf(stop)))
  assert.equal(stopped.last.finish, 'stop')
  assert.ok(stopped.last.usage!.completionTokens < 30)
})

test('a repetition penalty changes what greedy decoding picks', async () => {
  assert.notEqual((await complete({ repeatPenalty: 1.5, maxTokens: 40 })).text, (await complete({ maxTokens: 40 })).text)
})

test('cancelling mid-stream ends the generation at once with finish abort', async () => {
  const controller = new AbortController()
  const chunks: GenerateChunk[] = []
  for await (const chunk of engine.generate({ input: { prompt: 'hello' }, maxTokens: 500, signal: controller.signal })) {
    chunks.push(chunk)
    if (chunks.length === 3) controller.abort()
  }
  const last = chunks[chunks.length - 1]
  assert.equal(last.finish, 'abort')
  assert.ok(last.usage!.completionTokens <= 4, `${last.usage!.completionTokens} tokens`)
  const early = await collect(engine.generate({ input: { prompt: 'hello' }, signal: AbortSignal.abort() }))
  assert.deepEqual(early.chunks.map((c) => c.finish), ['abort'])
})

test('a caller that stops reading frees its sequence for the next requests', async () => {
  for (let i = 0; i < 3; i++) {
    for await (const chunk of engine.generate({ input: { prompt: 'hello' }, maxTokens: 100 })) {
      assert.equal(chunk.finish, undefined)
      break
    }
  }
  const results = await Promise.all([complete(), complete(), complete()])
  assert.ok(results.every((r) => r.last.finish === 'length'))
})

test('chat uses the model\'s template and runs to completion', async () => {
  const messages = [{ role: 'system' as const, content: 'be brief' }, { role: 'user' as const, content: 'hello' }]
  const chat = await collect(engine.generate({ input: { messages }, maxTokens: 16, temperature: 0 }))
  assert.equal(chat.last.finish, 'length')
  // The test model's Zephyr template, rendered by hand: BOS, then the text between the EOS tokens
  // (the markers are user-defined tokens, which the tokenizer matches in plain text too).
  const between = ['<|system|>\nbe brief', '\n<|user|>\nhello', '\n<|assistant|>\n']
  const expected = 1 + between.reduce((n, text) => n + engine.tokenize(text).length, 0) + 2
  assert.equal(chat.last.usage!.promptTokens, expected)
  const plain = await collect(engine.generate({ input: { prompt: 'hello' }, maxTokens: 16, temperature: 0 }))
  assert.notEqual(chat.text, plain.text)
})

test('continueFrom: a response cut short and continued elsewhere is the same response', async () => {
  const cases = [{ prompt: 'hello world' }, { messages: [{ role: 'user' as const, content: 'hello' }] }]
  for (const input of cases) {
    const whole = await collect(engine.generate({ input, maxTokens: 16, temperature: 0 }))
    const head = await collect(engine.generate({ input, maxTokens: 6, temperature: 0 }))
    const rest = await collect(engine.generate({ input, continueFrom: head.text, maxTokens: 10, temperature: 0 }))
    assert.equal(head.text + rest.text, whole.text, JSON.stringify(input))
  }
})

test('concurrent requests all complete, more than there are sequences', async () => {
  const results = await Promise.all(Array.from({ length: 6 }, (_, i) => complete({ temperature: 0.9, seed: i, maxTokens: 16 })))
  for (const r of results) assert.deepEqual(r.last.usage, { promptTokens: 3, completionTokens: 16 })
  const stats = engine.stats()
  assert.equal(stats.queueLength, 0)
  assert.ok(stats.tokensServed >= 96 && stats.tokensPerSecond > 0)
})

test('bad requests are refused with INVALID_REQUEST or PROMPT_TOO_LONG', async () => {
  for (const bad of [{ maxTokens: 0 }, { temperature: -1 }, { topP: 0 }, { topK: 1.5 }, { seed: -3 }, { stop: [''] }, { repeatPenalty: 0 }]) {
    await assert.rejects(complete(bad), code('INVALID_REQUEST'), JSON.stringify(bad))
  }
  await assert.rejects(collect(engine.generate({ input: { messages: [] } })), code('INVALID_REQUEST'))
  await assert.rejects(complete({ input: { prompt: 'hello '.repeat(1100) } }), code('PROMPT_TOO_LONG'))
  await assert.rejects(engine.hiddenState([]), code('INVALID_REQUEST'))
  await assert.rejects(engine.hiddenState([5, 618]), /token id 618 is not in the vocabulary/)
  await assert.rejects(engine.hiddenState([5, 1.5]), code('INVALID_REQUEST'))
})

test('the hidden state: n_embd floats, deterministic across runs and thread counts, input-dependent', async () => {
  const tokens = Array.from({ length: 32 }, (_, i) => 3 + ((i * 37) % 600))
  const a = await engine.hiddenState(tokens)
  assert.ok(a instanceof Float32Array)
  assert.equal(a.length, 64)
  assert.ok(a.every(Number.isFinite) && a.some((x) => x !== 0))
  assert.deepEqual(await engine.hiddenState(tokens), a)
  assert.notDeepEqual(await engine.hiddenState([...tokens.slice(0, 31), tokens[31] + 1]), a)
  const [, withGeneration] = await Promise.all([complete(), engine.hiddenState(tokens)])
  assert.deepEqual(withGeneration, a, 'concurrent generation does not disturb it')
  const other = await openLlamaEngine({ model: MODEL, cacheDir: CACHE, threads: 2, parallel: 1 })
  try {
    assert.deepEqual(await other.hiddenState(tokens), a)
  } finally {
    await other.close()
  }
})

test('the hidden state is the last token\'s final (normed, unpooled) state: the output layer maps it to the next token', async () => {
  const path = testModelFile({ quant: 'f32' })
  const f32 = await openLlamaEngine({ model: path, cacheDir: CACHE, threads: 1, parallel: 1 })
  try {
    const prompt = 'the model said hello to the'
    const h = await f32.hiddenState(f32.tokenize(prompt))
    const first = (await collect(f32.generate({ input: { prompt }, maxTokens: 1, temperature: 0 }))).text
    // logits = output.weight · h; the greedy next token is their argmax.
    const info = await readGgufFileInfo(path, { readTensorInfo: true, logWarnings: false, sourceType: 'filesystem' })
    const output = info.tensorInfo!.find((t) => t.name === 'output.weight')!
    const bytes = await readFile(path)
    const nVocab = f32.model.nVocab
    const w = new Float32Array(bytes.buffer.slice(bytes.byteOffset + Number(output.fileOffset), bytes.byteOffset + Number(output.fileOffset) + nVocab * 64 * 4))
    let best = 0
    let bestLogit = -Infinity
    for (let token = 0; token < nVocab; token++) {
      let logit = 0
      for (let i = 0; i < 64; i++) logit += w[token * 64 + i] * h[i]
      if (logit > bestLogit) [best, bestLogit] = [token, logit]
    }
    assert.equal(buildVocabulary().tokens[best].replace('\u2581', ' '), first)
  } finally {
    await f32.close()
  }
})

test('queue: a challenge queued behind client requests runs first; a full queue refuses clients; close ends all', async () => {
  const solo = await openLlamaEngine({ model: MODEL, cacheDir: CACHE, threads: 1, parallel: 1, maxQueue: 2 })
  try {
    const started: string[] = []
    const run = async (name: string, priority: Priority): Promise<GenerateChunk> => {
      let last!: GenerateChunk
      for await (const chunk of solo.generate({ input: { prompt: 'hello' }, maxTokens: 4, priority })) {
        if (last === undefined) started.push(name)
        last = chunk
      }
      return last
    }
    // The first client holds the only sequence while it is not read.
    const holder = solo.generate({ input: { prompt: 'hello' }, maxTokens: 8 })[Symbol.asyncIterator]()
    await holder.next()
    const client1 = run('client 1', Priority.Client)
    const client2 = run('client 2', Priority.Client)
    await assert.rejects(run('client 3', Priority.Client), code('QUEUE_FULL'))
    const challenge = run('challenge', Priority.Challenge) // takes client 2's place
    await assert.rejects(client2, code('QUEUE_FULL'))
    assert.equal(solo.stats().queueLength, 2)
    while ((await holder.next()).done !== true);
    await Promise.all([client1, challenge])
    assert.deepEqual(started, ['challenge', 'client 1'])
    // Closing the engine ends a generation in progress (finish abort) and fails what waits.
    const open = solo.generate({ input: { prompt: 'hello' }, maxTokens: 100 })[Symbol.asyncIterator]()
    await open.next()
    const waiting = assert.rejects(run('client 4', Priority.Client), code('ENGINE_CLOSED'))
    await solo.close()
    await waiting
    let last = await open.next()
    while (last.value?.finish === undefined) last = await open.next()
    assert.equal(last.value.finish, 'abort')
    assert.equal((await open.next()).done, true)
  } finally {
    await solo.close()
  }
  await assert.rejects(collect(solo.generate({ input: { prompt: 'hello' } })), code('ENGINE_CLOSED'))
  await assert.rejects(solo.hiddenState([5]), code('ENGINE_CLOSED'))
})

test('bad model files and bad options each fail with a clear error', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mesh-engine-'))
  const notGguf = join(dir, 'notes.gguf')
  await writeFile(notGguf, 'these are not weights\n')
  const gpt2 = join(dir, 'gpt2.gguf')
  const model = describeTestModel()
  writeGguf(gpt2, { ...model, metadata: model.metadata.map(([k, v]) => [k, k === 'general.architecture' ? gguf.str('gpt2') : v]) })
  const truncated = join(dir, 'truncated.gguf')
  await copyFile(MODEL, truncated)
  await truncate(truncated, Math.floor((await stat(MODEL)).size * 0.6))
  const headerOnly = join(dir, 'header.gguf')
  await copyFile(MODEL, headerOnly)
  await truncate(headerOnly, 100)
  const cases: Array<[string, string, RegExp]> = [
    [join(dir, 'missing.gguf'), 'MODEL_NOT_FOUND', /does not exist.*hf:owner\/repo:quant/],
    [dir, 'MODEL_NOT_FOUND', /is not a file/],
    [notGguf, 'MODEL_NOT_GGUF', /is not a GGUF model file/],
    [gpt2, 'MODEL_UNSUPPORTED_ARCHITECTURE', /"gpt2" model, not a Llama-family one/],
    [truncated, 'MODEL_CORRUPT', /is truncated: tensor .* ends at byte/],
    [headerOnly, 'MODEL_CORRUPT', /is truncated/],
    ['hf:nobody/no-such-model:Q4_0', 'MODEL_DOWNLOAD_FAILED', /cannot fetch model hf:nobody\/no-such-model:Q4_0.*pass its path/],
  ]
  for (const bad of [{ device: 'tpu' as 'cpu' }, { threads: 0 }, { parallel: 1.5 }, { maxQueue: -1 }, { contextSize: 0 }]) {
    await assert.rejects(openLlamaEngine({ model: MODEL, cacheDir: CACHE, ...bad }), code('INVALID_REQUEST'), JSON.stringify(bad))
  }
  for (const [path, expected, message] of cases) {
    await assert.rejects(openLlamaEngine({ model: path, cacheDir: join(dir, 'cache') }),
      (err: unknown) => err instanceof InferenceError && err.code === expected && message.test(err.message), path)
  }
})

test('a context larger than the memory is refused with OUT_OF_MEMORY before it is allocated', async () => {
  // A model claiming 2^27 tokens of context: its KV cache alone would be tens of GiB.
  const long = testModelFile({ contextLength: 2 ** 27 })
  const started = performance.now()
  await assert.rejects(openLlamaEngine({ model: long, cacheDir: CACHE, contextSize: 2 ** 27, parallel: 4 }),
    (err: unknown) => err instanceof InferenceError && err.code === 'OUT_OF_MEMORY' && /needs .* GiB of RAM \(.* GiB free\)/.test(err.message) &&
      /smaller context size/.test(err.fix ?? ''))
  assert.ok(performance.now() - started < 60_000)
  // the same model with a context that fits loads
  const engine = await openLlamaEngine({ model: long, cacheDir: CACHE, contextSize: 512, parallel: 1 })
  await engine.close()
})

test('GPU memory is checked like RAM: the shortfall names what is missing and what is free', () => {
  const GiB = 2 ** 30
  assert.equal(memoryShortfall({ ram: 1 * GiB, freeRam: 8 * GiB, vram: 10 * GiB, freeVram: 139 * GiB }), null)
  assert.equal(memoryShortfall({ ram: 1 * GiB, freeRam: 8 * GiB, vram: 150 * GiB, freeVram: 139 * GiB }), '150.0 GiB of GPU memory (139.0 GiB free)')
  assert.equal(memoryShortfall({ ram: 9 * GiB, freeRam: 8 * GiB, vram: 0, freeVram: 0 }), '9.0 GiB of RAM (8.0 GiB free)')
})

test('the engine prints nothing of its own on stdout or stderr (llama.cpp logs go to the logger), also after another engine closed', async () => {
  const engineModule = new URL('../../src/inference/llama-engine.js', import.meta.url).href
  const script = `
    const { openLlamaEngine } = await import(${JSON.stringify(engineModule)})
    const open = () => openLlamaEngine({ model: ${JSON.stringify(MODEL)}, cacheDir: ${JSON.stringify(CACHE)}, threads: 1, parallel: 1 })
    const [engine, other] = await Promise.all([open(), open()])
    await other.close()
    for await (const chunk of engine.generate({ input: { prompt: 'hello' }, maxTokens: 4 })) void chunk
    await engine.hiddenState([5, 6, 7])
    await engine.close()`
  const file = join(await mkdtemp(join(tmpdir(), 'mesh-engine-')), 'serve.mjs')
  await writeFile(file, script)
  const { stdout, stderr } = await promisify(execFile)(process.execPath, [file], {
    env: { ...process.env, MESH_LOG_LEVEL: 'debug' },
    timeout: 120_000,
  })
  assert.equal(stdout, '')
  assert.match(stderr, /inference:engine: model ready/)
  for (const line of stderr.trim().split('\n')) assert.match(line, /^\d{4}-\d\d-\d\dT[\d:.]+Z (DEBUG|INFO|WARN|ERROR) /)
})
