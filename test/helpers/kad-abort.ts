// Loaded into a `mesh run` process with --import: once the process has installed its error
// handlers, makes kad-dht's own query-path code reject with an AbortError that nothing awaits,
// as kad-dht 16 does when its self-query is aborted (js-libp2p#2216). With MESH_TEST_ABORT=other,
// an AbortError of this file's own making is left unhandled instead: one the node must not ignore.
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { createRequire } from 'node:module'
import { pathToFileURL } from 'node:url'

interface QueryPath { queryPath(options: Record<string, unknown>): AsyncGenerator<unknown> }

async function abortKadQuery(): Promise<void> {
  // query-path is not among the package's exports: it is loaded by its file, as kad-dht loads it.
  const main = createRequire(import.meta.url).resolve('@libp2p/kad-dht').replace(/index\.js$/, 'query/query-path.js')
  const { queryPath } = await import(pathToFileURL(main).href) as QueryPath
  const controller = new AbortController()
  const log = Object.assign(() => {}, { error: () => {}, trace: () => {} })
  const path = queryPath({
    key: new Uint8Array(32), startingPeers: [], ourPeerId: peerIdFromPrivateKey(await generateKeyPair('Ed25519')),
    query: async function* () {}, alpha: 1, path: 0, numPaths: 1, kBucketSize: 20, log, peersSeen: new Set(),
    connectionManager: {}, signal: controller.signal,
  })
  void path.next() // left unhandled on purpose: this is the failure under test
  setTimeout(() => controller.abort(), 10)
}

const waitForHandlers = setInterval(() => {
  if (process.listenerCount('unhandledRejection') === 0) return
  clearInterval(waitForHandlers)
  if (process.env.MESH_TEST_ABORT === 'other') void Promise.reject(Object.assign(new Error('aborted elsewhere'), { name: 'AbortError' }))
  else void abortKadQuery()
}, 20)
waitForHandlers.unref()
