import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { mkdtemp, readFile, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { GgmlType as LlamaGgmlType, readGgufFileInfo } from 'node-llama-cpp'
import { ggufSize, writeGguf } from '../../../src/inference/gguf/container.js'
import { toFloat16 } from '../../../src/inference/gguf/fill.js'
import { describeTestModel, TEST_MODEL_QUANTS, writeTestModel } from '../../../src/inference/gguf/llama-model.js'
import { GgmlType } from '../../../src/inference/gguf/tensor-types.js'
import { testModelFile } from '../../../src/inference/gguf/test-model-file.js'
import { buildVocabulary, TokenType } from '../../../src/inference/gguf/vocabulary.js'

const sha256 = async (path: string): Promise<string> => createHash('sha256').update(await readFile(path)).digest('hex')

test('the same options give the same bytes, another seed other bytes, in milliseconds', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mesh-gguf-'))
  for (const quant of TEST_MODEL_QUANTS) {
    const started = performance.now()
    writeTestModel(join(dir, `a-${quant}.gguf`), { quant, seed: 7 })
    const ms = performance.now() - started
    assert.ok(ms < 2000, `${quant} took ${ms} ms`)
    writeTestModel(join(dir, `b-${quant}.gguf`), { quant, seed: 7 })
    writeTestModel(join(dir, `c-${quant}.gguf`), { quant, seed: 8 })
    assert.equal(await sha256(join(dir, `a-${quant}.gguf`)), await sha256(join(dir, `b-${quant}.gguf`)), quant)
    assert.notEqual(await sha256(join(dir, `a-${quant}.gguf`)), await sha256(join(dir, `c-${quant}.gguf`)), quant)
  }
})

test('llama.cpp reads the written file: metadata, tensor types and offsets, size', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mesh-gguf-'))
  const expected = { f32: LlamaGgmlType.F32, f16: LlamaGgmlType.F16, q8_0: LlamaGgmlType.Q8_0, q4_0: LlamaGgmlType.Q4_0 }
  for (const quant of TEST_MODEL_QUANTS) {
    const path = join(dir, `${quant}.gguf`)
    const description = describeTestModel({ quant })
    writeGguf(path, description)
    assert.equal((await stat(path)).size, ggufSize(description))
    const info = await readGgufFileInfo(path, { readTensorInfo: true, logWarnings: false, sourceType: 'filesystem' })
    assert.equal(info.metadata.general.architecture, 'llama')
    assert.equal(info.metadata.tokenizer?.chat_template?.includes('<|assistant|>'), true)
    const tensors = info.tensorInfo ?? []
    assert.equal(tensors.length, 1 + 2 * 9 + 2) // embeddings, 2 layers × 9, output norm and output
    assert.equal(tensors.find((t) => t.name === 'blk.0.attn_q.weight')?.ggmlType, expected[quant])
    assert.equal(tensors.find((t) => t.name === 'blk.0.attn_norm.weight')?.ggmlType, LlamaGgmlType.F32)
    for (const t of tensors) assert.equal(Number(t.fileOffset) % 32, 0, `${t.name} is aligned`)
  }
})

test('the TinyLlama shape has TinyLlama 1.1B\'s dimensions and Q4_0 size', () => {
  const model = describeTestModel({ shape: 'tinyllama', quant: 'q4_0' })
  const meta = new Map(model.metadata)
  assert.equal(meta.get('llama.block_count')?.value, 22)
  assert.equal(meta.get('llama.embedding_length')?.value, 2048)
  assert.equal(meta.get('llama.feed_forward_length')?.value, 5632)
  assert.equal(meta.get('llama.vocab_size')?.value, 32000)
  const bytes = ggufSize(model)
  assert.ok(bytes > 600e6 && bytes < 650e6, `${bytes} bytes`)
})

test('the 8B shape has Llama 3 8B\'s layers and the 4.1 GB Q4_0 size llama.cpp was measured with', () => {
  const model = describeTestModel({ shape: 'llama8b', quant: 'q4_0' })
  const meta = new Map(model.metadata)
  assert.equal(meta.get('llama.block_count')?.value, 32)
  assert.equal(meta.get('llama.embedding_length')?.value, 4096)
  assert.equal(meta.get('llama.attention.head_count')?.value, 32)
  assert.equal(meta.get('llama.attention.head_count_kv')?.value, 8)
  assert.equal(meta.get('llama.feed_forward_length')?.value, 14336)
  assert.equal(meta.get('llama.vocab_size')?.value, 32000)
  assert.deepEqual(model.tensors.find((t) => t.name === 'blk.0.attn_k.weight')?.dims, [4096, 1024])
  const bytes = ggufSize(model)
  assert.ok(bytes > 4.0e9 && bytes < 4.2e9, `${bytes} bytes`)
})

test('the test vocabulary: specials, 256 byte tokens, unique pieces each reachable by a merge', () => {
  const v = buildVocabulary(32000)
  assert.equal(v.tokens.length, 32000)
  assert.equal(new Set(v.tokens).size, 32000)
  assert.deepEqual(v.tokens.slice(0, 4), ['<unk>', '<s>', '</s>', '<0x00>'])
  assert.equal(v.types.filter((t) => t === TokenType.Byte).length, 256)
  const pieces = new Set(v.tokens.filter((_, i) => v.types[i] === TokenType.Normal))
  for (const piece of pieces) {
    const chars = [...piece]
    if (chars.length < 2) continue
    const reachable = chars.some((_, k) => k > 0 && pieces.has(chars.slice(0, k).join('')) && pieces.has(chars.slice(k).join('')))
    assert.ok(reachable, `${piece} cannot be merged from two pieces`)
  }
  assert.throws(() => buildVocabulary(100), /at least/)
})

test('f16 conversion rounds to nearest even and keeps the special values', () => {
  const cases: Array<[number, number]> = [
    [0, 0x0000], [-0, 0x8000], [1, 0x3c00], [-2, 0xc000], [0.1, 0x2e66], [65504, 0x7bff], [1e6, 0x7c00],
    [Infinity, 0x7c00], [-Infinity, 0xfc00], [5.960464477539063e-8, 0x0001], [1e-9, 0x0000], [1 + 2 ** -11, 0x3c00], [1 + 3 * 2 ** -11, 0x3c02],
  ]
  for (const [value, half] of cases) assert.equal(toFloat16(value), half, `${value}`)
  assert.equal(toFloat16(NaN) & 0x7c00, 0x7c00)
  assert.notEqual(toFloat16(NaN) & 0x3ff, 0)
})

test('bad options are refused with a clear error', () => {
  assert.throws(() => describeTestModel({ shape: 'huge' as 'tiny' }), /unknown test model shape huge/)
  assert.throws(() => describeTestModel({ quant: 'q5_k' as 'f32' }), /unknown quantization q5_k/)
  assert.throws(() => describeTestModel({ seed: -1 }), /seed -1/)
  const model = describeTestModel({ quant: 'q4_0' })
  const bad = { ...model, tensors: [{ ...model.tensors[1], dims: [48], type: GgmlType.Q4_0 }] }
  assert.throws(() => ggufSize(bad), /48 values a row is not a multiple of the q4_0 block/)
})

test('testModelFile writes once and returns the cached file after', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mesh-gguf-'))
  const path = testModelFile({ dir, quant: 'q8_0', seed: 3 })
  const first = await stat(path)
  assert.equal(testModelFile({ dir, quant: 'q8_0', seed: 3 }), path)
  assert.equal((await stat(path)).mtimeMs, first.mtimeMs)
  assert.notEqual(testModelFile({ dir, quant: 'q8_0', seed: 4 }), path)
})
