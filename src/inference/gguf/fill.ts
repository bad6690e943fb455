// Tensor data for random-weight models: values drawn uniformly from [-scale, scale] (or one
// constant), written straight into a ggml encoding. Quantized types draw their quants
// directly rather than quantizing floats: the same distribution, a fraction of the work.
import { Rng } from './random.js'
import { GGML_TYPES, GgmlType } from './tensor-types.js'

export type FillSpec =
  | {
    kind: 'uniform'; scale: number; seed: number; stream: number; zeroRows?: ReadonlySet<number>
    /**
     * Draw float32 values (as for F32) and quantize them, rather than drawing the quants: F16,
     * Q8_0 and Q4_0 files of one seed are then encodings of the same weights.
     */
    fromFloats?: boolean
  }
  | { kind: 'constant'; value: number }

const f32 = new Float32Array(1)
const u32 = new Uint32Array(f32.buffer)

/** IEEE half precision of `value`, rounded to nearest even. */
export function toFloat16(value: number): number {
  f32[0] = value
  const x = u32[0]
  const sign = (x >>> 16) & 0x8000
  const exp = (x >>> 23) & 0xff
  let mant = x & 0x7fffff
  if (exp === 0xff) return sign | 0x7c00 | (mant !== 0 ? 0x200 : 0)
  const e = exp - 127 + 15
  if (e >= 31) return sign | 0x7c00
  if (e <= 0) {
    if (e < -10) return sign
    mant |= 0x800000
    const shift = 14 - e
    const half = 1 << (shift - 1)
    const rest = mant & ((1 << shift) - 1)
    let h = mant >>> shift
    if (rest > half || (rest === half && (h & 1) === 1)) h++
    return sign | h
  }
  let h = sign | (e << 10) | (mant >>> 13)
  const rest = mant & 0x1fff
  if (rest > 0x1000 || (rest === 0x1000 && (h & 1) === 1)) h++
  return h
}

/** A row filler for a tensor of `type` with `rowValues` values a row; rows are asked for in order. */
export function tensorFiller(type: GgmlType, rowValues: number, spec: FillSpec): (out: Uint8Array, firstRow: number) => void {
  const enc = GGML_TYPES[type]
  const rowBytes = (rowValues / enc.blockValues) * enc.blockBytes
  if (spec.kind === 'constant') {
    if (type !== GgmlType.F32) throw new RangeError('constant tensors are f32')
    return (out) => new Float32Array(out.buffer, out.byteOffset, out.length / 4).fill(spec.value)
  }
  const fillRow = spec.fromFloats === true ? quantizingRowWriter(type, spec.scale) : rowWriter(type, spec.scale)
  let rng = new Rng(spec.seed, spec.stream)
  return (out, firstRow) => {
    if (firstRow === 0) rng = new Rng(spec.seed, spec.stream)
    const view = new DataView(out.buffer, out.byteOffset, out.byteLength)
    for (let r = 0; r * rowBytes < out.length; r++) {
      // A zero row stays as the writer hands it over (zeroed), and draws nothing.
      if (spec.zeroRows?.has(firstRow + r) === true) continue
      fillRow(view, r * rowBytes, rowBytes, rng)
    }
  }
}

type RowWriter = (view: DataView, at: number, rowBytes: number, rng: Rng) => void

function rowWriter(type: GgmlType, scale: number): RowWriter {
  switch (type) {
    case GgmlType.F32:
      return (view, at, rowBytes, rng) => {
        for (let o = at; o < at + rowBytes; o += 4) view.setFloat32(o, rng.signed() * scale, true)
      }
    case GgmlType.F16:
      return (view, at, rowBytes, rng) => {
        for (let o = at; o < at + rowBytes; o += 2) view.setUint16(o, toFloat16(rng.signed() * scale), true)
      }
    case GgmlType.Q8_0:
      return quantRows(34, toFloat16(scale / 127))
    case GgmlType.Q4_0:
      return quantRows(18, toFloat16(scale / 8))
  }
}

const QK = 32

/** ggml's reference quantization of uniform float draws (quantize_row_q8_0_ref, quantize_row_q4_0_ref). */
function quantizingRowWriter(type: GgmlType, scale: number): RowWriter {
  if (type === GgmlType.F32 || type === GgmlType.F16) return rowWriter(type, scale)
  const block = new Float32Array(QK)
  const half = new Float32Array(1)
  const roundF16 = (x: number): number => {
    half[0] = x
    return toFloat16(half[0])
  }
  return (view, at, rowBytes, rng) => {
    const blockBytes = type === GgmlType.Q8_0 ? 34 : 18
    for (let o = at; o < at + rowBytes; o += blockBytes) {
      for (let j = 0; j < QK; j++) block[j] = Math.fround(rng.signed() * scale)
      if (type === GgmlType.Q8_0) {
        let amax = 0
        for (const x of block) amax = Math.max(amax, Math.abs(x))
        const d = amax / 127
        const id = d === 0 ? 0 : 1 / d
        view.setUint16(o, roundF16(d), true)
        for (let j = 0; j < QK; j++) view.setInt8(o + 2 + j, Math.round(block[j] * id))
      } else {
        // Q4_0: the value of largest magnitude maps to -8; nibbles are x/d + 8.5, truncated, at most 15.
        let amax = 0
        let max = 0
        for (const x of block) if (Math.abs(x) > amax) { amax = Math.abs(x); max = x }
        const d = max / -8
        const id = d === 0 ? 0 : 1 / d
        view.setUint16(o, roundF16(d), true)
        for (let j = 0; j < QK / 2; j++) {
          const lo = Math.min(15, Math.trunc(block[j] * id + 8.5))
          const hi = Math.min(15, Math.trunc(block[j + QK / 2] * id + 8.5))
          view.setUint8(o + 2 + j, lo | (hi << 4))
        }
      }
    }
  }
}

/** Blocks of an f16 scale then random quant bytes: uniform int8, or two uniform nibbles a byte. */
function quantRows(blockBytes: number, scale16: number): RowWriter {
  return (view, at, rowBytes, rng) => {
    for (let o = at; o < at + rowBytes; o += blockBytes) {
      view.setUint16(o, scale16, true)
      for (let j = o + 2; j < o + blockBytes; j += 4) view.setUint32(j, rng.u32(), true)
    }
  }
}
