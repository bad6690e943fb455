// A small seeded PRNG (xoshiro128**): the same seed gives the same weights on every machine.
// Not for secrets: challenges use a CSPRNG.

export class Rng {
  private a: number
  private b: number
  private c: number
  private d: number

  /** A generator for `seed`, split by `stream` so each tensor has its own independent sequence. */
  constructor(seed: number, stream = 0) {
    this.a = (seed >>> 0) ^ 0x9e3779b9
    this.b = Math.imul(stream + 1, 0x85ebca6b) >>> 0
    this.c = 0x243f6a88
    this.d = 0xb7e15162
    for (let i = 0; i < 16; i++) this.u32()
  }

  u32(): number {
    const result = Math.imul(rotl(Math.imul(this.b, 5), 7), 9) >>> 0
    const t = this.b << 9
    this.c ^= this.a
    this.d ^= this.b
    this.b ^= this.c
    this.a ^= this.d
    this.c ^= t
    this.d = rotl(this.d, 11)
    return result
  }

  /** Uniform in [-1, 1). */
  signed(): number {
    return this.u32() / 2147483648 - 1
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0
}
