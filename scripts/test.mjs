// Runs the compiled test files with node's test runner, the polyfill loaded first.
// `npm test -- dht rpc` runs only the files whose path contains one of the words.
// The devnet and faults tests run last and alone: each is a whole subnet of processes on a 1-second
// block clock, and sharing two cores with another heavy test file would make it a test of the machine.
// The real-runtime devnet runs beside the others, from the start: it spends its 9 minutes mostly
// waiting for chopsticks' 5-second blocks, and after them it would take the suite past 20 minutes.
// Its output is kept in a file and printed when it ends, so that the two reports do not interleave.
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, openSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const root = 'dist/test'
const ALONE = ['cli/devnet.test.js', 'reliability/faults.test.js']
const BESIDE = ['cli/devnet-runtime-epochs.test.js']
const filters = process.argv.slice(2)
const files = readdirSync(root, { recursive: true })
  .map(String)
  .filter((f) => f.endsWith('.test.js'))
  .filter((f) => filters.length === 0 || filters.some((w) => f.includes(w)))
  .sort()

if (files.length === 0) {
  console.error(`no test file matches ${filters.join(' ')}`)
  process.exit(1)
}

const env = { MESH_LOG_LEVEL: 'warn', ...process.env }
const args = (batch, concurrency) => ['--import', './dist/src/polyfill.js', '--test', `--test-concurrency=${concurrency}`, '--test-reporter=spec', ...batch.map((f) => join(root, f))]

function run(batch, concurrency) {
  if (batch.length === 0) return 0
  const result = spawnSync(process.execPath, args(batch, concurrency), { stdio: 'inherit', env })
  return result.status ?? 1
}

/** Starts `batch` in the background, its output into a file; resolves to its exit status once it has been printed. */
function startBeside(batch) {
  if (batch.length === 0) return async () => 0
  const dir = mkdtempSync(join(tmpdir(), 'mesh-test-beside-'))
  const log = join(dir, 'output')
  const fd = openSync(log, 'w')
  const child = spawn(process.execPath, args(batch, 1), { stdio: ['ignore', fd, fd], env })
  const exited = new Promise((resolve) => {
    child.once('exit', (code) => resolve(code ?? 1))
    child.once('error', () => resolve(1))
  })
  return async () => {
    const code = await exited
    process.stdout.write(`\n${batch.join(', ')} (run beside the others):\n${readFileSync(log, 'utf8')}`)
    rmSync(dir, { recursive: true, force: true })
    return code
  }
}

const beside = startBeside(files.filter((f) => BESIDE.includes(f)))
const together = run(files.filter((f) => !ALONE.includes(f) && !BESIDE.includes(f)), 2)
const besideStatus = await beside()
const alone = run(files.filter((f) => ALONE.includes(f)), 1)
process.exit([together, besideStatus, alone].find((s) => s !== 0) ?? 0)
