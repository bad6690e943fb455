// The ggml tensor encodings the test models use: how many values a block holds and its bytes.
export enum GgmlType {
  F32 = 0,
  F16 = 1,
  Q4_0 = 2,
  Q8_0 = 8,
}

export interface TensorEncoding { name: string; blockValues: number; blockBytes: number }

export const GGML_TYPES: Record<GgmlType, TensorEncoding> = {
  [GgmlType.F32]: { name: 'f32', blockValues: 1, blockBytes: 4 },
  [GgmlType.F16]: { name: 'f16', blockValues: 1, blockBytes: 2 },
  // q4_0: an f16 scale d, then 32 4-bit quants q, value = (q - 8) · d
  [GgmlType.Q4_0]: { name: 'q4_0', blockValues: 32, blockBytes: 18 },
  // q8_0: an f16 scale d, then 32 int8 quants q, value = q · d
  [GgmlType.Q8_0]: { name: 'q8_0', blockValues: 32, blockBytes: 34 },
}
