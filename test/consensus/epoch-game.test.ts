import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { epochAt } from '../../src/chain/chain.js'
import { inWindow } from '../../src/consensus/epoch-game.js'
import { EPOCH_KEY_KINDS, PHASES, writableBlocks } from '../../src/dht/keys.js'

describe('the epoch game', () => {
  it('counts phase windows in blocks exactly as the storing nodes do', () => {
    for (const epochLength of [7, 10, 20, 100, 600]) {
      for (const kind of EPOCH_KEY_KINDS) {
        const { from, to } = writableBlocks(kind, 3, { slot: 5, epochLength })
        for (let block = 5 + 3 * epochLength; block < 5 + 4 * epochLength; block++) {
          const info = epochAt(block, 5, epochLength, 6000)
          assert.equal(inWindow(info, PHASES[kind].start, PHASES[kind].end), block >= from && block < to, `${kind} L=${epochLength} block ${block}`)
        }
      }
    }
  })
})
