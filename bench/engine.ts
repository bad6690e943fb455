// The inference engine on a random-weight model (TinyLlama-shaped Q4_0 by default, generated once
// into .cache/models): prompt and generation throughput with 1 and several streams batched, time to
// first token, the consensus output time, and the memory bandwidth bound on generation (each
// generated token reads every weight once: tokens/s ≤ bandwidth ÷ model bytes): on the CPU this
// machine's read bandwidth, measured here; on a GPU the GPU's, given with --bandwidth-gbs (measured
// by scripts/gpu/device.sh with a device-to-device copy). On a GPU the figures are set beside
// llama.cpp's own, measured on the same H200 with the llama.cpp release node-llama-cpp bundles.
// Options: --device cpu|cuda|… (default cpu), --shape tinyllama|llama8b, --quant q4_0|q8_0|f16|f32,
// --threads N (default: the engine's), --tokens N (generated a stream, default 48), --streams 1,4,…
// (default 1,4 on the CPU, 1,4,16,64 on a GPU), --flash-attention on|off (default: the engine's),
// --bandwidth-gbs N,
// --diagnose (decode calls, batch sizes and sampling time, read from node-llama-cpp's internals).
import { statSync } from 'node:fs'
import { randomInt } from 'node:crypto'
import { Priority, type GenerateChunk } from '../src/inference/engine.js'
import { TEST_MODEL_QUANTS, TEST_MODEL_SHAPES, type TestModelQuant, type TestModelShape } from '../src/inference/gguf/llama-model.js'
import { testModelFile } from '../src/inference/gguf/test-model-file.js'
import { openLlamaEngine, type LlamaEngine } from '../src/inference/llama-engine.js'
import { defaultThreads, DEVICES, type Device } from '../src/inference/llama-runtime.js'
import { measureReadBandwidth } from './lib/memory-bandwidth.js'
import { choice, positiveOption } from './lib/options.js'

export const description = 'node-llama-cpp engine on a random-weight TinyLlama- or 8B-shaped model: throughput against the memory bandwidth bound and llama.cpp\'s own figures'

const ROUNDS = 3

/** llama.cpp's own tokens/s on the GPU machine's H200 (llama-bench / llama-batched-bench, sm_90 build). */
const LLAMA_CPP_H200: Partial<Record<TestModelShape, { oneStream: number; streams64?: number }>> = {
  tinyllama: { oneStream: 911 },
  llama8b: { oneStream: 354, streams64: 5278 },
}

const SHAPE_NAMES: Partial<Record<TestModelShape, string>> = {
  tinyllama: 'tinyllama (22 layers × 2048, 32000 vocabulary)',
  llama8b: 'llama8b (32 layers × 4096, 8 KV heads, 14336 FFN, 32000 vocabulary)',
}

