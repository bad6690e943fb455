import { test } from 'node:test'
import assert from 'node:assert/strict'
import { randomAccount } from '../../src/chain/accounts.js'
import { connectChain } from '../../src/chain/connect.js'
import { LocalChainClient } from '../../src/chain/local/client.js'
import { LocalChain } from '../../src/chain/local/local-chain.js'
import { LocalChainRuntime } from '../../src/chain/local/runtime.js'
import { LocalChainServer } from '../../src/chain/local/server.js'
import { rejectsWith } from './contract.js'

test('connectChain picks the in-process chain or the local chain server from the options', async () => {
  const runtime = new LocalChainRuntime()
  const hotkey = await randomAccount()
  const inProcess = await connectChain({ runtime, hotkey })
  assert.ok(inProcess instanceof LocalChain)
  assert.equal(inProcess.hotkey, hotkey.address)

  const server = new LocalChainServer(runtime, { port: 0 })
  const remote = await connectChain({ localChain: await server.listen(), hotkey })
  try {
    assert.ok(remote instanceof LocalChainClient)
    assert.equal(remote.hotkey, hotkey.address)
    assert.equal(await remote.blockNumber(), runtime.block)
  } finally {
    await remote.close()
    await server.close()
  }
})

test('connectChain without a chain, or with a bad URL, says what to pass', async () => {
  await rejectsWith(connectChain({}), 'CHAIN_NOT_CONFIGURED')
  await assert.rejects(connectChain({}), /--local_chain ws:\/\/127\.0\.0\.1:9944/)
  await rejectsWith(connectChain({ localChain: 'http://127.0.0.1:9944' }), 'CHAIN_BAD_URL')
})

test('connectChain with --rpc reaches a Hypertensor node, and says which one is down', async () => {
  await rejectsWith(connectChain({ rpc: 'ws://127.0.0.1:1', timeoutMs: 1000 }), 'CHAIN_UNREACHABLE')
  await rejectsWith(connectChain({ rpc: 'http://127.0.0.1:9944' }), 'CHAIN_BAD_URL')
  await rejectsWith(connectChain({ rpc: 'ws://127.0.0.1:1', localChain: 'ws://127.0.0.1:2' }), 'CHAIN_AMBIGUOUS')
})
