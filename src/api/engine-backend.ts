import type { Engine, GenerateChunk, GenerateRequest } from '../inference/engine.js'
import { MeshError } from '../errors.js'
import type { InferenceBackend, ModelCard } from './backend.js'

/**
 * One local engine behind the API: a node serving its own model, and the baseline the API
 * benchmark measures the network against. The model answers to its name or its sha256 identity.
 */
export class EngineBackend implements InferenceBackend {
  private readonly created = Math.floor(Date.now() / 1000)

  constructor(private readonly engine: Engine) {}

  async models(): Promise<ModelCard[]> {
    return [{ id: this.engine.model.name, ownedBy: 'mesh', created: this.created }]
  }

  stream(model: string, request: GenerateRequest): AsyncIterable<GenerateChunk> {
    this.check(model)
    return this.engine.generate(request)
  }

  async embed(model: string, input: string[], signal?: AbortSignal): Promise<{ vectors: ArrayLike<number>[]; tokens: number }> {
    this.check(model)
    return this.engine.embed(input, { signal })
  }

  private check(model: string): void {
    const { name, id } = this.engine.model
    if (model !== name && model !== id) {
      throw new MeshError('MODEL_NOT_FOUND', `model ${model} is not served here; GET /v1/models lists ${name}`)
    }
  }
}
