// Runs the compiled test files with node's test runner, the polyfill loaded first.
// `npm test -- dht rpc` runs only the files whose path contains one of the words.
// The devnet and faults tests run last and alone: each is a whole subnet of processes on a 1-second
// block clock, and sharing two cores with another heavy test file would make it a test of the machine.
import { spawnSync } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { join } from 'node:path'

const root = 'dist/test'
const ALONE = ['cli/devnet.test.js', 'reliability/faults.test.js']
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

function run(batch, concurrency) {
  if (batch.length === 0) return 0
  const result = spawnSync(
    process.execPath,
    ['--import', './dist/src/polyfill.js', '--test', `--test-concurrency=${concurrency}`, '--test-reporter=spec', ...batch.map((f) => join(root, f))],
    { stdio: 'inherit', env: { MESH_LOG_LEVEL: 'warn', ...process.env } },
  )
  return result.status ?? 1
}

const together = run(files.filter((f) => !ALONE.includes(f)), 2)
const alone = run(files.filter((f) => ALONE.includes(f)), 1)
process.exit(together !== 0 ? together : alone)
