import { MeshError } from '../errors.js'

/**
 * Stable codes of RPC failures. The refusals (`RPC_BAD_SIGNATURE` … `RPC_BUSY`) are sent by the
 * service in a signed ERROR frame; the rest are raised on the caller's side.
 */
export const RPC_CODES = {
  // refusals by the service
  BAD_REQUEST: 'RPC_BAD_REQUEST',
  BAD_SIGNATURE: 'RPC_BAD_SIGNATURE',
  CLOCK_SKEW: 'RPC_CLOCK_SKEW',
  REPLAY: 'RPC_REPLAY',
  WRONG_SERVICE: 'RPC_WRONG_SERVICE',
  SIGNER_MISMATCH: 'RPC_SIGNER_MISMATCH',
  NO_STAKE: 'RPC_NO_STAKE',
  STAKE_UNAVAILABLE: 'RPC_STAKE_UNAVAILABLE',
  RATE_LIMITED: 'RPC_RATE_LIMITED',
  BUSY: 'RPC_BUSY',
  INTERNAL: 'RPC_INTERNAL',
  // raised by the caller
  TOO_LARGE: 'RPC_TOO_LARGE',
  TIMEOUT: 'RPC_TIMEOUT',
  ABORTED: 'RPC_ABORTED',
  UNREACHABLE: 'RPC_UNREACHABLE',
  UNSUPPORTED: 'RPC_UNSUPPORTED',
  CLOSED: 'RPC_CLOSED',
  BAD_FRAME: 'RPC_BAD_FRAME',
  BAD_RESPONSE: 'RPC_BAD_RESPONSE',
  BAD_RESPONSE_SIGNATURE: 'RPC_BAD_RESPONSE_SIGNATURE',
} as const

export type RpcCode = (typeof RPC_CODES)[keyof typeof RPC_CODES]

/**
 * A failed call. `code` is one of RPC_CODES, or an application code a handler threw in an
 * RpcError; `remote` tells whether the service sent it.
 */
export class RpcError extends MeshError {
  readonly remote: boolean

  constructor(code: string, message: string, options: { fix?: string; cause?: unknown; remote?: boolean } = {}) {
    super(code, message, options)
    this.name = 'RpcError'
    this.remote = options.remote ?? false
  }
}
