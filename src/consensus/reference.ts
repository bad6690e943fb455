// The reference point outputs are scored against (PROTOCOL.md, "Scoring"): the coordinate-wise
// median, always. Fewer than half of the outputs cannot drag it outside the honest values, however
// far they lie (one finite 1e30 output dragged every score under the mean).

/**
 * The coordinate-wise median of `vectors` (all of length `dim`), in doubles: for each coordinate,
 * the middle of the sorted values, or the mean of the two middle ones when the count is even.
 * Sorting makes it independent of the order given, so every node computes the same doubles.
 * Inputs are finite (scoring drops outputs with NaN or ±Infinity before this).
 */
export function medianReference(vectors: ReadonlyArray<ArrayLike<number>>, dim: number): Float64Array {
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