function option(args: string[], name: string, fallback: number): number {
  const at = args.indexOf(`--${name}`)
  if (at < 0) return fallback
  const value = Number(args[at + 1])
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} takes a positive integer`)
  return value
}

/** A prompt of `n` words the engine has not seen (so no cached prefix helps). */
function freshPrompt(engine: LlamaEngine, n: number): string {
  const vocab = engine.challengeVocabulary().filter((id) => id > 258) // pieces, not bytes
  return Array.from({ length: n }, () => engine.detokenize([vocab[randomInt(vocab.length)]])).join(' ')
}

interface Timed { started: number; tokenTimes: number[]; last: GenerateChunk }

async function timedGenerate(engine: LlamaEngine, prompt: string, maxTokens: number): Promise<Timed> {
  const started = performance.now()
  const tokenTimes: number[] = []
  let last!: GenerateChunk
  for await (const chunk of engine.generate({ input: { prompt }, maxTokens, temperature: 0, priority: Priority.Client })) {
    const now = performance.now()
    for (let i = 0; i < chunk.tokens; i++) tokenTimes.push(now)
    last = chunk
  }
  return { started, tokenTimes, last }
}

/** Tokens a second after the first token (which includes the prompt's evaluation). */
function generationRate(t: Timed): number {
  const n = t.tokenTimes.length
  return (n - 1) / ((t.tokenTimes[n - 1] - t.tokenTimes[0]) / 1000)
}

/** Tokens a second of all streams together, while every one of them is generating. */
function concurrentRate(streams: Timed[]): number {
  const from = Math.max(...streams.map((t) => t.tokenTimes[0]))
  const to = Math.min(...streams.map((t) => t.tokenTimes[t.tokenTimes.length - 1]))
  const tokens = streams.reduce((n, t) => n + t.tokenTimes.filter((x) => x > from && x <= to).length, 0)
  return tokens / ((to - from) / 1000)
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)]
}

const round = (x: number, digits = 1): number => Number(x.toFixed(digits))

/**
 * Counts what node-llama-cpp's batch loop does, by wrapping its native context (a private field:
 * for this benchmark's diagnosis only): decode calls, tokens a call, time in decode and in sampling.
 */
function diagnose(engine: LlamaEngine): () => Record<string, number> {
  const context = (engine as unknown as { context: { _ctx: Record<string, unknown> } }).context
  const native = context._ctx
  let decodes = 0
  let tokens = 0
  let decodeMs = 0
  let samples = 0
  let sampleMs = 0
  const wrapped: Record<string, unknown> = {
    initBatch: (n: number) => { decodes++; tokens += n; return (native.initBatch as (n: number) => unknown).call(native, n) },
    decodeBatch: async () => {
      const t = performance.now()
      try { return await (native.decodeBatch as () => Promise<unknown>).call(native) } finally { decodeMs += performance.now() - t }
    },
    sampleToken: async (...a: unknown[]) => {
      const t = performance.now()
      try { return await (native.sampleToken as (...a: unknown[]) => Promise<unknown>).apply(native, a) } finally { samples++; sampleMs += performance.now() - t }
    },
  }
  context._ctx = new Proxy(native, {
    get: (target, key: string) => wrapped[key] ?? (typeof target[key] === 'function' ? (target[key] as (...a: unknown[]) => unknown).bind(target) : target[key]),
  })
  return () => {
    const out = { decodes, tokensPerDecode: round(tokens / Math.max(1, decodes), 2), decodeMs: round(decodeMs), samples, sampleMsEach: round(sampleMs / Math.max(1, samples), 3) }
    decodes = tokens = decodeMs = samples = sampleMs = 0
    return out
  }
}

export async function run(args: string[]): Promise<Record<string, unknown>> {
  const tokens = option(args, 'tokens', 48)
  const device = choice<Device>(args, 'device', DEVICES, 'cpu')
  const shape = choice<TestModelShape>(args, 'shape', TEST_MODEL_SHAPES, 'tinyllama')
  const quant = choice<TestModelQuant>(args, 'quant', TEST_MODEL_QUANTS, 'q4_0')
  const flashAttention = args.includes('--flash-attention') ? choice(args, 'flash-attention', ['on', 'off'] as const, 'on') === 'on' : undefined
  const onGpu = device !== 'cpu'
  const streamsAt = args.indexOf('--streams')
  const streamCounts = (streamsAt >= 0 ? args[streamsAt + 1] : onGpu ? '1,4,16,64' : '1,4').split(',').map(Number)
  if (!streamCounts.every((n) => Number.isInteger(n) && n >= 1)) throw new Error('--streams takes positive integers, e.g. 1,4,16,64')
  const parallel = Math.max(...streamCounts)
  let shown = -1
  const path = testModelFile({
    shape,
    quant,
    dir: '.cache/models',
    onProgress: ({ writtenBytes, totalBytes }) => {
      const percent = Math.floor((writtenBytes / totalBytes) * 10) * 10
      if (percent > shown) process.stderr.write(`writing the benchmark model: ${(shown = percent)}%\n`)
    },
  })
  const modelBytes = statSync(path).size

  const threads = option(args, 'threads', defaultThreads())
  // Before the model is loaded, so the scan has the memory to itself.
  const bandwidth = onGpu
    ? args.includes('--bandwidth-gbs') ? { bytesPerSecond: positiveOption(args, '--bandwidth-gbs', 1) * 1e9, method: 'given with --bandwidth-gbs (scripts/gpu/device.sh: a 4 GiB device-to-device copy, bytes read plus written)' } : undefined
    : await measureReadBandwidth(threads).then((b) => ({
      bytesPerSecond: b.bytesPerSecond,
      method: `${threads} worker thread(s) scan a ${b.bufferBytes / 2 ** 30} GiB shared buffer with Buffer.indexOf (memchr), best of ${b.passes}`,
    }))
  const bound = bandwidth === undefined ? undefined : bandwidth.bytesPerSecond / modelBytes

  // Each sequence holds a prompt and its generation, no more: 64 sequences of a model's full context
  // would take tens of GiB of KV cache for nothing.
  const engine = await openLlamaEngine({ model: path, cacheDir: '.cache/models', device, threads, parallel, flashAttention, contextSize: 1024 + tokens })
  const counters = args.includes('--diagnose') ? diagnose(engine) : undefined
  try {
    await timedGenerate(engine, freshPrompt(engine, 8), 8) // warm-up: pages in the weights
    counters?.()

    const promptRuns: number[] = []
    const ttft: number[] = []
    let ttftPromptTokens = 0
    for (let i = 0; i < 3; i++) {
      const long = await timedGenerate(engine, freshPrompt(engine, 128), 1)
      promptRuns.push(long.last.usage!.promptTokens / ((long.tokenTimes[0] - long.started) / 1000))
      const short = await timedGenerate(engine, freshPrompt(engine, 16), 1)
      ttft.push(short.tokenTimes[0] - short.started)
      ttftPromptTokens = short.last.usage!.promptTokens
    }
    counters?.()

    // Each stream count in turn, every round, so all meet the same load; the best round of each counts.
    const best = new Map<number, number>(streamCounts.map((n) => [n, 0]))
    const diagnosis = new Map<number, Record<string, number>>()
    for (let r = 0; r < ROUNDS; r++) {
      for (const n of streamCounts) {
        const runs = await Promise.all(Array.from({ length: n }, () => timedGenerate(engine, freshPrompt(engine, 16), tokens)))
        const rate = n === 1 ? generationRate(runs[0]) : concurrentRate(runs)
        if (rate > best.get(n)!) {
          best.set(n, rate)
          if (counters !== undefined) diagnosis.set(n, counters())
        }
        counters?.()
      }
    }

    const challengeMs: number[] = []
    const vocab = engine.challengeVocabulary()
    for (let i = 0; i < 5; i++) {
      const challenge = Array.from({ length: 32 }, () => vocab[randomInt(vocab.length)])
      const started = performance.now()
      await engine.hiddenState(challenge, { priority: Priority.Challenge })
      challengeMs.push(performance.now() - started)
    }

    const oneStream = best.get(1) ?? 0
    const reference = onGpu ? LLAMA_CPP_H200[shape] : undefined
    const generation = Object.fromEntries([...best].map(([n, rate]) => [n === 1 ? 'oneStream' : `${n}StreamsTotal`, round(rate)]))
    return {
      model: { path, bytes: modelBytes, shape: SHAPE_NAMES[shape] ?? shape, quant },
      device,
      threads,
      flashAttention: flashAttention ?? onGpu,
      promptTokensPerSecond: round(median(promptRuns)),
      timeToFirstTokenMs: round(median(ttft)),
      timeToFirstTokenPromptTokens: ttftPromptTokens,
      generationTokensPerSecond: generation,
      overOneStream: Object.fromEntries([...best].filter(([n]) => n > 1).map(([n, rate]) => [`${n}Streams`, round(rate / oneStream, 2)])),
      ...(counters === undefined ? {} : { diagnosis: Object.fromEntries(diagnosis) }),
      consensusOutput32TokensMs: round(median(challengeMs)),
      ...(reference === undefined ? {} : {
        llamaCpp: reference,
        oneStreamOverLlamaCpp: round(oneStream / reference.oneStream, 2),
        ...(reference.streams64 === undefined || !best.has(64) ? {} : { streams64OverLlamaCpp: round(best.get(64)! / reference.streams64, 2) }),
      }),
      ...(bandwidth === undefined || bound === undefined ? {} : {
        memoryBandwidth: { method: bandwidth.method, gbPerSecond: round(bandwidth.bytesPerSecond / 1e9, 2) },
        boundTokensPerSecond: round(bound),
        oneStreamOverBound: round(oneStream / bound, 2),
      }),
    }
  } finally {
    await engine.close()
  }
}
