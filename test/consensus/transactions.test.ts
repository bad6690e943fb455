// No transaction holds the game up (issue 19): propose and attest are sent and watched beside the
// epoch game. The local chain's named fault injection (LocalChainFaults) loses one transaction
// (the caller sees CHAIN_TX_TIMEOUT, as from the real chain) and holds back the news of the next;
// the node plays on with its DHT work meanwhile, and its propose and attest both land.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { LocalChainFaults, WriteFault } from '../../src/chain/local/local-chain.js'
import type { Engine } from '../../src/inference/engine.js'
import { testModelFile } from '../../src/inference/gguf/test-model-file.js'
import { openLlamaEngine } from '../../src/inference/llama-engine.js'
import { TestSubnet, type NodeSpec, type TestNode } from './subnet-harness.js'

const HONEST: NodeSpec[] = [{ role: 'hoster' }, { role: 'hoster' }, { role: 'hoster' }, { role: 'hoster' }, { role: 'validator' }, { role: 'validator' }]

let engine: Engine

before(async () => {
  engine = await openLlamaEngine({ model: testModelFile({ seed: 1 }), threads: 1, parallel: 1 })
})

after(async () => {
  await engine?.close()
})

function events(node: TestNode, epoch: number): string[] {
  return node.game.reports.get(epoch)?.events.map((e) => e.what) ?? []
}

async function until(condition: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

describe('transactions beside the epoch game', { timeout: 10 * 60_000 }, () => {
  it('a transaction timeout, then a propose held back while the node commits, then an attest: both land', async () => {
    // The node the chain elects next: its first consensus write is lost, its second held back.
    const target = { hotkey: '' }
    let release!: () => void
    const held = new Promise<void>((resolve) => { release = resolve })
    const faults: WriteFault[] = [{ kind: 'lost', afterMs: 50 }, { kind: 'held', release: held }]
    const chainFaults: LocalChainFaults = {
      writeFault: (_method, signer) => (signer === target.hotkey ? faults.shift() : undefined),
    }
    const subnet = await TestSubnet.start(HONEST, engine, { seed: 'transactions', chainFaults })
    try {
      const first = (await subnet.epochInfo()).epoch
      const node = subnet.predictElected(first + 1)
      assert.notEqual(subnet.predictElected(first + 2), node, 'the test needs another proposer in the epoch after')
      target.hotkey = node.chain.hotkey!
      await subnet.until(first + 1, 0)
      // Block 0: the propose is lost; the game saw it fail, and sends it again on the next block.
      await until(() => events(node, first).some((e) => e === 'propose failed (CHAIN_TX_TIMEOUT): sending again next block'), 'the lost propose')
      await subnet.step()
      assert.equal(events(node, first).filter((e) => e === 'sent propose').length, 2)
      // The second is included but its news held back: the node goes on with the epoch's DHT work.
      await subnet.until(first + 1, 0.45)
      assert.ok(!events(node, first).includes('proposed the scores on chain'), 'the propose is still pending')
      if (node.spec.role === 'hoster') assert.ok(events(node, first + 1).includes('committed the output'), 'a hoster committed while its propose was pending')
      // (subnet.until steps a block only once every node, this one included, has played the last one.)
      release()
      await until(() => events(node, first).includes('proposed the scores on chain'), 'the propose to land')
      await subnet.until(first + 2, 0.2)
      const proposed = await subnet.reader.consensusSubmission(subnet.subnetId, first + 1)
      assert.equal(proposed?.validatorId, node.nodeId)
      assert.ok(proposed!.attestations.length / proposed!.validatorCount > 0.66)
      // Its attest of the next epoch's submission lands as well.
      const next = await subnet.reader.consensusSubmission(subnet.subnetId, first + 2)
      assert.ok(next !== null, 'a submission in the next epoch')
      assert.ok(next.attestations.some((a) => a.nodeId === node.nodeId), 'the node attested it')
      assert.ok(events(node, first + 1).includes('attested the submission'))
      assert.equal(faults.length, 0)
    } finally {
      release()
      await subnet.close()
    }
  })
})
