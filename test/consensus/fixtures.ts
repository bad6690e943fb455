// Builders for consensus test data: peer ids and the raw records peers store.
import { encodeTensor } from '../../src/inference/tensor.js'
import { encodeReveal, makeCommit } from '../../src/consensus/commit.js'
import type { PeerRecords } from '../../src/consensus/scoring.js'
import { encodeScores } from '../../src/consensus/scores-codec.js'

const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz'

/** A peer-id-shaped base58 string, distinct per index (and sorting in index order). */
export function peer(i: number): string {
  let s = ''
  let n = i
  for (let k = 0; k < 4; k++) {
    s = BASE58[n % 58] + s
    n = Math.floor(n / 58)
  }
  return `12D3KooW${s}${'x'.repeat(40)}`
}

/** A hoster's honest commit and reveal of `output`. */
export function hosterRecords(peerId: string, output: ArrayLike<number>): PeerRecords {
  const { reveal, commit } = makeCommit(peerId, encodeTensor(Float32Array.from(output)))
  return { peerId, commit, reveal: encodeReveal(reveal) }
}

/** A validator's commit and reveal of its scores for `epoch`. */
export function validatorRecords(peerId: string, epoch: number, scores: Array<[string, number]>): PeerRecords {
  const { reveal, commit } = makeCommit(peerId, encodeScores({ epoch, scores }))
  return { peerId, commit, reveal: encodeReveal(reveal) }
}

/** A deterministic pseudo-random vector (xorshift), for reproducible outputs. */
export function vector(seed: number, dim: number, noise = 0, base = 1): Float32Array {
  let x = seed * 2654435761 + 1
  const next = () => {
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    return ((x >>> 0) / 2 ** 32) * 2 - 1
  }
  const out = new Float32Array(dim)
  for (let j = 0; j < dim; j++) out[j] = Math.sin(j * base) + noise * next()
  return out
}
