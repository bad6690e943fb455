import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import {
  EPOCH_KEY_KINDS, HEARTBEAT_SHARDS, epochKey, heartbeatKey, heartbeatKeys, heartbeatShard, inPhase, maxExpiration, parseKey, writableBlocks,
} from '../../src/dht/keys.js'

const clock = (block: number) => ({ block, slot: 3, epochLength: 20 })

describe('dht keys', () => {
  it('builds and parses every key of the table', () => {
    assert.equal(epochKey('consensus-epoch', 7), 'consensus-epoch_7')
    assert.equal(epochKey('hoster-commit', 7), 'hoster-commit_epoch_7')
    for (const kind of EPOCH_KEY_KINDS) assert.deepEqual(parseKey(epochKey(kind, 12)), { kind, epoch: 12 })
    assert.deepEqual(parseKey('hoster_0'), { kind: 'heartbeat', name: 'hoster', shard: 0 })
    assert.deepEqual(parseKey('validator_7'), { kind: 'heartbeat', name: 'validator', shard: 7 })
    assert.deepEqual(heartbeatKeys('hoster'), Array.from({ length: HEARTBEAT_SHARDS }, (_, i) => `hoster_${i}`))
  })

  it('shards heartbeats by writer: every writer has one shard, and writers spread over all of them', () => {
    const writer = '12D3KooWGzqKUkb7n3pyKJBkKuhYcQ7D4SCBWzEqnbcgVqLtdPXF'
    assert.equal(heartbeatKey('hoster', writer), `hoster_${heartbeatShard(writer)}`)
    assert.equal(heartbeatShard(writer), heartbeatShard(writer))
    const shards = new Set(Array.from({ length: 200 }, (_, i) => heartbeatShard(`writer-${i}`)))
    assert.equal(shards.size, HEARTBEAT_SHARDS)
  })

  it('refuses any other key', () => {
    for (const key of ['', 'hoster', 'validator', 'hoster_8', 'hoster_01', 'hoster_-1', 'hosters', 'consensus-epoch_', 'consensus-epoch_01', 'consensus_epoch_1', 'hoster-commit_1', 'hoster-commit_epoch_-1',
      'hoster-commit_epoch_1.5', 'hoster-commit_epoch_1 ', 'validator-commit_epoch_9999999999999999', 'foo']) {
      assert.equal(parseKey(key), null, key)
    }
    assert.throws(() => epochKey('hoster-commit', -1), RangeError)
  })

  it('places the phase windows in blocks of the epoch, with slack', () => {
    // Epoch 2 starts at block 3 + 40 = 43; 15% of 20 blocks is 3 blocks, 50% is 10.
    assert.deepEqual(writableBlocks('consensus-epoch', 2, clock(0)), { from: 43, to: 46 })
    // Commits 15–40%, nothing 40–50%, reveals 50–65%, validator commits 65–100%.
    assert.deepEqual(writableBlocks('hoster-commit', 2, clock(0)), { from: 46, to: 51 })
    assert.deepEqual(writableBlocks('hoster-reveal', 2, clock(0)), { from: 53, to: 56 })
    assert.deepEqual(writableBlocks('validator-reveal', 2, clock(0)), { from: 53, to: 56 })
    assert.deepEqual(writableBlocks('validator-commit', 2, clock(0)), { from: 56, to: 63 })
    assert.deepEqual(writableBlocks('validator-commit', 2, clock(0), 1), { from: 55, to: 64 })
    assert.equal(inPhase('hoster-commit', 2, clock(45)), false)
    assert.equal(inPhase('hoster-commit', 2, clock(46)), true)
    assert.equal(inPhase('hoster-commit', 2, clock(50)), true)
    assert.equal(inPhase('hoster-commit', 2, clock(51)), false)
    assert.equal(inPhase('hoster-commit', 2, clock(51), 1), true)
    assert.equal(inPhase('hoster-commit', 2, clock(52), 1), false, 'the guard gap')
    // The slack reaches into the next epoch for the last window.
    assert.equal(inPhase('validator-commit', 2, clock(63), 1), true)
    assert.equal(inPhase('validator-commit', 3, clock(63)), false)
  })

  it('bounds expirations: heartbeats 1.1 epochs, epoch keys to the end of epoch e + 2', () => {
    const now = 1_000_000
    assert.equal(maxExpiration({ kind: 'heartbeat', name: 'hoster', shard: 0 }, clock(50), 1000, now), now + 22_000)
    // Epoch 2 ends at block 63; two more epochs end at 103; from block 50 that is 53 blocks.
    assert.equal(maxExpiration({ kind: 'hoster-commit', epoch: 2 }, clock(50), 1000, now), now + 53_000)
    assert.equal(maxExpiration({ kind: 'hoster-commit', epoch: 2 }, clock(200), 1000, now), now)
  })
})
