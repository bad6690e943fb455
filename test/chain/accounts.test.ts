import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DEV_ACCOUNTS, accountFromSecret, loadAccount } from '../../src/chain/accounts.js'

test('a private key gives the Ethereum address of the dev genesis', async () => {
  const alith = await accountFromSecret(DEV_ACCOUNTS.alith)
  assert.equal(alith.address, '0xf24FF3a9CF04c71Dbc94D0b566f7A27B94566cac')
})

test('accounts load from a file or an environment variable, never from a bad secret', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mesh-acct-'))
  const file = join(dir, 'hotkey')
  await writeFile(file, `${DEV_ACCOUNTS.baltathar}\n`)
  assert.equal((await loadAccount(file, 'MESH_TEST_UNSET'))?.address, '0x3Cd0A705a2DC65e5b1E1205896BaA2be8A07c6e0')
  process.env.MESH_TEST_HOTKEY = DEV_ACCOUNTS.alith
  assert.equal((await loadAccount(undefined, 'MESH_TEST_HOTKEY'))?.address, '0xf24FF3a9CF04c71Dbc94D0b566f7A27B94566cac')
  assert.equal(await loadAccount(undefined, 'MESH_TEST_UNSET'), undefined)
  await writeFile(file, 'hello')
  await assert.rejects(loadAccount(file, 'X'), /hotkey is neither a 0x private key/)
  await assert.rejects(loadAccount(join(dir, 'missing'), 'X'), /cannot read account file/)
})
