// Scoring one epoch (commit hash checks, tensor decoding, the reference, distances, validator
// vectors, the submission entries) for 10, 100 and 1,000 hosters with 2,048-float outputs and
// 10 validators; and the DHT traffic one node causes per epoch, from the records' and digests'
// encoded sizes under the read path of src/dht/read.ts (digests from every replica, each value
// once, a re-read by summary), beside the old one (every replica sends the whole dictionary).
import { performance } from 'node:perf_hooks'
import { encodeReveal, makeCommit } from '../src/consensus/commit.js'
import { deriveChallenge, encodeChallenge } from '../src/consensus/challenge.js'
import { encodeHeartbeat } from '../src/consensus/heartbeat-record.js'
import { encodeScores } from '../src/consensus/scores-codec.js'
import { scoreHosters, scoreValidators, type PeerRecords } from '../src/consensus/scoring.js'
import { buildEntries } from '../src/consensus/submission.js'
import type { SubnetNode } from '../src/chain/chain.js'
import { encodeTensor } from '../src/inference/tensor.js'
import { digestOf, PAGE_BYTES } from '../src/dht/digest.js'
import { Digest as WireDigest } from '../src/dht/messages.js'
import { MAX_FIND_RESPONSE_BYTES } from '../src/dht/protocol.js'
import { digestToWire } from '../src/dht/wire.js'

export const description = 'time to score one epoch (10/100/1,000 hosters × 2,048 floats, 10 validators) and DHT bytes per node per epoch (new and old read path; 10,000 hosters at n_embd 8192)'

const N_EMBD = 2048
const VALIDATORS = 10
const RUNS = 9
/** Replicas a record is stored on, and replicas a read asks, each answering with the whole dictionary (DhtNode's default, 8). */
const REPLICATION = 8
const READ_REPLICAS = 8
/** Reads of an epoch's data per node: when scoring it (60%), and again after it (propose or attest, Validator class). */
const READS = 2
/** Per stored record: Ed25519 signature 64, subkey (peer id) ~53, key ~30, expiration 8, framing ~15. */
const RECORD_OVERHEAD = 170
/** Per RPC response: the frame's header, nonce and Ed25519 signature. */
const RESPONSE_OVERHEAD = 120
/** A summary answer: 32 bytes of hash and its framing. */
const SUMMARY_BYTES = 36 + RESPONSE_OVERHEAD
const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz'

function peerId(i: number): string {
  let s = ''
  for (let k = 0, n = i; k < 5; k++, n = Math.floor(n / 58)) s = BASE58[n % 58] + s
  return `12D3KooW${s}${'Q'.repeat(39)}`
}

function output(i: number): Float32Array {
  const out = new Float32Array(N_EMBD)
  for (let j = 0; j < N_EMBD; j++) out[j] = Math.sin(j) + 1e-4 * Math.sin(i * 7.1 + j * 1.3)
  return out
}

function epochData(hosters: number) {
  const hosterRecords: PeerRecords[] = []
  for (let i = 0; i < hosters; i++) {
    const { reveal, commit } = makeCommit(peerId(i), encodeTensor(output(i)))
    hosterRecords.push({ peerId: peerId(i), commit, reveal: encodeReveal(reveal) })
  }
  const scores = Array.from({ length: hosters }, (_, i) => [peerId(i), 0.9 + (i % 10) / 1000] as [string, number])
  const validatorRecords: PeerRecords[] = []
  for (let v = 0; v < VALIDATORS; v++) {
    const { reveal, commit } = makeCommit(peerId(100_000 + v), encodeScores({ epoch: 1, scores }))
    validatorRecords.push({ peerId: peerId(100_000 + v), commit, reveal: encodeReveal(reveal) })
  }
  const nodes: SubnetNode[] = [...hosterRecords, ...validatorRecords].map((r, id) => ({
    id, hotkey: '', coldkey: '', peerId: r.peerId, class: 'Validator', classStartEpoch: 0, stake: 0n, reputation: 1,
  }))
  return { hosterRecords, validatorRecords, nodes }
}

function timeScoring(hosters: number): { medianMs: number; minMs: number } {
  const data = epochData(hosters)
  const times: number[] = []
  for (let run = 0; run < RUNS; run++) {
    const start = performance.now()
    const h = scoreHosters(data.hosterRecords, N_EMBD)
    const v = scoreValidators(data.validatorRecords, 1)
    buildEntries(h, v, data.nodes, 2)
    times.push(performance.now() - start)
  }
  times.sort((a, b) => a - b)
  return { medianMs: Number(times[Math.floor(RUNS / 2)].toFixed(2)), minMs: Number(times[0].toFixed(2)) }
}

/** Bytes of one digest on the wire: a writer, a value hash, an expiration and the serving replica's own receipt. */
function digestBytes(): number {
  const record = { key: 'hoster-reveal_epoch_1234', subkey: peerId(1), value: new Uint8Array(1), expiration: Date.now() + 600_000, signature: new Uint8Array(64) }
  const own = { storer: 'self', block: 123_456, signature: new Uint8Array(64) }
  const wire = digestToWire(digestOf({ ...record, receipts: [own] }, 'self'))
  // The digest, its field tag and length prefix inside the FindResponse.
  return WireDigest.encode(wire).length + 3
}

