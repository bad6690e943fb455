// `npm run test:soak [-- --minutes N] [step ...]`: the long, bounded-time versions of the
// reliability tests, one step after another, each for N minutes (default 5; or
// MESH_SOAK_MINUTES). Name steps to run only those. A step is a compiled test file: add one
// with a line below.
import { spawnSync } from 'node:child_process'

const STEPS = [
  { name: 'load', file: 'dist/test/soak/load.soak.js', what: '50 streaming clients on the API: errors, fairness, memory, handles' },
  { name: 'fuzz', file: 'dist/test/soak/fuzz.soak.js', what: 'every decoder, HTTP endpoint and the chain server on random and mutated input' },
]

const args = process.argv.slice(2)
const at = args.indexOf('--minutes')
const minutes = at >= 0 ? args[at + 1] : (process.env.MESH_SOAK_MINUTES ?? '5')
if (!(Number(minutes) > 0)) {
  console.error(`--minutes needs a positive number, not ${minutes}`)
  process.exit(1)
}
const names = args.filter((a, i) => a !== '--minutes' && (at < 0 || i !== at + 1))
const chosen = names.length === 0 ? STEPS : STEPS.filter((s) => names.includes(s.name))
if (chosen.length === 0) {
  console.error(`no soak step named ${names.join(' ')}; steps: ${STEPS.map((s) => s.name).join(', ')}`)
  process.exit(1)
}

let failed = 0
for (const step of chosen) {
  console.log(`\nsoak ${step.name} (${minutes} min): ${step.what}`)
  const started = Date.now()
  const result = spawnSync(process.execPath, ['--import', './dist/src/polyfill.js', '--test', '--test-reporter=spec', step.file], {
    stdio: 'inherit',
    env: { MESH_LOG_LEVEL: 'warn', ...process.env, MESH_SOAK_MINUTES: String(minutes) },
  })
  console.log(`soak ${step.name}: ${result.status === 0 ? 'passed' : 'FAILED'} in ${((Date.now() - started) / 60_000).toFixed(1)} min`)
  if (result.status !== 0) failed++
}
process.exit(failed === 0 ? 0 : 1)
