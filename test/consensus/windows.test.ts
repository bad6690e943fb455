// The windows of version 2 against the copier at the boundary (PROTOCOL.md, "Epochs and phases"):
// for every epoch length, either the node refuses it with a clear error, or no block exists in
// which a storing node (on time, or one block behind) still accepts a commit while an honest node
// already reveals. Storing nodes are judged by the DHT's phase predicate with its slack, honest
// writers by the game's own window test.
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { epochAt } from '../../src/chain/chain.js'
import { inWindow } from '../../src/consensus/epoch-game.js'
import { checkEpochLength, epochLengthProblem, inPhase, MIN_EPOCH_LENGTH, PHASE_SLACK_BLOCKS, PHASES, type EpochKeyKind } from '../../src/dht/keys.js'
import { MeshError } from '../../src/errors.js'

const SLOT = 7
const EPOCH = 3

/** Blocks (absolute) at which a storing node on time, or one block behind, accepts `commit` of EPOCH while an honest node writes `reveal` of EPOCH + `later`. */
function overlaps(epochLength: number, commit: EpochKeyKind, reveal: EpochKeyKind, later: number): number[] {
  const found: number[] = []
  const first = SLOT + (EPOCH - 1) * epochLength
  for (let block = first; block < first + 4 * epochLength; block++) {
    const accepted = [block, block - 1].some((view) => inPhase(commit, EPOCH, { block: view, slot: SLOT, epochLength }, PHASE_SLACK_BLOCKS))
    const info = epochAt(block, SLOT, epochLength, 6000)
    const honestReveal = info.epoch === EPOCH + later && inWindow(info, PHASES[reveal].start, PHASES[reveal].end)
    if (accepted && honestReveal) found.push(block)
  }
  return found
}

function emptyWindows(epochLength: number): EpochKeyKind[] {
  return (Object.keys(PHASES) as EpochKeyKind[]).filter((kind) => {
    for (let block = SLOT; block < SLOT + epochLength; block++) {
      if (inWindow(epochAt(block, SLOT, epochLength, 6000), PHASES[kind].start, PHASES[kind].end)) return false
    }
    return true
  })
}

describe('the phase windows and the guard gap', () => {
  it('at L = 20: commits are accepted up to block 8, honest reveals start at block 10', () => {
    const block = (index: number) => SLOT + EPOCH * 20 + index
    const accepts = (index: number, behind = 0) => inPhase('hoster-commit', EPOCH, { block: block(index) - behind, slot: SLOT, epochLength: 20 }, PHASE_SLACK_BLOCKS)
    const reveals = (index: number) => inWindow(epochAt(block(index), SLOT, 20, 6000), PHASES['hoster-reveal'].start, PHASES['hoster-reveal'].end)
    assert.ok(accepts(8) && !accepts(9), 'a storing node on time accepts commits up to block 8')
    assert.ok(accepts(9, 1) && !accepts(10, 1), 'one block behind, up to block 9')
    assert.ok(!reveals(9) && reveals(10) && reveals(12) && !reveals(13), 'honest reveals in blocks 10–12')
    assert.ok(!accepts(1) && accepts(2), 'commits from block 2 (one block of slack before 15%)')
    assert.deepEqual(overlaps(20, 'hoster-commit', 'hoster-reveal', 0), [])
    assert.equal(epochLengthProblem(20), null)
  })

  it('for every epoch length 1–400, the windows either hold the invariant or the length is refused with a clear error', () => {
    const served: number[] = []
    for (let length = 1; length <= 400; length++) {
      const problem = epochLengthProblem(length)
      const broken = [
        ...overlaps(length, 'hoster-commit', 'hoster-reveal', 0),
        ...overlaps(length, 'validator-commit', 'validator-reveal', 1),
      ]
      const empty = emptyWindows(length)
      if (problem === null) {
        served.push(length)
        assert.deepEqual(broken, [], `L = ${length}: a commit is accepted in a block with an honest reveal`)
        assert.deepEqual(empty, [], `L = ${length}: a window holds no block`)
        assert.doesNotThrow(() => checkEpochLength(length))
      } else {
        // Refused only when it must be: the invariant really fails, or a window really is empty.
        assert.ok(broken.length > 0 || empty.length > 0, `L = ${length} is refused (${problem}) but the windows would serve it`)
        assert.throws(() => checkEpochLength(length), (err: unknown) =>
          err instanceof MeshError && err.code === 'EPOCH_LENGTH_UNSERVED' && err.message.includes(`${length} blocks`) && /use an epoch of .*19 or more/.test(err.message))
      }
    }
    assert.equal(MIN_EPOCH_LENGTH, 15)
    assert.deepEqual(served.slice(0, 4), [15, 17, 19, 20])
    for (const length of [20, 40, 100, 400]) assert.ok(served.includes(length), `${length}`)
  })

  it('refuses an epoch of 10 blocks: the guard gap would be one block, inside the slack', () => {
    assert.match(epochLengthProblem(10)!, /one block behind still accepts hoster-commit records at block 5, and honest hoster-reveal records are written from block 5/)
    assert.throws(() => checkEpochLength(10), /EPOCH|cannot be played/)
    assert.match(epochLengthProblem(0)!, /positive integer/)
    assert.match(epochLengthProblem(2)!, /holds no block/)
  })
})
