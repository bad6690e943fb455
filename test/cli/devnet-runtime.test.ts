// `mesh devnet --runtime hypertensor` as a user runs it: the real Hypertensor runtime under
// chopsticks from the testnet's raw chain spec, a block built every --block-time, the subnet set up
// through the chain client's calls, and each node a `mesh run --rpc` process.
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { execFile, spawn } from 'node:child_process'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { MESH_BIN, runMesh } from '../helpers/cli.js'
import { HYPERTENSOR_SPEC, chopsticksSkipReason } from '../helpers/chopsticks.js'

/**
 * Seconds a block. On the 2 shared cores here under a load of 14, chopsticks took 3.3 s on average to
 * build a block of this runtime (the longest 9.7 s; about 1 s on a quiet machine). At `--block-time
 * 1` the timer then builds back to back, a proposal lands 3 to 4 blocks after it is sent, past the
 * 3-block attest window (the first 15% of the runtime's 20-block epoch), and only the proposer
 * attested (25%, 25%, 50%: measured). 3 s leaves each block time for its transactions to be sent
 * before the next is built (0.65 s a block on average, the longest 2.47 s, at a load of 4), and
 * keeps the test near 5 minutes (8.8 at 5 s).
 */
const BLOCK_SECONDS = 3

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

test('mesh devnet --runtime hypertensor --epochs 3: every epoch challenged, revealed, attested and paid', { skip: chopsticksSkipReason() ?? false, timeout: 1_500_000 }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mesh-devnet-rt-'))
  const started = Date.now()
  const child = spawn(process.execPath, [MESH_BIN, 'devnet', '--runtime', 'hypertensor', '--spec', HYPERTENSOR_SPEC, '--block-time', String(BLOCK_SECONDS),
    '--epochs', '3', '--port', '0', '--dir', dir], { stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d: Buffer) => { stdout += d.toString() })
  child.stderr.on('data', (d: Buffer) => { stderr = (stderr + d.toString()).slice(-20_000) })
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve))
  const minutes = ((Date.now() - started) / 60_000).toFixed(1)
  console.log(`mesh devnet --runtime hypertensor --epochs 3 took ${minutes} min:\n${stdout}`)
  assert.equal(code, 0, `${stdout}\n${stderr.slice(-3000)}`)

  assert.match(stdout, new RegExp(`^starting the chain: the Hypertensor runtime of "Hoskinson Testnet" under chopsticks, a block every ${BLOCK_SECONDS} s$`, 'm'))
  // The runtime's epoch length, read from it.
  assert.match(stdout, /^subnet \d+ is active: 20 blocks an epoch$/m)
  assert.match(stdout, /^another gateway: mesh api --rpc ws:\/\/127\.0\.0\.1:\d+ --subnet_id \d+ /m)
  const lines = stdout.split('\n').filter((l) => l.startsWith('epoch '))
  assert.equal(lines.length, 3, stdout)
  for (const line of lines) {
    assert.match(line, /challenge yes · reveals 3\/3 · scores proposed · attestation (6[6-9]|[7-9]\d|100)% · node rewards [\d.]+ to [1-9]\d* nodes$/)
  }
  assert.match(stdout, /^chopsticks built \d+ blocks: [\d.]+ s each on average, the longest [\d.]+ s; \d+ took longer than the block time \(\d+ s\)$/m)
  // The node processes are gone: their status endpoints no longer answer.
  for (const [, url] of stdout.matchAll(/status (http:\/\/\S+)/g)) {
    await assert.rejects(fetch(`${url}/health`, { signal: AbortSignal.timeout(2000) }))
  }
})
