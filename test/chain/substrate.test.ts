// SubstrateChain against the real Hypertensor runtime under chopsticks: a whole epoch cycle, the
// runtime's errors made readable, and an endpoint that is down or dies mid-call.
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { createServer } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import { DEV_ACCOUNTS, accountFromSecret, randomAccount } from '../../src/chain/accounts.js'
import { TOKEN } from '../../src/chain/chain.js'
import { ChainError } from '../../src/chain/errors.js'
import { SubstrateChain } from '../../src/chain/substrate.js'
import { chopsticksSkipReason, startChopsticks } from '../helpers/chopsticks.js'
import { MIN_STAKE, SubstrateHarness, randomPeerId } from './substrate-harness.js'
import type { SubnetFixture } from './harness.js'

const skip = chopsticksSkipReason() ?? false
const harness = new SubstrateHarness()
after(() => harness.close())

function isChainError(code: string, message?: RegExp): (err: unknown) => boolean {
  return (err) => {
    assert.ok(err instanceof ChainError, `expected a ChainError, got ${String(err)}`)
    assert.equal(err.code, code, err.message)
    if (message !== undefined) assert.match(err.message, message)
    return true
  }
}

/** Produces blocks until the subnet has an elected validator for the current epoch. */
async function untilElection(fixture: SubnetFixture): Promise<{ epoch: number; elected: number }> {
  for (let tries = 0; tries < 4; tries++) {
    const { epoch, blocksRemaining } = await fixture.reader.epochInfo(fixture.subnetId)
    const elected = await fixture.reader.electedValidator(fixture.subnetId, epoch)
    if (elected !== null) return { epoch, elected }
    await harness.advance(blocksRemaining) // to the next epoch's first block, where the election runs
  }
  throw new Error('no validator was elected in four epochs')
}

