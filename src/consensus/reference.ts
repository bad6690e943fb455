// The reference point outputs are scored against. PROTOCOL.md uses the element-wise mean; the
// function is a parameter so that another estimator (a coordinate-wise median) can be compared.

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
