// The client when the server is down, goes away, comes back, drops a call or says nothing.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp } from 'node:fs/promises'
import { createServer, type AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { WebSocketServer } from 'ws'
import { randomAccount } from '../../../src/chain/accounts.js'
import { LocalChainClient } from '../../../src/chain/local/client.js'
import { fromJson, toJson } from '../../../src/chain/local/json.js'
import { LocalChainRuntime } from '../../../src/chain/local/runtime.js'
import { LocalChainServer } from '../../../src/chain/local/server.js'
import { rejectsWith, waitFor } from '../contract.js'

async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return port
}

test('a chain that is down fails the connection at once with CHAIN_UNREACHABLE, naming the URL and the fix', async () => {
  const port = await freePort()
  const url = `ws://127.0.0.1:${port}`
  const started = Date.now()
  await assert.rejects(LocalChainClient.connect({ url }), (err: Error & { code?: string }) => {
    assert.equal(err.code, 'CHAIN_UNREACHABLE')
    assert.match(err.message, new RegExp(`the local chain at ${url} is unreachable.*mesh chain local --port ${port}`))
    return true
  })
  assert.ok(Date.now() - started < 10_000)
})

test('when the server goes away calls fail in time; when it comes back the client reconnects and no block is missed', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mesh-chain-client-'))
  const statePath = join(dir, 'chain.json')
  const first = new LocalChainRuntime({ statePath })
  const port = await freePort()
  let server = new LocalChainServer(first, { port })
  const url = await server.listen()
  const client = await LocalChainClient.connect({ url, timeoutMs: 1500 })
  try {
    const blocks: number[] = []
    await client.subscribeBlocks((block) => blocks.push(block))
    const start = first.block
    first.advance(1)
    await waitFor('the first block', () => blocks.length === 1)

    await server.close()
    const failedAt = Date.now()
    await rejectsWith(client.blockNumber(), 'CHAIN_UNREACHABLE')
    assert.ok(Date.now() - failedAt < 10_000, 'no hang')

    // The chain restarts from its state file and makes blocks before the client is back.
    const second = new LocalChainRuntime({ statePath })
    second.advance(2)
    server = new LocalChainServer(second, { port })
    await server.listen()
    await waitFor('the reconnection', async () => (await client.blockNumber().catch(() => -1)) === start + 3)
    second.advance(1)
    await waitFor('the blocks since', () => blocks.includes(start + 4))
    assert.deepEqual(blocks, [start + 1, start + 2, start + 3, start + 4])
  } finally {
    await client.close()
    await server.close()
  }
})

test('a write whose connection drops fails with CHAIN_UNREACHABLE; a silent server times a read out', async () => {
  // A test double of a misbehaving server (the real one always answers): it greets, stays silent on
  // reads and drops the connection on writes.
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 })
  await new Promise((resolve) => wss.once('listening', resolve))
  wss.on('connection', (socket) => {
    socket.on('message', (data) => {
      const message = fromJson(data.toString()) as { id: number; type: string }
      if (message.type === 'hello') socket.send(toJson({ id: message.id, result: { chainId: 'silent', blockTimeMs: 1000, epochLength: 5, block: 1 } }))
      if (message.type === 'write') socket.terminate()
    })
  })
  const url = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`
  const client = await LocalChainClient.connect({ url, timeoutMs: 1000, hotkey: await randomAccount() })
  try {
    await assert.rejects(client.attest(1), (err: Error & { code?: string }) => {
      assert.equal(err.code, 'CHAIN_UNREACHABLE')
      assert.match(err.message, /may or may not have been applied/)
      return true
    })
    await assert.rejects(client.blockNumber(), /no answer within 1000 ms/)
  } finally {
    await client.close()
    for (const socket of wss.clients) socket.terminate()
    await new Promise((resolve) => wss.close(resolve))
  }
})

test('a closed client refuses calls', async () => {
  const runtime = new LocalChainRuntime()
  const server = new LocalChainServer(runtime, { port: 0 })
  const client = await LocalChainClient.connect({ url: await server.listen() })
  assert.equal(client.blockTimeMs, runtime.params.blockTimeMs)
  assert.equal(await client.blockNumber(), runtime.block)
  await client.close()
  await rejectsWith(client.blockNumber(), 'CHAIN_CLOSED')
  await server.close()
})
