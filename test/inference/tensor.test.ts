import { test } from 'node:test'
import assert from 'node:assert/strict'
import { decodeTensor, encodeTensor, TensorDecodeError } from '../../src/inference/tensor.js'

test('a tensor round-trips with its shape, little-endian', () => {
  const data = Float32Array.from([1.5, -2, 3.25, 0, Number.MIN_VALUE, 1e30])
  const bytes = encodeTensor(data, [2, 3])
  assert.deepEqual([...bytes.subarray(0, 7)], [0x4d, 0x54, 0x53, 0x52, 1, 1, 2])
  assert.equal(new DataView(bytes.buffer).getFloat32(15, true), 1.5)
  const back = decodeTensor(bytes, [2, 3])
  assert.deepEqual(back.shape, [2, 3])
  assert.deepEqual([...back.data], [...data])
})

test('the decoder refuses every malformed tensor', () => {
  const good = encodeTensor(new Float32Array(8))
  const cases: Array<[string, Uint8Array, number[] | undefined, RegExp]> = [
    ['empty', new Uint8Array(0), undefined, /shorter than its header/],
    ['bad magic', Uint8Array.from([0, ...good.subarray(1)]), undefined, /bad magic/],
    ['version', Uint8Array.from([...good.subarray(0, 4), 2, ...good.subarray(5)]), undefined, /version 2/],
    ['dtype', Uint8Array.from([...good.subarray(0, 5), 2, ...good.subarray(6)]), undefined, /dtype 2/],
    ['no dims', Uint8Array.from([...good.subarray(0, 6), 0, ...good.subarray(7)]), undefined, /0 dimensions/],
    ['truncated data', good.subarray(0, good.length - 1), undefined, /needs 43 bytes, got 42/],
    ['trailing bytes', Uint8Array.from([...good, 0]), undefined, /got 44/],
    ['wrong shape', good, [4, 2], /not the expected 4×2/],
    ['wrong length', good, [16], /not the expected 16/],
  ]
  for (const [name, bytes, shape, message] of cases) {
    assert.throws(() => decodeTensor(bytes, shape), (err: unknown) => err instanceof TensorDecodeError && message.test(err.message), name)
  }
})

test('random bytes never decode into a tensor of the expected shape', () => {
  for (let i = 0; i < 2000; i++) {
    const bytes = new Uint8Array(Math.floor(Math.random() * 80))
    for (let j = 0; j < bytes.length; j++) bytes[j] = Math.floor(Math.random() * 256)
    assert.throws(() => decodeTensor(bytes, [16]), TensorDecodeError)
  }
})
