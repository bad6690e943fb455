// An adversary, not a test double of the engine: a real engine running one model that names
// itself as another (a hoster serving a cheaper model under the identity it committed to).
import type { Engine, GenerateRequest, ModelInfo, Priority } from '../../src/inference/engine.js'

export function impostor(real: Engine, claimed: ModelInfo): Engine {
  return {
    model: claimed,
    tokenize: (text: string) => real.tokenize(text),
    detokenize: (ids: number[]) => real.detokenize(ids),
    challengeVocabulary: () => real.challengeVocabulary(),
    generate: (request: GenerateRequest) => real.generate(request),
    hiddenState: (ids: number[], options?: { priority?: Priority; signal?: AbortSignal }) => real.hiddenState(ids, options),
    embed: (texts: string[], options?: { signal?: AbortSignal }) => real.embed(texts, options),
    stats: () => real.stats(),
    close: () => real.close(),
  }
}
