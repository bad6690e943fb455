// Runs the compiled test files with node's test runner, the polyfill loaded first.
// `npm test -- dht rpc` runs only the files whose path contains one of the words.
import { spawnSync } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { join } from 'node:path'

const root = 'dist/test'
const filters = process.argv.slice(2)
const files = readdirSync(root, { recursive: true })
  .map(String)
  .filter((f) => f.endsWith('.test.js'))
  .filter((f) => filters.length === 0 || filters.some((w) => f.includes(w)))
  .sort()
  .map((f) => join(root, f))

if (files.length === 0) {
  console.error(`no test file matches ${filters.join(' ')}`)
  process.exit(1)
}

const result = spawnSync(
  process.execPath,
  ['--import', './dist/src/polyfill.js', '--test', '--test-concurrency=2', '--test-reporter=spec', ...files],
  { stdio: 'inherit', env: { MESH_LOG_LEVEL: 'warn', ...process.env } },
)
process.exit(result.status ?? 1)
