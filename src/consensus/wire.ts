// A strict little-endian byte layout for the consensus records: a writer, and a reader that
// refuses anything short, long or out of range. Every record starts with a 4-byte magic and a
// version byte, so a value of one kind never decodes as another.
import { MeshError } from '../errors.js'

export class RecordDecodeError extends MeshError {
  constructor(kind: string, message: string) {
    super('CONSENSUS_RECORD_MALFORMED', `${kind}: ${message}`)
    this.name = 'RecordDecodeError'
  }
}

const utf8 = new TextEncoder()
const utf8Strict = new TextDecoder('utf-8', { fatal: true })

export class ByteWriter {
  private buf = new Uint8Array(256)
  private view = new DataView(this.buf.buffer)
  private length = 0

  private reserve(n: number): void {
    if (this.length + n <= this.buf.length) return
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.length + n))
    next.set(this.buf.subarray(0, this.length))
    this.buf = next
    this.view = new DataView(next.buffer)
  }

  header(magic: string, version: number): this {
    return this.raw(utf8.encode(magic)).u8(version)
  }

  u8(v: number): this {
    this.reserve(1)
    this.view.setUint8(this.length, v)
    this.length += 1
    return this
  }

  u16(v: number): this {
    this.reserve(2)
    this.view.setUint16(this.length, v, true)
    this.length += 2
    return this
  }

  u32(v: number): this {
    this.reserve(4)
    this.view.setUint32(this.length, v, true)
    this.length += 4
    return this
  }

  f64(v: number): this {
    this.reserve(8)
    this.view.setFloat64(this.length, v, true)
    this.length += 8
    return this
  }

  raw(bytes: Uint8Array): this {
    this.reserve(bytes.length)
    this.buf.set(bytes, this.length)
    this.length += bytes.length
    return this
  }

  /** A u8 length then UTF-8 bytes. */
  string8(s: string): this {
    const bytes = utf8.encode(s)
    if (bytes.length > 255) throw new RangeError(`string of ${bytes.length} bytes does not fit a u8 length`)
    return this.u8(bytes.length).raw(bytes)
  }

  /** A u32 length then the bytes. */
  bytes32(bytes: Uint8Array): this {
    return this.u32(bytes.length).raw(bytes)
  }

  finish(): Uint8Array {
    return this.buf.slice(0, this.length)
  }
}

export class ByteReader {
  private readonly view: DataView
  private offset = 0

  constructor(
    private readonly bytes: Uint8Array,
    private readonly kind: string,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  }

  fail(message: string): never {
    throw new RecordDecodeError(this.kind, message)
  }

  private need(n: number, what: string): void {
    if (this.offset + n > this.bytes.length) this.fail(`truncated at ${what} (offset ${this.offset}, ${this.bytes.length} bytes)`)
  }

  header(magic: string, version: number): this {
    const expect = utf8.encode(magic)
    this.need(expect.length + 1, 'header')
    for (let i = 0; i < expect.length; i++) {
      if (this.bytes[i] !== expect[i]) this.fail(`bad magic (not a ${magic} record)`)
    }
    this.offset = expect.length
    const v = this.u8('version')
    if (v !== version) this.fail(`version ${v} is not ${version}`)
    return this
  }

  u8(what: string): number {
    this.need(1, what)
    const v = this.view.getUint8(this.offset)
    this.offset += 1
    return v
  }

  u16(what: string): number {
    this.need(2, what)
    const v = this.view.getUint16(this.offset, true)
    this.offset += 2
    return v
  }

  u32(what: string): number {
    this.need(4, what)
    const v = this.view.getUint32(this.offset, true)
    this.offset += 4
    return v
  }

  f64(what: string): number {
    this.need(8, what)
    const v = this.view.getFloat64(this.offset, true)
    this.offset += 8
    return v
  }

  /** `n` bytes as a view into the input (no copy: decoded records are read, never written). */
  raw(n: number, what: string): Uint8Array {
    this.need(n, what)
    const out = this.bytes.subarray(this.offset, this.offset + n)
    this.offset += n
    return out
  }

  string8(what: string): string {
    const n = this.u8(`${what} length`)
    try {
      return utf8Strict.decode(this.raw(n, what))
    } catch (err) {
      if (err instanceof RecordDecodeError) throw err
      return this.fail(`${what} is not valid UTF-8`)
    }
  }

  bytes32(what: string, max: number): Uint8Array {
    const n = this.u32(`${what} length`)
    if (n > max) this.fail(`${what} of ${n} bytes is over the limit of ${max}`)
    return this.raw(n, what)
  }

  /** The rest of the bytes. */
  rest(): Uint8Array {
    const out = this.bytes.subarray(this.offset)
    this.offset = this.bytes.length
    return out
  }

  /** Refuses trailing bytes. */
  end(): void {
    if (this.offset !== this.bytes.length) this.fail(`${this.bytes.length - this.offset} trailing bytes`)
  }
}
