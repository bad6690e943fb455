// Load on the OpenAI-compatible API: many streaming clients, each asking again as soon as its
// stream ends, for a bounded time. Each client counts its tokens (from the usage event), its
// errors and its first-token times, so that a run says whether every client was served and how
// evenly. Also the process's own state before and after (heap after GC, handles), to find leaks.
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { sseEvents } from './sse.js'

export interface LoadOptions {
  /** The API's base URL, without /v1. */
  url: string
  model: string
  clients: number
  durationMs: number
  /** Tokens each request asks for. */
  maxTokens: number
  /** How long one request may take before it counts as an error (default 120 s). */
  requestTimeoutMs?: number
}

export interface ClientFigures {
  requests: number
  tokens: number
  errors: string[]
  /** Milliseconds from sending each request to its first text. */
  firstTokenMs: number[]
}

export interface LoadFigures {
  clients: ClientFigures[]
  elapsedMs: number
  tokens: number
  requests: number
  errors: number
  tokensPerSecond: number
  /** Fewest and most tokens any one client got. */
  minClientTokens: number
  maxClientTokens: number
  /** The slowest first token any request saw, and the median. */
  maxFirstTokenMs: number
  medianFirstTokenMs: number
}

/** One streamed completion; its completion tokens and the time to its first text. */
async function streamOnce(options: LoadOptions, client: number, signal: AbortSignal): Promise<{ tokens: number; firstTokenMs: number }> {
  const started = performance.now()
  const res = await fetch(`${options.url}/v1/completions`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      model: options.model, prompt: `client ${client} says`, max_tokens: options.maxTokens, temperature: 0.8, seed: client,
      stream: true, stream_options: { include_usage: true },
    }),
    signal,
  })
  if (!res.ok || res.body === null) throw new Error(`HTTP ${res.status}: ${await res.text()}`)
  let firstTokenMs = -1
  let tokens = -1
  let done = false
  for await (const event of sseEvents(res.body)) {
    if (event === 'data: [DONE]') {
      done = true
      continue
    }
    const data = JSON.parse(event.slice('data: '.length)) as { error?: { code: string }; choices: Array<{ text: string }>; usage?: { completion_tokens: number } }
    if (data.error !== undefined) throw new Error(`stream error ${data.error.code}`)
    if (firstTokenMs < 0 && (data.choices[0]?.text ?? '') !== '') firstTokenMs = performance.now() - started
    if (data.usage !== undefined) tokens = data.usage.completion_tokens
  }
  if (!done || tokens < 0) throw new Error('the stream ended without usage and [DONE]')
  return { tokens, firstTokenMs }
}

/** Runs `clients` streaming loops for `durationMs`; requests in flight at the end are let finish. */
export async function runLoad(options: LoadOptions): Promise<LoadFigures> {
  const started = performance.now()
  const end = started + options.durationMs
  const clients = await Promise.all(Array.from({ length: options.clients }, async (_, client): Promise<ClientFigures> => {
    const figures: ClientFigures = { requests: 0, tokens: 0, errors: [], firstTokenMs: [] }
    // Every client sends at least one request, however short the run.
    do {
      figures.requests++
      try {
        const one = await streamOnce(options, client, AbortSignal.timeout(options.requestTimeoutMs ?? 120_000))
        figures.tokens += one.tokens
        if (one.firstTokenMs >= 0) figures.firstTokenMs.push(one.firstTokenMs)
      } catch (err) {
        figures.errors.push((err as Error).message)
      }
    } while (performance.now() < end)
    return figures
  }))
  const elapsedMs = performance.now() - started
  const tokens = clients.reduce((n, c) => n + c.tokens, 0)
  const firsts = clients.flatMap((c) => c.firstTokenMs).sort((a, b) => a - b)
  const perClient = clients.map((c) => c.tokens)
  return {
    clients,
    elapsedMs,
    tokens,
    requests: clients.reduce((n, c) => n + c.requests, 0),
    errors: clients.reduce((n, c) => n + c.errors.length, 0),
    tokensPerSecond: tokens / (elapsedMs / 1000),
    minClientTokens: Math.min(...perClient),
    maxClientTokens: Math.max(...perClient),
    maxFirstTokenMs: firsts[firsts.length - 1] ?? -1,
    medianFirstTokenMs: firsts[Math.floor(firsts.length / 2)] ?? -1,
  }
}

let gc: (() => void) | undefined

/** The heap in use after full garbage collections, in bytes. */
export async function settledHeap(): Promise<number> {
  if (gc === undefined) {
    setFlagsFromString('--expose-gc')
    gc = runInNewContext('gc') as () => void
  }
  // A few rounds, with turns of the event loop between, so that finalizers and closed sockets go.
  for (let i = 0; i < 4; i++) {
    gc()
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  return process.memoryUsage().heapUsed
}

/** Live handles by kind (sockets, timers, ...), as node counts them. */
export function handleCounts(): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const kind of process.getActiveResourcesInfo()) counts[kind] = (counts[kind] ?? 0) + 1
  return counts
}
