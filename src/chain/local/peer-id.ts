// The pallet accepts a peer id as 32–128 bytes of base58 text (it does not decode the multihash).
const BASE58 = /^[1-9A-HJ-NP-Za-km-z]+$/

export function isValidPeerId(peerId: unknown): peerId is string {
  return typeof peerId === 'string' && peerId.length >= 32 && peerId.length <= 128 && BASE58.test(peerId)
}
