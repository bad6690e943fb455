// The consensus output's wire form: a self-describing tensor (PROTOCOL.md, "The challenge and
// the output tensor"). Layout, all little-endian:
//   magic "MTSR" | u8 version (1) | u8 dtype | u8 ndim | ndim × u32 dims | data
// Only float32 is defined. The decoder refuses anything that is not exactly that.
import { MeshError } from '../errors.js'

const MAGIC = [0x4d, 0x54, 0x53, 0x52] // "MTSR"
const VERSION = 1
export const DTYPE_FLOAT32 = 1
const MAX_DIMS = 4
const LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1

export class TensorDecodeError extends MeshError {
  constructor(message: string) {
    super('TENSOR_MALFORMED', message)
    this.name = 'TensorDecodeError'
  }
}

export interface Tensor {
  shape: number[]
  data: Float32Array
}

export function encodeTensor(data: Float32Array, shape: number[] = [data.length]): Uint8Array {
  if (shape.length === 0 || shape.length > MAX_DIMS) throw new RangeError(`a tensor has 1 to ${MAX_DIMS} dimensions, not ${shape.length}`)
  if (shape.reduce((a, b) => a * b, 1) !== data.length) throw new RangeError(`shape ${shape.join('×')} does not hold ${data.length} values`)
  const header = 7 + 4 * shape.length
  const out = new Uint8Array(header + data.length * 4)
  const view = new DataView(out.buffer)
  out.set(MAGIC, 0)
  out[4] = VERSION
  out[5] = DTYPE_FLOAT32
  out[6] = shape.length
  shape.forEach((d, i) => view.setUint32(7 + 4 * i, d, true))
  for (let i = 0; i < data.length; i++) view.setFloat32(header + 4 * i, data[i], true)
  return out
}

/** Decodes a tensor; with `expectShape`, anything of another shape is refused too. */
export function decodeTensor(bytes: Uint8Array, expectShape?: number[]): Tensor {
  if (bytes.length < 7) throw new TensorDecodeError(`tensor of ${bytes.length} bytes is shorter than its header`)
  for (let i = 0; i < MAGIC.length; i++) {
    if (bytes[i] !== MAGIC[i]) throw new TensorDecodeError('not a mesh tensor (bad magic)')
  }
  if (bytes[4] !== VERSION) throw new TensorDecodeError(`tensor version ${bytes[4]} is not ${VERSION}`)
  if (bytes[5] !== DTYPE_FLOAT32) throw new TensorDecodeError(`tensor dtype ${bytes[5]} is not float32`)
  const ndim = bytes[6]
  if (ndim === 0 || ndim > MAX_DIMS) throw new TensorDecodeError(`tensor has ${ndim} dimensions`)
  const header = 7 + 4 * ndim
  if (bytes.length < header) throw new TensorDecodeError('tensor header is truncated')
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const shape: number[] = []
  let count = 1
  for (let i = 0; i < ndim; i++) {
    const d = view.getUint32(7 + 4 * i, true)
    shape.push(d)
    count *= d
  }
  if (bytes.length !== header + count * 4) {
    throw new TensorDecodeError(`tensor of shape ${shape.join('×')} needs ${header + count * 4} bytes, got ${bytes.length}`)
  }
  if (expectShape !== undefined && (expectShape.length !== shape.length || expectShape.some((d, i) => d !== shape[i]))) {
    throw new TensorDecodeError(`tensor shape ${shape.join('×')} is not the expected ${expectShape.join('×')}`)
  }
  let data: Float32Array
  if (LITTLE_ENDIAN) {
    // One copy into a fresh (aligned) buffer: 50× faster than a DataView read per value.
    data = new Float32Array(bytes.buffer.slice(bytes.byteOffset + header, bytes.byteOffset + bytes.length))
  } else {
    data = new Float32Array(count)
    for (let i = 0; i < count; i++) data[i] = view.getFloat32(header + 4 * i, true)
  }
  return { shape, data }
}
