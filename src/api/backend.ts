import type { GenerateChunk, GenerateRequest } from '../inference/engine.js'

/** A model as GET /v1/models lists it. */
export interface ModelCard {
  id: string
  ownedBy: string
  /** Unix seconds. */
  created: number
}

/**
 * Where the API gateway sends requests: the network (MeshClient) in `mesh api`, or one node's
 * own engine. Errors are MeshErrors; `NO_HOSTER` and `MODEL_NOT_FOUND` map to 503 and 404.
 */
export interface InferenceBackend {
  models(): Promise<ModelCard[]>
  stream(model: string, request: GenerateRequest): AsyncIterable<GenerateChunk>
  /** Embeddings of `input` (one vector each, unit length), with the tokens read. */
  embed(model: string, input: string[], signal?: AbortSignal): Promise<{ vectors: ArrayLike<number>[]; tokens: number }>
}
