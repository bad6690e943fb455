// The runtime generations mesh speaks (src/chain/substrate/generation.ts, generation-calls.ts,
// call-builder.ts):
// - against the runtime that runs here (the testnet's, under chopsticks): detection, every mesh
//   call built by argument name encoding exactly as the runtime's positional call, and the refusal,
//   before anything is signed, of what the runtime lacks, naming it;
// - against the June 2026 "validator-entity" pallet's call signatures, through a TEST DOUBLE of its
//   metadata (JUNE_CALLS below, transcribed from the pallet's source): no runnable copy of that
//   runtime exists here, so its calls are checked for their argument layout only, never sent.
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { ApiPromise, WsProvider } from '@polkadot/api'
import { stringToHex, u8aToHex } from '@polkadot/util'
import { ChainError } from '../../src/chain/errors.js'
import { SubstrateChain } from '../../src/chain/substrate.js'
import { buildCall } from '../../src/chain/substrate/call-builder.js'
import { attestableNodeIds, electedNodeId, submissionFrom, type SubmissionValue } from '../../src/chain/substrate/decode.js'
import {
  addDelegateStakePlan, attestPlan, nodeStakePlan, proposePlan, refuseUnsupported, registerNodePlan, registerValidatorPlan,
  removeDelegateStakePlan,
} from '../../src/chain/substrate/generation-calls.js'
import { requireCall, requireRuntimeApi, requireStorage, runtimeGeneration } from '../../src/chain/substrate/generation.js'
import { type Chopsticks, chopsticksSkipReason, startChopsticks } from '../helpers/chopsticks.js'

const HOTKEY = '0x317D7a5a2ba5787A99BE4693Eb340a10C71d680b'
const OTHER_HOTKEY = '0xc30fE91DE91a3FA79E42Dfe7a01917d0D92D99D7'
const PEER = '12D3KooWDpJ7As7BWAwRMfu1VU2WCqNjvq387JEYKDBj4kx6nXTN'
const CLIENT_PEER = '12D3KooWHKJ2Gq6sHdvfMHw5JNcHJ5vzuyp3sgT4WNqZUBd39dGU'
const TOKEN = 10n ** 18n

function isChainError(code: string, message: RegExp): (err: unknown) => boolean {
  return (err) => {
    assert.ok(err instanceof ChainError, String(err))
    assert.equal(err.code, code)
    assert.match(err.message, message)
    return true
  }
}

