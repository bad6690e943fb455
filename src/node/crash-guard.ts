// The one error a node process survives instead of crashing on: kad-dht 16 can reject a query
// path with an AbortError that nothing awaits when its own query (a self-query, or a lookup)
// is aborted (js-libp2p#2216). The query is over either way; the process is fine. Everything
// else that escapes stays fatal, as Node makes it: printed, and exit code 1.
import { logger, type Logger } from '../log.js'

/** kad-dht's code, where the stray AbortError is made; only an error made there is ignored. */
const KAD_DHT_FRAME = /[\\/]@libp2p[\\/]kad-dht[\\/]/

/** Whether `err` is the AbortError kad-dht leaks from an aborted query (and nothing else). */
export function isKadDhtAbort(err: unknown): boolean {
  if (!(err instanceof Error) || err.name !== 'AbortError') return false
  // The first frame is where it was constructed.
  const frame = (err.stack ?? '').split('\n').find((line) => line.trimStart().startsWith('at '))
  return frame !== undefined && KAD_DHT_FRAME.test(frame)
}

export interface CrashGuard { uninstall(): void }

/** Installs the process-wide handlers; `exit` is how a fatal error ends the process. */
export function installCrashGuard(options: { log?: Logger; exit?: (code: number) => void } = {}): CrashGuard {
  const log = options.log ?? logger('node:crash-guard')
  const exit = options.exit ?? ((code: number) => process.exit(code))
  let ignored = 0
  const onError = (kind: string) => (err: unknown): void => {
    if (isKadDhtAbort(err)) {
      ignored++
      log.warn('ignored an aborted DHT query that kad-dht left unhandled (js-libp2p#2216)', { kind, count: ignored })
      return
    }
    process.stderr.write(`fatal: ${kind}: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`)
    exit(1)
  }
  const onException = onError('uncaught exception')
  const onRejection = onError('unhandled rejection')
  process.on('uncaughtException', onException)
  process.on('unhandledRejection', onRejection)
  return {
    uninstall: () => {
      process.off('uncaughtException', onException)
      process.off('unhandledRejection', onRejection)
    },
  }
}
