// Errors of the inference engine, each with a stable code callers can match on.
import { MeshError } from '../errors.js'

export type InferenceErrorCode =
  | 'MODEL_NOT_FOUND'
  | 'MODEL_NOT_GGUF'
  | 'MODEL_UNSUPPORTED_ARCHITECTURE'
  | 'MODEL_CORRUPT'
  | 'MODEL_NO_TOKEN_TYPES'
  | 'MODEL_DOWNLOAD_FAILED'
  | 'MODEL_LOAD_FAILED'
  | 'OUT_OF_MEMORY'
  | 'DEVICE_UNAVAILABLE'
  | 'QUEUE_FULL'
  | 'ENGINE_CLOSED'
  | 'ABORTED'
  | 'PROMPT_TOO_LONG'
  | 'INVALID_REQUEST'

export class InferenceError extends MeshError {
  declare readonly code: InferenceErrorCode

  constructor(code: InferenceErrorCode, message: string, options: { fix?: string; cause?: unknown } = {}) {
    super(code, message, options)
    this.name = 'InferenceError'
  }
}
