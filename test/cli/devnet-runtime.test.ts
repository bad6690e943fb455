// `mesh devnet --runtime hypertensor`'s bad inputs, each refused with its code and fix. The devnet
// itself on the real runtime (3 epochs at 5-second blocks, about 9 minutes): devnet-runtime-epochs.test.ts.
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { MESH_BIN, runMesh } from '../helpers/cli.js'
import { HYPERTENSOR_SPEC } from '../helpers/chopsticks.js'

describe('mesh devnet --runtime: bad inputs', () => {
  const devnet = async (args: string[]) => runMesh(['devnet', ...args, '--dir', await mkdtemp(join(tmpdir(), 'mesh-devnet-args-'))])

  test('--runtime hypertensor without --spec', async () => {
    const out = await devnet(['--runtime', 'hypertensor'])
    assert.equal(out.code, 1)
    assert.match(out.stderr, /--runtime hypertensor needs --spec <raw chain spec> \(pass --spec .*\) \[USAGE\]/)
  })

  test('--spec without --runtime hypertensor', async () => {
    const out = await devnet(['--spec', HYPERTENSOR_SPEC])
    assert.equal(out.code, 1)
    assert.match(out.stderr, /--spec is the real runtime's chain spec; the local chain takes none \(add --runtime hypertensor, or drop --spec\) \[USAGE\]/)
  })

  test('an unknown --runtime', async () => {
    const out = await devnet(['--runtime', 'polkadot'])
    assert.equal(out.code, 1)
    assert.match(out.stderr, /unknown --runtime "polkadot" \(pass --runtime local or --runtime hypertensor\) \[USAGE\]/)
  })

  test('a spec file that cannot be read, is not JSON, or holds no raw genesis', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mesh-devnet-spec-'))
    const missing = await devnet(['--runtime', 'hypertensor', '--spec', join(dir, 'absent.json')])
    assert.equal(missing.code, 1)
    assert.match(missing.stderr, /cannot read the chain spec .*absent\.json: ENOENT.*\[SPEC_UNREADABLE\]/)
    await writeFile(join(dir, 'text.json'), 'not a spec')
    const text = await devnet(['--runtime', 'hypertensor', '--spec', join(dir, 'text.json')])
    assert.equal(text.code, 1)
    assert.match(text.stderr, /the chain spec .*text\.json is not JSON \(pass --spec a raw chain spec \(JSON\)\) \[SPEC_INVALID\]/)
    // A plain (not raw) spec has genesis.runtime, not genesis.raw: chopsticks cannot start from it.
    await writeFile(join(dir, 'plain.json'), JSON.stringify({ name: 'plain', genesis: { runtime: {} } }))
    const plain = await devnet(['--runtime', 'hypertensor', '--spec', join(dir, 'plain.json')])
    assert.equal(plain.code, 1)
    assert.match(plain.stderr, /the chain spec .*plain\.json has no raw genesis state \(genesis\.raw\.top\).*\[SPEC_INVALID\]/)
  })

  test('without chopsticks installed: the error names the install', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mesh-devnet-nochopsticks-'))
    // The smallest raw spec passes the spec check; chopsticks is looked for before it would start.
    await writeFile(join(dir, 'raw.json'), JSON.stringify({ name: 'raw', genesis: { raw: { top: {} } } }))
    const hide = fileURLToPath(new URL('../helpers/without-chopsticks.js', import.meta.url))
    const out = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      execFile(process.execPath, ['--import', hide, MESH_BIN, 'devnet', '--runtime', 'hypertensor', '--spec', join(dir, 'raw.json'), '--dir', dir],
        { timeout: 60_000 }, (err, _stdout, stderr) => resolve({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : 1, stderr }))
    })
    assert.equal(out.code, 1)
    assert.match(out.stderr, /chopsticks, which runs the Hypertensor runtime locally, is not installed .*\(install it beside mesh: npm install @acala-network\/chopsticks@1\.5\.1\) \[CHOPSTICKS_MISSING\]/)
  })

  test('--epoch-length with the runtime, which has its own; a --block-time that is not a positive number', async () => {
    const length = await devnet(['--runtime', 'hypertensor', '--spec', HYPERTENSOR_SPEC, '--epoch-length', '10'])
    assert.equal(length.code, 1)
    assert.match(length.stderr, /--epoch-length is the local chain's; the runtime has its own epoch length \(drop --epoch-length\) \[USAGE\]/)
    const block = await devnet(['--block-time', '0'])
    assert.equal(block.code, 1)
    assert.match(block.stderr, /--block-time must be a number of seconds > 0, got "0" \[USAGE\]/)
  })
})
