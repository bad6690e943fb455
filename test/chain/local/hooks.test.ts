// The slot-block hooks: a node's way from the queue to Validator class, and the seeded election.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { TOKEN, type NodeClass } from '../../../src/chain/chain.js'
import { randomAccount } from '../../../src/chain/accounts.js'
import { LocalChain } from '../../../src/chain/local/local-chain.js'
import { freshPeerId } from '../contract.js'
import { localSubnet, nodeView, runEpoch, toNextEpoch } from './fixture.js'

test('a registered node graduates Registered → Idle → Included → Validator over epochs', async () => {
  const fx = await localSubnet({ nodes: 4, params: { queueEpochs: 1, idleEpochs: 1, includedEpochs: 2 } })
  const hotkey = await randomAccount()
  const coldkey = await randomAccount()
  fx.runtime.fund(coldkey.address)
  const chain = new LocalChain(fx.runtime, { hotkey, coldkey })
  const peerId = await freshPeerId()
  const start = (await fx.reader.epochInfo(fx.subnetId)).epoch
  const nodeId = await chain.registerSubnetNode({ subnetId: fx.subnetId, hotkey: hotkey.address, peerId, stake: 100n * TOKEN })

  const firstSeen = new Map<NodeClass, number>()
  const note = async (): Promise<void> => {
    const node = await nodeView(fx, nodeId)
    const epoch = (await fx.reader.epochInfo(fx.subnetId)).epoch
    if (!firstSeen.has(node!.class)) firstSeen.set(node!.class, epoch)
  }
  await note()
  await toNextEpoch(fx)
  for (let i = 0; i < 7 && !firstSeen.has('Validator'); i++) {
    await note()
    // Every epoch the elected validator puts every node in the data; the chain drops it while below Included.
    await runEpoch(fx, { data: () => [...fx.nodes.map((n) => ({ nodeId: n.nodeId, score: TOKEN })), { nodeId, score: TOKEN }] })
    await note()
  }
  // Start epoch s = registration epoch + 1; Idle once s + queue (1) is reached; Included at the first
  // accepted settlement after Idle start + idle epochs (1); Validator after 2 epochs in accepted data.
  assert.deepEqual(Object.fromEntries(firstSeen), { Registered: start, Idle: start + 2, Included: start + 4, Validator: start + 6 })
  assert.equal(await fx.reader.proofOfStake(fx.subnetId, peerId, 'Validator'), true)
  const submission = await fx.reader.consensusSubmission(fx.subnetId, start + 5)
  assert.ok(submission?.data.some((e) => e.nodeId === nodeId), 'in the data once Included')
  const before = await fx.reader.consensusSubmission(fx.subnetId, start + 3)
  assert.ok(before !== null && !before.data.some((e) => e.nodeId === nodeId), 'dropped from the data while Idle')
})

test('the election is a seeded draw among Validator-class nodes: same seed, same validators', async () => {
  const draw = async (seed: string): Promise<number[]> => {
    const fx = await localSubnet({ nodes: 5, params: { seed } })
    const elected: number[] = []
    for (let i = 0; i < 12; i++) {
      const epoch = await toNextEpoch(fx)
      elected.push((await fx.reader.electedValidator(fx.subnetId, epoch))!)
    }
    return elected
  }
  const a = await draw('one')
  assert.deepEqual(await draw('one'), a)
  assert.notDeepEqual(await draw('two'), a)
  assert.ok(new Set(a).size > 1, 'the draw spreads over the nodes')
  for (const id of a) assert.ok(id >= 1 && id <= 5)
})