describe('the runtime generation, on the testnet runtime', { skip: chopsticksSkipReason() ?? false }, () => {
  let chopsticks: Chopsticks
  let api: ApiPromise
  before(async () => {
    chopsticks = await startChopsticks()
    api = await ApiPromise.create({ provider: new WsProvider(chopsticks.url), noInitWarn: true })
  })
  after(async () => {
    await api?.disconnect()
    await chopsticks?.close()
  })

  test('the testnet runtime is detected as the hoskinson generation, by SubstrateChain too', async () => {
    assert.equal(runtimeGeneration(api), 'hoskinson')
    const chain = await SubstrateChain.connect({ url: chopsticks.url })
    try {
      assert.equal(chain.generation, 'hoskinson')
    } finally {
      await chain.close()
    }
  })

  test("every mesh call, built by the metadata's argument names, encodes as the runtime's positional call", () => {
    const encoded = (plan: Parameters<typeof buildCall>[1]): string => buildCall(api, plan, 'test').method.toHex()
    const n = api.tx.network
    const node = { subnetId: 1, hotkey: HOTKEY, peerId: PEER, clientPeerId: CLIENT_PEER, stake: 100n * TOKEN, maxBurn: 10n * TOKEN }
    assert.equal(encoded(registerNodePlan('hoskinson', node)), n.registerSubnetNode(1, HOTKEY, { peerId: stringToHex(PEER), multiaddr: null }, null,
      { peerId: stringToHex(CLIENT_PEER), multiaddr: null }, 0, 100n * TOKEN, null, null, null, 10n * TOKEN).method.toHex())
    assert.equal(encoded(nodeStakePlan('hoskinson', 'add', { subnetId: 1, nodeId: 3, hotkey: HOTKEY, amount: 5n })), n.addStake(1, 3, HOTKEY, 5n).method.toHex())
    assert.equal(encoded(nodeStakePlan('hoskinson', 'remove', { subnetId: 1, nodeId: 3, hotkey: HOTKEY, amount: 5n })), n.removeStake(1, HOTKEY, 5n).method.toHex())
    const scores = [{ nodeId: 1, score: TOKEN }, { nodeId: 2, score: TOKEN / 2n }]
    const data = [{ subnetNodeId: 1, score: TOKEN }, { subnetNodeId: 2, score: TOKEN / 2n }]
    assert.equal(encoded(proposePlan(1, scores, new Uint8Array([1, 2, 3]))), n.proposeAttestation(1, data, null, null, '0x010203', null).method.toHex())
    assert.equal(encoded(proposePlan(1, scores, undefined)), n.proposeAttestation(1, data, null, null, null, null).method.toHex())
    assert.equal(encoded(attestPlan('hoskinson', 1)), n.attest(1, null).method.toHex())
    assert.equal(encoded(addDelegateStakePlan('hoskinson', 1, 7n)), n.addToDelegateStake(1, 7n).method.toHex())
    assert.equal(encoded(removeDelegateStakePlan(1, 7n)), n.removeDelegateStake(1, 7n).method.toHex())
    assert.equal(encoded({ call: 'activateSubnet', values: { subnetId: 4 } }), n.activateSubnet(4).method.toHex())
  })

  test('a call this runtime lacks is refused before signing, naming it and the generation', () => {
    // The validator-entity generation's calls, asked of the testnet runtime: built, never signed.
    assert.throws(() => buildCall(api, nodeStakePlan('validator-entity', 'add', { subnetId: 1, nodeId: 3, hotkey: HOTKEY, amount: 5n }), 'add_stake to node 3'),
      isChainError('CHAIN_CALL_MISSING', /^add_stake to node 3 needs network\.addNodeStake, which this runtime \(hypertensor-node spec 1, generation hoskinson\) does not have/))
    assert.throws(() => buildCall(api, registerValidatorPlan(HOTKEY), 'register_validator'),
      isChainError('CHAIN_CALL_MISSING', /needs network\.registerValidator, which this runtime .*generation hoskinson/))
    assert.throws(() => requireCall(api, 'addNodeStake', 'x'), isChainError('CHAIN_CALL_MISSING', /network\.addNodeStake/))
    assert.doesNotThrow(() => requireCall(api, 'addStake', 'add_stake'))
  })

  test("a call laid out otherwise than mesh knows it is refused before signing, naming the argument", () => {
    // validator-entity's attest names the attesting node; the testnet's attest takes no such argument.
    assert.throws(() => buildCall(api, attestPlan('validator-entity', 1, 7), 'attest on subnet 1'),
      isChainError('CHAIN_CALL_ARGS', /^attest on subnet 1: network\.attest on this runtime takes \(subnetId, attestData\), not subnetNodeId/))
    // A required argument mesh has no value for.
    assert.throws(() => buildCall(api, { call: 'addStake', values: { subnetId: 1, hotkey: HOTKEY, stakeToBeAdded: 5n } }, 'add_stake'),
      isChainError('CHAIN_CALL_ARGS', /network\.addStake on this runtime requires subnetNodeId, which mesh has no value for/))
  })

  test('a read of storage or a runtime API this runtime lacks is refused, naming it', () => {
    assert.throws(() => requireStorage(api, 'coldkeyValidatorId', 'the validator of 0xabc'),
      isChainError('CHAIN_CALL_MISSING', /^the validator of 0xabc needs storage network\.coldkeyValidatorId, which this runtime .*generation hoskinson/))
    assert.throws(() => requireRuntimeApi(api, 'getSubnetNodes', 'the nodes of subnet 1'),
      isChainError('CHAIN_CALL_MISSING', /needs runtime API NetworkRuntimeApi\.getSubnetNodes, which this runtime/))
    assert.doesNotThrow(() => requireStorage(api, 'hotkeySubnetNodeId', 'x'))
    assert.doesNotThrow(() => requireRuntimeApi(api, 'getSubnetNodesInfo', 'x'))
  })
})

// ---------------------------------------------------------------------------------------------
// TEST DOUBLE: the validator-entity runtime's metadata, as polkadot.js would present its calls
// (camelCased argument names, their types), transcribed from hayotensor/hypertensor-blockchain
// pallets/network/src/lib.rs at 01c2b55e7e92d08a9c69e38a78fb130c7ec16d6f. Each call records the
// values it is given instead of encoding them: no runnable June runtime exists here to encode against.
// ---------------------------------------------------------------------------------------------
type Signature = Array<[name: string, type: string]>

