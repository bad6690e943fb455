// A TEST DOUBLE of a dishonest storing node: a real swarm host whose dht-find handler is replaced by
// one that rewrites the honest answer (hides subkeys, alters values, records what readers asked).
// Only the find side lies; the node stores like any other (its storage keeps the rules: a liar
// cannot rewrite what it holds, so it lies in what it serves). There is no way back to the honest handler: restart
// the node for that.
import type { SignedRecord } from '../../src/dht/crypto.js'
import { findPage, type FindPage, type FindQuery } from '../../src/dht/digest.js'
import { findMethod, findQuery, pageToWire } from '../../src/dht/protocol.js'
import type { SwarmNode } from './dht-swarm.js'

/** Rewrites the page node `self` would honestly serve for `query` from the records it holds. */
export type Lie = (query: FindQuery, honest: FindPage, held: SignedRecord[], self: string) => FindPage

/** Replaces `node`'s dht-find handler with `lie`. */
export async function lyingReplica(node: SwarmNode, lie: Lie): Promise<void> {
  await node.server.unhandle(findMethod)
  await node.server.handle(findMethod, (request) => {
    const query = findQuery(request)
    const held = node.dht.storage.get(query.key)
    return pageToWire(lie(query, findPage(held, query, node.peerId), held, node.peerId))
  })
}

/** A lie: the node hides `writers`' records (from digests, values and summaries alike). */
export function hiding(writers: readonly string[]): Lie {
  const hidden = new Set(writers)
  return (query, _honest, held, self) => findPage(held.filter((r) => !hidden.has(r.subkey)), query, self)
}

/**
 * A lie: under `keys`, the node serves every record with its value altered (first byte flipped)
 * and a later expiration, under the writer's old signature: digests announce the altered value as
 * the newest, and the records served for it do not verify.
 */
export function altering(keys: readonly string[]): Lie {
  const altered = new Set(keys)
  return (query, honest, held, self) => altered.has(query.key)
    ? findPage(held.map((r) => ({ ...r, value: r.value.map((b, i) => (i === 0 ? b ^ 0xff : b)), expiration: r.expiration + 1000 })), query, self)
    : honest
}

/** Not a lie: the node answers honestly and keeps every query it was sent in `log`. */
export function recording(log: FindQuery[]): Lie {
  return (query, honest) => {
    log.push(query)
    return honest
  }
}

/** A lie: digests carry every receipt the node keeps with a record (forged ones included), not only its own. */
export const servingEveryReceipt: Lie = (_query, honest, held, self) => ({
  ...honest,
  digests: honest.digests.map((digest) => ({
    ...digest,
    receipts: (held.find((r) => r.subkey === digest.writer)?.receipts ?? []).map((r) => (r.storer === self ? { ...r, storer: '' } : r)),
  })),
})
