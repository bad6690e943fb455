// The inference engine on a TinyLlama-shaped Q4_0 model (random weights, generated once into
// .cache/models): prompt and generation throughput, time to first token, the consensus output
// time, and this machine's memory read bandwidth with the bound it puts on generation
// (each generated token reads every weight once: tokens/s ≤ bandwidth ÷ model bytes).
// Options: --threads N (default: the engine's), --tokens N (generated a stream, default 48).
import { statSync } from 'node:fs'
import { randomInt } from 'node:crypto'
import { Priority, type GenerateChunk } from '../src/inference/engine.js'
import { testModelFile } from '../src/inference/gguf/test-model-file.js'
import { openLlamaEngine, type LlamaEngine } from '../src/inference/llama-engine.js'
import { defaultThreads } from '../src/inference/llama-runtime.js'
import { measureReadBandwidth } from './lib/memory-bandwidth.js'

export const description = 'node-llama-cpp engine on a TinyLlama-shaped Q4_0 model: throughput against the memory bandwidth bound'

const STREAMS = 4
const ROUNDS = 3

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

export async function run(args: string[]): Promise<Record<string, unknown>> {
  const tokens = option(args, 'tokens', 48)
  let shown = -1
  const path = testModelFile({
    shape: 'tinyllama',
    quant: 'q4_0',
    dir: '.cache/models',
    onProgress: ({ writtenBytes, totalBytes }) => {
      const percent = Math.floor((writtenBytes / totalBytes) * 10) * 10
      if (percent > shown) process.stderr.write(`writing the benchmark model: ${(shown = percent)}%\n`)
    },
  })
  const modelBytes = statSync(path).size

  const threads = option(args, 'threads', defaultThreads())
  // Before the model is loaded, so the scan has the memory to itself.
  const bandwidth = await measureReadBandwidth(threads)
  const bound = bandwidth.bytesPerSecond / modelBytes

  const engine = await openLlamaEngine({ model: path, cacheDir: '.cache/models', threads, parallel: STREAMS })
  try {
    await timedGenerate(engine, freshPrompt(engine, 8), 8) // warm-up: pages in the weights

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

    // One stream and four, interleaved so both meet the same load; the best round of each counts.
    let oneStream = 0
    let manyStreams = 0
    for (let round = 0; round < ROUNDS; round++) {
      oneStream = Math.max(oneStream, generationRate(await timedGenerate(engine, freshPrompt(engine, 16), tokens)))
      const many = await Promise.all(Array.from({ length: STREAMS }, () => timedGenerate(engine, freshPrompt(engine, 16), tokens)))
      manyStreams = Math.max(manyStreams, concurrentRate(many))
    }

    const challengeMs: number[] = []
    const vocab = engine.challengeVocabulary()
    for (let i = 0; i < 5; i++) {
      const challenge = Array.from({ length: 32 }, () => vocab[randomInt(vocab.length)])
      const started = performance.now()
      await engine.hiddenState(challenge, { priority: Priority.Challenge })
      challengeMs.push(performance.now() - started)
    }

    return {
      model: { path, bytes: modelBytes, shape: 'tinyllama (22 layers × 2048, 32000 vocabulary)', quant: 'q4_0' },
      threads,
      promptTokensPerSecond: round(median(promptRuns)),
      timeToFirstTokenMs: round(median(ttft)),
      timeToFirstTokenPromptTokens: ttftPromptTokens,
      generationTokensPerSecond: { oneStream: round(oneStream), [`${STREAMS}StreamsTotal`]: round(manyStreams) },
      [`${STREAMS}StreamsOverOne`]: round(manyStreams / oneStream, 2),
      consensusOutput32TokensMs: round(median(challengeMs)),
      memoryBandwidth: {
        method: `${threads} worker thread(s) scan a ${bandwidth.bufferBytes / 2 ** 30} GiB shared buffer with Buffer.indexOf (memchr), best of ${bandwidth.passes}`,
        gbPerSecond: round(bandwidth.bytesPerSecond / 1e9, 2),
      },
      boundTokensPerSecond: round(bound),
      oneStreamOverBound: round(oneStream / bound, 2),
    }
  } finally {
    await engine.close()
  }
}
