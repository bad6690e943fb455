// Settlement at the next slot block: the attestation ratio, rewards, slashing, reputation, removal.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { TOKEN } from '../../../src/chain/chain.js'
import { localSubnet, nodeView, runEpoch, toNextEpoch } from './fixture.js'

test('under 66% attestation the validator is slashed, nobody is paid, and its backers lose reputation', async () => {
  const fx = await localSubnet({ nodes: 4 })
  await toNextEpoch(fx)
  let backer = 0
  const { validator } = await runEpoch(fx, { attest: (others) => { backer = others[0]!.nodeId; return others.slice(0, 1) } })
  // 2 of 4 attested: 50%. Slash = stake × 3.125% × (1 − 0.5 / 0.66).
  const slashed = 100n * TOKEN - (await nodeView(fx, validator.nodeId))!.stake
  assert.ok(slashed > 757_000_000_000_000_000n && slashed < 758_000_000_000_000_000n, `slashed ${slashed}`)
  assert.equal((await nodeView(fx, validator.nodeId))!.reputation, 0.95)
  assert.equal((await nodeView(fx, backer))!.reputation, 0.9)
  for (const node of fx.nodes.filter((n) => n !== validator)) {
    const view = (await nodeView(fx, node.nodeId))!
    assert.equal(view.stake, 100n * TOKEN, `node ${node.nodeId} is not paid`)
    if (node.nodeId !== backer) assert.equal(view.reputation, 1)
  }
})

test('an accepted submission pays in proportion to scores; non-attestors lose reputation only at 87.5% or more', async () => {
  const fx = await localSubnet({ nodes: 8 })
  await toNextEpoch(fx)
  let skipped = 0
  // 7 of 8 attest: 87.5%, a supermajority. Scores 1…8.
  const { validator } = await runEpoch(fx, {
    data: (nodes) => nodes.map((n) => ({ nodeId: n.nodeId, score: BigInt(n.nodeId) * TOKEN })),
    attest: (others) => { skipped = others[0]!.nodeId; return others.slice(1) },
  })
  const paid = new Map<number, bigint>()
  for (const node of fx.nodes) paid.set(node.nodeId, (await nodeView(fx, node.nodeId))!.stake - 100n * TOKEN)
  // 10 tokens shared by score over a weight sum of 36 (to 1e-15 token: the chain rounds in 1e18 fixed
  // point), attestors and the early non-attestor at full factor; the validator gets about 1 token more.
  for (const node of fx.nodes) {
    const share = (BigInt(node.nodeId) * 10n * TOKEN) / 36n
    const extra = node === validator ? paid.get(node.nodeId)! - share : 0n
    const error = paid.get(node.nodeId)! - extra - share
    assert.ok(error <= 1000n && error >= -1000n, `node ${node.nodeId} paid ${paid.get(node.nodeId)}, share ${share}`)
    if (node === validator) assert.ok(extra > (999n * TOKEN) / 1000n && extra <= TOKEN, `the validator's reward ${extra}`)
  }
  assert.equal((await nodeView(fx, skipped))!.reputation, 0.9)
  for (const node of fx.nodes.filter((n) => n.nodeId !== skipped)) assert.equal((await nodeView(fx, node.nodeId))!.reputation, 1)

  // Below the supermajority (6 of 8 = 75%), the non-attestors keep their reputation.
  const skippedNow: number[] = []
  await runEpoch(fx, { attest: (others) => { skippedNow.push(...others.slice(0, 2).map((n) => n.nodeId)); return others.slice(2) } })
  for (const id of skippedNow) {
    const expected = id === skipped ? 0.9 : 1
    assert.equal((await nodeView(fx, id))!.reputation, expected, `node ${id} keeps its reputation`)
  }
})

test('an elected validator that does not propose loses reputation', async () => {
  const fx = await localSubnet({ nodes: 3 })
  await toNextEpoch(fx)
  const epoch = (await fx.reader.epochInfo(fx.subnetId)).epoch
  const absent = (await fx.reader.electedValidator(fx.subnetId, epoch))!
  await toNextEpoch(fx)
  assert.equal((await nodeView(fx, absent))!.reputation, 0.95)
})

test('a node left out of the data loses reputation each epoch and is removed under 10%', async () => {
  const fx = await localSubnet({ nodes: 4, params: { absentDecreaseReputation: 500_000_000_000_000_000n } })
  await toNextEpoch(fx)
  const outcast = fx.nodes[3]!
  const reputations: number[] = []
  for (let i = 0; i < 4; i++) {
    await runEpoch(fx, { data: (nodes) => nodes.filter((n) => n !== outcast).map((n) => ({ nodeId: n.nodeId, score: TOKEN })) })
    reputations.push((await nodeView(fx, outcast.nodeId))?.reputation ?? 0)
  }
  // 1 → 0.5 → 0.25 → 0.125, then 0.0625 < 10%: removed at that slot block.
  assert.deepEqual(reputations, [0.5, 0.25, 0.125, 0])
  assert.equal(await nodeView(fx, outcast.nodeId), undefined)
  assert.equal(await fx.reader.nodeIdOf(fx.subnetId, outcast.chain.hotkey!), null)
  assert.equal(await fx.reader.proofOfStake(fx.subnetId, outcast.peerId), false)
  // Its stake stays the coldkey's to withdraw, all of it.
  await outcast.chain.removeStake(fx.subnetId, 100n * TOKEN)
})