/** Bytes of a find answer holding `entries` whose sizes are given, split into pages of PAGE_BYTES. */
function paged(entryBytes: number[]): number {
  let pages = 1
  let page = 0
  let total = 0
  for (const bytes of entryBytes) {
    if (page > 0 && page + bytes > PAGE_BYTES) {
      pages++
      page = 0
    }
    page += bytes
    total += bytes
  }
  return total + pages * RESPONSE_OVERHEAD
}

/**
 * The model: a node writes each of its records once to REPLICATION replicas, and reads every
 * epoch key READS times; it also receives, as a replica, its share of everyone's writes
 * (REPLICATION / nodes of them). Heartbeats are refreshed twice an epoch and not read by the game.
 * A read, new path: digests from READ_REPLICAS replicas, each value once, then a re-read that
 * finds nothing changed (a summary from each replica). Old path: READ_REPLICAS whole dictionaries.
 */
function traffic(hosters: number, nEmbd = N_EMBD) {
  const commit = 32 + RECORD_OVERHEAD
  const hosterReveal = encodeReveal(makeCommit(peerId(0), encodeTensor(new Float32Array(nEmbd))).reveal).length + RECORD_OVERHEAD
  const scores = Array.from({ length: hosters }, (_, i) => [peerId(i), 0.5] as [string, number])
  const validatorReveal = encodeReveal(makeCommit(peerId(0), encodeScores({ epoch: 1, scores })).reveal).length + RECORD_OVERHEAD
  const challenge = encodeChallenge(deriveChallenge(new Uint8Array(32), 1, 1, 'ab'.repeat(32), [1])).length + RECORD_OVERHEAD
  const heartbeat = encodeHeartbeat({ role: 'hoster', modelId: 'ab'.repeat(32), modelName: 'TinyLlama-1.1B-Chat', version: '0.1.0', addresses: ['/ip4/203.0.113.9/tcp/31330', '/ip4/203.0.113.9/udp/31330/quic-v1'], throughput: 28, queueLength: 0 }).length + RECORD_OVERHEAD
  // The epoch's keys and the sizes of their records.
  const keys = [
    [challenge],
    Array<number>(hosters).fill(commit),
    Array<number>(hosters).fill(hosterReveal),
    Array<number>(VALIDATORS).fill(commit),
    Array<number>(VALIDATORS).fill(validatorReveal),
  ]
  const epochData = keys.flat().reduce((a, b) => a + b, 0)
  const digest = digestBytes()
  const readNew = keys.reduce((sum, sizes) => sum + READ_REPLICAS * paged(sizes.map(() => digest)) + paged(sizes) + READ_REPLICAS * SUMMARY_BYTES, 0)
  const allWrites = REPLICATION * (epochData + (hosters + VALIDATORS) * 2 * heartbeat)
  const asReplica = Math.round(allWrites / Math.max(REPLICATION, hosters + VALIDATORS))
  return {
    recordBytes: { commit, hosterReveal, validatorReveal, challenge, heartbeat, digest },
    epochRecordBytes: epochData,
    hosterSentBytes: REPLICATION * (commit + hosterReveal + 2 * heartbeat),
    validatorSentBytes: REPLICATION * (commit + validatorReveal + 2 * heartbeat),
    readBytes: READS * readNew,
    readBytesOldPath: READS * READ_REPLICAS * epochData,
    // A read of the epoch's keys against the bytes of the records it returns (the old path: 8).
    readRatioPerRead: Number((readNew / epochData).toFixed(2)),
    readRatioPerEpoch: Number((readNew * READS / epochData).toFixed(2)),
    replicaReceivedBytes: asReplica,
    // The largest single answer the new path needs (one page) against the old whole-dictionary frame.
    largestAnswerBytes: Math.min(PAGE_BYTES, hosters * hosterReveal) + RESPONSE_OVERHEAD,
    largestAnswerBytesOldPath: hosters * hosterReveal,
  }
}

/** 10,000 hosters at n_embd 8192: is the hoster-reveal dictionary readable (every answer under the frame limit)? */
function bigSubnet() {
  const figures = traffic(10_000, 8192)
  return {
    hosters: 10_000,
    nEmbd: 8192,
    hosterRevealBytes: figures.recordBytes.hosterReveal,
    revealKeyBytes: 10_000 * figures.recordBytes.hosterReveal,
    largestAnswerBytes: figures.largestAnswerBytes,
    frameLimitBytes: MAX_FIND_RESPONSE_BYTES,
    readable: figures.largestAnswerBytes <= MAX_FIND_RESPONSE_BYTES && figures.recordBytes.hosterReveal <= PAGE_BYTES,
    readableOldPath: figures.largestAnswerBytesOldPath <= 32 * 1024 * 1024,
    readBytes: figures.readBytes,
    readRatioPerRead: figures.readRatioPerRead,
    // A validator's scores reveal names every hoster: over the 96 KiB value limit long before 10,000.
    validatorRevealBytes: figures.recordBytes.validatorReveal,
  }
}

export async function run(): Promise<Record<string, unknown>> {
  const figures: Record<string, unknown> = {
    model: { nEmbd: N_EMBD, validators: VALIDATORS, runs: RUNS, replication: REPLICATION, readReplicas: READ_REPLICAS, reads: READS, recordOverheadBytes: RECORD_OVERHEAD },
  }
  for (const hosters of [10, 100, 1000]) {
    figures[`score_${hosters}_hosters`] = timeScoring(hosters)
    figures[`dht_${hosters}_hosters`] = traffic(hosters)
  }
  figures.dht_10000_hosters_n_embd_8192 = bigSubnet()
  return figures
}
