// Open commit secrets on disk (PROTOCOL.md, "Epochs and phases"): mode 0600, read back after a
// restart. The whole-subnet test restarts two hosters between their commit and the reveal window
// (one while commits are still open, so that it stores its commit again, the same one): both
// reveal and are scored like every other.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, readdir, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { CommitSecrets } from '../../src/consensus/commit-secrets.js'
import { makeCommit } from '../../src/consensus/commit.js'
import type { Engine } from '../../src/inference/engine.js'
import { testModelFile } from '../../src/inference/gguf/test-model-file.js'
import { openLlamaEngine } from '../../src/inference/llama-engine.js'
import { TestSubnet, type NodeSpec } from './subnet-harness.js'

const WRITER = '12D3KooWGzxzKZYveHXtpG6AsrUJBcWxHBFS2HsEoGTxrMLvKXtf'

describe('commit secrets on disk', () => {
  it('are saved with mode 0600 in a 0700 folder, read back, and pruned by epoch', async () => {
    const dir = join(await mkdtemp(join(tmpdir(), 'mesh-secrets-')), 'commit-secrets')
    const secrets = new CommitSecrets({ dir })
    const { reveal } = makeCommit(WRITER, Uint8Array.from([1, 2, 3]))
    assert.equal(await secrets.load('hoster', 7), undefined)
    await secrets.save('hoster', 7, reveal)
    await secrets.save('validator', 6, reveal)
    await secrets.save('validator', 8, reveal)
    assert.equal((await stat(dir)).mode & 0o777, 0o700)
    for (const name of await readdir(dir)) assert.equal((await stat(join(dir, name))).mode & 0o777, 0o600, name)
    assert.deepEqual(await new CommitSecrets({ dir }).load('hoster', 7), reveal, 'a new process reads it back')
    assert.equal(await secrets.load('validator', 7), undefined)
    await secrets.prune(7)
    assert.deepEqual((await readdir(dir)).sort(), ['hoster-7.reveal', 'validator-8.reveal'])
    await writeFile(join(dir, 'hoster-9.reveal'), Uint8Array.from([1, 2]))
    assert.equal(await secrets.load('hoster', 9), undefined, 'a damaged secret opens nothing')
  })
})

describe('a hoster restarted between its commit and the reveal window', { timeout: 10 * 60_000 }, () => {
  let engine: Engine
  before(async () => {
    engine = await openLlamaEngine({ model: testModelFile({ seed: 1 }), threads: 1, parallel: 1 })
  })
  after(async () => {
    await engine?.close()
  })

  it('reveals from its secret on disk and is scored', async () => {
    const specs: NodeSpec[] = [{ role: 'hoster' }, { role: 'hoster' }, { role: 'hoster' }, { role: 'hoster' }, { role: 'validator' }, { role: 'validator' }]
    const subnet = await TestSubnet.start(specs, engine, { seed: 'restart' })
    try {
      const first = (await subnet.epochInfo()).epoch
      const [early, late] = [subnet.nodes[0]!, subnet.nodes[1]!]
      await subnet.until(first, 0.3)
      assert.ok(early.game.reports.get(first)!.events.some((e) => e.what === 'committed the output'))
      await subnet.restart(early) // commits are still open: it stores the same commit again
      await subnet.until(first, 0.45)
      await subnet.restart(late) // the guard gap
      await subnet.until(first + 1, 0.2)
      for (const node of [early, late]) {
        assert.ok(node.game.reports.get(first)!.events.some((e) => e.what === 'revealed the output'), `node ${node.index} revealed after its restart`)
      }
      const reader = subnet.nodes[4]!
      const scores = reader.game.reports.get(first)!.scores!.hosters
      const shown = JSON.stringify(scores.map((p) => [subnet.nodes.findIndex((n) => n.peerId === p.peerId), p.verdict, p.raw]))
      for (const node of subnet.nodes.slice(0, 4)) {
        const score = scores.find((p) => p.peerId === node.peerId)
        assert.equal(score?.verdict, 'valid', `node ${node.index}: ${shown}`)
        assert.ok(score.raw > 0.9, `node ${node.index}: ${shown}`)
      }
      const submission = await subnet.reader.consensusSubmission(subnet.subnetId, first + 1)
      assert.ok(submission !== null)
      for (const node of [early, late]) assert.ok(submission.data.some((e) => e.nodeId === node.nodeId && e.score > 0n))
    } finally {
      await subnet.close()
    }
  })
})
