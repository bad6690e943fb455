// The runtime's generation, told from its metadata, and the refusal of a call the runtime lacks
// before anything is signed or sent: against the runtime that runs here (the testnet's, under
// chopsticks). No runnable copy of the June 2026 "validator-entity" runtime exists to test against.
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { ApiPromise, WsProvider } from '@polkadot/api'
import { ChainError } from '../../src/chain/errors.js'
import { SubstrateChain } from '../../src/chain/substrate.js'
import { requireCall, runtimeGeneration } from '../../src/chain/substrate/generation.js'
import { type Chopsticks, chopsticksSkipReason, startChopsticks } from '../helpers/chopsticks.js'

describe('the runtime generation', { skip: chopsticksSkipReason() ?? false }, () => {
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

  test("a call of the next generation is refused before sending, naming it and this runtime's generation", () => {
    assert.throws(() => requireCall(api, 'addNodeStake', 'add_node_stake on subnet 1'), (err: unknown) => {
      assert.ok(err instanceof ChainError)
      assert.equal(err.code, 'CHAIN_CALL_MISSING')
      assert.match(err.message, /^add_node_stake on subnet 1 needs network\.addNodeStake, which this runtime \(hypertensor-node spec 1, generation hoskinson\) does not have/)
      return true
    })
    assert.doesNotThrow(() => requireCall(api, 'addStake', 'add_stake'))
  })

  test('metadata with the validator entity and node stake calls reads as the validator-entity generation', () => {
    // The June runtime's calls, as its metadata would list them beside this runtime's.
    const calls = { ...api.tx.network, registerValidator: () => undefined, addNodeStake: () => undefined }
    const june = { tx: { network: calls }, runtimeVersion: api.runtimeVersion } as unknown as ApiPromise
    assert.equal(runtimeGeneration(june), 'validator-entity')
    const withoutStake = { tx: { network: { ...api.tx.network, registerValidator: () => undefined, addNodeStake: () => undefined, addStake: undefined } },
      runtimeVersion: api.runtimeVersion } as unknown as ApiPromise
    assert.throws(() => requireCall(withoutStake, 'addStake', 'add_stake to node 1'), /needs network\.addStake, which this runtime .*generation validator-entity\) does not have.*mesh does not send this call there yet/)
  })
})
