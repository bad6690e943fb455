import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { deriveChallenge, encodeChallenge } from '../../src/consensus/challenge.js'
import { encodeReveal, makeCommit } from '../../src/consensus/commit.js'
import { encodeHeartbeat, type Heartbeat } from '../../src/consensus/heartbeat-record.js'
import { recordValueValidator } from '../../src/consensus/record-values.js'
import { encodeScores } from '../../src/consensus/scores-codec.js'
import type { SignedRecord } from '../../src/dht/crypto.js'
import { RecordRefused } from '../../src/dht/errors.js'
import { epochKey } from '../../src/dht/keys.js'
import { ValidatorChain } from '../../src/dht/validation.js'
import { encodeTensor } from '../../src/inference/tensor.js'

const N_EMBD = 8
const WRITER = '12D3KooWGzqKUkb7n3pyKJBkKuhYcQ7D4SCBWzEqnbcgVqLtdPXF'
const beat = (role: Heartbeat['role']): Heartbeat => ({ role, modelId: '', modelName: '', version: '0.1.0', addresses: [], throughput: 0, queueLength: 0 })
const record = (key: string, value: Uint8Array): SignedRecord => ({ key, subkey: WRITER, value, expiration: 2, signature: new Uint8Array(64) })
const reveal = (payload: Uint8Array) => encodeReveal(makeCommit(WRITER, payload).reveal)
// What a subnet's challenges derive from: its model and vocabulary, and each epoch's seed (here a
// hash of the epoch's number; epoch 9's block does not exist yet).
const MODEL_ID = 'ab'.repeat(32)
const VOCABULARY = [3, 5, 8, 13, 21, 34, 55, 89, 144]
const seed = async (epoch: number) => {
  if (epoch === 9) throw new Error('block 180 is not produced yet')
  return new Uint8Array(32).fill(epoch)
}
const challengeSource = { subnetId: 1, modelId: MODEL_ID, vocabulary: VOCABULARY, seed }
const derived = (epoch: number) => encodeChallenge(deriveChallenge(new Uint8Array(32).fill(epoch), 1, epoch, MODEL_ID, VOCABULARY))

describe('consensus record values (checked by storing nodes and readers)', () => {
  const chain = new ValidatorChain([recordValueValidator({ nEmbd: N_EMBD, challenge: challengeSource })])
  const good: Array<[string, Uint8Array]> = [
    ['hoster_0', encodeHeartbeat(beat('hoster'))],
    ['validator_3', encodeHeartbeat(beat('validator'))],
    [epochKey('consensus-epoch', 4), derived(4)],
    [epochKey('hoster-commit', 4), new Uint8Array(32)],
    [epochKey('validator-commit', 4), new Uint8Array(32)],
    [epochKey('hoster-reveal', 4), reveal(encodeTensor(new Float32Array(N_EMBD)))],
    [epochKey('validator-reveal', 4), reveal(encodeScores({ epoch: 3, scores: [[WRITER, 0.5]] }))],
  ]
  const bad: Array<[string, Uint8Array, RegExp]> = [
    ['hoster_0', new TextEncoder().encode('hello'), /heartbeat/],
    ['hoster_0', encodeHeartbeat(beat('validator')), /a validator heartbeat under a hoster key/],
    [epochKey('consensus-epoch', 5), good[2]![1], /for epoch 4 under the key of epoch 5/],
    // Well formed, of the key's epoch, but not the derivation: junk a validator could fill storage with.
    [epochKey('consensus-epoch', 4), encodeChallenge({ epoch: 4, modelId: MODEL_ID, tokens: Array.from({ length: 32 }, () => 3) }), /not the challenge derived from the seed of epoch 4/],
    [epochKey('consensus-epoch', 4), encodeChallenge({ epoch: 4, modelId: 'cd'.repeat(32), tokens: deriveChallenge(new Uint8Array(32).fill(4), 1, 4, MODEL_ID, VOCABULARY).tokens }), /not the challenge derived/],
    [epochKey('consensus-epoch', 5), encodeChallenge(deriveChallenge(new Uint8Array(32).fill(5), 2, 5, MODEL_ID, VOCABULARY)), /not the challenge derived/],
    [epochKey('consensus-epoch', 9), derived(9), /cannot be checked: the seed of epoch 9 cannot be read \(block 180 is not produced yet\)/],
    [epochKey('hoster-commit', 4), new Uint8Array(33), /33 bytes, a commit is 32/],
    [epochKey('validator-commit', 4), new Uint8Array(96 * 1024), /a commit is 32/],
    [epochKey('hoster-reveal', 4), reveal(encodeTensor(new Float32Array(N_EMBD + 1))), /./],
    [epochKey('hoster-reveal', 4), reveal(new Uint8Array(4 * N_EMBD)), /./],
    [epochKey('hoster-reveal', 4), new Uint8Array(32), /reveal/],
    [epochKey('validator-reveal', 4), reveal(encodeTensor(new Float32Array(N_EMBD))), /scores/],
  ]

  it('accepts each key\'s own record, on store and on read', async () => {
    for (const [key, value] of good) {
      await chain.validate(record(key, value), { subnetId: 1, now: 1, sender: WRITER, handoff: false })
      await chain.validateRead(record(key, value), { subnetId: 1, now: 1, from: WRITER })
    }
  })

  it('refuses a value of the wrong shape or size with DHT_BAD_VALUE naming the key, on store and on read', async () => {
    for (const [key, value, reason] of bad) {
      const refused = (err: unknown) => err instanceof RecordRefused && err.code === 'DHT_BAD_VALUE' && err.message.startsWith(key) && reason.test(err.message)
      await assert.rejects(chain.validate(record(key, value), { subnetId: 1, now: 1, sender: WRITER, handoff: false }), refused, key)
      await assert.rejects(chain.validateRead(record(key, value), { subnetId: 1, now: 1, from: WRITER }), refused, key)
    }
    assert.equal(chain.refusals.get('DHT_BAD_VALUE'), bad.length)
    assert.equal(chain.readRefusals.get('DHT_BAD_VALUE'), bad.length)
  })
})
