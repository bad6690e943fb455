// Receipts (PROTOCOL.md, "Who plays, and which records count"): a storing node that accepts a
// record of an epoch key signs (subnet, key, writer, sha256(value), block at acceptance) with its
// own key, keeps the receipt with the record and serves it with it. A reader counts a record only
// when a majority of the key's replica set vouch for the same value with receipts whose blocks lie
// inside the key's window: one storing node can then neither inject a record nor hide one.
import { createHash } from 'node:crypto'
import type { Ed25519PrivateKey, PeerId } from '@libp2p/interface'
import { Signer, Verifier } from '../p2p/signing.js'
import { ownerOf } from './crypto.js'

/** One storing node's word that it accepted a value. */
export interface Receipt {
  /** The storing node's peer id; its key signed the receipt. */
  storer: string
  /** The chain block at which it accepted the value, by its own view of the chain. */
  block: number
  signature: Uint8Array
}

/** What a receipt is about. */
export interface Vouched {
  key: string
  writer: string
  valueHash: Uint8Array
}

const DOMAIN = new TextEncoder().encode('mesh/dht-receipt/v1\0')
const verifier = new Verifier()

export function valueHash(value: Uint8Array): Uint8Array {
  return createHash('sha256').update(value).digest()
}

/** The bytes a receipt's signature covers: fixed widths and length prefixes, as record signatures. */
export function receiptPayload(subnetId: number, about: Vouched, storer: string, block: number): Uint8Array {
  const encoder = new TextEncoder()
  const parts = [encoder.encode(about.key), encoder.encode(about.writer), about.valueHash, encoder.encode(storer)]
  const out = new Uint8Array(DOMAIN.length + 4 + parts.reduce((n, p) => n + 4 + p.length, 0) + 8)
  const view = new DataView(out.buffer)
  out.set(DOMAIN, 0)
  let at = DOMAIN.length
  view.setUint32(at, subnetId)
  at += 4
  for (const part of parts) {
    view.setUint32(at, part.length)
    out.set(part, at + 4)
    at += 4 + part.length
  }
  view.setBigUint64(at, BigInt(block))
  return out
}

/** Signs receipts as one storing node. */
export class ReceiptSigner {
  private readonly signer: Signer
  private readonly storer: string

  constructor(privateKey: Ed25519PrivateKey, peerId: PeerId, private readonly subnetId: number) {
    this.signer = new Signer(privateKey)
    this.storer = peerId.toString()
  }

  sign(about: Vouched, block: number): Receipt {
    return { storer: this.storer, block, signature: this.signer.sign(receiptPayload(this.subnetId, about, this.storer, block)) }
  }
}

export function verifyReceipt(subnetId: number, about: Vouched, receipt: Receipt, storer: PeerId | null = ownerOf(receipt.storer)): boolean {
  return storer !== null && Number.isSafeInteger(receipt.block) &&
    verifier.verify(storer, receiptPayload(subnetId, about, receipt.storer, receipt.block), receipt.signature)
}

/** Receipts a reader needs for a record of a key whose replica set has `replicas` members: a strict majority (5 of 8). */
export function quorum(replicas: number): number {
  return Math.floor(replicas / 2) + 1
}

/** Why one receipt does not count (a discard code), or null when it does. */
export type ReceiptVerdict = 'DHT_RECEIPT_NOT_REPLICA' | 'DHT_RECEIPT_LATE' | 'DHT_RECEIPT_BAD_SIGNATURE' | null

/**
 * Judges receipts against the key's CURRENT replica set and window: a receipt counts when its
 * storer is in the set, its block lies in [from, to) and its signature verifies. Cheap checks
 * first; each storer's receipt counts once.
 */
export class ReceiptJudge {
  /** The replicas' peer ids, parsed once (a read checks thousands of receipts of the same few storers). */
  private readonly storers = new Map<string, PeerId | null>()

  constructor(
    private readonly subnetId: number,
    private readonly replicaSet: ReadonlySet<string>,
    private readonly window: { from: number; to: number },
  ) {}

  /**
   * `direct`: the storer itself sent the receipt, in its signed RPC answer over its authenticated
   * connection; its signature adds nothing the reader does not know, and is not checked.
   */
  judge(about: Vouched, receipt: Receipt, direct = false): ReceiptVerdict {
    if (!this.replicaSet.has(receipt.storer)) return 'DHT_RECEIPT_NOT_REPLICA'
    if (receipt.block < this.window.from || receipt.block >= this.window.to) return 'DHT_RECEIPT_LATE'
    if (direct) return null
    let storer = this.storers.get(receipt.storer)
    if (storer === undefined) {
      storer = ownerOf(receipt.storer)
      this.storers.set(receipt.storer, storer)
    }
    return verifyReceipt(this.subnetId, about, receipt, storer) ? null : 'DHT_RECEIPT_BAD_SIGNATURE'
  }

  /** The receipts that count, one per storer, stopping once `enough` are found. */
  counted(
    about: Vouched,
    receipts: Iterable<Receipt>,
    enough = Infinity,
    onDiscard?: (code: Exclude<ReceiptVerdict, null>, receipt: Receipt) => void,
    direct?: (receipt: Receipt) => boolean,
  ): Receipt[] {
    const out: Receipt[] = []
    const seen = new Set<string>()
    for (const receipt of receipts) {
      if (out.length >= enough) break
      if (seen.has(receipt.storer)) continue
      const verdict = this.judge(about, receipt, direct?.(receipt) === true)
      if (verdict !== null) {
        onDiscard?.(verdict, receipt)
        continue
      }
      seen.add(receipt.storer)
      out.push(receipt)
    }
    return out
  }
}
