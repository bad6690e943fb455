import { MeshError } from '../errors.js'

/**
 * A chain call that failed. `code` is stable for programs: `CHAIN_UNREACHABLE`, `CHAIN_NO_SIGNER`,
 * or the pallet's error as `network.SomeError` (the same names on the local and the real chain).
 */
export class ChainError extends MeshError {
  constructor(code: string, message: string, options: { fix?: string; cause?: unknown } = {}) {
    super(code, message, options)
    this.name = 'ChainError'
  }
}
