// Sampling options: defaults (those of llama.cpp's server) and the checks that give a caller a
// clear error instead of a llama.cpp assertion.
import type { SamplingOptions } from './engine.js'
import { InferenceError } from './errors.js'

export interface Sampling {
  maxTokens: number
  temperature: number
  topP: number
  topK: number
  seed?: number
  stop: string[]
  repeatPenalty: number
  presencePenalty: number
  frequencyPenalty: number
}

export const SAMPLING_DEFAULTS = { maxTokens: 512, temperature: 0.8, topP: 0.95, topK: 40, repeatPenalty: 1, presencePenalty: 0, frequencyPenalty: 0 } as const
const MAX_STOP_SEQUENCES = 16

export function validateSampling(o: SamplingOptions): Sampling {
  const s: Sampling = {
    maxTokens: o.maxTokens ?? SAMPLING_DEFAULTS.maxTokens,
    temperature: o.temperature ?? SAMPLING_DEFAULTS.temperature,
    topP: o.topP ?? SAMPLING_DEFAULTS.topP,
    topK: o.topK ?? SAMPLING_DEFAULTS.topK,
    seed: o.seed,
    stop: o.stop ?? [],
    repeatPenalty: o.repeatPenalty ?? SAMPLING_DEFAULTS.repeatPenalty,
    presencePenalty: o.presencePenalty ?? SAMPLING_DEFAULTS.presencePenalty,
    frequencyPenalty: o.frequencyPenalty ?? SAMPLING_DEFAULTS.frequencyPenalty,
  }
  check(Number.isInteger(s.maxTokens) && s.maxTokens >= 1, `maxTokens must be a positive integer, not ${s.maxTokens}`)
  check(Number.isFinite(s.temperature) && s.temperature >= 0, `temperature must be 0 or more, not ${s.temperature}`)
  check(Number.isFinite(s.topP) && s.topP > 0 && s.topP <= 1, `topP must be in (0, 1], not ${s.topP}`)
  check(Number.isInteger(s.topK) && s.topK >= 0, `topK must be an integer of 0 or more, not ${s.topK}`)
  check(s.seed === undefined || (Number.isInteger(s.seed) && s.seed >= 0 && s.seed <= 0xffffffff), `seed must be a 32-bit unsigned integer, not ${s.seed}`)
  check(Number.isFinite(s.repeatPenalty) && s.repeatPenalty > 0, `repeatPenalty must be more than 0, not ${s.repeatPenalty}`)
  for (const name of ['presencePenalty', 'frequencyPenalty'] as const) {
    check(Number.isFinite(s[name]) && Math.abs(s[name]) <= 2, `${name} must be between -2 and 2, not ${s[name]}`)
  }
  check(Array.isArray(s.stop) && s.stop.length <= MAX_STOP_SEQUENCES && s.stop.every((x) => typeof x === 'string' && x !== ''),
    `stop must be at most ${MAX_STOP_SEQUENCES} non-empty strings`)
  return s
}

function check(ok: boolean, message: string): void {
  if (!ok) throw new InferenceError('INVALID_REQUEST', message)
}
