// `npm run bench -- load [--seconds N] [--clients N] [--tokens N] [--json]`: the API gateway over
// the real engine (a tiny generated model, 4 generations batched) under N concurrent streaming
// clients (default 50) that ask again as soon as they are served: tokens/s, requests, errors,
// the spread of tokens and requests per client, time to first token, and the heap after GC
// and the handles left, before and after.
import '../src/polyfill.js'
import { configureLogging } from '../src/log.js'
import { loadFixture, summary } from '../test/helpers/api-load-fixture.js'
import { positiveOption } from './lib/options.js'

export const description = 'mesh api under N concurrent streaming clients: tokens/s, errors, fairness across clients, memory before/after'

export async function run(args: string[]): Promise<Record<string, unknown>> {
  const seconds = positiveOption(args, '--seconds', 30)
  const clients = positiveOption(args, '--clients', 50)
  const maxTokens = positiveOption(args, '--tokens', 16)
  configureLogging({ level: 'warn' })
  const fixture = await loadFixture()
  try {
    const run = await fixture.run({ clients, durationMs: seconds * 1000, maxTokens })
    return { model: 'tiny random Llama, Q8_0, 4 generations batched', maxTokensPerRequest: maxTokens, ...summary(run), node: process.version }
  } finally {
    await fixture.close()
  }
}
