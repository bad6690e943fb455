// Faults on a whole subnet of real processes on real sockets (the devnet: a `mesh chain local`
// process, each node a `mesh run` process, the API gateway in this
// process), one after another on the same subnet (the devnet's own shape: 3 hosters, 1 validator;
// every node is of the chain's Validator class, so any of them may be elected):
//   1. a hoster is SIGKILLed while a client streams from it through the OpenAI API,
//   2. a validator is SIGKILLed in the commit phase and restarted,
//   3. the elected validator is SIGKILLed in the reveal phase and restarted,
//   4. the chain process is SIGKILLed for half an epoch and restarted on its port from its state.
// After each, the subnet must go on proposing and attesting, and the nodes that went away must
// play and attest again. The chain is the judge: proposals and attestations are read from it.
import { after, test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import OpenAI from 'openai'
import type { Chain } from '../../src/chain/chain.js'
import { connectChain } from '../../src/chain/connect.js'
import { testModelFile } from '../../src/inference/gguf/test-model-file.js'
import { Devnet } from '../../src/node/devnet.js'

const EPOCH_LENGTH = 20
const BLOCK_SECONDS = 1
const EPOCH_MS = EPOCH_LENGTH * BLOCK_SECONDS * 1000
/** How long a fault may take to heal: generous, for a loaded 2-core machine. */
const HEAL_MS = 8 * EPOCH_MS

/** Polls `probe` until it returns a value; a probe that throws (the chain is down) counts as not yet. */
async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number, everyMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs
  let lastError: unknown
  while (Date.now() < deadline) {
    try {
      const value = await probe()
      if (value !== undefined) return value
    } catch (err) {
      lastError = err
    }
    await new Promise((resolve) => setTimeout(resolve, everyMs))
  }
  throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}${lastError === undefined ? '' : ` (last error: ${String(lastError)})`}`)
}

interface EpochResult { epoch: number; proposer: number; attesters: number[]; ratio: number }

let devnet: Devnet | undefined
let chain: Chain | undefined
let stopping: Promise<void> | undefined
const stopAll = (): Promise<void> => {
  stopping ??= (async () => {
    await chain?.close()
    await devnet?.stop()
  })()
  return stopping
}
// Every child process goes, even when a test fails or times out.
after(stopAll)

test('faults on real processes: a hoster dies mid-stream, validators and the chain die and come back; the subnet goes on', { timeout: 900_000 }, async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'mesh-faults-'))
  // The node processes (they inherit it) log at info, so that their logs show the reconnection too.
  process.env.MESH_LOG_LEVEL = 'info'
  const hostersTried: string[] = []
  const lines: string[] = []
  devnet = new Devnet({
    dir, model: testModelFile({ quant: 'q8_0' }), hosters: 3, validators: 1, blockTimeSeconds: BLOCK_SECONDS, epochLength: EPOCH_LENGTH,
    apiPort: 0, print: (line) => lines.push(line), session: { onHoster: (peer) => hostersTried.push(peer) },
  })
  const net = devnet
  try {
    await net.start()
    chain = await connectChain({ localChain: net.chainEndpoint })
    const subnetId = net.subnetId
    const c = chain
    const allIds = net.nodes().map((n) => n.nodeId)
    const progress = () => c.epochInfo(subnetId)

    /** The submission proposed in `epoch`, with who attested it (the proposer counts). */
    const result = async (epoch: number): Promise<EpochResult | undefined> => {
      const s = await c.consensusSubmission(subnetId, epoch)
      if (s === null) return undefined
      const attesters = [...new Set([s.validatorId, ...s.attestations.map((a) => a.nodeId)])].sort((a, b) => a - b)
      return { epoch, proposer: s.validatorId, attesters, ratio: s.attestations.length / s.validatorCount }
    }
    /**
     * Waits for the first epoch ≥ `from` whose submission every one of `nodes` attested, then checks
     * that each epoch between was proposed, except where the protocol cannot: an epoch whose elected
     * node was restarted in it or the one before (it has no scores of its own to propose), and `outage`.
     */
    const healed = async (what: string, from: number, nodes: number[], restarted: Map<number, number>, outage: number[] = []): Promise<EpochResult> => {
      const done = await until(`${what}: a submission attested by nodes ${nodes.join(', ')}`, async () => {
        const { epoch } = await progress()
        for (let e = from; e <= epoch; e++) {
          const r = await result(e)
          if (r !== undefined && nodes.every((id) => r.attesters.includes(id))) return r
        }
        return undefined
      }, HEAL_MS, 1000)
      for (let e = from; e < done.epoch; e++) {
        if (outage.includes(e) || (await result(e)) !== undefined) continue
        const elected = await c.electedValidator(subnetId, e)
        const back = elected === null ? undefined : restarted.get(elected)
        assert.ok(back !== undefined && e <= back + 1, `${what}: epoch ${e} was not proposed (elected node ${elected} was up)`)
      }
      return done
    }
    /** Waits until the chain is inside the fraction window [lo, hi) of an epoch after `after`. */
    const inWindow = (lo: number, hi: number, after = -1) => until(`progress in [${lo}, ${hi}) of an epoch after ${after}`, async () => {
      const info = await progress()
      return info.epoch > after && info.progress >= lo && info.progress < hi ? info : undefined
    }, 3 * EPOCH_MS, 100)

    // The subnet works before anything breaks: every node attests an epoch's submission.
    const { epoch: started } = await progress()
    // Not every epoch of the start is played: nodes join one after another.
    const baseline = await healed('start', started, allIds, new Map(), Array.from({ length: 8 }, (_, i) => started + i))
    t.diagnostic(`baseline: epoch ${baseline.epoch} proposed by ${baseline.proposer}, attested by ${baseline.attesters.join(',')}`)

    // 1. A hoster dies mid-stream: the answer goes on on another hoster and is whole.
    const openai = new OpenAI({ baseURL: `${net.apiUrl}/v1`, apiKey: 'faults', maxRetries: 0 })
    const model = await until('the gateway to list the model', async () => (await openai.models.list()).data[0]?.id, 60_000, 1000)
    const ask = { model, prompt: 'The network', max_tokens: 600, temperature: 0 }
    const whole = (await openai.completions.create(ask)).choices[0]!.text
    assert.ok(whole.length > 0)
    hostersTried.length = 0
    let streamed = ''
    let killed: { nodeId: number; peerId: string; tried: number; at: number } | undefined
    let resumedAt: number | undefined
    for await (const chunk of await openai.completions.create({ ...ask, stream: true })) {
      streamed += chunk.choices[0]?.text ?? ''
      if (killed === undefined && streamed.length > 0) {
        // The hoster streaming now is the last one the gateway went to.
        const victim = net.nodes().find((n) => n.peerId === hostersTried.at(-1))!
        assert.equal(victim.role, 'hoster')
        killed = { nodeId: victim.nodeId, peerId: victim.peerId, tried: hostersTried.length, at: Date.now() }
        await net.killNode(victim.nodeId)
      } else if (killed !== undefined && resumedAt === undefined && hostersTried.length > killed.tried) {
        resumedAt = Date.now()
      }
    }
    assert.ok(killed !== undefined)
    const next = hostersTried[killed.tried]
    assert.ok(next !== undefined && next !== killed.peerId, `the stream did not move to another hoster: ${hostersTried.join(', ')}`)
    assert.equal(streamed, whole)
    t.diagnostic(`hoster ${killed.nodeId} killed mid-stream; the stream went on on ${next} after ${resumedAt! - killed.at} ms; ${streamed.length} chars, whole`)
    await net.restartNode(killed.nodeId)
    const restarted = new Map([[killed.nodeId, (await progress()).epoch]])

    // 2. A validator (not the elected one) dies in the commit phase and comes back.
    const validator = net.nodes().find((n) => n.role === 'validator')!
    let commit = await inWindow(0.2, 0.45)
    while ((await c.electedValidator(subnetId, commit.epoch)) === validator.nodeId) commit = await inWindow(0.2, 0.45, commit.epoch)
    const validatorDown = Date.now()
    await net.killNode(validator.nodeId)
    await net.restartNode(validator.nodeId)
    restarted.set(validator.nodeId, commit.epoch)
    // The restarted node, and the hoster restarted after fault 1, attest again.
    const afterValidator = await healed('validator restart', commit.epoch + 1, [validator.nodeId, killed.nodeId], restarted)
    t.diagnostic(`validator ${validator.nodeId} killed at epoch ${commit.epoch} (commit, progress ${commit.progress.toFixed(2)}); ` +
      `attested again in epoch ${afterValidator.epoch}, ${((Date.now() - validatorDown) / 1000).toFixed(0)} s later`)

    // 3. The elected validator dies in the reveal phase (after it proposed) and comes back.
    const reveal = await inWindow(0.5, 0.6)
    const elected = await c.electedValidator(subnetId, reveal.epoch)
    assert.notEqual(elected, null)
    const electedDown = Date.now()
    await net.killNode(elected!)
    await net.restartNode(elected!)
    restarted.set(elected!, reveal.epoch)
    const afterElected = await healed('elected validator restart', reveal.epoch + 1, [elected!], restarted)
    t.diagnostic(`elected validator ${elected} killed at epoch ${reveal.epoch} (reveal, progress ${reveal.progress.toFixed(2)}); ` +
      `attested again in epoch ${afterElected.epoch}, ${((Date.now() - electedDown) / 1000).toFixed(0)} s later`)

    // 4. The chain goes away for half an epoch (no blocks, no RPC) and comes back on its port.
    const outage = await inWindow(0.2, 0.4)
    await net.killChain()
    const chainDown = Date.now()
    await new Promise((resolve) => setTimeout(resolve, EPOCH_MS / 2))
    assert.ok(net.nodes().every((n) => n.running), 'a node process died while the chain was down')
    for (const n of net.nodes()) {
      const health = await fetch(`${n.statusUrl}/health`, { signal: AbortSignal.timeout(10_000) })
      assert.equal(health.status, 200, `node ${n.nodeId} /health while the chain is down`)
    }
    await net.restartChain()
    const chainUp = Date.now()
    const afterChain = await healed('chain restart', outage.epoch + 1, allIds, restarted, [outage.epoch + 1])
    assert.ok(net.nodes().every((n) => n.running), 'a node process died after the chain came back')
    for (const [i] of net.nodes().entries()) {
      const log = await readFile(join(dir, `node${i}.log`), 'utf8')
      assert.match(log, /connection lost; reconnecting/, `node${i}.log tells of the outage`)
      // The backoff lives in the chain client's reconnection: the game reads the chain through the
      // node's chain cache, which answers from the last block while no new one comes.
      const retries = [...log.matchAll(/chain:client: reconnecting .*retryMs=(\d+)/g)].map((m) => Number(m[1]))
      assert.ok(retries.some((ms, j) => j > 0 && ms > retries[j - 1]!), `node${i}.log shows retries backing off: ${retries.join(', ')}`)
      assert.match(log.slice(log.lastIndexOf('connection lost; reconnecting')), /chain:client: reconnected/, `node${i}.log tells of the reconnection`)
    }
    t.diagnostic(`chain down ${((chainUp - chainDown) / 1000).toFixed(0)} s at epoch ${outage.epoch}; every node attested epoch ${afterChain.epoch}, ` +
      `${((Date.now() - chainUp) / 1000).toFixed(0)} s after the chain came back`)
  } finally {
    await stopAll()
  }
  assert.ok(net.nodes().every((n) => !n.running), 'a node process outlived the test')
})
