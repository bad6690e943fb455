// The runtime: blocks on a timer, block listeners, and the state file.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DEV_ACCOUNTS, accountFromSecret } from '../../../src/chain/accounts.js'
import { fromJson, toJson } from '../../../src/chain/local/json.js'
import { LocalChainRuntime } from '../../../src/chain/local/runtime.js'
import { GENESIS_BALANCE } from '../../../src/chain/local/state.js'
import { rejectsWith, waitFor } from '../contract.js'
import { runEpoch, toNextEpoch, localSubnet } from './fixture.js'

test('blocks come on the timer, each to the listeners in order, until stopped', async () => {
  const runtime = new LocalChainRuntime({ params: { blockTimeMs: 10 } })
  const seen: number[] = []
  const off = runtime.onBlock((block) => seen.push(block))
  const start = runtime.block
  runtime.start()
  try {
    await waitFor('three blocks', () => seen.length >= 3)
  } finally {
    runtime.stop()
  }
  off()
  assert.deepEqual(seen.slice(0, 3), [start + 1, start + 2, start + 3])
  const stoppedAt = runtime.block
  await new Promise((resolve) => setTimeout(resolve, 50))
  assert.equal(runtime.block, stoppedAt, 'no block after stop')
})

test('the dev accounts are funded at genesis, and more accounts on request', async () => {
  const alith = (await accountFromSecret(DEV_ACCOUNTS.alith)).address
  const extra = '0x0000000000000000000000000000000000000001'
  const runtime = new LocalChainRuntime({ balances: { [extra]: 5n } })
  assert.equal(runtime.balance(alith), GENESIS_BALANCE)
  assert.equal(runtime.balance(extra), 5n)
  assert.equal(new LocalChainRuntime({ devAccounts: false }).balance(alith), 0n)
})

test('the state file keeps the whole chain across a restart, written atomically', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mesh-chain-state-'))
  const statePath = join(dir, 'chain.json')
  const fx = await localSubnet({ nodes: 3 })
  // Move a chain with history into a file-backed runtime, then restart from the file.
  await writeFile(statePath, toJson(fx.runtime.snapshot()))
  const first = new LocalChainRuntime({ statePath })
  first.advance(7)
  const saved = toJson(first.snapshot())
  assert.equal(existsSync(`${statePath}.tmp`), false)
  const second = new LocalChainRuntime({ statePath, blockTimeMs: 250 })
  assert.equal(second.params.blockTimeMs, 250, 'the pace may change across restarts')
  assert.equal(toJson({ ...second.snapshot(), params: { ...second.snapshot().params, blockTimeMs: fx.runtime.params.blockTimeMs } }), saved)
  assert.equal(second.chainId, fx.runtime.chainId)
})

test('a corrupt state file is refused with a clear error', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mesh-chain-state-'))
  const statePath = join(dir, 'chain.json')
  await writeFile(statePath, '{"version": 1, "blo')
  await rejectsWith((async () => new LocalChainRuntime({ statePath }))(), 'CHAIN_STATE_INVALID')
  await writeFile(statePath, '{"hello": "world"}')
  await rejectsWith((async () => new LocalChainRuntime({ statePath }))(), 'CHAIN_STATE_INVALID')
})

test('bigints survive the JSON codec, and look-alikes stay what they were', () => {
  const value = { a: 10n ** 30n, b: [-5n], c: { $bigint: 'x' }, d: '12' }
  assert.deepEqual(fromJson(toJson(value)), value)
})

test('a busy chain keeps its history bounded', async () => {
  const fx = await localSubnet({ nodes: 3, params: { historyEpochs: 2 } })
  await toNextEpoch(fx)
  const first = (await fx.reader.epochInfo(fx.subnetId)).epoch
  for (let i = 0; i < 4; i++) await runEpoch(fx)
  assert.equal(await fx.reader.consensusSubmission(fx.subnetId, first), null)
  assert.equal(await fx.reader.electedValidator(fx.subnetId, first), null)
  assert.ok(await fx.reader.consensusSubmission(fx.subnetId, first + 3))
})

test('a clock that cannot tick is refused', () => {
  assert.throws(() => new LocalChainRuntime({ params: { epochLength: 0 } }), /epoch length 0/)
  assert.throws(() => new LocalChainRuntime({ params: { epochLength: 2.5 } }), (err: Error & { code?: string }) => err.code === 'CHAIN_BAD_PARAMS')
  assert.throws(() => new LocalChainRuntime({ params: { blockTimeMs: 0 } }), (err: Error & { code?: string }) => err.code === 'CHAIN_BAD_PARAMS')
})
