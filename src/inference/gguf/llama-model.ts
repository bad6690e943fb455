// Random-weight Llama models for tests and benchmarks, described as a GGUF file: the llama.cpp
// "llama" architecture metadata, a SentencePiece vocabulary, a chat template, and the tensors.
// The same options give the same bytes.
import { type GgufFile, type TensorSource, gguf, writeGguf, type WriteProgress } from './container.js'
import { type FillSpec, tensorFiller } from './fill.js'
import { GgmlType } from './tensor-types.js'
import { TokenType, buildVocabulary } from './vocabulary.js'

export const TEST_MODEL_SHAPES = ['tiny', 'tinyllama', 'llama8b'] as const
export const TEST_MODEL_QUANTS = ['f32', 'f16', 'q8_0', 'q4_0'] as const
export type TestModelShape = (typeof TEST_MODEL_SHAPES)[number]
export type TestModelQuant = (typeof TEST_MODEL_QUANTS)[number]

export interface TestModelOptions {
  /**
   * `tiny` (default: 2 layers × 64 wide, for tests), `tinyllama` (TinyLlama 1.1B's shape) or `llama8b`
   * (Llama 3 8B's layers with a 32,000-token vocabulary: 4.1 GB in q4_0, for GPU benchmarks).
   */
  shape?: TestModelShape
  /** Encoding of the weight matrices (norms stay f32); default f32. */
  quant?: TestModelQuant
  seed?: number
  /**
   * Quantize one set of float weights (default false: quantized types draw their quants
   * directly, which is faster but makes F16, Q8_0 and Q4_0 of one seed different weights).
   */
  fromFloats?: boolean
  /** The context length the model claims to be trained for; default: the shape's. */
  contextLength?: number
}

interface LlamaShape {
  nEmbd: number
  nLayer: number
  nHead: number
  nHeadKv: number
  nFf: number
  nCtx: number
  /** Vocabulary size; the base test vocabulary when absent. */
  nVocab?: number
}

const SHAPES: Record<TestModelShape, LlamaShape> = {
  tiny: { nEmbd: 64, nLayer: 2, nHead: 4, nHeadKv: 2, nFf: 128, nCtx: 1024 },
  tinyllama: { nEmbd: 2048, nLayer: 22, nHead: 32, nHeadKv: 4, nFf: 5632, nCtx: 2048, nVocab: 32000 },
  llama8b: { nEmbd: 4096, nLayer: 32, nHead: 32, nHeadKv: 8, nFf: 14336, nCtx: 8192, nVocab: 32000 },
}

const QUANT: Record<TestModelQuant, { type: GgmlType; fileType: number }> = {
  f32: { type: GgmlType.F32, fileType: 0 },
  f16: { type: GgmlType.F16, fileType: 1 },
  q4_0: { type: GgmlType.Q4_0, fileType: 2 },
  q8_0: { type: GgmlType.Q8_0, fileType: 7 },
}

// Zephyr's template, as TinyLlama-Chat ships it.
const TEST_CHAT_TEMPLATE =
  "{% for message in messages %}\n{% if message['role'] == 'user' %}\n{{ '<|user|>\n' + message['content'] + eos_token }}\n" +
  "{% elif message['role'] == 'system' %}\n{{ '<|system|>\n' + message['content'] + eos_token }}\n" +
  "{% elif message['role'] == 'assistant' %}\n{{ '<|assistant|>\n'  + message['content'] + eos_token }}\n{% endif %}\n" +
  "{% if loop.last and add_generation_prompt %}\n{{ '<|assistant|>' }}\n{% endif %}\n{% endfor %}"

