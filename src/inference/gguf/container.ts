// The GGUF container (version 3): a header of typed key-value metadata and tensor
// descriptions, then the tensor data, each tensor aligned. Little-endian throughout.
// https://github.com/ggml-org/ggml/blob/master/docs/gguf.md
import { closeSync, openSync, renameSync, rmSync, writeSync } from 'node:fs'
import { GGML_TYPES, type GgmlType } from './tensor-types.js'

export enum GgufValueType {
  UInt32 = 4,
  Int32 = 5,
  Float32 = 6,
  Bool = 7,
  String = 8,
  Array = 9,
  UInt64 = 10,
}

type Scalar =
  | { type: GgufValueType.UInt32 | GgufValueType.Int32 | GgufValueType.Float32; value: number }
  | { type: GgufValueType.UInt64; value: bigint }
  | { type: GgufValueType.Bool; value: boolean }
  | { type: GgufValueType.String; value: string }

export type GgufValue =
  | Scalar
  | { type: GgufValueType.Array; itemType: GgufValueType.Int32 | GgufValueType.Float32; value: number[] }
  | { type: GgufValueType.Array; itemType: GgufValueType.String; value: string[] }

export const gguf = {
  u32: (value: number): GgufValue => ({ type: GgufValueType.UInt32, value }),
  f32: (value: number): GgufValue => ({ type: GgufValueType.Float32, value }),
  bool: (value: boolean): GgufValue => ({ type: GgufValueType.Bool, value }),
  str: (value: string): GgufValue => ({ type: GgufValueType.String, value }),
  strings: (value: string[]): GgufValue => ({ type: GgufValueType.Array, itemType: GgufValueType.String, value }),
  i32s: (value: number[]): GgufValue => ({ type: GgufValueType.Array, itemType: GgufValueType.Int32, value }),
  f32s: (value: number[]): GgufValue => ({ type: GgufValueType.Array, itemType: GgufValueType.Float32, value }),
}

/** A tensor to write: its data is produced row by row (a row is `dims[0]` values). */
export interface TensorSource {
  name: string
  /** ggml order: the innermost (contiguous) dimension first. */
  dims: number[]
  type: GgmlType
  /** Writes `out.length / rowBytes` rows starting at row `firstRow` into `out`. */
  fill(out: Uint8Array, firstRow: number): void
}

export interface GgufFile {
  metadata: Array<[string, GgufValue]>
  tensors: TensorSource[]
}

export interface WriteProgress { writtenBytes: number; totalBytes: number }

const ALIGNMENT = 32
const CHUNK_BYTES = 16 << 20

class ByteWriter {
  private buf = new Uint8Array(1 << 16)
  private view = new DataView(this.buf.buffer)
  length = 0

  private reserve(n: number): void {
    if (this.length + n <= this.buf.length) return
    let size = this.buf.length * 2
    while (size < this.length + n) size *= 2
    const next = new Uint8Array(size)
    next.set(this.buf.subarray(0, this.length))
    this.buf = next
    this.view = new DataView(next.buffer)
  }

  u8(v: number): void { this.reserve(1); this.view.setUint8(this.length, v); this.length += 1 }
  u32(v: number): void { this.reserve(4); this.view.setUint32(this.length, v, true); this.length += 4 }
  i32(v: number): void { this.reserve(4); this.view.setInt32(this.length, v, true); this.length += 4 }
  f32(v: number): void { this.reserve(4); this.view.setFloat32(this.length, v, true); this.length += 4 }
  u64(v: bigint | number): void { this.reserve(8); this.view.setBigUint64(this.length, BigInt(v), true); this.length += 8 }

  str(s: string): void {
    const bytes = Buffer.from(s, 'utf8')
    this.u64(bytes.length)
    this.reserve(bytes.length)
    this.buf.set(bytes, this.length)
    this.length += bytes.length
  }

  bytes(): Uint8Array { return this.buf.subarray(0, this.length) }
}

