// `npm run bench -- <name> [--json]`: runs one benchmark, bench/<name>.ts, and prints its figures.
// With --json the last line printed is one JSON object of those figures.
import { readdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

/** What every bench/<name>.ts exports. */
export interface Benchmark {
  description: string
  run(args: string[]): Promise<Record<string, unknown>>
}

const here = fileURLToPath(new URL('.', import.meta.url))
const available = readdirSync(here)
  .filter((f) => f.endsWith('.js') && f !== 'main.js')
  .map((f) => f.slice(0, -3))
  .sort()

const args = process.argv.slice(2)
const json = args.includes('--json')
const rest = args.filter((a) => a !== '--json')
const name = rest.shift()

if (name === undefined || !available.includes(name)) {
  console.error(`usage: npm run bench -- <name> [--json]\nbenchmarks: ${available.join(', ') || '(none yet)'}`)
  process.exit(name === undefined ? 0 : 1)
}

const bench = (await import(`./${name}.js`)) as Benchmark
console.error(`bench ${name}: ${bench.description}`)
const figures = await bench.run(rest)
const text = JSON.stringify(figures, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))
if (json) console.log(text)
else console.log(JSON.stringify(JSON.parse(text), null, 2))
process.exit(0)