export function describeTestModel(options: TestModelOptions = {}): GgufFile {
  const shapeName = options.shape ?? 'tiny'
  const quantName = options.quant ?? 'f32'
  const seed = options.seed ?? 1
  const fromFloats = options.fromFloats ?? false
  const shape = SHAPES[shapeName]
  const quant = QUANT[quantName]
  if (shape === undefined) throw new RangeError(`unknown test model shape ${shapeName} (one of ${TEST_MODEL_SHAPES.join(', ')})`)
  if (quant === undefined) throw new RangeError(`unknown quantization ${quantName} (one of ${TEST_MODEL_QUANTS.join(', ')})`)
  if (!Number.isSafeInteger(seed) || seed < 0 || seed > 0xffffffff) throw new RangeError(`seed ${seed} is not a 32-bit unsigned integer`)
  const nCtx = options.contextLength ?? shape.nCtx
  if (!Number.isSafeInteger(nCtx) || nCtx < 1 || nCtx > 0x7fffffff) throw new RangeError(`context length ${nCtx} is not a positive 31-bit integer`)
  const vocab = buildVocabulary(shape.nVocab)
  const nVocab = vocab.tokens.length
  const { nEmbd, nLayer, nHead, nHeadKv, nFf } = shape
  const headDim = nEmbd / nHead

  const metadata: GgufFile['metadata'] = [
    ['general.architecture', gguf.str('llama')],
    ['general.name', gguf.str(`mesh-test-${shapeName}-${quantName}-seed${seed}${fromFloats ? '-floats' : ''}`)],
    ['general.file_type', gguf.u32(quant.fileType)],
    ['llama.context_length', gguf.u32(nCtx)],
    ['llama.embedding_length', gguf.u32(nEmbd)],
    ['llama.block_count', gguf.u32(nLayer)],
    ['llama.feed_forward_length', gguf.u32(nFf)],
    ['llama.rope.dimension_count', gguf.u32(headDim)],
    ['llama.attention.head_count', gguf.u32(nHead)],
    ['llama.attention.head_count_kv', gguf.u32(nHeadKv)],
    ['llama.attention.layer_norm_rms_epsilon', gguf.f32(1e-5)],
    ['llama.rope.freq_base', gguf.f32(10000)],
    ['llama.vocab_size', gguf.u32(nVocab)],
    ['tokenizer.ggml.model', gguf.str('llama')],
    ['tokenizer.ggml.tokens', gguf.strings(vocab.tokens)],
    ['tokenizer.ggml.scores', gguf.f32s(vocab.scores)],
    ['tokenizer.ggml.token_type', gguf.i32s(vocab.types)],
    ['tokenizer.ggml.bos_token_id', gguf.u32(vocab.bos)],
    ['tokenizer.ggml.eos_token_id', gguf.u32(vocab.eos)],
    ['tokenizer.ggml.unknown_token_id', gguf.u32(vocab.unk)],
    ['tokenizer.ggml.padding_token_id', gguf.u32(vocab.eos)],
    ['tokenizer.ggml.add_bos_token', gguf.bool(true)],
    ['tokenizer.ggml.add_eos_token', gguf.bool(false)],
    ['tokenizer.chat_template', gguf.str(TEST_CHAT_TEMPLATE)],
  ]

  // The output layer never predicts a token that is not a normal piece (zero rows give a logit
  // of 0 against random ones), so generated text is printable and runs to maxTokens.
  const notNormal = new Set(vocab.types.flatMap((t, id) => (t === TokenType.Normal ? [] : [id])))
  const tensors: TensorSource[] = []
  const add = (name: string, dims: number[], type: GgmlType, fill: FillSpec | number): void => {
    const spec: FillSpec = typeof fill === 'number' ? { kind: 'uniform', scale: fill, seed, stream: tensors.length, fromFloats } : fill
    tensors.push({ name, dims, type, fill: tensorFiller(type, dims[0], spec) })
  }
  const one: FillSpec = { kind: 'constant', value: 1 }
  // Uniform(-a, a) with a = 1.7/√fan_in keeps activations near unit size through the layers.
  const w = (fanIn: number): number => 1.7 / Math.sqrt(fanIn)
  add('token_embd.weight', [nEmbd, nVocab], quant.type, 1)
  for (let i = 0; i < nLayer; i++) {
    add(`blk.${i}.attn_norm.weight`, [nEmbd], GgmlType.F32, one)
    add(`blk.${i}.attn_q.weight`, [nEmbd, nEmbd], quant.type, w(nEmbd))
    add(`blk.${i}.attn_k.weight`, [nEmbd, headDim * nHeadKv], quant.type, w(nEmbd))
    add(`blk.${i}.attn_v.weight`, [nEmbd, headDim * nHeadKv], quant.type, w(nEmbd))
    add(`blk.${i}.attn_output.weight`, [nEmbd, nEmbd], quant.type, w(nEmbd))
    add(`blk.${i}.ffn_norm.weight`, [nEmbd], GgmlType.F32, one)
    add(`blk.${i}.ffn_gate.weight`, [nEmbd, nFf], quant.type, w(nEmbd))
    add(`blk.${i}.ffn_down.weight`, [nFf, nEmbd], quant.type, w(nFf))
    add(`blk.${i}.ffn_up.weight`, [nEmbd, nFf], quant.type, w(nEmbd))
  }
  add('output_norm.weight', [nEmbd], GgmlType.F32, one)
  add('output.weight', [nEmbd, nVocab], quant.type, { kind: 'uniform', scale: 4 * w(nEmbd), seed, stream: tensors.length, zeroRows: notNormal, fromFloats })
  return { metadata, tensors }
}

/** Writes the test model to `path`. */
export function writeTestModel(path: string, options: TestModelOptions = {}, onProgress?: (p: WriteProgress) => void): void {
  writeGguf(path, describeTestModel(options), onProgress)
}
