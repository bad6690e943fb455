// A `mesh run` process survives the AbortError kad-dht 16 leaks from an aborted query
// (js-libp2p#2216), made by kad-dht's own code in the process, and stays fatal for any other.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { mkdtemp } from 'node:fs/promises'
import { createServer, type Server, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { DEV_ACCOUNTS } from '../../src/chain/accounts.js'
import { testModelFile } from '../../src/inference/gguf/test-model-file.js'
import { isKadDhtAbort } from '../../src/node/crash-guard.js'
import { MESH_BIN, runMesh } from '../helpers/cli.js'

const POLYFILL = fileURLToPath(new URL('../../src/polyfill.js', import.meta.url))
const TRIGGER = fileURLToPath(new URL('../helpers/kad-abort.js', import.meta.url))

/** A chain endpoint that accepts connections and never answers: `mesh run` waits on it for its timeout. */
async function silentEndpoint(): Promise<{ url: string; server: Server; sockets: Set<Socket> }> {
  const sockets = new Set<Socket>()
  const server = createServer((socket) => { sockets.add(socket); socket.on('error', () => {}) })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  return { url: `ws://127.0.0.1:${(server.address() as { port: number }).port}`, server, sockets }
}

async function runWithTrigger(kind: 'kad' | 'other'): Promise<{ code: number | null; stderr: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'mesh-guard-'))
  const key = join(dir, 'peer.key')
  assert.equal((await runMesh(['keygen', '--path', key])).code, 0)
  const chain = await silentEndpoint()
  try {
    return await new Promise((resolve) => {
      execFile(process.execPath, ['--import', POLYFILL, '--import', TRIGGER, MESH_BIN, 'run', testModelFile({ quant: 'q8_0' }), '--hoster',
        '--identity_path', key, '--subnet_id', '1', '--new_swarm', '--host_maddrs', '/ip4/127.0.0.1/tcp/0', '--local_chain', chain.url],
      { env: { ...process.env, MESH_HOTKEY: DEV_ACCOUNTS.alith, MESH_TEST_ABORT: kind, MESH_LOG_LEVEL: 'warn' }, timeout: 90_000 },
      (err, _stdout, stderr) => resolve({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : null, stderr }))
    })
  } finally {
    for (const socket of chain.sockets) socket.destroy()
    await new Promise((resolve) => chain.server.close(resolve))
  }
}

test('the AbortError of an aborted kad-dht query is logged and ignored: the process lives on to its own end', { timeout: 120_000 }, async () => {
  const { code, stderr } = await runWithTrigger('kad')
  assert.match(stderr, /ignored an aborted DHT query that kad-dht left unhandled \(js-libp2p#2216\)/)
  assert.doesNotMatch(stderr, /fatal:/)
  // It went on waiting for the (silent) chain, and ended on that, with its clear error.
  assert.match(stderr, /CHAIN_UNREACHABLE/)
  assert.equal(code, 1)
})

test('any other AbortError left unhandled still ends the process, printed', { timeout: 120_000 }, async () => {
  const { code, stderr } = await runWithTrigger('other')
  assert.match(stderr, /fatal: unhandled rejection: AbortError: aborted elsewhere/)
  assert.doesNotMatch(stderr, /CHAIN_UNREACHABLE/)
  assert.equal(code, 1)
})

test('isKadDhtAbort: only an AbortError made in kad-dht', () => {
  const abort = (frame: string, name = 'AbortError'): Error => Object.assign(new Error('The operation was aborted'), {
    name, stack: `${name}: The operation was aborted\n    at ${frame}\n    at abortSignal (node:internal/abort_controller:369:10)`,
  })
  const kadFrame = 'EventTarget.onAbort (file:///app/node_modules/@libp2p/kad-dht/dist/src/query/query-path.js:39:20)'
  assert.equal(isKadDhtAbort(abort(kadFrame)), true)
  assert.equal(isKadDhtAbort(abort('Timeout._onTimeout (file:///app/node_modules/ws/lib/websocket.js:17:16)')), false)
  assert.equal(isKadDhtAbort(abort(kadFrame, 'TypeError')), false)
  assert.equal(isKadDhtAbort('AbortError'), false)
  assert.equal(isKadDhtAbort(undefined), false)
})
