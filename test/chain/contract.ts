// The chain contract: what every Chain implementation must do, as a node sees it. Run against the
// in-process LocalChain, the local chain server through its client, and the real runtime under
// chopsticks (where every block costs about a second: the suite shares one subnet across its tests
// and only produces the blocks it needs).
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { epochAt, TOKEN, type Chain, type ConsensusEntry } from '../../src/chain/chain.js'
import { ChainError } from '../../src/chain/errors.js'
import { generateIdentity, peerIdOf } from '../../src/p2p/keys.js'
import type { ChainHarness, FixtureNode, SubnetFixture } from './harness.js'

const UNKNOWN_SUBNET = 987_654

export async function rejectsWith(promise: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(err instanceof ChainError, `expected a ChainError with code ${code}, got ${String(err)}`)
    assert.equal(err.code, code, `expected ${code}, got ${err.code}: ${err.message}`)
    return true
  })
}

export async function waitFor(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

export async function freshPeerId(): Promise<string> {
  return peerIdOf(await generateIdentity()).toString()
}

/** Advances to the first block of the next subnet epoch (its slot block, where the election runs). */
async function toNextEpoch(harness: ChainHarness, chain: Chain, subnetId: number): Promise<number> {
  const info = await chain.epochInfo(subnetId)
  await harness.advance(info.blocksRemaining)
  const next = await chain.epochInfo(subnetId)
  assert.equal(next.epoch, info.epoch + 1)
  assert.equal(next.progress, 0)
  return next.epoch
}

async function stakeOf(chain: Chain, subnetId: number, nodeId: number): Promise<bigint> {
  const node = (await chain.subnetNodes(subnetId)).find((n) => n.id === nodeId)
  assert.ok(node !== undefined, `node ${nodeId} is listed`)
  return node.stake
}

export function chainContract(harness: ChainHarness): void {
  describe(`the Chain contract on ${harness.name}`, { skip: harness.skip }, () => {
    let fx: SubnetFixture
    let reader: Chain
    let subnetId: number
    /** A node registered by a stranger into the active subnet: Registered class. */
    let newcomer: FixtureNode

    before(async () => {
      fx = await harness.subnet({ nodes: 4 })
      reader = fx.reader
      subnetId = fx.subnetId
    })
    after(async () => {
      await harness.close()
    })

    test('the epoch clock follows the subnet slot and the block number', async () => {
      const length = await reader.epochLength()
      assert.ok(Number.isInteger(length) && length > 0)
      assert.ok(reader.blockTimeMs > 0)
      const block = await reader.blockNumber()
      const subnet = await reader.subnet(subnetId)
      const info = await reader.epochInfo(subnetId)
      assert.equal(info.slot, subnet?.slot)
      assert.deepEqual(info, epochAt(info.block, info.slot, length, reader.blockTimeMs))
      assert.ok(info.block >= block)
      await harness.advance(1)
      assert.equal(await reader.blockNumber(), info.block + 1)
      assert.equal((await reader.epochInfo(subnetId)).block, info.block + 1)
    })

    test('the subnet and its nodes read back as registered', async () => {
      const subnet = await reader.subnet(subnetId)
      assert.ok(subnet !== null)
      assert.equal(subnet.id, subnetId)
      assert.equal(subnet.state, 'Active')
      assert.ok(subnet.minStake > 0n && subnet.minStake <= subnet.maxStake)
      const nodes = await reader.subnetNodes(subnetId)
      assert.equal(nodes.length, fx.nodes.length)
      for (const expected of fx.nodes) {
        const node = nodes.find((n) => n.id === expected.nodeId)
        assert.ok(node !== undefined, `node ${expected.nodeId} is listed`)
        assert.equal(node.hotkey.toLowerCase(), expected.hotkey.toLowerCase())
        assert.equal(node.coldkey.toLowerCase(), expected.coldkey.toLowerCase())
        assert.equal(node.peerId, expected.peerId)
        assert.equal(node.class, 'Validator')
        assert.ok(node.stake >= subnet.minStake)
        assert.equal(node.reputation, 1)
        assert.equal(await reader.nodeIdOf(subnetId, expected.hotkey), expected.nodeId)
      }
    })

    test('an unknown subnet reads as absent or fails with network.InvalidSubnetId', async () => {
      assert.equal(await reader.subnet(UNKNOWN_SUBNET), null)
      await rejectsWith(reader.epochInfo(UNKNOWN_SUBNET), 'network.InvalidSubnetId')
      await rejectsWith(reader.subnetNodes(UNKNOWN_SUBNET), 'network.InvalidSubnetId')
      assert.equal(await reader.electedValidator(UNKNOWN_SUBNET, 1), null)
      assert.equal(await reader.consensusSubmission(UNKNOWN_SUBNET, 1), null)
      assert.equal(await reader.nodeIdOf(UNKNOWN_SUBNET, fx.nodes[0]!.hotkey), null)
      const stranger = await harness.stranger()
      assert.equal(await reader.nodeIdOf(subnetId, stranger.hotkey!), null)
    })

    test('proof of stake holds for a node peer id and not for an unknown one', async () => {
      const peerId = fx.nodes[0]!.peerId
      assert.equal(await reader.proofOfStake(subnetId, peerId), true)
      assert.equal(await reader.proofOfStake(subnetId, peerId, 'Validator'), true)
      assert.equal(await reader.proofOfStake(subnetId, await freshPeerId()), false)
      assert.equal(await reader.proofOfStake(UNKNOWN_SUBNET, peerId), false)
    })

    test('a stranger registers a node into the active subnet as Registered class', async () => {
      const chain = await harness.stranger()
      const subnet = (await reader.subnet(subnetId))!
      const peerId = await freshPeerId()
      const before = await reader.epochInfo(subnetId)
      const nodeId = await chain.registerSubnetNode({ subnetId, hotkey: chain.hotkey!, peerId, stake: subnet.minStake })
      const afterInfo = await reader.epochInfo(subnetId)
      const node = (await reader.subnetNodes(subnetId)).find((n) => n.id === nodeId)
      assert.ok(node !== undefined)
      assert.equal(node.class, 'Registered')
      assert.equal(node.peerId, peerId)
      assert.equal(node.stake, subnet.minStake)
      assert.ok(node.classStartEpoch >= before.epoch + 1 && node.classStartEpoch <= afterInfo.epoch + 1, 'starts counting next epoch')
      assert.equal(await reader.nodeIdOf(subnetId, chain.hotkey!), nodeId)
      assert.equal(await reader.proofOfStake(subnetId, peerId, 'Validator'), false, 'below the minimum class')
      assert.equal(await reader.proofOfStake(subnetId, peerId), false, 'a queued node proves no stake yet')
      newcomer = { hotkey: chain.hotkey!, coldkey: node.coldkey, peerId, nodeId, chain }
    })

    test('registration refuses a taken peer id, too little stake and an unknown subnet', async () => {
      const chain = await harness.stranger()
      const subnet = (await reader.subnet(subnetId))!
      const hotkey = chain.hotkey!
      await rejectsWith(chain.registerSubnetNode({ subnetId, hotkey, peerId: fx.nodes[1]!.peerId, stake: subnet.minStake }), 'network.PeerIdExist')
      await rejectsWith(chain.registerSubnetNode({ subnetId, hotkey, peerId: await freshPeerId(), stake: subnet.minStake - 1n }), 'network.MinStakeNotReached')
      await rejectsWith(chain.registerSubnetNode({ subnetId: UNKNOWN_SUBNET, hotkey, peerId: await freshPeerId(), stake: subnet.minStake }), 'network.InvalidSubnetId')
      assert.equal(await reader.nodeIdOf(subnetId, hotkey), null)
    })

    test('stake is added and removed, never below the minimum or beyond what is staked', async () => {
      const chain = newcomer.chain
      const start = await stakeOf(reader, subnetId, newcomer.nodeId)
      await chain.addStake(subnetId, newcomer.nodeId, newcomer.hotkey, 10n * TOKEN)
      assert.equal(await stakeOf(reader, subnetId, newcomer.nodeId), start + 10n * TOKEN)
      await chain.removeStake(subnetId, 4n * TOKEN)
      assert.equal(await stakeOf(reader, subnetId, newcomer.nodeId), start + 6n * TOKEN)
      await rejectsWith(chain.removeStake(subnetId, start + 100n * TOKEN), 'network.NotEnoughStakeToWithdraw')
      await rejectsWith(chain.removeStake(subnetId, 7n * TOKEN), 'network.MinStakeNotReached')
      await rejectsWith(reader.addStake(subnetId, newcomer.nodeId, newcomer.hotkey, TOKEN), 'CHAIN_NO_SIGNER')
      assert.equal(await stakeOf(reader, subnetId, newcomer.nodeId), start + 6n * TOKEN)
    })

    let epoch: number
    let electedId: number
    let data: ConsensusEntry[]

    test('a Validator-class node is elected at the slot block of each epoch', async () => {
      epoch = await toNextEpoch(harness, reader, subnetId)
      const elected = await reader.electedValidator(subnetId, epoch)
      assert.ok(elected !== null, `a validator is elected for epoch ${epoch}`)
      assert.ok(fx.nodes.some((n) => n.nodeId === elected), 'the elected node is a Validator-class node')
      electedId = elected
      assert.equal(await reader.electedValidator(subnetId, epoch + 5), null, 'no election ahead of time')
    })

    test('only the elected node proposes, once, and entries below Included are dropped', async () => {
      const elected = fx.nodes.find((n) => n.nodeId === electedId)!
      const other = fx.nodes.find((n) => n.nodeId !== electedId)!
      data = fx.nodes.map((n) => ({ nodeId: n.nodeId, score: TOKEN })).sort((a, b) => a.nodeId - b.nodeId)
      const proposed = [...data, { nodeId: newcomer.nodeId, score: TOKEN }, { nodeId: 424_242, score: TOKEN }]
      await rejectsWith(other.chain.proposeAttestation(subnetId, data), 'network.InvalidValidator')
      await rejectsWith(newcomer.chain.proposeAttestation(subnetId, data), 'network.InvalidValidator')
      const digest = new Uint8Array(32).fill(7)
      const receipt = await elected.chain.proposeAttestation(subnetId, proposed, digest)
      assert.ok(receipt.block >= (await reader.epochInfo(subnetId)).block - 1)
      await rejectsWith(elected.chain.proposeAttestation(subnetId, data), 'network.SubnetRewardsAlreadySubmitted')

      const submission = await reader.consensusSubmission(subnetId, epoch)
      assert.ok(submission !== null)
      assert.equal(submission.epoch, epoch)
      assert.equal(submission.validatorId, electedId)
      assert.deepEqual(submission.data, data)
      assert.deepEqual(submission.attestations.map((a) => a.nodeId), [electedId], 'the proposer attests implicitly')
      assert.equal(submission.validatorCount, fx.nodes.length)
      assert.deepEqual([...submission.args], [...digest], 'the args come back as proposed')
    })

    test('block hashes are 32 bytes, the same on every read, distinct per block; a future block is refused', async () => {
      const head = await reader.blockNumber()
      const [a, b, again] = await Promise.all([reader.blockHash(head), reader.blockHash(head - 1), reader.blockHash(head)])
      assert.equal(a.length, 32)
      assert.deepEqual([...again], [...a])
      assert.notDeepEqual([...a], [...b])
      await rejectsWith(reader.blockHash(head + 1000), 'CHAIN_FUTURE_BLOCK')
    })

    test('Validator-class nodes attest once; others are refused', async () => {
      const attestors = fx.nodes.filter((n) => n.nodeId !== electedId).slice(0, 2)
      for (const node of attestors) await node.chain.attest(subnetId)
      await rejectsWith(attestors[0]!.chain.attest(subnetId), 'network.AlreadyAttested')
      await rejectsWith(newcomer.chain.attest(subnetId), 'network.InvalidSubnetNodeId')
      await rejectsWith((await harness.stranger()).attest(subnetId), 'network.InvalidHotkeySubnetNodeId')
      await rejectsWith(reader.attest(subnetId), 'CHAIN_NO_SIGNER')
      const submission = await reader.consensusSubmission(subnetId, epoch)
      const expected = [electedId, ...attestors.map((n) => n.nodeId)].sort((a, b) => a - b)
      assert.deepEqual(submission?.attestations.map((a) => a.nodeId), expected)
      for (const a of submission!.attestations) assert.ok(a.block >= submission!.block)
    })

    test('an accepted submission pays the nodes in the data in the next epoch', async () => {
      const before = new Map<number, bigint>()
      for (const node of fx.nodes) before.set(node.nodeId, await stakeOf(reader, subnetId, node.nodeId))
      await toNextEpoch(harness, reader, subnetId)
      // The runtime may distribute a block after the slot block.
      for (let extra = 0; extra < 2 && (await stakeOf(reader, subnetId, electedId)) === before.get(electedId); extra++) {
        await harness.advance(1)
      }
      for (const node of fx.nodes) {
        const now = await stakeOf(reader, subnetId, node.nodeId)
        assert.ok(now > before.get(node.nodeId)!, `node ${node.nodeId} was paid (${before.get(node.nodeId)} → ${now})`)
      }
    })

    test('a subscription delivers each new block, in order', async () => {
      const blocks: number[] = []
      const unsubscribe = await reader.subscribeBlocks((block) => blocks.push(block))
      try {
        const start = await reader.blockNumber()
        await harness.advance(2)
        await waitFor('two blocks', () => blocks.includes(start + 2))
        const seen = blocks.filter((b) => b > start)
        assert.deepEqual(seen, [start + 1, start + 2])
      } finally {
        unsubscribe()
      }
    })
  })
}
