// The API gateway over the real engine on a tiny generated model, loaded by runLoad, with the
// process measured before and after: the test, the soak and the load benchmark share it.
import assert from 'node:assert/strict'
import { ApiServer } from '../../src/api/server.js'
import { EngineBackend } from '../../src/api/engine-backend.js'
import { testModelFile } from '../../src/inference/gguf/test-model-file.js'
import { type LlamaEngine, openLlamaEngine } from '../../src/inference/llama-engine.js'
import { handleCounts, type LoadFigures, runLoad, settledHeap } from './api-load.js'

export interface LoadRun {
  figures: LoadFigures
  heapBeforeBytes: number
  heapAfterBytes: number
  heapGrowthBytes: number
  /** Handle kinds (sockets, timers) still more numerous than before the run, once the server closed. */
  leftoverHandles: Record<string, number>
}

export interface LoadFixture {
  engine: LlamaEngine
  run(options: { clients: number; durationMs: number; maxTokens: number }): Promise<LoadRun>
  close(): Promise<void>
}

/** Generations batched at once: the tiny model's context holds 4 sequences comfortably. */
const PARALLEL = 4

export async function loadFixture(): Promise<LoadFixture> {
  const engine = await openLlamaEngine({ model: testModelFile({ quant: 'q8_0' }), threads: 1, parallel: PARALLEL })
  const model = engine.model.name

  async function serve<T>(work: (url: string) => Promise<T>): Promise<T> {
    const server = new ApiServer({ backend: new EngineBackend(engine) })
    const url = await server.listen(0)
    try {
      return await work(url)
    } finally {
      await server.close()
    }
  }

  return {
    engine,
    async run({ clients, durationMs, maxTokens }) {
      // Warm up (JIT, the fetch pool, the engine's first evaluations), then take the baseline.
      await serve((url) => runLoad({ url, model, clients: PARALLEL * 2, durationMs: 0, maxTokens }))
      const baseline = await settledHandles({})
      const heapBeforeBytes = await settledHeap()
      const figures = await serve((url) => runLoad({ url, model, clients, durationMs, maxTokens }))
      const after = await settledHandles(baseline)
      const heapAfterBytes = await settledHeap()
      const leftoverHandles: Record<string, number> = {}
      for (const [kind, n] of Object.entries(after)) if (n > (baseline[kind] ?? 0)) leftoverHandles[kind] = n - (baseline[kind] ?? 0)
      return { figures, heapBeforeBytes, heapAfterBytes, heapGrowthBytes: heapAfterBytes - heapBeforeBytes, leftoverHandles }
    },
    close: () => engine.close(),
  }
}

/**
 * Handle counts once they stop falling to `target` (closed sockets go a few turns after the
 * server closes): polls for up to 10 s, then returns what is left.
 */
async function settledHandles(target: Record<string, number>): Promise<Record<string, number>> {
  let counts = handleCounts()
  for (let i = 0; i < 100; i++) {
    if (Object.entries(counts).every(([kind, n]) => n <= (target[kind] ?? 0))) break
    await new Promise((resolve) => setTimeout(resolve, 100))
    counts = handleCounts()
  }
  return counts
}

/** Heap growth allowed over a run: garbage collection leaves a few MB of noise whatever the length. */
const HEAP_GROWTH_BOUND_BYTES = 16 << 20

/** The assertions of a load run: no errors, every client served about equally, nothing left behind. */
export function checkLoad(run: LoadRun, maxTokens: number): void {
  const { figures } = run
  const errors = figures.clients.flatMap((c) => c.errors)
  assert.deepEqual(errors, [], `${errors.length} requests failed`)
  assert.ok(figures.minClientTokens > 0, 'a client got no tokens')
  // Each client asks again as soon as it is served and the queue is first come, first served:
  // shares differ by the requests in flight when the time ran out, a few requests' tokens.
  const requests = figures.clients.map((c) => c.requests)
  assert.ok(Math.max(...requests) - Math.min(...requests) <= 2, `requests per client range from ${Math.min(...requests)} to ${Math.max(...requests)}`)
  assert.ok(figures.maxClientTokens - figures.minClientTokens <= 3 * maxTokens,
    `tokens per client range from ${figures.minClientTokens} to ${figures.maxClientTokens}`)
  // Nor does any client wait longer than the others: each one's median first token is alike.
  const medians = clientFirstTokenMedians(run)
  assert.ok(Math.max(...medians) <= 3 * Math.min(...medians) + 1_000,
    `clients' median first tokens range from ${Math.round(Math.min(...medians))} to ${Math.round(Math.max(...medians))} ms`)
  assert.deepEqual(run.leftoverHandles, {}, 'handles left after the server closed')
  assert.ok(run.heapGrowthBytes < HEAP_GROWTH_BOUND_BYTES, `the heap grew by ${(run.heapGrowthBytes / 2 ** 20).toFixed(1)} MB`)
}

/** Each client's median time to first token, ms. */
function clientFirstTokenMedians(run: LoadRun): number[] {
  return run.figures.clients.map((c) => [...c.firstTokenMs].sort((a, b) => a - b)[Math.floor(c.firstTokenMs.length / 2)] ?? Infinity)
}

/** A run's figures without the per-client detail, rounded: what the soak and the benchmark print. */
export function summary(run: LoadRun): Record<string, unknown> {
  const f = run.figures
  const requests = f.clients.map((c) => c.requests)
  return {
    clients: f.clients.length,
    seconds: Number((f.elapsedMs / 1000).toFixed(1)),
    requests: f.requests,
    errors: f.errors,
    tokens: f.tokens,
    tokensPerSecond: Number(f.tokensPerSecond.toFixed(1)),
    requestsPerClient: { min: Math.min(...requests), max: Math.max(...requests) },
    tokensPerClient: { min: f.minClientTokens, max: f.maxClientTokens },
    firstTokenMs: { median: Math.round(f.medianFirstTokenMs), max: Math.round(f.maxFirstTokenMs) },
    clientMedianFirstTokenMs: { min: Math.round(Math.min(...clientFirstTokenMedians(run))), max: Math.round(Math.max(...clientFirstTokenMedians(run))) },
    heapBeforeMB: Number((run.heapBeforeBytes / 2 ** 20).toFixed(1)),
    heapAfterMB: Number((run.heapAfterBytes / 2 ** 20).toFixed(1)),
    leftoverHandles: run.leftoverHandles,
  }
}