function writeScalar(w: ByteWriter, type: GgufValueType, value: unknown): void {
  switch (type) {
    case GgufValueType.UInt32: return w.u32(value as number)
    case GgufValueType.Int32: return w.i32(value as number)
    case GgufValueType.Float32: return w.f32(value as number)
    case GgufValueType.UInt64: return w.u64(value as bigint)
    case GgufValueType.Bool: return w.u8(value === true ? 1 : 0)
    case GgufValueType.String: return w.str(value as string)
    default: throw new RangeError(`GGUF value type ${type} is not a scalar`)
  }
}

const padTo = (n: number): number => (ALIGNMENT - (n % ALIGNMENT)) % ALIGNMENT

/** Bytes of one row and of the whole tensor; refuses shapes its encoding cannot hold. */
export function tensorLayout(t: TensorSource): { rowBytes: number; rows: number; bytes: number } {
  const enc = GGML_TYPES[t.type]
  if (t.dims[0] % enc.blockValues !== 0) {
    throw new RangeError(`${t.name}: ${t.dims[0]} values a row is not a multiple of the ${enc.name} block (${enc.blockValues})`)
  }
  const rowBytes = (t.dims[0] / enc.blockValues) * enc.blockBytes
  const rows = t.dims.slice(1).reduce((a, b) => a * b, 1)
  return { rowBytes, rows, bytes: rowBytes * rows }
}

function encodeHeader(file: GgufFile): { header: Uint8Array; sizes: number[] } {
  const w = new ByteWriter()
  w.u32(0x46554747) // "GGUF"
  w.u32(3)
  w.u64(file.tensors.length)
  w.u64(file.metadata.length)
  for (const [key, v] of file.metadata) {
    w.str(key)
    w.u32(v.type)
    if (v.type === GgufValueType.Array) {
      w.u32(v.itemType)
      w.u64(v.value.length)
      for (const item of v.value) writeScalar(w, v.itemType, item)
    } else {
      writeScalar(w, v.type, v.value)
    }
  }
  const sizes: number[] = []
  let offset = 0
  for (const t of file.tensors) {
    const { bytes } = tensorLayout(t)
    w.str(t.name)
    w.u32(t.dims.length)
    for (const d of t.dims) w.u64(d)
    w.u32(t.type)
    w.u64(offset)
    sizes.push(bytes)
    offset += bytes + padTo(bytes)
  }
  return { header: w.bytes(), sizes }
}

/** The file's size in bytes, without writing it. */
export function ggufSize(file: GgufFile): number {
  const { header, sizes } = encodeHeader(file)
  return sizes.reduce((sum, s) => sum + s + padTo(s), header.length + padTo(header.length))
}

/**
 * Writes the file (to a temporary name, renamed when complete, so a reader never sees half a
 * file). `onProgress` is called after each chunk of tensor data.
 */
export function writeGguf(path: string, file: GgufFile, onProgress?: (p: WriteProgress) => void): void {
  const { header, sizes } = encodeHeader(file)
  const totalBytes = sizes.reduce((sum, s) => sum + s + padTo(s), header.length + padTo(header.length))
  const tmp = `${path}.${process.pid}.tmp`
  const fd = openSync(tmp, 'w')
  try {
    try {
      let written = 0
      const put = (bytes: Uint8Array): void => {
        for (let at = 0; at < bytes.length;) at += writeSync(fd, bytes, at)
        written += bytes.length
      }
      const zeros = new Uint8Array(ALIGNMENT)
      put(header)
      put(zeros.subarray(0, padTo(header.length)))
      const chunk = new Uint8Array(CHUNK_BYTES)
      file.tensors.forEach((t, i) => {
        const { rowBytes, rows } = tensorLayout(t)
        const rowsPerChunk = Math.max(1, Math.floor(CHUNK_BYTES / rowBytes))
        for (let row = 0; row < rows; row += rowsPerChunk) {
          const n = Math.min(rowsPerChunk, rows - row)
          const out = n * rowBytes <= chunk.length ? chunk.subarray(0, n * rowBytes) : new Uint8Array(n * rowBytes)
          out.fill(0)
          t.fill(out, row)
          put(out)
          onProgress?.({ writtenBytes: written, totalBytes })
        }
        put(zeros.subarray(0, padTo(sizes[i])))
      })
    } finally {
      closeSync(fd)
    }
    renameSync(tmp, path)
  } catch (err) {
    rmSync(tmp, { force: true })
    throw err
  }
}
