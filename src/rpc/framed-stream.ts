// Length-prefixed frames (unsigned varint length, then the bytes) over one libp2p stream that
// carries many calls in turn. Unlike lpStream it tells a clean end between frames (null) from
// a cut in the middle of one (an error), checks a frame's declared length before buffering
// it, and pauses the remote when unread frames pile up.
import type { Stream, StreamCloseEvent, StreamMessageEvent } from '@libp2p/interface'
import { Uint8ArrayList } from 'uint8arraylist'
import { RPC_CODES, RpcError } from './errors.js'

/** A varint longer than this cannot describe a frame we accept (2^35 bytes). */
const MAX_PREFIX_BYTES = 5

export class FramedStream {
  readonly stream: Stream
  private readonly buffer = new Uint8ArrayList()
  private readonly maxFrame: number
  private readonly highWater: number
  private waiter?: { resolve: () => void; reject: (err: Error) => void }
  private ended = false
  private failure?: Error
  private paused = false

  /** `maxFrame`: the largest frame accepted; a larger declared length fails the read. */
  constructor(stream: Stream, maxFrame: number) {
    this.stream = stream
    this.maxFrame = maxFrame
    this.highWater = Math.max(2 * maxFrame, 1 << 20)
    stream.addEventListener('message', this.onMessage)
    stream.addEventListener('remoteCloseWrite', this.onEnd)
    stream.addEventListener('close', this.onClose)
  }

  /** Bytes received and not yet read. */
  get buffered(): number {
    return this.buffer.byteLength
  }

  /** The next frame, or null when the remote closed its side between frames. */
  async read(): Promise<Uint8Array | null> {
    while (true) {
      if (this.failure !== undefined) throw this.failure
      const frame = this.parse()
      if (frame !== undefined) return frame
      if (this.ended) {
        if (this.buffer.byteLength === 0) return null
        throw new RpcError(RPC_CODES.CLOSED, `the stream ended inside a frame (${this.buffer.byteLength} bytes)`)
      }
      await new Promise<void>((resolve, reject) => { this.waiter = { resolve, reject } })
    }
  }

  /** Writes one frame, waiting while the stream's send buffer is full. */
  async write(frame: Uint8Array): Promise<void> {
    if (!this.stream.send(new Uint8ArrayList(varint(frame.byteLength), frame))) {
      await this.stream.onDrain()
    }
  }

  /** Ends reading here: a pending or later read returns what is buffered, then null. */
  end(): void {
    this.ended = true
    this.wake()
  }

  /** Stops listening to the stream (before handing it to other code, or once it is done). */
  dispose(): void {
    this.stream.removeEventListener('message', this.onMessage)
    this.stream.removeEventListener('remoteCloseWrite', this.onEnd)
    this.stream.removeEventListener('close', this.onClose)
  }

  private parse(): Uint8Array | undefined {
    const available = this.buffer.byteLength
    let length = 0
    let prefix = 0
    for (let shift = 0; ; shift += 7) {
      if (prefix === available) return undefined
      if (prefix === MAX_PREFIX_BYTES) throw this.fail(RPC_CODES.BAD_FRAME, 'a frame length prefix is too long')
      const byte = this.buffer.get(prefix++)
      length += (byte & 0x7f) * 2 ** shift
      if (byte < 0x80) break
    }
    if (length > this.maxFrame) throw this.fail(RPC_CODES.TOO_LARGE, `a frame of ${length} bytes exceeds the limit of ${this.maxFrame}`)
    if (available < prefix + length) return undefined
    const frame = this.buffer.subarray(prefix, prefix + length)
    this.buffer.consume(prefix + length)
    if (this.paused && this.buffer.byteLength < this.highWater) {
      this.paused = false
      this.stream.resume()
    }
    return frame
  }

  private fail(code: string, message: string): RpcError {
    const err = new RpcError(code, message)
    this.failure = err
    this.stream.abort(err)
    return err
  }

  private wake(err?: Error): void {
    const waiter = this.waiter
    this.waiter = undefined
    if (err !== undefined) waiter?.reject(err)
    else waiter?.resolve()
  }

  private readonly onMessage = (event: StreamMessageEvent): void => {
    this.buffer.append(event.data)
    if (!this.paused && this.buffer.byteLength >= this.highWater && this.stream.readStatus === 'readable') {
      this.paused = true
      this.stream.pause()
    }
    this.wake()
  }

  private readonly onEnd = (): void => {
    this.ended = true
    this.wake()
  }

  private readonly onClose = (event: StreamCloseEvent): void => {
    this.ended = true
    if (event.error !== undefined && this.failure === undefined) this.failure = event.error
    this.wake(this.failure)
  }
}

function varint(value: number): Uint8Array {
  const bytes: number[] = []
  while (value >= 0x80) {
    bytes.push((value % 0x80) | 0x80)
    value = Math.floor(value / 0x80)
  }
  bytes.push(value)
  return Uint8Array.from(bytes)
}
