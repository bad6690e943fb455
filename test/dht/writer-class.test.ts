// The DHT's writer check judges a record of the epoch game by the class its writer held in the
// record's epoch (its key names it). A node's listed class counts from its start epoch; before
// that it held the class below (the runtime graduates a node one class at a time), so a node just
// activated wrote nothing of the epoch before, and a node just graduated keeps its records of the
// epoch before, which readers still read when they score that epoch in the next one. The real
// LocalChain walks a node from the queue to Validator class; the real node list (SubnetMembers) and
// stake validator judge its records (the storing nodes' and readers' side: writers.test.ts).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { randomAccount } from '../../src/chain/accounts.js'
import { TOKEN, type NodeClass } from '../../src/chain/chain.js'
import { LocalChain } from '../../src/chain/local/local-chain.js'
import { signRecord } from '../../src/dht/crypto.js'
import { epochKey, heartbeatKey } from '../../src/dht/keys.js'
import { SubnetMembers } from '../../src/dht/members.js'
import { stakeValidator } from '../../src/dht/stake-validator.js'
import { generateIdentity, peerIdOf } from '../../src/p2p/keys.js'
import { localSubnet, nodeView, runEpoch, toNextEpoch } from '../chain/local/fixture.js'

test('a node walked from the queue to Validator class: each record judged by the class it held in the record\'s epoch', async () => {
  const fx = await localSubnet({ nodes: 4, params: { queueEpochs: 1, idleEpochs: 1, includedEpochs: 2 } })
  const hotkey = await randomAccount()
  const coldkey = await randomAccount()
  fx.runtime.fund(coldkey.address)
  const key = await generateIdentity()
  const peerId = peerIdOf(key).toString()
  const nodeId = await new LocalChain(fx.runtime, { hotkey, coldkey }).registerSubnetNode({ subnetId: fx.subnetId, hotkey: hotkey.address, peerId, stake: 100n * TOKEN })

  /** What a storing node with a fresh node list says of the node's record under `recordKey`: 'kept' or the refusal's message. */
  const judge = async (recordKey: string, minClass?: NodeClass): Promise<string> => {
    const members = new SubnetMembers({ chain: fx.reader }, { subnetId: fx.subnetId })
    const record = await signRecord(key, peerIdOf(key), fx.subnetId, { key: recordKey, value: new Uint8Array(8), expiration: Date.now() + 60_000 })
    try {
      await stakeValidator({ members }, minClass === undefined ? {} : { minClass }).validate(record, { subnetId: fx.subnetId, now: Date.now(), sender: peerId, handoff: false })
      return 'kept'
    } catch (err) {
      assert.equal((err as { code?: string }).code, 'DHT_NOT_STAKED')
      return (err as Error).message
    }
  }
  const commit = (epoch: number) => epochKey('hoster-commit', epoch)

  const seen = new Set<NodeClass>()
  await toNextEpoch(fx)
  for (let i = 0; i < 8 && !seen.has('Validator'); i++) {
    const node = (await nodeView(fx, nodeId))!
    const epoch = (await fx.reader.epochInfo(fx.subnetId)).epoch
    if (!seen.has(node.class) && node.class !== 'Registered') {
      seen.add(node.class)
      assert.equal(node.classStartEpoch, epoch, `${node.class} from this epoch`)
      const before = epoch - 1
      if (node.class === 'Idle') {
        // Queued in the epoch before: nothing of it is kept, its own epoch's records and heartbeats are.
        assert.match(await judge(commit(before)), new RegExp(`was of class Registered in epoch ${before} \\(Idle from epoch ${epoch}\\)`))
        assert.equal(await judge(commit(epoch)), 'kept')
        assert.equal(await judge(heartbeatKey('hoster', peerId)), 'kept')
      } else if (node.class === 'Included') {
        // Idle in the epoch before: its records of it still count where Idle writers do, not where Included ones are asked for.
        assert.equal(await judge(commit(before)), 'kept')
        assert.match(await judge(commit(before), 'Included'), new RegExp(`was of class Idle in epoch ${before}`))
        assert.equal(await judge(commit(epoch), 'Included'), 'kept')
      } else {
        assert.equal(await judge(commit(before), 'Included'), 'kept')
        assert.match(await judge(commit(before), 'Validator'), new RegExp(`was of class Included in epoch ${before}`))
        assert.equal(await judge(commit(epoch), 'Validator'), 'kept')
      }
    }
    // Every epoch the elected validator puts every node in the data; the chain drops it while below Included.
    await runEpoch(fx, { data: () => [...fx.nodes.map((n) => ({ nodeId: n.nodeId, score: TOKEN })), { nodeId, score: TOKEN }] })
  }
  assert.deepEqual([...seen], ['Idle', 'Included', 'Validator'])
  fx.runtime.stop()
})
