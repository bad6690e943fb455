// Adversaries for the consensus tests and the simulation: honest parts wrapped. An engine that
// lies about what it runs, a record store that rewrites or holds back what its node stores, a
// chain view that alters its node's proposals.
import { setTimeout as sleep } from 'node:timers/promises'
import type { Chain } from '../../src/chain/chain.js'
import { decodeReveal, encodeReveal, makeCommit, type Reveal } from '../../src/consensus/commit.js'
import { medianReference } from '../../src/consensus/reference.js'
import { encodeScores } from '../../src/consensus/scores-codec.js'
import { signRecord } from '../../src/dht/crypto.js'
import type { Dht } from '../../src/dht/dht.js'
import { epochKey, parseKey } from '../../src/dht/keys.js'
import type { RecordStore, StoreResult } from '../../src/dht/record-store.js'
import type { Engine, ModelInfo } from '../../src/inference/engine.js'
import { decodeTensor, encodeTensor } from '../../src/inference/tensor.js'
import { peerIdFromString } from '@libp2p/peer-id'
import type { NodeSelf } from './subnet-harness.js'

/** What a tamper does with one store: the value to store instead, or null to drop it (and claim success). */
export type Tamper = (key: string, value: Uint8Array, expiration: number) => Promise<Uint8Array | null>

const CLAIMED: StoreResult = { accepted: 1, tried: 1, refusals: {} }

/** An engine that claims `model` but computes with `inner`, or returns `hidden`. */
export function lyingEngine(inner: Engine, model: ModelInfo, hidden?: (tokens: number[]) => Float32Array | Promise<Float32Array>): Engine {
  return new Proxy(inner, {
    get(target, prop) {
      if (prop === 'model') return model
      if (prop === 'hiddenState' && hidden !== undefined) return async (tokens: number[]) => hidden(tokens)
      const value = Reflect.get(target, prop, target) as unknown
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value
    },
  })
}

/** A record store that passes everything through except what `tamper` rewrites or drops. */
export function tamperingStore(inner: RecordStore, tamper: Tamper): RecordStore {
  return {
    get: (key, options) => inner.get(key, options),
    async store(key, value, expiration) {
      const replaced = await tamper(key, value, expiration)
      if (replaced === null) return CLAIMED
      return inner.store(key, replaced, expiration)
    },
  }
}

/** Stores `victim`'s hoster commit and reveal as its own (they do not open under the copier's peer id). */
export function copier(inner: RecordStore, victim: () => string): Tamper {
  return async (key, value) => {
    if (!key.startsWith('hoster-')) return value
    const copied = (await inner.get(key)).find((r) => r.subkey === victim())
    if (copied === undefined) throw new Error(`nothing to copy under ${key} yet`)
    return copied.value
  }
}

/** Reveals a payload with its last byte flipped: the reveal does not open the commit. */
export const mismatchedReveal: Tamper = async (key, value) => {
  if (!key.startsWith('hoster-reveal')) return value
  const reveal = decodeReveal(value, 1 << 24)
  const payload = Uint8Array.from(reveal.payload)
  payload[payload.length - 1]! ^= 0x01
  return encodeReveal({ nonce: reveal.nonce, payload })
}

/** Stores none of its node's hoster records (the test writes them itself), claiming success. */
export const writesNoHosterRecords: Tamper = async (key, value) => (key.startsWith('hoster-') ? null : value)

/**
 * A reader's store whose whole reads miss the records `hidden` picks, as a storing node that hides
 * them from this reader would make them; reads by subkey (the attestor's repair) find them.
 */
export function missingFromWholeReads(inner: RecordStore, hidden: (key: string, writer: string) => boolean): RecordStore {
  return {
    store: (key, value, expiration) => inner.store(key, value, expiration),
    async get(key, options) {
      const records = await inner.get(key, options)
      return options?.subkeys !== undefined ? records : records.filter((r) => !hidden(key, r.subkey))
    },
  }
}

/** Never reveals its hoster output. */
export const neverReveals: Tamper = async (key, value) => (key.startsWith('hoster-reveal') ? null : value)

