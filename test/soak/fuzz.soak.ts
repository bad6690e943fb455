// The long fuzz run of `npm run test:soak`: MESH_SOAK_MINUTES (default 5) shared among the
// decoders (half), the HTTP endpoints (two fifths) and the chain server (a tenth).
import { test } from 'node:test'
import { fuzzSeed } from '../helpers/fuzz.js'
import { fuzzDecoders } from '../fuzz/decoders.js'
import { fuzzChainServer, fuzzHttp, startEndpoints } from '../fuzz/endpoints.js'
import { soakMinutes } from './minutes.js'

const ms = soakMinutes() * 60_000
const slack = { timeout: ms + 600_000 }

test('decoders', slack, async (t) => {
  const seed = fuzzSeed()
  t.diagnostic(`seed ${seed}`)
  // 14 decoders share the time.
  const outcomes = await fuzzDecoders(seed, { ms: ms * 0.5 / 14 })
  for (const [name, outcome] of Object.entries(outcomes)) t.diagnostic(`${name}: ${JSON.stringify(outcome)}`)
})

test('HTTP endpoints and the chain server', slack, async (t) => {
  const endpoints = await startEndpoints()
  try {
    const seed = fuzzSeed()
    t.diagnostic(`seed ${seed}`)
    const http = await fuzzHttp(endpoints, seed, { ms: ms * 0.4 })
    for (const [server, outcome] of Object.entries(http)) t.diagnostic(`${server}: ${JSON.stringify(outcome)}`)
    const chain = await fuzzChainServer(endpoints.chainUrl, seed, { ms: ms * 0.1 })
    t.diagnostic(`chain server: ${JSON.stringify(chain)}`)
  } finally {
    await endpoints.close()
  }
})
