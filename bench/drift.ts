// The consensus output on a GPU against the CPU's, with mesh's own engine, for one set of shapes in
// F16, Q8_0 and Q4_0: the relative L2 distance d = ‖gpu − cpu‖ / ‖cpu‖ per challenge, and the score
// s = 1 / (1 + d / τ) an honest GPU hoster would get against a CPU reference (τ = 0.05, the
// protocol's default). Each device runs in its own child process (bench/lib/hidden-states.ts).
// Options: --device cuda|vulkan|metal (default cuda), --shape tiny|tinyllama|llama8b (default
// tinyllama), --challenges N (default 8), --quants f16,q8_0,q4_0.
import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { TEST_MODEL_QUANTS, TEST_MODEL_SHAPES, type TestModelQuant, type TestModelShape } from '../src/inference/gguf/llama-model.js'
import { testModelFile } from '../src/inference/gguf/test-model-file.js'

export const description = 'the consensus output on a GPU against the CPU (F16, Q8_0, Q4_0): relative L2 drift and the score τ gives it'

const TAU = 0.05
const CHILD = fileURLToPath(new URL('./lib/hidden-states.js', import.meta.url))

function value(args: string[], name: string, fallback: string): string {
  const at = args.indexOf(`--${name}`)
  return at < 0 ? fallback : args[at + 1]
}

async function outputs(device: string, model: string, challenges: number): Promise<number[][]> {
  const { stdout } = await promisify(execFile)(process.execPath, [CHILD, device, model, String(challenges)], {
    maxBuffer: 1 << 28, env: { ...process.env, MESH_LOG_LEVEL: 'error' }, timeout: 600_000,
  })
  return (JSON.parse(stdout.trim().split('\n').pop()!) as { outputs: number[][] }).outputs
}

function relativeL2(a: number[], reference: number[]): number {
  let diff = 0
  let norm = 0
  for (let i = 0; i < a.length; i++) {
    diff += (a[i] - reference[i]) ** 2
    norm += reference[i] ** 2
  }
  return Math.sqrt(diff) / Math.sqrt(norm)
}

export async function run(args: string[]): Promise<Record<string, unknown>> {
  const device = value(args, 'device', 'cuda')
  const shape = value(args, 'shape', 'tinyllama') as TestModelShape
  const challenges = Number(value(args, 'challenges', '8'))
  const quants = value(args, 'quants', 'f16,q8_0,q4_0').split(',') as TestModelQuant[]
  if (!TEST_MODEL_SHAPES.includes(shape)) throw new Error(`--shape takes one of ${TEST_MODEL_SHAPES.join(', ')}`)
  if (!quants.every((q) => TEST_MODEL_QUANTS.includes(q))) throw new Error(`--quants takes some of ${TEST_MODEL_QUANTS.join(', ')}`)
  if (!Number.isInteger(challenges) || challenges < 1) throw new Error('--challenges takes a positive integer')
  const results: Record<string, unknown> = {}
  for (const quant of quants) {
    const model = testModelFile({ shape, quant, dir: '.cache/models' })
    const cpu = await outputs('cpu', model, challenges)
    const gpu = await outputs(device, model, challenges)
    const d = gpu.map((g, i) => relativeL2(g, cpu[i])).sort((a, b) => a - b)
    const max = d[d.length - 1]
    results[quant] = {
      relativeL2: { min: Number(d[0].toExponential(2)), median: Number(d[Math.floor(d.length / 2)].toExponential(2)), max: Number(max.toExponential(2)) },
      scoreAtMax: Number((1 / (1 + max / TAU)).toFixed(4)),
    }
  }
  return { shape, device, against: 'cpu', challenges, tau: TAU, drift: results }
}
