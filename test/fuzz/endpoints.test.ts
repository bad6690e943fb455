// Every HTTP endpoint (the API, the dashboard, the status server) and the local chain server on
// random and mutated input for a bounded time: each input answered in time, with a clear error.
// The seed is printed; a failure names it (replay with MESH_FUZZ_SEED). The soak runs it for minutes.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { fuzzSeed } from '../helpers/fuzz.js'
import { type Endpoints, exchange, fuzzChainServer, fuzzHttp, REQUEST_TIMEOUT_MS, startEndpoints } from './endpoints.js'

let endpoints: Endpoints
before(async () => {
  endpoints = await startEndpoints()
})
after(async () => {
  await endpoints?.close()
})

test('HTTP endpoints answer random and mutated requests in time: 4xx in the OpenAI shape, never 5xx', { timeout: 300_000 }, async (t) => {
  const seed = fuzzSeed()
  t.diagnostic(`seed ${seed}`)
  const outcomes = await fuzzHttp(endpoints, seed, { inputs: 300, ms: 15_000 })
  for (const [server, outcome] of Object.entries(outcomes)) t.diagnostic(`${server}: ${outcome.inputs} inputs, answers ${JSON.stringify(outcome.answers)}`)
  assert.ok(outcomes.api.inputs > 0 && outcomes.status.inputs > 0)
})

test('the chain server answers every request with an id, and drops the rest without falling silent', { timeout: 120_000 }, async (t) => {
  const seed = fuzzSeed()
  t.diagnostic(`seed ${seed}`)
  const outcome = await fuzzChainServer(endpoints.chainUrl, seed, { inputs: 1_000, ms: 10_000 })
  t.diagnostic(`${outcome.inputs} inputs, answers ${JSON.stringify(outcome.answers)}`)
})

test('slowloris: a request sent in part is cut off with 408 in the OpenAI shape after the deadline', { timeout: 60_000 }, async () => {
  const body = JSON.stringify({ model: endpoints.model, prompt: 'hi' })
  const head = `POST /v1/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`
  const started = Date.now()
  const answer = await exchange(endpoints.apiUrl, { server: 'api', method: 'POST', path: '/v1/completions', bytes: Buffer.from(head + body.slice(0, 5)), stalled: true, mayDrop: false })
  assert.ok(answer !== 'closed')
  assert.equal(answer.status, 408)
  assert.equal((JSON.parse(answer.body) as { error: { code: string } }).error.code, 'request_timeout')
  assert.ok(Date.now() - started < REQUEST_TIMEOUT_MS + 20_000)
  const headers = await exchange(endpoints.statusUrl, { server: 'status', method: 'GET', path: '/health', bytes: Buffer.from('GET /health HTTP/1.1\r\nHo'), stalled: true, mayDrop: false })
  assert.equal(headers !== 'closed' && headers.status, 408)
})

test('malformed HTTP gets a 400 in the OpenAI shape from the API', async () => {
  const answer = await exchange(endpoints.apiUrl, { server: 'api', method: 'GET', path: '/v1/models', bytes: Buffer.from('GET /v1/models HTTP/1.1\r\nHost x\r\n\r\n'), stalled: false, mayDrop: false })
  assert.ok(answer !== 'closed')
  assert.equal(answer.status, 400)
  assert.equal((JSON.parse(answer.body) as { error: { code: string } }).error.code, 'bad_http_request')
})
