// Errors that reach a user carry a stable code (for programs) and, where one exists, the fix (for people).

export class MeshError extends Error {
  readonly code: string
  readonly fix?: string

  constructor(code: string, message: string, options: { fix?: string; cause?: unknown } = {}) {
    super(options.fix === undefined ? message : `${message} (${options.fix})`, { cause: options.cause })
    this.name = 'MeshError'
    this.code = code
    this.fix = options.fix
  }
}

/** The message of anything thrown, for logs and for wrapping. */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}