/**
 * A store whose node reveals late: the hoster reveal is held back, and stored only with the
 * node's first store or read once `isLate(epoch)` says the window has passed; the storing
 * nodes' phase check then refuses it. `refused` lists the epochs of late reveals no replica accepted.
 */
export class LateRevealStore implements RecordStore {
  readonly refused: number[] = []
  private held: Array<{ key: string; epoch: number; value: Uint8Array; expiration: number }> = []

  constructor(private readonly inner: RecordStore, private readonly isLate: (epoch: number) => boolean, private readonly active: (epoch: number) => boolean) {}

  async store(key: string, value: Uint8Array, expiration: number): Promise<StoreResult> {
    await this.flush()
    const parsed = parseKey(key)
    if (parsed?.kind === 'hoster-reveal' && this.active(parsed.epoch)) {
      this.held.push({ key, epoch: parsed.epoch, value, expiration })
      return CLAIMED
    }
    return this.inner.store(key, value, expiration)
  }

  async get(key: string, options?: { timeoutMs?: number; signal?: AbortSignal }) {
    await this.flush()
    return this.inner.get(key, options)
  }

  private async flush(): Promise<void> {
    const due = this.held.filter((h) => this.isLate(h.epoch))
    this.held = this.held.filter((h) => !this.isLate(h.epoch))
    for (const h of due) {
      const result = await this.inner.store(h.key, h.value, h.expiration)
      if (result.accepted === 0) this.refused.push(h.epoch)
    }
  }
}

/**
 * A colluding validator's store: for each epoch where `scores(epoch)` gives made-up scores, its
 * validator commit is replaced by a commit to them, and its reveal in the next epoch by their
 * reveal. Colluders given the same scores reveal the same payload.
 */
export function madeUpScores(inner: RecordStore, peerId: string, scores: (epoch: number) => Array<[string, number]> | null): RecordStore {
  const reveals = new Map<number, Reveal>()
  return tamperingStore(inner, async (key, value) => {
    const parsed = parseKey(key)
    if (parsed?.kind === 'validator-commit') {
      const made = scores(parsed.epoch)
      if (made === null) return value
      const sorted = [...made].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      const { reveal, commit } = makeCommit(peerId, encodeScores({ epoch: parsed.epoch, scores: sorted }))
      reveals.set(parsed.epoch, reveal)
      return commit
    }
    if (parsed?.kind === 'validator-reveal') {
      const reveal = reveals.get(parsed.epoch - 1)
      return reveal === undefined ? value : encodeReveal(reveal)
    }
    return value
  })
}

/** A chain view whose proposals, while `cheating()`, add one unit to the first entry's score. */
export function alteringChain(chain: Chain, cheating: () => boolean): Chain {
  const view = Object.create(chain) as Chain
  view.proposeAttestation = (subnetId, data, args) =>
    chain.proposeAttestation(subnetId, cheating() ? data.map((e, i) => (i === 0 ? { ...e, score: e.score + 1n } : e)) : data, args)
  return view
}

/**
 * The median of the other writers' hoster reveals of `epoch`, read as soon as `wanted` of them are
 * stored (or after `waitMs` with what there is): what a copier commits once honest reveals exist.
 */
async function medianOfReveals(store: RecordStore, self: string, epoch: number, nEmbd: number, wanted: number, waitMs = 60_000): Promise<Float32Array> {
  const deadline = Date.now() + waitMs
  for (;;) {
    const others = (await store.get(epochKey('hoster-reveal', epoch))).filter((r) => r.subkey !== self)
    if (others.length >= wanted || Date.now() > deadline) {
      const outputs = others.flatMap((r) => {
        try {
          return [decodeTensor(decodeReveal(r.value, 1 << 24).payload, [nEmbd]).data]
        } catch {
          return []
        }
      })
      if (outputs.length === 0) throw new Error(`no reveal of epoch ${epoch} to copy`)
      return Float32Array.from(medianReference(outputs, nEmbd))
    }
    await sleep(200)
  }
}

