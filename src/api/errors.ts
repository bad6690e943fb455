// Errors in the OpenAI API's shape, so that SDKs surface them as they do OpenAI's own.
import { MeshError } from '../errors.js'

export type ApiErrorType = 'invalid_request_error' | 'authentication_error' | 'rate_limit_error' | 'server_error' | 'service_unavailable'

export class ApiError extends MeshError {
  readonly status: number
  readonly type: ApiErrorType
  readonly param: string | null
  /** Sent as Retry-After (429). */
  readonly retryAfterSeconds?: number

  constructor(status: number, type: ApiErrorType, code: string, message: string, param: string | null = null, retryAfterSeconds?: number) {
    super(code, message)
    this.name = 'ApiError'
    this.status = status
    this.type = type
    this.param = param
    this.retryAfterSeconds = retryAfterSeconds
  }

  body(): { error: { message: string; type: ApiErrorType; param: string | null; code: string } } {
    return { error: { message: this.message, type: this.type, param: this.param, code: this.code } }
  }
}

export function badRequest(param: string | null, message: string): ApiError {
  return new ApiError(400, 'invalid_request_error', 'invalid_request', message, param)
}

/** Maps an error from the backend (the network) to the HTTP error a client should see. */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err
  if (err instanceof MeshError) {
    switch (err.code) {
      case 'MODEL_NOT_FOUND':
        return new ApiError(404, 'invalid_request_error', 'model_not_found', err.message, 'model')
      // The engine's refusals of the request itself are the caller's to fix: 400, not 502.
      case 'PROMPT_TOO_LONG':
        return new ApiError(400, 'invalid_request_error', 'context_length_exceeded', err.message, 'messages')
      case 'INVALID_REQUEST':
        return new ApiError(400, 'invalid_request_error', 'invalid_request', err.message)
      case 'NO_HOSTER':
      case 'QUEUE_FULL':
        return new ApiError(503, 'service_unavailable', err.code.toLowerCase(), err.message)
      default:
        return new ApiError(502, 'server_error', err.code.toLowerCase(), err.message)
    }
  }
  return new ApiError(500, 'server_error', 'internal_error', 'internal error')
}
