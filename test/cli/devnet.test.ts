// `mesh devnet` as a user runs it: real processes, real sockets, a real chain server. While it
// plays its epochs, the official openai client talks to its API.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import OpenAI from 'openai'
import { chromium } from 'playwright-core'
import { MESH_BIN } from '../helpers/cli.js'

const CHROMIUM = '/usr/bin/chromium'
/** Why the dashboard's browser check cannot run here (.ci/run installs Chromium, so CI runs it). */
const chromiumSkip = existsSync(CHROMIUM) ? false : `no Chromium at ${CHROMIUM}: install Debian's chromium (apt-get install chromium, as .ci/run does) to run the dashboard check`
/** Where the last run's dashboard screenshot is kept, to look at. */
const SCREENSHOT_DIR = process.env.MESH_SCREENSHOT_DIR

/** The dashboard in headless Chromium: the nodes, the epoch timeline, and a chat that streams. */
async function checkDashboard(url: string, screenshot: string): Promise<void> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  })
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } })
    await page.goto(url)
    // Predicates run in the page, so they are written as page code.
    await page.waitForFunction("document.querySelectorAll('#nodes tr').length === 4", undefined, { timeout: 30_000 })
    await page.waitForFunction("document.querySelectorAll('#nodes .badge').length === 4", undefined, { timeout: 60_000 })
    assert.match(await page.textContent('#subtitle') ?? '', /subnet \d+ · 4 nodes/)
    await page.fill('#prompt', 'hello')
    await page.click('#send')
    await page.waitForFunction("(document.querySelector('#chat-log .assistant')?.textContent ?? '').length > 0", undefined, { timeout: 60_000 })
    assert.equal(await page.$('#chat-log .error'), null)
    await page.screenshot({ path: screenshot, fullPage: true })
  } finally {
    await browser.close()
  }
}

test('mesh devnet --epochs 3: every epoch proposed and attested, the API answers, nothing left behind', { timeout: 600_000 }, async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'mesh-devnet-'))
  const child = spawn(process.execPath, [MESH_BIN, 'devnet', '--epochs', '3', '--port', '0', '--dir', dir], { stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stderr.on('data', (d: Buffer) => { stderr += d.toString() })
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  try {
    const apiUrl = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        stdout += d.toString()
        const match = /OpenAI API: (http:\/\/\S+)\/v1/.exec(stdout)
        if (match !== null) resolve(match[1])
      })
      void exited.then((code) => reject(new Error(`devnet exited with ${code}:\n${stdout}\n${stderr.slice(-3000)}`)))
    })
    const openai = new OpenAI({ baseURL: `${apiUrl}/v1`, apiKey: 'devnet', maxRetries: 0 })
    // Heartbeats reach the gateway within a few seconds of start.
    let models: string[] = []
    for (let i = 0; i < 60 && models.length === 0; i++) {
      models = (await openai.models.list()).data.map((m) => m.id)
      if (models.length === 0) await new Promise((r) => setTimeout(r, 1000))
    }
    assert.equal(models.length, 1)
    const whole = await openai.chat.completions.create({ model: models[0], messages: [{ role: 'user', content: 'hello' }], max_tokens: 8, temperature: 0 })
    assert.equal(whole.usage?.completion_tokens, 8)
    let streamed = ''
    for await (const chunk of await openai.chat.completions.create({ model: models[0], messages: [{ role: 'user', content: 'hello' }], max_tokens: 8, temperature: 0, stream: true })) {
      streamed += chunk.choices[0]?.delta?.content ?? ''
    }
    assert.equal(streamed, whole.choices[0].message.content)
    const state = await (await fetch(`${apiUrl}/dashboard/state`)).json() as { nodes: unknown[] }
    assert.equal(state.nodes.length, 4)
    await t.test('the dashboard in headless Chromium', { skip: chromiumSkip }, () => checkDashboard(apiUrl, join(SCREENSHOT_DIR ?? dir, 'dashboard.png')))
    // `mesh api` as its own process, with the command line the devnet prints.
    const command = /another gateway: mesh (api .*) --port 8001/.exec(stdout)![1].split(' ')
    const gateway = spawn(process.execPath, [MESH_BIN, ...command, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] })
    try {
      const gatewayUrl = await new Promise<string>((resolve, reject) => {
        let out = ''
        gateway.stdout.on('data', (d: Buffer) => {
          out += d.toString()
          const match = /mesh api listening on (http:\/\/\S+)\/v1/.exec(out)
          if (match !== null) resolve(match[1])
        })
        gateway.once('exit', (code) => reject(new Error(`mesh api exited with ${code}`)))
      })
      const viaGateway = new OpenAI({ baseURL: `${gatewayUrl}/v1`, apiKey: 'devnet', maxRetries: 0 })
      let served: string[] = []
      for (let i = 0; i < 60 && served.length === 0; i++) {
        served = (await viaGateway.models.list()).data.map((m) => m.id)
        if (served.length === 0) await new Promise((r) => setTimeout(r, 1000))
      }
      assert.deepEqual(served, models)
      const answer = await viaGateway.completions.create({ model: models[0], prompt: 'hello', max_tokens: 4, temperature: 0 })
      assert.equal(answer.usage?.completion_tokens, 4)
    } finally {
      gateway.kill('SIGTERM')
      await new Promise((resolve) => gateway.once('exit', resolve))
    }
    // The first node serves a dashboard and the API itself (`mesh run --dashboard`).
    const nodeDashboard = /node dashboard (http:\/\/\S+)\//.exec(stdout)![1]
    assert.equal(((await (await fetch(`${nodeDashboard}/dashboard/state`)).json()) as { nodes: unknown[] }).nodes.length, 4)
    assert.deepEqual(((await (await fetch(`${nodeDashboard}/v1/models`)).json()) as { data: Array<{ id: string }> }).data.map((m) => m.id), models)
    // Its metrics count the RPC calls it answered (DHT stores and reads at least) and follow the epoch.
    const metrics = await (await fetch(`${/status (http:\/\/\S+)/.exec(stdout)![1]}/metrics`)).text()
    assert.match(metrics, /mesh_rpc_calls\{result="served",[^}]*\} [1-9]/)
    assert.match(metrics, /mesh_epoch\{[^}]*\} [1-9]/)
    const health = await (await fetch(`${/status (http:\/\/\S+)/.exec(stdout)![1]}/health`)).json() as { status: string; phases: Record<string, { opensIn: number }> }
    assert.equal(health.status, 'ok')
    assert.ok(health.phases['hoster-commit'].opensIn > 0)

    assert.equal(await exited, 0, `${stdout}\n${stderr.slice(-3000)}`)
  } finally {
    if (child.exitCode === null) child.kill('SIGINT')
    await exited
  }
  const lines = stdout.split('\n').filter((l) => l.startsWith('epoch '))
  assert.equal(lines.length, 3, stdout)
  for (const line of lines) assert.match(line, /challenge yes · reveals 3\/3 · scores proposed · attestation (6[6-9]|[7-9]\d|100)%/)
  // The node processes are gone: their status endpoints no longer answer.
  for (const [, url] of stdout.matchAll(/status (http:\/\/\S+)/g)) {
    await assert.rejects(fetch(`${url}/health`, { signal: AbortSignal.timeout(2000) }))
  }
})
