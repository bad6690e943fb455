import { after, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { devSubnet } from '../../src/chain/local/bootstrap.js'
import { LocalChain } from '../../src/chain/local/local-chain.js'
import { LocalChainRuntime } from '../../src/chain/local/runtime.js'
import { signRecord } from '../../src/dht/crypto.js'
import { EpochClock } from '../../src/dht/epoch-clock.js'
import { RecordRefused } from '../../src/dht/errors.js'
import { EPOCH_KEY_KINDS, epochKey, PHASES } from '../../src/dht/keys.js'
import { phaseValidator } from '../../src/dht/phase-validator.js'

describe('dht phase validator on the local chain', async () => {
  const runtime = new LocalChainRuntime({ params: { epochLength: 20, seed: 'phase-test', minSubnetNodes: 1 } })
  const key = await generateKeyPair('Ed25519')
  const peerId = peerIdFromPrivateKey(key)
  const { subnetId } = await devSubnet(runtime, { nodes: [{ peerId: peerId.toString() }] })
  const chain = new LocalChain(runtime, {})
  let reads = 0
  const counting = Object.assign(Object.create(chain) as LocalChain, {
    epochInfo: (id: number) => { reads++; return chain.epochInfo(id) },
  })
  const clock = new EpochClock({ chain: counting }, { subnetId })
  await clock.start()
  const validator = phaseValidator({ clock }, { slackBlocks: 1 })
  after(() => { clock.stop(); runtime.stop() })

  const verdict = async (recordKey: string, expiration = Date.now() + 60_000): Promise<string> => {
    const record = await signRecord(key, peerId, subnetId, { key: recordKey, value: new Uint8Array(1), expiration })
    try {
      await validator.validate(record, { subnetId, now: Date.now(), sender: peerId.toString(), handoff: false })
      return 'ok'
    } catch (err) {
      assert.ok(err instanceof RecordRefused)
      return err.code
    }
  }

  it('opens each epoch key only in its window of the current epoch, with one block of slack', async () => {
    const start = (await chain.epochInfo(subnetId)).epoch + 1
    // Walk every block of the next epoch; record which keys are writable at each.
    const L = 20
    let info = await chain.epochInfo(subnetId)
    while (info.epoch < start) { runtime.advance(1); info = await chain.epochInfo(subnetId) }
    for (let index = 0; index < L; index++) {
      for (const kind of EPOCH_KEY_KINDS) {
        const window = PHASES[kind]
        const strictly = index >= Math.round(window.start * L) && index < Math.round(window.end * L)
        const nearEdge = index === Math.round(window.start * L) - 1 || index === Math.round(window.end * L)
        const got = await verdict(epochKey(kind, start))
        if (strictly || nearEdge) assert.equal(got, 'ok', `${kind} at block ${index} of the epoch`)
        else assert.equal(got, 'DHT_OUT_OF_PHASE', `${kind} at block ${index} of the epoch`)
        assert.equal(await verdict(epochKey(kind, start + 1)), index === L - 1 && window.start === 0 ? 'ok' : 'DHT_OUT_OF_PHASE')
        if (index > 0) assert.equal(await verdict(epochKey(kind, start - 1)), 'DHT_OUT_OF_PHASE')
      }
      runtime.advance(1)
    }
  })

  it('lets heartbeats through at any time, up to 1.1 epochs ahead', async () => {
    const epochMs = 20 * runtime.params.blockTimeMs
    assert.equal(await verdict('hoster_0', Date.now() + epochMs), 'ok')
    assert.equal(await verdict('validator_5', Date.now() + 1.1 * epochMs), 'ok')
    assert.equal(await verdict('hoster_0', Date.now() + 1.1 * epochMs + 60_000), 'DHT_EXPIRATION_TOO_FAR')
    assert.equal(await verdict('hosters'), 'DHT_UNKNOWN_KEY')
  })

  it('reads the chain once per block, not once per record', async () => {
    runtime.advance(1)
    const before = reads
    for (let i = 0; i < 20; i++) await verdict('hoster_0')
    assert.equal(reads - before, 1)
    runtime.advance(1)
    await verdict('hoster_0')
    assert.equal(reads - before, 2)
  })
})
