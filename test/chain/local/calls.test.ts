// The extrinsics' rules beyond the contract: subnet registration and activation, the whitelist,
// node registration checks, unbonding, and that a refused call changes nothing.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { randomAccount, type KeyringPair } from '../../../src/chain/accounts.js'
import { TOKEN } from '../../../src/chain/chain.js'
import { LocalChain } from '../../../src/chain/local/local-chain.js'
import { toJson } from '../../../src/chain/local/json.js'
import { LocalChainRuntime } from '../../../src/chain/local/runtime.js'
import { freshPeerId, rejectsWith } from '../contract.js'
import { elected, localSubnet, nodeView, toNextEpoch } from './fixture.js'

async function funded(runtime: LocalChainRuntime, count: number): Promise<KeyringPair[]> {
  const accounts = []
  for (let i = 0; i < count; i++) {
    const account = await randomAccount()
    runtime.fund(account.address)
    accounts.push(account)
  }
  return accounts
}

test('a subnet is registered with valid parameters and activated by its owner once it has enough nodes', async () => {
  const runtime = new LocalChainRuntime({ params: { epochLength: 5 } })
  const [owner, a, b, c, outsider] = await funded(runtime, 5)
  const ownerChain = new LocalChain(runtime, { coldkey: owner! })
  const params = { name: 'rules', minStake: 100n * TOKEN, maxStake: 1000n * TOKEN, initialColdkeys: [a!.address, b!.address, c!.address] }
  await rejectsWith(ownerChain.registerSubnet({ ...params, initialColdkeys: [a!.address, b!.address] }), 'network.InvalidSubnetRegistrationInitialColdkeys')
  await rejectsWith(ownerChain.registerSubnet({ ...params, minStake: 10n * TOKEN }), 'network.InvalidSubnetMinStake')
  await rejectsWith(ownerChain.registerSubnet({ ...params, maxStake: 5000n * TOKEN }), 'network.InvalidSubnetMaxStake')
  await rejectsWith(ownerChain.registerSubnet({ ...params, minStake: 200n * TOKEN, maxStake: 150n * TOKEN }), 'network.InvalidSubnetStakeParameters')
  await rejectsWith(new LocalChain(runtime, { coldkey: await randomAccount() }).registerSubnet(params), 'network.NotEnoughBalanceToRegisterSubnet')
  const subnetId = await ownerChain.registerSubnet(params)
  await rejectsWith(ownerChain.registerSubnet(params), 'network.SubnetNameExist')
  assert.equal((await ownerChain.subnet(subnetId))?.state, 'Registered')

  const register = async (coldkey: KeyringPair): Promise<number> => {
    const hotkey = await randomAccount()
    return new LocalChain(runtime, { hotkey, coldkey }).registerSubnetNode({ subnetId, hotkey: hotkey.address, peerId: await freshPeerId(), stake: 100n * TOKEN })
  }
  await rejectsWith(register(outsider!), 'network.ColdkeyRegistrationWhitelist')
  await register(a!)
  await rejectsWith(register(a!), 'network.ColdkeyRegistrationWhitelist')
  await register(b!)
  await rejectsWith(ownerChain.activateSubnet(subnetId), 'network.SubnetActivationConditionsNotMetYet')
  await register(c!)
  await rejectsWith(new LocalChain(runtime, { coldkey: a! }).activateSubnet(subnetId), 'network.NotSubnetOwner')
  await ownerChain.activateSubnet(subnetId)
  await rejectsWith(ownerChain.activateSubnet(subnetId), 'network.SubnetActivatedAlready')
  const nodes = await ownerChain.subnetNodes(subnetId)
  assert.deepEqual(nodes.map((n) => n.class), ['Validator', 'Validator', 'Validator'])
  // Once active, anyone may register; the node queues as Registered.
  const late = await register(outsider!)
  assert.equal((await ownerChain.subnetNodes(subnetId)).find((n) => n.id === late)?.class, 'Registered')
})

