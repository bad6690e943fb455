// A child of bench/drift.ts: `node hidden-states.js <device> <model> <challenges>` prints, as one
// JSON line, the engine's consensus output (the final hidden state) on that device for a fixed,
// seeded series of 32-token challenges. One device a process: two llama.cpp builds do not share one.
import '../../src/polyfill.js'
import { openLlamaEngine } from '../../src/inference/llama-engine.js'
import type { Device } from '../../src/inference/llama-runtime.js'

const [device, model, count] = process.argv.slice(2)
const engine = await openLlamaEngine({ model, device: device as Device, parallel: 1, contextSize: 64, cacheDir: '.cache/models' })
try {
  const vocab = engine.challengeVocabulary()
  let x = 0x9e3779b9 // xorshift32: the same challenges on every device
  const next = (): number => { x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0; return x }
  const outputs: number[][] = []
  for (let i = 0; i < Number(count); i++) {
    const challenge = Array.from({ length: 32 }, () => vocab[next() % vocab.length])
    outputs.push(Array.from(await engine.hiddenState(challenge)))
  }
  process.stdout.write(`${JSON.stringify({ device, outputs })}\n`)
} finally {
  await engine.close()
}
