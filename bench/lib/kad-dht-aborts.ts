// Surviving a known kad-dht bug in benchmarks that run many libp2p hosts in one process.

/**
 * kad-dht 16 can throw an AbortError out of an abort listener when one of its own queries times out
 * (a query path ends its event stream with nobody reading it; see libp2p/js-libp2p#2216), which
 * kills the process. Under the load of many nodes in one process its self-queries do time out, so
 * a benchmark counts those errors instead of dying, and reports how many it saw.
 */
export function survivingKadDhtAborts(): { count: () => number; stop: () => void } {
  let seen = 0
  const onError = (err: Error): void => {
    if (err?.name === 'AbortError' && String(err.stack).includes('kad-dht')) {
      seen++
      return
    }
    throw err
  }
  process.on('uncaughtException', onError)
  return { count: () => seen, stop: () => { process.off('uncaughtException', onError) } }
}