test('node registration checks keys, peer ids and stake, and a refused call changes nothing', async () => {
  const fx = await localSubnet({ nodes: 3 })
  const [coldkey, hotkey, poor] = await funded(fx.runtime, 3)
  const chain = new LocalChain(fx.runtime, { coldkey: coldkey!, hotkey: hotkey! })
  const base = { subnetId: fx.subnetId, hotkey: hotkey!.address, stake: 100n * TOKEN }
  const taken = (await fx.reader.subnetNodes(fx.subnetId))[0]!
  const before = toJson(fx.runtime.snapshot())
  await rejectsWith(chain.registerSubnetNode({ ...base, hotkey: coldkey!.address, peerId: await freshPeerId() }), 'network.ColdkeyMatchesHotkey')
  await rejectsWith(chain.registerSubnetNode({ ...base, hotkey: taken.hotkey, peerId: await freshPeerId() }), 'network.HotkeyHasOwner')
  await rejectsWith(chain.registerSubnetNode({ ...base, peerId: 'not-a-peer-id' }), 'network.InvalidPeerId')
  await rejectsWith(chain.registerSubnetNode({ ...base, peerId: await freshPeerId(), bootnodePeerId: 'x' }), 'network.InvalidBootnodePeerId')
  await rejectsWith(chain.registerSubnetNode({ ...base, peerId: await freshPeerId(), bootnodePeerId: taken.peerId }), 'network.BootnodePeerIdExist')
  await rejectsWith(chain.registerSubnetNode({ ...base, peerId: await freshPeerId(), stake: 1001n * TOKEN }), 'network.MaxStakeReached')
  const same = await freshPeerId()
  await rejectsWith(chain.registerSubnetNode({ ...base, peerId: same, clientPeerId: same }), 'network.PeerIdsMustBeUnique')
  await rejectsWith(new LocalChain(fx.runtime, { coldkey: await randomAccount() }).registerSubnetNode({ ...base, peerId: await freshPeerId() }), 'network.NotEnoughBalanceToStake')
  await rejectsWith(chain.registerSubnetNode({ ...base, hotkey: 'nope', peerId: await freshPeerId() }), 'CHAIN_INVALID_ADDRESS')
  assert.equal(toJson(fx.runtime.snapshot()), before, 'refused calls leave the state as it was')

  // Bootnode and client peer ids prove stake like the node's own, once the node leaves the queue.
  const peerId = await freshPeerId()
  const bootnodePeerId = await freshPeerId()
  const clientPeerId = await freshPeerId()
  const nodeId = await chain.registerSubnetNode({ ...base, peerId, bootnodePeerId, clientPeerId })
  for (const id of [peerId, bootnodePeerId, clientPeerId]) assert.equal(await fx.reader.proofOfStake(fx.subnetId, id), false)
  for (let i = 0; i <= fx.runtime.params.queueEpochs; i++) await toNextEpoch(fx)
  assert.equal((await nodeView(fx, nodeId))?.class, 'Idle')
  for (const id of [peerId, bootnodePeerId, clientPeerId]) {
    assert.equal(await fx.reader.proofOfStake(fx.subnetId, id), true)
    assert.equal(await fx.reader.proofOfStake(fx.subnetId, id, 'Included'), false)
  }
  await rejectsWith(chain.registerSubnetNode({ ...base, hotkey: poor!.address, peerId: await freshPeerId(), clientPeerId }), 'network.ClientPeerIdExist')
  await rejectsWith(new LocalChain(fx.runtime, { coldkey: poor!, hotkey: hotkey! }).addStake(fx.subnetId, nodeId, hotkey!.address, TOKEN), 'network.NotKeyOwner')
  await rejectsWith(chain.addStake(fx.subnetId, nodeId, hotkey!.address, 0n), 'network.AmountZero')
  await rejectsWith(chain.addStake(fx.subnetId, nodeId + 1, hotkey!.address, TOKEN), 'network.InvalidSubnetNodeId')
})

test('removed stake returns to the coldkey after the cooldown; the elected validator cannot unstake', async () => {
  const fx = await localSubnet({ nodes: 3, params: { stakeCooldownEpochs: 1 } })
  await toNextEpoch(fx)
  const validator = await elected(fx)
  await validator.chain.addStake(fx.subnetId, validator.nodeId, validator.chain.hotkey!, 10n * TOKEN)
  await rejectsWith(validator.chain.removeStake(fx.subnetId, TOKEN), 'network.ElectedValidatorCannotUnstake')
  const other = fx.nodes.find((n) => n !== validator)!
  await other.chain.addStake(fx.subnetId, other.nodeId, other.chain.hotkey!, 10n * TOKEN)
  const coldkey = other.chain.coldkey!
  const balance = fx.runtime.balance(coldkey)
  await other.chain.removeStake(fx.subnetId, 10n * TOKEN)
  assert.equal(fx.runtime.balance(coldkey), balance)
  fx.runtime.advance(fx.runtime.params.epochLength - 1)
  assert.equal(fx.runtime.balance(coldkey), balance, 'still unbonding')
  fx.runtime.advance(1)
  assert.equal(fx.runtime.balance(coldkey), balance + 10n * TOKEN)
})

test('without an election or a submission, consensus calls are refused', async () => {
  const fx = await localSubnet({ nodes: 3 })
  // Activated this epoch: no election until the next slot block.
  await rejectsWith(fx.nodes[0]!.chain.proposeAttestation(fx.subnetId, []), 'network.NoElectedValidator')
  await toNextEpoch(fx)
  await rejectsWith(fx.nodes[0]!.chain.attest(fx.subnetId), 'network.InvalidSubnetConsensusSubmission')
  await rejectsWith(fx.reader.proposeAttestation(fx.subnetId, []), 'CHAIN_NO_SIGNER')
})
