// The whole subnet in one process (real LocalChain, real DHT over libp2p on loopback, the real
// engine on tiny models): the honest game, then each adversary in its own test.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { Chain, ConsensusEntry } from '../../src/chain/chain.js'
import type { Engine } from '../../src/inference/engine.js'
import { testModelFile } from '../../src/inference/gguf/test-model-file.js'
import { openLlamaEngine } from '../../src/inference/llama-engine.js'
import type { PeerScore } from '../../src/consensus/scoring.js'
import { epochAt } from '../../src/chain/chain.js'
import { inWindow } from '../../src/consensus/epoch-game.js'
import { EPOCH_KEY_KINDS, PHASES, writableBlocks } from '../../src/dht/keys.js'
import { alteringChain, copier, lyingEngine, madeUpScores, mismatchedReveal, neverReveals, tamperingStore } from './adversaries.js'
import { TestSubnet, type NodeSpec, type TestNode } from './subnet-harness.js'

const TIMEOUT = 15 * 60_000
const HONEST: NodeSpec[] = [{ role: 'hoster' }, { role: 'hoster' }, { role: 'hoster' }, { role: 'hoster' }, { role: 'validator' }, { role: 'validator' }]

let engine: Engine
let otherModel: Engine

before(async () => {
  engine = await openLlamaEngine({ model: testModelFile({ seed: 1 }), threads: 1, parallel: 1 })
  otherModel = await openLlamaEngine({ model: testModelFile({ seed: 2 }), threads: 1, parallel: 1 })
})

after(async () => {
  await engine?.close()
  await otherModel?.close()
})

function hosterScores(node: TestNode, epoch: number): PeerScore[] {
  const scores = node.game.reports.get(epoch)?.scores
  assert.ok(scores !== undefined, `node ${node.index} has no scores for epoch ${epoch}`)
  return scores.hosters
}

function entriesOf(node: TestNode, epoch: number): ConsensusEntry[] {
  return node.game.reports.get(epoch)!.scores!.entries
}

/** Every honest node computed the same entries for `epoch`; returns the submission's attestation ratio and entries. */
async function assertSubmitted(subnet: TestSubnet, epoch: number, honest = subnet.nodes): Promise<{ ratio: number; entries: ConsensusEntry[] }> {
  const first = entriesOf(honest[0]!, epoch)
  for (const node of honest) assert.deepEqual(entriesOf(node, epoch), first, `node ${node.index}'s entries for epoch ${epoch}`)
  const submission = await subnet.reader.consensusSubmission(subnet.subnetId, epoch + 1)
  assert.ok(submission !== null, `no submission in epoch ${epoch + 1}`)
  return { ratio: submission.attestations.length / submission.validatorCount, entries: submission.data }
}

/** Within each role, every honest node scores above every dishonest one. */
function assertHonestAbove(scores: PeerScore[], dishonest: string[]): void {
  const honest = scores.filter((p) => !dishonest.includes(p.peerId))
  const bad = scores.filter((p) => dishonest.includes(p.peerId))
  assert.ok(bad.length > 0 && honest.length > 0)
  const floor = Math.min(...honest.map((p) => p.score))
  for (const p of bad) assert.ok(p.score < floor, `dishonest ${p.peerId} (${p.verdict}) scored ${p.score} ≥ honest ${floor}`)
}