describe('a full epoch cycle on the real runtime', { skip }, () => {
  let fixture: SubnetFixture
  let epoch: number
  let elected: number

  before(async () => {
    fixture = await harness.subnet({ nodes: 4 })
  })

  test('the registered subnet is active and lists its nodes as Validator class with their stake', async () => {
    const subnet = await fixture.reader.subnet(fixture.subnetId)
    assert.equal(subnet?.state, 'Active')
    assert.equal(subnet?.minStake, MIN_STAKE)
    const nodes = await fixture.reader.subnetNodes(fixture.subnetId)
    assert.deepEqual(nodes.map((n) => n.id), fixture.nodes.map((n) => n.nodeId).sort((a, b) => a - b))
    for (const node of fixture.nodes) {
      const listed = nodes.find((n) => n.id === node.nodeId)
      assert.equal(listed?.hotkey, node.hotkey)
      assert.equal(listed?.coldkey, node.coldkey)
      assert.equal(listed?.peerId, node.peerId)
      assert.equal(listed?.class, 'Validator')
      assert.equal(listed?.stake, MIN_STAKE)
      assert.equal(listed?.reputation, 1)
      assert.equal(await fixture.reader.nodeIdOf(fixture.subnetId, node.hotkey), node.nodeId)
    }
  })

  test('proof of stake holds for a node peer id and not for an unknown one', async () => {
    const { subnetId, nodes, reader } = fixture
    assert.equal(await reader.proofOfStake(subnetId, nodes[0].peerId, 'Validator'), true)
    assert.equal(await reader.proofOfStake(subnetId, await randomPeerId(), 'Registered'), false)
    assert.equal(await reader.proofOfStake(subnetId + 1000, nodes[0].peerId), false)
  })

  test('a Validator-class node is elected at the start of an epoch', async () => {
    ({ epoch, elected } = await untilElection(fixture))
    assert.ok(fixture.nodes.some((n) => n.nodeId === elected))
  })

  test('a propose by a node that is not elected fails with the runtime error and its meaning', async () => {
    const other = fixture.nodes.find((n) => n.nodeId !== elected)!
    await assert.rejects(other.chain.proposeAttestation(fixture.subnetId, [{ nodeId: elected, score: TOKEN }]),
      isChainError('network.InvalidValidator', /^network\.InvalidValidator: Not epoch validator/))
  })

  test('an attest before any proposal fails readably', async () => {
    await assert.rejects(fixture.nodes[0].chain.attest(fixture.subnetId),
      isChainError('network.InvalidSubnetConsensusSubmission', /Consensus submission doesn't exist on this epoch/))
  })

  test('the elected node proposes, the others attest, and the submission shows it', async () => {
    const { subnetId, nodes, reader } = fixture
    const data = nodes.map((n, i) => ({ nodeId: n.nodeId, score: TOKEN - BigInt(i) * (TOKEN / 10n) }))
    const proposer = nodes.find((n) => n.nodeId === elected)!
    const proposed = await proposer.chain.proposeAttestation(subnetId, data)
    assert.equal(proposed.block, await reader.blockNumber())
    await assert.rejects(proposer.chain.proposeAttestation(subnetId, data), isChainError('network.SubnetRewardsAlreadySubmitted'))
    const receipts = await Promise.all(nodes.filter((n) => n !== proposer).map((n) => n.chain.attest(subnetId)))
    const submission = await reader.consensusSubmission(subnetId, epoch)
    assert.equal(submission?.validatorId, elected)
    assert.equal(submission?.block, proposed.block)
    assert.deepEqual(submission?.data, data)
    assert.equal(submission?.validatorCount, 4)
    assert.deepEqual(submission?.attestations.map((a) => a.nodeId).sort(), nodes.map((n) => n.nodeId).sort())
    assert.ok(submission?.attestations.every((a) => a.block === proposed.block || receipts.some((r) => r.block === a.block)))
    await assert.rejects(nodes[1].chain.attest(subnetId), isChainError('network.AlreadyAttested', /Already attested/))
  })

  test('rewards are paid into stake in the next epoch, in proportion to the scores', async () => {
    const { subnetId, reader } = fixture
    const before = await reader.subnetNodes(subnetId)
    const { blocksRemaining } = await reader.epochInfo(subnetId)
    await harness.advance(blocksRemaining + 1)
    const after = await reader.subnetNodes(subnetId)
    const gains = after.map((node) => node.stake - before.find((n) => n.id === node.id)!.stake)
    assert.ok(gains.every((gain) => gain > 0n), `every node in the data earns: ${gains.join(', ')}`)
    const attestorGains = after.map((node, i) => ({ node, gain: gains[i] })).filter(({ node }) => node.id !== elected)
    const byScore = [...attestorGains].sort((a, b) => b.gain > a.gain ? 1 : -1).map(({ node }) => node.id)
    assert.deepEqual(byScore, [...attestorGains].map(({ node }) => node.id).sort((a, b) =>
      fixture.nodes.findIndex((n) => n.nodeId === a) - fixture.nodes.findIndex((n) => n.nodeId === b)))
  })
})

describe('reads and writes outside a cycle', { skip }, () => {
  test('an unknown subnet reads as absent, and writes to it fail with the runtime error', async () => {
    const reader = await harness.reader()
    assert.equal(await reader.subnet(999_999), null)
    assert.deepEqual(await reader.subnetNodes(999_999), [])
    assert.equal(await reader.electedValidator(999_999, 0), null)
    assert.equal(await reader.consensusSubmission(999_999, 0), null)
    await assert.rejects(reader.epochInfo(999_999), isChainError('network.InvalidSubnetId', /Subnet doesn't exist/))
    const stranger = await harness.stranger()
    await assert.rejects(stranger.registerSubnetNode({ subnetId: 999_999, hotkey: stranger.hotkey!, peerId: await randomPeerId(), stake: MIN_STAKE }),
      isChainError('network.InvalidSubnetId'))
  })

  test('a write without the key it needs fails with CHAIN_NO_SIGNER, naming the key', async () => {
    const reader = await harness.reader()
    await assert.rejects(reader.attest(1), isChainError('CHAIN_NO_SIGNER', /must be signed by a hotkey/))
    await assert.rejects(reader.addStake(1, 1, '0xf24FF3a9CF04c71Dbc94D0b566f7A27B94566cac', TOKEN), isChainError('CHAIN_NO_SIGNER', /coldkey/))
  })

  test('stake is added by the coldkey and removed by the hotkey', async () => {
    const fixture = await harness.subnet({ nodes: 3 })
    const [node] = fixture.nodes
    await node.chain.addStake(fixture.subnetId, node.nodeId, node.hotkey, 5n * TOKEN)
    const staked = (await fixture.reader.subnetNodes(fixture.subnetId)).find((n) => n.id === node.nodeId)
    assert.equal(staked?.stake, MIN_STAKE + 5n * TOKEN)
    // Stake may leave only once the node has been active for an epoch.
    await harness.advance((await fixture.reader.epochInfo(fixture.subnetId)).blocksRemaining + 1)
    await node.chain.removeStake(fixture.subnetId, 5n * TOKEN)
    const unstaked = (await fixture.reader.subnetNodes(fixture.subnetId)).find((n) => n.id === node.nodeId)
    assert.equal(unstaked?.stake, MIN_STAKE)
    await assert.rejects(node.chain.removeStake(fixture.subnetId, MIN_STAKE), isChainError('network.MinStakeNotReached'))
  })

  test('a transaction the pool refuses (no balance for the fee) fails readably', async () => {
    const reader = await harness.reader()
    const broke = reader.withKeys({ hotkey: await randomAccount(), coldkey: await randomAccount() })
    await assert.rejects(broke.attest(1), isChainError('CHAIN_TX_INVALID', /refused by the chain/))
  })

  test('new blocks are reported once each, in order', async () => {
    const reader = await harness.reader()
    const start = await reader.blockNumber()
    const seen: number[] = []
    let third!: () => void
    const gotThree = new Promise<void>((resolve) => { third = resolve })
    const unsubscribe = await reader.subscribeBlocks((block) => {
      if (block > start) seen.push(block)
      if (seen.length === 3) third()
    })
    await harness.advance(3)
    await gotThree
    unsubscribe()
    assert.deepEqual(seen, [start + 1, start + 2, start + 3])
  })
})

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

describe('an endpoint that is down or goes away', () => {
  test('connecting to an endpoint that is down fails fast with CHAIN_UNREACHABLE, naming the URL and the fix', async () => {
    const url = `ws://127.0.0.1:${await closedPort()}`
    const started = Date.now()
    await assert.rejects(SubstrateChain.connect({ url, connectTimeoutMs: 2000 }),
      isChainError('CHAIN_UNREACHABLE', new RegExp(`${url} is unreachable.*check that the Hypertensor node at ${url} is running`)))
    assert.ok(Date.now() - started < 10_000, `gave up after ${Date.now() - started} ms`)
  })

  test('a URL that is not ws:// is refused before connecting', async () => {
    await assert.rejects(SubstrateChain.connect({ url: 'http://127.0.0.1:9944' }), isChainError('CHAIN_URL_INVALID', /--rpc ws:\/\//))
  })

  test('a read retries through a restart of the endpoint', { skip }, async () => {
    const first = await startChopsticks()
    const chain = await SubstrateChain.connect({ url: first.url, retryWindowMs: 120_000 })
    try {
      assert.equal(typeof await chain.blockNumber(), 'number')
      await first.kill()
      const reading = chain.blockNumber()
      const second = await startChopsticks({ port: first.port })
      try {
        assert.equal(typeof await reading, 'number')
      } finally {
        await second.close()
      }
    } finally {
      await chain.close()
      await first.close()
    }
  })

  test('an endpoint killed mid-call fails the call with CHAIN_UNREACHABLE instead of hanging', { skip }, async () => {
    const chopsticks = await startChopsticks({ buildBlockMode: 'Manual' })
    const chain = await SubstrateChain.connect({ url: chopsticks.url, retryWindowMs: 2000, inclusionTimeoutMs: 120_000 })
    try {
      const alith = chain.withKeys({ coldkey: await accountFromSecret(DEV_ACCOUNTS.alith) })
      // Blocks are built by hand only: the transfer waits in the pool until the endpoint dies under it.
      const transfer = alith.transfer((await randomAccount()).address, TOKEN)
      const settled = assert.rejects(transfer, isChainError('CHAIN_UNREACHABLE', /lost the connection .* may still be included/))
      while (((await chopsticks.rpc('author_pendingExtrinsics', [])) as unknown[]).length === 0) await sleep(100)
      await chopsticks.kill()
      await settled
      const started = Date.now()
      await assert.rejects(chain.blockNumber(), isChainError('CHAIN_UNREACHABLE', new RegExp(chopsticks.url)))
      assert.ok(Date.now() - started < 10_000, `gave up after ${Date.now() - started} ms`)
    } finally {
      await chain.close()
      await chopsticks.close()
    }
  })
})
