// The nonce of a transaction whose fate is unknown (timed out, connection lost) is released: the
// account's next write re-reads the node's next index. The node here is a test double of the one
// RPC Nonces reads (`system_accountNextIndex`), standing for a node whose pool lost a transaction.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { ApiPromise } from '@polkadot/api'
import { Nonces } from '../../src/chain/substrate/nonces.js'

const ADDRESS = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY'

/** A node double: its next index for the account is `next.value` (the included transactions and the pool's). */
function nodeAt(next: { value: number }): ApiPromise {
  return { rpc: { system: { accountNextIndex: async () => ({ toNumber: () => next.value }) } } } as unknown as ApiPromise
}

test('a transaction that never lands: without its release the next write would take a nonce the chain never reaches; released, it takes the node\'s index', async () => {
  const node = { value: 5 }
  const api = nodeAt(node)
  const nonces = new Nonces()
  assert.equal(await nonces.use(api, ADDRESS, async (nonce) => nonce), 5, 'the pool accepted 5')
  // The pool drops it, or the caller's wait for inclusion times out: the node's index stays at 5.
  assert.equal(await nonces.use(api, ADDRESS, async (nonce) => nonce), 6, 'unreleased: one past a transaction that is gone ("future")')
  nonces.forget(ADDRESS)
  assert.equal(await nonces.use(api, ADDRESS, async (nonce) => nonce), 5, 'released: the node\'s next index again')
  node.value = 6 // it is included
  assert.equal(await nonces.use(api, ADDRESS, async (nonce) => nonce), 6)
})

test('writes of one account are handed nonces one at a time, a refused one spending none', async () => {
  const api = nodeAt({ value: 0 })
  const nonces = new Nonces()
  const sent = await Promise.all([0, 1, 2].map(() => nonces.use(api, ADDRESS, async (nonce) => nonce)))
  assert.deepEqual(sent, [0, 1, 2])
  await assert.rejects(nonces.use(api, ADDRESS, async () => { throw new Error('1010: invalid') }))
  assert.equal(await nonces.use(api, ADDRESS, async (nonce) => nonce), 0, 'after a refusal the node\'s index counts again')
})
