// DriftEngine: a test double of the engine for simulations of many hosters, where llama.cpp cannot
// run 100 times on one machine. Its hidden state for a challenge is a seeded "true" vector of the
// model (the same on every node running that model) plus small seeded noise of its own node, as
// honest hosters differ by float rounding across hardware and batch sizes. It only computes hidden
// states; it does not generate text.
import { createHash } from 'node:crypto'
import type { Engine, EngineStats, GenerateChunk, ModelInfo } from '../../src/inference/engine.js'

export interface DriftEngineInit {
  /** Which model it runs: engines with the same seed share their true vectors. */
  modelSeed: string
  /** This node's noise. */
  nodeSeed: string
  nEmbd: number
  /** Standard deviation of the node's noise relative to the true vector's (default 1e-3). */
  noise?: number
  /** Vocabulary size; challenges draw ids 1 … nVocab − 1 (default 1,000). */
  nVocab?: number
}

/** A seeded generator of standard normal doubles (sha256 in counter mode, Box–Muller). */
export function normals(seed: string, count: number): Float64Array {
  const out = new Float64Array(count)
  const uniforms = uniformsOf(seed, count + (count % 2))
  for (let i = 0; i < count; i += 2) {
    const r = Math.sqrt(-2 * Math.log(uniforms[i]!))
    const t = 2 * Math.PI * uniforms[i + 1]!
    out[i] = r * Math.cos(t)
    if (i + 1 < count) out[i + 1] = r * Math.sin(t)
  }
  return out
}

/** `count` seeded uniform doubles in (0, 1]. */
export function uniformsOf(seed: string, count: number): Float64Array {
  const out = new Float64Array(count)
  for (let block = 0; block * 8 < count; block++) {
    const digest = createHash('sha256').update(`${seed}/${block}`).digest()
    for (let k = 0; k < 8 && block * 8 + k < count; k++) out[block * 8 + k] = (digest.readUInt32LE(4 * k) + 1) / 2 ** 32
  }
  return out
}

export class DriftEngine implements Engine {
  readonly model: ModelInfo
  private readonly init: Required<DriftEngineInit>
  private served = 0

  constructor(init: DriftEngineInit) {
    this.init = { noise: 1e-3, nVocab: 1000, ...init }
    this.model = {
      id: createHash('sha256').update(`drift-model:${init.modelSeed}`).digest('hex'),
      path: `drift:${init.modelSeed}`,
      name: `drift-${init.modelSeed}`,
      architecture: 'drift',
      nEmbd: init.nEmbd,
      nVocab: this.init.nVocab,
      contextLength: 2048,
    }
  }

  tokenize(text: string): number[] {
    return [...text].map((c) => 1 + (c.codePointAt(0)! % (this.init.nVocab - 1)))
  }

  detokenize(tokenIds: number[]): string {
    return tokenIds.map((t) => String.fromCodePoint(t)).join('')
  }

  challengeVocabulary(): number[] {
    return Array.from({ length: this.init.nVocab - 1 }, (_, i) => i + 1)
  }

  async *generate(): AsyncIterable<GenerateChunk> {
    throw new RangeError('a DriftEngine only computes hidden states (a consensus test double)')
  }

  async embed(): Promise<never> {
    throw new RangeError('a DriftEngine only computes hidden states (a consensus test double)')
  }

  async hiddenState(tokenIds: number[]): Promise<Float32Array> {
    this.served++
    const challenge = tokenIds.join(',')
    const truth = normals(`${this.init.modelSeed}|${challenge}`, this.init.nEmbd)
    const noise = normals(`${this.init.modelSeed}|${this.init.nodeSeed}|${challenge}`, this.init.nEmbd)
    return Float32Array.from(truth, (t, j) => t + this.init.noise * noise[j]!)
  }

  stats(): EngineStats {
    return { queueLength: 0, tokensPerSecond: 0, tokensServed: this.served }
  }

  async close(): Promise<void> {}
}
