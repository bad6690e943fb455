// Scoring one epoch (commit hash checks, tensor decoding, the reference, distances, validator
// vectors, the submission entries) for 10, 100 and 1,000 hosters with 2,048-float outputs and
// 10 validators; and the DHT traffic one node causes per epoch, from the record sizes.
import { performance } from 'node:perf_hooks'
import { encodeReveal, makeCommit } from '../src/consensus/commit.js'
import { deriveChallenge, encodeChallenge } from '../src/consensus/challenge.js'
import { encodeHeartbeat } from '../src/consensus/heartbeat-record.js'
import { encodeScores } from '../src/consensus/scores-codec.js'
import { scoreHosters, scoreValidators, type PeerRecords } from '../src/consensus/scoring.js'
import { buildEntries } from '../src/consensus/submission.js'
import type { SubnetNode } from '../src/chain/chain.js'
import { encodeTensor } from '../src/inference/tensor.js'

export const description = 'time to score one epoch (10/100/1,000 hosters × 2,048 floats, 10 validators) and DHT bytes per node per epoch'

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

/**
 * The model: a node writes each of its records once to REPLICATION replicas, and reads every
 * epoch key READS times from READ_REPLICAS replicas, each answering with the whole dictionary;
 * it also receives, as a replica, its share of everyone's writes (REPLICATION / nodes of them).
 * Heartbeats are refreshed twice an epoch and not read by the game.
 */
function traffic(hosters: number) {
  const commit = 32 + RECORD_OVERHEAD
  const hosterReveal = encodeReveal(makeCommit(peerId(0), encodeTensor(new Float32Array(N_EMBD))).reveal).length + RECORD_OVERHEAD
  const scores = Array.from({ length: hosters }, (_, i) => [peerId(i), 0.5] as [string, number])
  const validatorReveal = encodeReveal(makeCommit(peerId(0), encodeScores({ epoch: 1, scores })).reveal).length + RECORD_OVERHEAD
  const challenge = encodeChallenge(deriveChallenge(new Uint8Array(32), 1, 1, 'ab'.repeat(32), [1])).length + RECORD_OVERHEAD
  const heartbeat = encodeHeartbeat({ role: 'hoster', modelId: 'ab'.repeat(32), modelName: 'TinyLlama-1.1B-Chat', version: '0.1.0', addresses: ['/ip4/203.0.113.9/tcp/31330', '/ip4/203.0.113.9/udp/31330/quic-v1'], throughput: 28, queueLength: 0 }).length + RECORD_OVERHEAD
  const epochData = challenge + hosters * (commit + hosterReveal) + VALIDATORS * (commit + validatorReveal)
  const allWrites = REPLICATION * (epochData + (hosters + VALIDATORS) * 2 * heartbeat)
  const asReplica = Math.round(allWrites / Math.max(REPLICATION, hosters + VALIDATORS))
  return {
    recordBytes: { commit, hosterReveal, validatorReveal, challenge, heartbeat },
    hosterSentBytes: REPLICATION * (commit + hosterReveal + 2 * heartbeat),
    validatorSentBytes: REPLICATION * (commit + validatorReveal + 2 * heartbeat),
    readBytes: READS * READ_REPLICAS * epochData,
    replicaReceivedBytes: asReplica,
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
  return figures
}