describe('the epoch game on a whole subnet', { timeout: TIMEOUT }, () => {
  it('counts phase windows in blocks exactly as the storing nodes do', () => {
    for (const epochLength of [7, 10, 20, 100, 600]) {
      for (const kind of EPOCH_KEY_KINDS) {
        const { from, to } = writableBlocks(kind, 3, { slot: 5, epochLength })
        for (let block = 5 + 3 * epochLength; block < 5 + 4 * epochLength; block++) {
          const info = epochAt(block, 5, epochLength, 6000)
          assert.equal(inWindow(info, PHASES[kind].start, PHASES[kind].end), block >= from && block < to, `${kind} L=${epochLength} block ${block}`)
        }
      }
    }
  })

  it('4 hosters and 2 validators play 3 epochs: challenge, commits, reveals, identical scores, a submission, > 66% attestations', async () => {
    const subnet = await TestSubnet.start(HONEST, engine)
    try {
      const first = (await subnet.epochInfo()).epoch
      await subnet.until(first + 3, 0.2)
      const hosters = subnet.nodes.filter((n) => n.spec.role === 'hoster')
      const validators = subnet.nodes.filter((n) => n.spec.role === 'validator')
      for (let epoch = first; epoch < first + 3; epoch++) {
        const challenges = hosters.map((h) => h.game.reports.get(epoch)?.challenge)
        for (const c of challenges) {
          assert.ok(c !== undefined, `epoch ${epoch} has no challenge`)
          assert.equal(c.fromElected, true)
          assert.deepEqual(c.tokens, challenges[0]!.tokens)
        }
        for (const node of subnet.nodes) {
          const records = node.game.reports.get(epoch)!.records!
          assert.deepEqual(records.hosterCommits, hosters.map((h) => h.peerId).sort(), `commits seen by node ${node.index}`)
          assert.deepEqual(records.hosterReveals, hosters.map((h) => h.peerId).sort())
          if (epoch > first) assert.deepEqual(records.validatorReveals, validators.map((v) => v.peerId).sort())
        }
        for (const p of hosterScores(subnet.nodes[0]!, epoch)) assert.equal(p.verdict, 'valid')
        const validatorScores = subnet.nodes[0]!.game.reports.get(epoch)!.scores!.validators
        if (epoch > first) assert.deepEqual(validatorScores.map((v) => [v.verdict, v.score]), [['valid', 0.3], ['valid', 0.3]])
        const { ratio, entries } = await assertSubmitted(subnet, epoch)
        assert.ok(ratio > 0.66, `attestation ratio ${ratio} in epoch ${epoch + 1}`)
        assert.equal(entries.length, epoch > first ? 6 : 4)
      }
    } finally {
      await subnet.close()
    }
  })

  /** Runs the honest subnet with node 3 replaced by `adversary`, and checks epoch `first`'s hoster scores. */
  /** `verdicts`: what the adversary's reveal may be judged (one, or any of a few). */
  async function hosterAdversary(adversary: NodeSpec, verdicts: string | string[]): Promise<void> {
    const subnet = await TestSubnet.start([...HONEST.slice(0, 3), adversary, ...HONEST.slice(4)], engine)
    try {
      const first = (await subnet.epochInfo()).epoch
      await subnet.until(first + 1, 0.2)
      const bad = subnet.nodes[3]!.peerId
      const scores = hosterScores(subnet.nodes[0]!, first)
      const verdict = scores.find((p) => p.peerId === bad)!.verdict
      assert.ok(([] as string[]).concat(verdicts).includes(verdict), `verdict ${verdict}, expected ${verdicts}`)
      assertHonestAbove(scores, [bad])
      const { ratio, entries } = await assertSubmitted(subnet, first)
      assert.ok(ratio > 0.66)
      const badEntry = entries.find((e) => e.nodeId === subnet.nodes[3]!.nodeId)!
      for (const h of subnet.nodes.slice(0, 3)) assert.ok(entries.find((e) => e.nodeId === h.nodeId)!.score > badEntry.score)
    } finally {
      await subnet.close()
    }
  }

  it('a hoster running another model (other seed) scores below every honest hoster', () =>
    hosterAdversary({ role: 'hoster', engine: lyingEngine(otherModel, engine.model) }, 'valid'))

  it('a hoster revealing random data scores below every honest hoster', () =>
    hosterAdversary({ role: 'hoster', engine: lyingEngine(engine, engine.model, () => Float32Array.from({ length: engine.model.nEmbd }, () => Math.random() * 2 - 1)) }, 'valid'))

  it("a hoster copying another's commit and reveal scores 0", () =>
    hosterAdversary({
      role: 'hoster',
      store: (inner, { subnet }) => tamperingStore(inner, copier(inner, () => subnet.nodes[0]!.peerId)),
    // The copy does not open under the copier's peer id; on a slow machine the victim's reveal may
    // come too late in the short reveal window to copy at all. Either way it scores 0
    // (test/consensus/scoring.test.ts checks the copy itself).
    }, ['reveal-mismatch', 'no-reveal']))

  it('a hoster whose reveal does not match its commit scores 0', () =>
    hosterAdversary({ role: 'hoster', store: (inner) => tamperingStore(inner, mismatchedReveal) }, 'reveal-mismatch'))

  it('a hoster that never reveals scores 0', () =>
    hosterAdversary({ role: 'hoster', store: (inner) => tamperingStore(inner, neverReveals) }, 'no-reveal'))

  it('a validator revealing scores unlike the others scores below every honest validator', async () => {
    // Three validators: with two, the mean sits halfway and both are equally far from it. The liar
    // commits to and reveals scores of 0 for every hoster.
    const liar: NodeSpec = {
      role: 'validator',
      store: (inner, { peerId, subnet }) =>
        madeUpScores(inner, peerId, () => subnet.nodes.filter((n) => n.spec.role === 'hoster').map((h) => [h.peerId, 0])),
    }
    const subnet = await TestSubnet.start([...HONEST, liar], engine)
    try {
      const first = (await subnet.epochInfo()).epoch
      await subnet.until(first + 2, 0.2)
      const bad = subnet.nodes[6]!.peerId
      const validators = subnet.nodes[0]!.game.reports.get(first + 1)!.scores!.validators
      assert.equal(validators.length, 3)
      assertHonestAbove(validators, [bad])
      const { ratio } = await assertSubmitted(subnet, first + 1, subnet.nodes.slice(0, 6))
      assert.ok(ratio > 0.66)
    } finally {
      await subnet.close()
    }
  })

  it('an elected validator proposing altered scores is refused: ratio under 66%, and attestors say what differs', async () => {
    // Every node's chain view can cheat; the one the chain elects for the next epoch will.
    const cheater = { hotkey: '' }
    const specs = HONEST.map((spec) => ({ ...spec, chain: (chain: Chain) => alteringChain(chain, () => chain.hotkey === cheater.hotkey) }))
    const subnet = await TestSubnet.start(specs, engine, { seed: 'altered' })
    try {
      const first = (await subnet.epochInfo()).epoch
      const cheat = subnet.predictElected(first + 1)
      cheater.hotkey = cheat.chain.hotkey!
      await subnet.until(first + 1, 0.2)
      const submission = await subnet.reader.consensusSubmission(subnet.subnetId, first + 1)
      assert.ok(submission !== null)
      assert.equal(submission.validatorId, cheat.nodeId)
      assert.ok(submission.attestations.length / submission.validatorCount < 0.66)
      for (const node of subnet.nodes.filter((n) => n !== cheat)) {
        const seen = node.game.reports.get(first)!.submission!
        assert.equal(seen.matches, false)
        assert.equal(seen.attested, false)
        assert.match(seen.differences!, new RegExp(`node ${submission.data[0]!.nodeId}: proposed score \\d+, own \\d+`))
      }
    } finally {
      await subnet.close()
    }
  })

  it('an elected validator that is offline: every hoster derives the same challenge and plays it, and nothing is submitted', async () => {
    const subnet = await TestSubnet.start(HONEST, engine, { seed: 'offline' })
    try {
      const first = (await subnet.epochInfo()).epoch
      const absent = subnet.predictElected(first + 1)
      await subnet.until(first, 0.9)
      subnet.pause(absent)
      await subnet.until(first + 1, 0.7)
      const hosters = subnet.nodes.filter((n) => n.spec.role === 'hoster' && n.running)
      for (const h of hosters) {
        const challenge = h.game.reports.get(first + 1)!.challenge
        assert.ok(challenge !== undefined, 'no challenge in the epoch of the absent validator')
        assert.equal(challenge.fromElected, false)
        assert.deepEqual(challenge.tokens, hosters[0]!.game.reports.get(first + 1)!.challenge!.tokens)
      }
      for (const p of hosterScores(hosters[0]!, first + 1)) {
        if (p.peerId !== absent.peerId) assert.equal(p.verdict, 'valid')
      }
      assert.equal(await subnet.reader.consensusSubmission(subnet.subnetId, first + 1), null)
      for (const node of subnet.nodes.filter((n) => n.running)) {
        assert.ok(node.game.reports.get(first)!.events.some((e) => e.what === 'no submission on chain'))
      }
    } finally {
      await subnet.close()
    }
  })
})