const JUNE_CALLS: Record<string, Signature> = {
  registerValidator: [['hotkey', 'AccountId20'], ['delegateRewardRate', 'u128'], ['delegateAccount', 'Option<PalletNetworkDelegateAccount>'],
    ['identity', 'Option<PalletNetworkIdentityData>']],
  registerSubnetNode: [['validatorId', 'u32'], ['subnetId', 'u32'], ['hotkey', 'Option<AccountId20>'], ['peerInfo', 'Option<PalletNetworkPeerInfo>'],
    ['bootnodePeerInfo', 'Option<PalletNetworkPeerInfo>'], ['clientPeerInfo', 'Option<PalletNetworkPeerInfo>'], ['stakeToBeAdded', 'u128'],
    ['unique', 'Option<Bytes>'], ['nonUnique', 'Option<Bytes>'], ['maxBurnAmount', 'u128']],
  addNodeStake: [['subnetId', 'u32'], ['subnetNodeId', 'u32'], ['stakeToBeAdded', 'u128']],
  removeNodeStake: [['subnetId', 'u32'], ['subnetNodeId', 'u32'], ['stakeToBeRemoved', 'u128']],
  addSubnetDelegateStake: [['subnetId', 'u32'], ['stakeToBeAdded', 'u128']],
  removeDelegateStake: [['subnetId', 'u32'], ['sharesToBeRemoved', 'u128']],
  proposeAttestation: [['subnetId', 'u32'], ['data', 'Vec<PalletNetworkSubnetNodeConsensusData>'], ['prioritizeQueueNodeId', 'Option<u32>'],
    ['removeQueueNodeId', 'Option<u32>'], ['args', 'Option<Bytes>'], ['attestData', 'Option<Bytes>']],
  attest: [['subnetId', 'u32'], ['subnetNodeId', 'u32'], ['data', 'Option<Bytes>']],
  registerSubnet: [['maxCost', 'u128'], ['subnetData', 'PalletNetworkRegistrationSubnetData']],
  activateSubnet: [['subnetId', 'u32']],
}

/** The double's api: `tx.network.<call>(...values)` returns the call's name and the values, in order. */
function juneApi(overrides: Record<string, Signature> = {}): ApiPromise {
  const network = Object.fromEntries(Object.entries({ ...JUNE_CALLS, ...overrides }).map(([call, signature]) => {
    const fn = (...values: unknown[]): unknown => ({ call, values })
    return [call, Object.assign(fn, { meta: { args: signature.map(([name, type]) => ({ name, type })) } })]
  }))
  return { tx: { network }, runtimeVersion: { specName: 'hypertensor-june-double', specVersion: 0 } } as unknown as ApiPromise
}

/** The values `plan` is sent with on the June double, in the runtime's order. */
function juneValues(plan: Parameters<typeof buildCall>[1], api = juneApi()): unknown[] {
  return (buildCall(api, plan, 'test') as unknown as { values: unknown[] }).values
}

