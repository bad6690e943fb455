// Idle RPC streams kept per peer and method, so that a call reuses a negotiated stream instead
// of opening one (opening costs more than the call itself). A stream leaves the pool when the
// service closes it, when it breaks, or when it has idled too long to trust.
import type { PeerId } from '@libp2p/interface'
import type { FramedStream } from './framed-stream.js'

interface Idle {
  framed: FramedStream
  since: number
  drop: () => void
}

export interface StreamPoolOptions {
  /** Idle streams kept per peer and method. */
  maxIdle: number
  /** Older idle streams are closed instead of reused. */
  idleTimeoutMs: number
  now: () => number
}

export class StreamPool {
  private readonly idle = new Map<string, Idle[]>()

  constructor(private readonly options: StreamPoolOptions) {}

  /** An idle stream to `peer` for `protocol` that can carry a call, if one is kept. */
  take(peer: PeerId, protocol: string): FramedStream | undefined {
    const key = keyOf(peer, protocol)
    const list = this.idle.get(key)
    const oldest = this.options.now() - this.options.idleTimeoutMs
    while (list !== undefined && list.length > 0) {
      const entry = list.pop()!
      this.unwatch(entry)
      if (entry.since >= oldest && usable(entry.framed)) {
        if (list.length === 0) this.idle.delete(key)
        return entry.framed
      }
      retire(entry.framed)
    }
    this.idle.delete(key)
    return undefined
  }

  /** Keeps a stream whose call ended cleanly, or closes it when the pool is full. */
  give(peer: PeerId, protocol: string, framed: FramedStream): void {
    const key = keyOf(peer, protocol)
    let list = this.idle.get(key)
    if (list === undefined) {
      list = []
      this.idle.set(key, list)
    }
    if (list.length >= this.options.maxIdle || !usable(framed)) {
      retire(framed)
      return
    }
    const entry: Idle = {
      framed,
      since: this.options.now(),
      drop: () => {
        const at = list.indexOf(entry)
        if (at >= 0) list.splice(at, 1)
        if (list.length === 0 && this.idle.get(key) === list) this.idle.delete(key)
        this.unwatch(entry)
        retire(framed)
      },
    }
    framed.stream.addEventListener('remoteCloseWrite', entry.drop)
    framed.stream.addEventListener('close', entry.drop)
    list.push(entry)
  }

  /** Closes every idle stream. */
  clear(): void {
    for (const list of this.idle.values()) {
      for (const entry of list) {
        this.unwatch(entry)
        retire(entry.framed)
      }
    }
    this.idle.clear()
  }

  private unwatch(entry: Idle): void {
    entry.framed.stream.removeEventListener('remoteCloseWrite', entry.drop)
    entry.framed.stream.removeEventListener('close', entry.drop)
  }
}

function keyOf(peer: PeerId, protocol: string): string {
  return `${peer.toString()} ${protocol}`
}

function usable(framed: FramedStream): boolean {
  const s = framed.stream
  return s.status === 'open' && s.writeStatus === 'writable' && s.remoteWriteStatus === 'writable' &&
    s.readStatus === 'readable' && framed.buffered === 0
}

/** Closes our side gracefully; the service then closes its own. */
function retire(framed: FramedStream): void {
  framed.dispose()
  if (framed.stream.status === 'open') void framed.stream.close().catch(() => framed.stream.abort(new Error('close failed')))
}
