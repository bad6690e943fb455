// The reference point outputs are scored against (PROTOCOL.md, "Scoring"). The subnet chooses it
// on chain (SubnetInfo.reference): the element-wise mean, the protocol's default, or the
// coordinate-wise median, which fewer than half of the outputs cannot drag far.
import type { ScoringReference } from '../chain/chain.js'

/** The reference of `vectors` (all of length `dim`, in the fixed peer order), in doubles. */
export type Reference = (vectors: ReadonlyArray<ArrayLike<number>>, dim: number) => Float64Array

/** The element-wise mean, summed in the order given (the order is part of the determinism). */
export const meanReference: Reference = (vectors, dim) => {
  const m = new Float64Array(dim)
  for (const v of vectors) {
    for (let j = 0; j < dim; j++) m[j] += v[j]
  }
  const n = vectors.length
  if (n > 0) for (let j = 0; j < dim; j++) m[j] /= n
  return m
}

/**
 * The coordinate-wise median: for each coordinate, the middle of the sorted values, or the
 * mean of the two middle ones when the count is even. Sorting makes it independent of the
 * order given, so every node computes the same doubles. Inputs are finite (scoring drops
 * outputs with NaN or ±Infinity before this).
 */
export const medianReference: Reference = (vectors, dim) => {
  const m = new Float64Array(dim)
  const n = vectors.length
  if (n === 0) return m
  const column = new Float64Array(n)
  const mid = n >> 1
  for (let j = 0; j < dim; j++) {
    for (let i = 0; i < n; i++) column[i] = vectors[i][j]
    column.sort()
    m[j] = n % 2 === 1 ? column[mid] : (column[mid - 1] + column[mid]) / 2
  }
  return m
}

/** The estimator behind each reference a subnet may choose. */
export const REFERENCES: Readonly<Record<ScoringReference, Reference>> = { mean: meanReference, median: medianReference }
