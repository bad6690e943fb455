// scores_bytes: what a validator commits and reveals, its hoster scores for one epoch.
// Canonical, so equal scores give equal bytes on every node:
//   "MSCR" | u8 version 1 | u32 scored epoch | u32 count | count × (u8 len, peer id UTF-8, f64 LE score)
// Peer ids strictly ascending (byte order = string order for base58), scores finite in [0, 1].
import { ByteReader, ByteWriter } from './wire.js'

const MAGIC = 'MSCR'
const VERSION = 1
const PEER_ID = /^[1-9A-HJ-NP-Za-km-z]{1,128}$/ // base58btc

export interface ScoreVector {
  /** The epoch whose hosters these scores are for. */
  epoch: number
  /** [peer id, score] pairs, sorted by peer id. */
  scores: Array<[string, number]>
}

export function isPeerIdText(s: string): boolean {
  return PEER_ID.test(s)
}

export function encodeScores(vector: ScoreVector): Uint8Array {
  const w = new ByteWriter().header(MAGIC, VERSION).u32(vector.epoch).u32(vector.scores.length)
  let previous = ''
  for (const [peerId, score] of vector.scores) {
    if (!isPeerIdText(peerId)) throw new RangeError(`${JSON.stringify(peerId)} is not a peer id`)
    if (peerId <= previous) throw new RangeError(`peer ids must be strictly ascending: ${peerId} after ${previous}`)
    if (!(score >= 0 && score <= 1)) throw new RangeError(`score ${score} of ${peerId} is not in [0, 1]`)
    w.string8(peerId).f64(score)
    previous = peerId
  }
  return w.finish()
}

/** Decodes scores_bytes; at most `maxCount` entries. */
export function decodeScores(bytes: Uint8Array, maxCount = 100_000): ScoreVector {
  const r = new ByteReader(bytes, 'scores').header(MAGIC, VERSION)
  const epoch = r.u32('epoch')
  const count = r.u32('count')
  if (count > maxCount) r.fail(`${count} entries is over the limit of ${maxCount}`)
  const scores: Array<[string, number]> = []
  let previous = ''
  for (let i = 0; i < count; i++) {
    const peerId = r.string8('peer id')
    if (!isPeerIdText(peerId)) r.fail(`entry ${i}: ${JSON.stringify(peerId)} is not a peer id`)
    if (peerId <= previous) r.fail(`entry ${i}: peer ids are not strictly ascending`)
    const score = r.f64('score')
    if (!(score >= 0 && score <= 1)) r.fail(`entry ${i}: score ${score} is not in [0, 1]`)
    scores.push([peerId, score])
    previous = peerId
  }
  r.end()
  return { epoch, scores }
}