describe('the validator-entity generation (June 2026 source; test double of its metadata, not a runtime)', () => {
  test('its calls read as the validator-entity generation', () => {
    assert.equal(runtimeGeneration(juneApi()), 'validator-entity')
  })

  test('a validator is registered with the hotkey and no delegation', () => {
    assert.deepEqual(juneValues(registerValidatorPlan(HOTKEY)), [HOTKEY, 0n, null, null])
  })

  test('a node is registered by validator id; its own hotkey only where it is not the validator\'s', () => {
    const node = { subnetId: 2, hotkey: HOTKEY, peerId: PEER, clientPeerId: CLIENT_PEER, stake: 100n * TOKEN, maxBurn: 10n * TOKEN }
    const peer = { peerId: stringToHex(PEER), multiaddr: null }
    const client = { peerId: stringToHex(CLIENT_PEER), multiaddr: null }
    assert.deepEqual(juneValues(registerNodePlan('validator-entity', { ...node, validator: { id: 5, hotkey: HOTKEY } })),
      [5, 2, null, peer, null, client, 100n * TOKEN, null, null, 10n * TOKEN])
    // The chain gives the validator's hotkey in its checksum casing, mesh's key file maybe not.
    assert.deepEqual(juneValues(registerNodePlan('validator-entity', { ...node, validator: { id: 5, hotkey: HOTKEY.toLowerCase() } })),
      [5, 2, null, peer, null, client, 100n * TOKEN, null, null, 10n * TOKEN])
    assert.deepEqual(juneValues(registerNodePlan('validator-entity', { ...node, validator: { id: 5, hotkey: OTHER_HOTKEY } })),
      [5, 2, HOTKEY, peer, null, client, 100n * TOKEN, null, null, 10n * TOKEN])
  })

  test('node stake is added and removed by subnet node id', () => {
    const stake = { subnetId: 2, nodeId: 9, hotkey: HOTKEY, amount: 3n * TOKEN }
    assert.deepEqual(juneValues(nodeStakePlan('validator-entity', 'add', stake)), [2, 9, 3n * TOKEN])
    assert.deepEqual(juneValues(nodeStakePlan('validator-entity', 'remove', stake)), [2, 9, 3n * TOKEN])
  })

  test('attest names the attesting node; propose names it only where the call asks', () => {
    assert.deepEqual(juneValues(attestPlan('validator-entity', 2, 9)), [2, 9, null])
    const scores = [{ nodeId: 9, score: TOKEN }]
    const data = [{ subnetNodeId: 9, score: TOKEN }]
    assert.deepEqual(juneValues(proposePlan(2, scores, new Uint8Array([0xab]), 9)), [2, data, null, null, u8aToHex(new Uint8Array([0xab])), null])
    // The reading of the June pallet: propose taking the proposer's subnet node id.
    const withNode = juneApi({ proposeAttestation: [['subnetId', 'u32'], ['subnetNodeId', 'u32'], ...JUNE_CALLS.proposeAttestation!.slice(1)] })
    assert.deepEqual(juneValues(proposePlan(2, scores, undefined, 9), withNode), [2, 9, data, null, null, null, null])
    assert.throws(() => juneValues(proposePlan(2, scores, undefined), withNode),
      isChainError('CHAIN_CALL_ARGS', /network\.proposeAttestation on this runtime requires subnetNodeId/))
  })

  test('delegate stake: the slippage bounds a later commit added are sent as 0 only where asked', () => {
    assert.deepEqual(juneValues(addDelegateStakePlan('validator-entity', 2, 7n)), [2, 7n])
    assert.deepEqual(juneValues(removeDelegateStakePlan(2, 7n)), [2, 7n])
    // precompiles/network/src/staking/subnet_delegation.rs at 9848f758729d979eb9e1a3c5d66d63cf6b378f73.
    const bounded = juneApi({
      addSubnetDelegateStake: [['subnetId', 'u32'], ['stakeToBeAdded', 'u128'], ['minSharesOut', 'u128']],
      removeDelegateStake: [['subnetId', 'u32'], ['sharesToBeRemoved', 'u128'], ['minBalanceOut', 'u128']],
    })
    assert.deepEqual(juneValues(addDelegateStakePlan('validator-entity', 2, 7n), bounded), [2, 7n, 0n])
    assert.deepEqual(juneValues(removeDelegateStakePlan(2, 7n), bounded), [2, 7n, 0n])
  })

  test("the testnet generation's calls are refused there, naming the call or argument", () => {
    assert.throws(() => juneValues(nodeStakePlan('hoskinson', 'add', { subnetId: 2, nodeId: 9, hotkey: HOTKEY, amount: 1n })),
      isChainError('CHAIN_CALL_MISSING', /needs network\.addStake, which this runtime \(hypertensor-june-double spec 0, generation validator-entity\) does not have/))
    assert.throws(() => juneValues(attestPlan('hoskinson', 2)),
      isChainError('CHAIN_CALL_ARGS', /network\.attest on this runtime requires subnetNodeId, which mesh has no value for/))
    assert.throws(() => refuseUnsupported('validator-entity', 'registerSubnet', 'register_subnet "x"'),
      isChainError('CHAIN_CALL_UNSUPPORTED', /^register_subnet "x": network\.registerSubnet on this runtime \(generation validator-entity\) takes initial validators by validator id/))
    assert.doesNotThrow(() => refuseUnsupported('hoskinson', 'registerSubnet', 'x'))
  })

  test("a submission's validatorIds say who may attest, and how many the ratio is over", () => {
    // ConsensusData as the June pallet stores it (toPrimitive form): validator_ids snapshotted at proposal.
    const value: SubmissionValue = {
      validatorId: 4, block: 120, attests: { 4: { block: 120 }, 6: { block: 121 } }, subnetNodes: [],
      data: [{ subnetNodeId: 4, score: 1000 }], args: null, validatorIds: [4, 6, 9, 11],
    }
    assert.deepEqual(attestableNodeIds([6, 9, 12], value), [9]) // 6 attested already, 12 is not among them
    assert.deepEqual(attestableNodeIds([12], value), [])
    assert.equal(submissionFrom(3, value).validatorCount, 4)
    assert.deepEqual(submissionFrom(3, value).attestations.map((a) => a.nodeId), [4, 6])
  })

  test('the elected validator reads from either generation\'s storage value', () => {
    assert.equal(electedNodeId(7), 7)
    assert.equal(electedNodeId({ validatorSubnetNodeId: 7 }), 7)
  })
})
