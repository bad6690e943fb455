import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { privateKeyFromProtobuf } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { runMesh } from '../helpers/cli.js'

test('keygen writes three Ed25519 protobuf keys with mode 0600 and prints their peer ids', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mesh-keygen-'))
  const paths = ['peer.key', 'bootstrap.key', 'client.key'].map((f) => join(dir, f))
  const out = await runMesh(['keygen', '--path', paths[0], '--bootstrap_path', paths[1], '--client_path', paths[2]])
  assert.equal(out.code, 0, out.stderr)
  for (const path of paths) {
    assert.equal((await stat(path)).mode & 0o777, 0o600)
    const key = privateKeyFromProtobuf(await readFile(path))
    assert.equal(key.type, 'Ed25519')
    const id = peerIdFromPrivateKey(key).toString()
    assert.match(out.stdout, new RegExp(`${id}\\s+${path.replace(/[.]/g, '\\.')}`))
    const shown = await runMesh(['keygen', '--show', path])
    assert.equal(shown.stdout.trim(), id)
  }
})

test('keygen refuses to overwrite unless --force', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mesh-keygen-'))
  const path = join(dir, 'peer.key')
  assert.equal((await runMesh(['keygen', '--path', path])).code, 0)
  const before = await readFile(path)
  const again = await runMesh(['keygen', '--path', path])
  assert.equal(again.code, 1)
  assert.match(again.stderr, /already exists.*--force/)
  assert.deepEqual(await readFile(path), before)
  assert.equal((await runMesh(['keygen', '--path', path, '--force'])).code, 0)
  assert.notDeepEqual(await readFile(path), before)
})

test('a corrupt or wrong-type key file gets an error naming the file', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mesh-keygen-'))
  const corrupt = join(dir, 'corrupt.key')
  await writeFile(corrupt, 'not a key')
  const bad = await runMesh(['keygen', '--show', corrupt])
  assert.equal(bad.code, 1)
  assert.match(bad.stderr, new RegExp(`${corrupt.replace(/[.]/g, '\\.')} is not a libp2p private key file`))

  // A secp256k1 key in the same protobuf envelope: KeyType 2.
  const { generateKeyPair, privateKeyToProtobuf } = await import('@libp2p/crypto/keys')
  const wrong = join(dir, 'secp.key')
  await writeFile(wrong, privateKeyToProtobuf(await generateKeyPair('secp256k1')))
  const typed = await runMesh(['keygen', '--show', wrong])
  assert.equal(typed.code, 1)
  assert.match(typed.stderr, /holds a secp256k1 key; mesh identities are Ed25519/)

  const missing = await runMesh(['keygen', '--show', join(dir, 'nope.key')])
  assert.match(missing.stderr, /cannot read key file .*nope\.key/)
})

test('keygen without a file names what to pass', async () => {
  const out = await runMesh(['keygen'])
  assert.equal(out.code, 1)
  assert.match(out.stderr, /pass --path/)
})