/**
 * A boundary copier (PROTOCOL v2, change 1): computes nothing and commits nothing in the commit
 * window; once the honest reveals exist (its own reveal's turn, in the first block of the reveal
 * window) it commits the median of them under its own peer id, as late as a storing node still
 * accepts a commit, and reveals it. `wanted(epoch)`: how many reveals it waits for.
 */
export function boundaryCopier(inner: RecordStore, self: string, nEmbd: number, wanted: (epoch: number) => number): Tamper {
  return async (key, value, expiration) => {
    const parsed = parseKey(key)
    if (parsed?.kind === 'hoster-commit') return null
    if (parsed?.kind !== 'hoster-reveal') return value
    const copy = await medianOfReveals(inner, self, parsed.epoch, nEmbd, wanted(parsed.epoch))
    const { reveal, commit } = makeCommit(self, encodeTensor(copy))
    await inner.store(epochKey('hoster-commit', parsed.epoch), commit, expiration)
    return encodeReveal(reveal)
  }
}

/**
 * A late-record injector: a boundary copier that is also a storing node. Its copied commit, made
 * after the honest reveals, is put straight into its own storage and its colluders' (signed by
 * itself, past every phase check), so that any reader asking one of them as a replica of the
 * commit key receives it; its reveal it stores as anyone would.
 */
export function lateInjector(inner: RecordStore, self: NodeSelf, nEmbd: number, wanted: (epoch: number) => number, colluders: () => Dht[]): Tamper {
  return async (key, value, expiration) => {
    const parsed = parseKey(key)
    if (parsed?.kind === 'hoster-commit') return null
    if (parsed?.kind !== 'hoster-reveal') return value
    const copy = await medianOfReveals(inner, self.peerId, parsed.epoch, nEmbd, wanted(parsed.epoch))
    const { reveal, commit } = makeCommit(self.peerId, encodeTensor(copy))
    const record = await signRecord(self.privateKey, peerIdFromString(self.peerId), self.subnet.subnetId, { key: epochKey('hoster-commit', parsed.epoch), value: commit, expiration })
    for (const dht of colluders()) dht.storage.put(record)
    return encodeReveal(reveal)
  }
}

/**
 * An identity multiplier (PROTOCOL v2, change 3): besides its own records it commits and reveals
 * the same output under its bootnode and client peer ids (which proof of stake admits), three
 * votes for one registration. `output()` is what its engine last returned.
 */
export function identityMultiplier(self: NodeSelf, output: () => Float32Array | undefined): Tamper {
  const reveals = new Map<string, Array<{ store: RecordStore; reveal: Reveal }>>()
  return async (key, value, expiration) => {
    const parsed = parseKey(key)
    if (parsed?.kind === 'hoster-commit') {
      const out = output()
      if (out === undefined) return value
      const made = self.aliases.map((alias) => ({ alias, ...makeCommit(alias.peerId, encodeTensor(out)) }))
      await Promise.all(made.map(({ alias, commit }) => alias.store.store(key, commit, expiration)))
      reveals.set(epochKey('hoster-reveal', parsed.epoch), made.map(({ alias, reveal }) => ({ store: alias.store, reveal })))
    } else if (parsed?.kind === 'hoster-reveal') {
      const theirs = reveals.get(key) ?? []
      reveals.delete(key)
      await Promise.all(theirs.map(({ store, reveal }) => store.store(key, encodeReveal(reveal), expiration)))
    }
    return value
  }
}

/**
 * A lying replica: while `lying(epoch)`, the storing side of `dht` serves no hoster commit or
 * reveal of that epoch whose writer `hides` (default: every other writer): it keeps them but hides
 * them from every reader that asks it (its own node's reads included).
 */
export function lyingReplica(dht: Dht, self: string, lying: (epoch: number) => boolean, hides: (writer: string, epoch: number) => boolean = (writer) => writer !== self): void {
  const storage = dht.storage
  const held = storage.get.bind(storage)
  storage.get = (key, now) => {
    const parsed = parseKey(key)
    const records = held(key, now)
    if (parsed === null || parsed.kind === 'heartbeat' || !parsed.kind.startsWith('hoster-') || !lying(parsed.epoch)) return records
    return records.filter((r) => !hides(r.subkey, parsed.epoch))
  }
}
