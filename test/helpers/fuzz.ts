// Seeded fuzzing: a small PRNG, mutations of valid inputs, and a runner that tries a target for
// a number of inputs or a time budget and, on the first failure, says how to reproduce it
// (the seed, the input's index and its bytes). MESH_FUZZ_SEED replays a run.

/** xorshift128+ on two 32-bit halves: fast, and the same sequence for the same seed everywhere. */
export class Rng {
  private a: number
  private b: number

  constructor(readonly seed: number) {
    this.a = (seed ^ 0x9e3779b9) >>> 0 || 1
    this.b = Math.imul(seed, 0x85ebca6b) >>> 0 || 2
    for (let i = 0; i < 8; i++) this.next()
  }

  /** A uniform 32-bit unsigned integer. */
  next(): number {
    let s1 = this.a
    const s0 = this.b
    this.a = s0
    s1 ^= s1 << 23
    s1 ^= s1 >>> 17
    s1 ^= s0 ^ (s0 >>> 26)
    this.b = s1 >>> 0
    return (this.a + this.b) >>> 0
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return n <= 0 ? 0 : this.next() % n
  }

  chance(p: number): boolean {
    return this.next() / 0x1_0000_0000 < p
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]
  }

  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n)
    for (let i = 0; i < n; i++) out[i] = this.next() & 0xff
    return out
  }
}

/** Byte values that break parsers more often than random ones: limits, varint ends, tags. */
const INTERESTING = [0x00, 0x01, 0x7f, 0x80, 0xff, 0xfe, 0x08, 0x0a, 0x10, 0x12, 0x1a, 0x22, 0x20, 0x40]

/** A random change of `input`: bit flips, byte sets, inserts, deletes, truncation, repeats, splices. */
export function mutate(rng: Rng, input: Uint8Array, others: readonly Uint8Array[] = []): Uint8Array {
  let out: Uint8Array = Uint8Array.from(input)
  for (let n = 1 + rng.int(4); n > 0; n--) {
    const at = rng.int(out.length + 1)
    switch (rng.int(9)) {
      case 0:
        if (out.length > 0) out[at % out.length] ^= 1 << rng.int(8)
        break
      case 1:
        if (out.length > 0) out[at % out.length] = rng.pick(INTERESTING)
        break
      case 2:
        if (out.length > 0) out[at % out.length] = rng.next() & 0xff
        break
      case 3:
        out = concat(out.subarray(0, at), rng.bytes(1 + rng.int(16)), out.subarray(at))
        break
      case 4:
        out = concat(out.subarray(0, at), out.subarray(Math.min(out.length, at + 1 + rng.int(16))))
        break
      case 5:
        out = out.subarray(0, at)
        break
      case 6: {
        const from = rng.int(out.length)
        const part = out.subarray(from, from + 1 + rng.int(32))
        out = concat(out.subarray(0, at), part, part, out.subarray(at))
        break
      }
      case 7: {
        const other = others.length > 0 ? rng.pick(others) : out
        const from = rng.int(other.length)
        out = concat(out.subarray(0, at), other.subarray(from, from + 1 + rng.int(64)))
        break
      }
      default:
        // A run of 0xff: long varints and huge lengths.
        out = concat(out.subarray(0, at), new Uint8Array(1 + rng.int(10)).fill(0xff), out.subarray(at))
    }
  }
  return out
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.length
  }
  return out
}

/** A random input, or a mutation of a valid one (most of the time: those go deeper). */
export function nextInput(rng: Rng, valid: readonly Uint8Array[]): Uint8Array {
  if (valid.length === 0 || rng.chance(0.15)) return rng.bytes(rng.int(rng.chance(0.9) ? 64 : 4096))
  return mutate(rng, rng.pick(valid), valid)
}

export interface FuzzBudget {
  /** Stop after this many inputs... */
  inputs?: number
  /** ...or after this long, whichever comes first (at least one input is tried). */
  ms?: number
}

/** The seed of this run: MESH_FUZZ_SEED when set (to replay a failure), else a fresh one. */
export function fuzzSeed(): number {
  const fixed = process.env.MESH_FUZZ_SEED
  if (fixed !== undefined && fixed !== '') return Number(fixed) >>> 0
  return (Math.random() * 0x1_0000_0000) >>> 0
}

/**
 * Tries `check` on inputs from `generate` until the budget is spent; how many were tried.
 * The first failing input stops the run with an error naming the seed, the index and the input.
 */
export async function fuzz<T>(
  name: string, seed: number, budget: FuzzBudget,
  generate: (rng: Rng) => T, check: (input: T) => void | Promise<void>, show: (input: T) => string = String,
): Promise<number> {
  const rng = new Rng(seed)
  const end = budget.ms === undefined ? Infinity : performance.now() + budget.ms
  const limit = budget.inputs ?? Infinity
  let tried = 0
  do {
    const input = generate(rng)
    try {
      await check(input)
    } catch (err) {
      const shown = show(input)
      throw new Error(`fuzz ${name} failed at input ${tried} (replay: MESH_FUZZ_SEED=${seed}): ${(err as Error).message}\n` +
        `input: ${shown.length > 2000 ? `${shown.slice(0, 2000)}… (${shown.length} chars)` : shown}`, { cause: err })
    }
    tried++
  } while (tried < limit && performance.now() < end)
  return tried
}

export const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex')
