// The server's guard on writes: only a call signed by its account, for this chain, fresh and once.
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import WebSocket from 'ws'
import { randomAccount, type KeyringPair } from '../../../src/chain/accounts.js'
import { TOKEN } from '../../../src/chain/chain.js'
import { fromJson, toJson } from '../../../src/chain/local/json.js'
import { LocalChainServer } from '../../../src/chain/local/server.js'
import { freshNonce, signPayload, type SignedPayload } from '../../../src/chain/local/wire.js'
import { localSubnet, type LocalFixture } from './fixture.js'

/** A bare WebSocket peer: sends raw requests the way any program could. */
class RawPeer {
  private nextId = 1
  private constructor(private readonly socket: WebSocket) {}

  static async open(url: string): Promise<RawPeer> {
    const socket = new WebSocket(url)
    await new Promise((resolve, reject) => { socket.once('open', resolve); socket.once('error', reject) })
    return new RawPeer(socket)
  }

  request(message: Record<string, unknown>): Promise<{ result?: unknown; error?: { code: string; message: string } }> {
    const id = this.nextId++
    return new Promise((resolve) => {
      const onMessage = (data: WebSocket.RawData): void => {
        const reply = fromJson(data.toString()) as { id?: number }
        if (reply.id !== id) return
        this.socket.off('message', onMessage)
        resolve(reply as { result?: unknown; error?: { code: string; message: string } })
      }
      this.socket.on('message', onMessage)
      this.socket.send(toJson({ id, ...message }))
    })
  }

  sendRaw(text: string): Promise<void> {
    return new Promise((resolve, reject) => this.socket.send(text, (err) => (err === undefined || err === null ? resolve() : reject(err))))
  }

  close(): void {
    this.socket.close()
  }
}

describe('the local chain server', () => {
  let fx: LocalFixture
  let server: LocalChainServer
  let peer: RawPeer
  let coldkey: KeyringPair
  let nodeId: number
  let hotkey: string

  before(async () => {
    fx = await localSubnet({ nodes: 3 })
    server = new LocalChainServer(fx.runtime, { port: 0 })
    peer = await RawPeer.open(await server.listen())
    const node = fx.nodes[0]!
    nodeId = node.nodeId
    hotkey = node.chain.hotkey!
    coldkey = node.coldkey
  })
  after(async () => {
    peer.close()
    await server.close()
  })

  const payload = (overrides: Partial<SignedPayload> = {}): SignedPayload => ({
    chainId: fx.runtime.chainId, method: 'addStake', args: [fx.subnetId, nodeId, hotkey, TOKEN],
    signer: coldkey.address, nonce: freshNonce(), time: Date.now(), ...overrides,
  })
  const stake = async (): Promise<bigint> => (await fx.reader.subnetNodes(fx.subnetId)).find((n) => n.id === nodeId)!.stake

  test('a signed write runs once; its replay is refused', async () => {
    const before = await stake()
    const signed = signPayload(coldkey, payload(), toJson)
    const first = await peer.request({ type: 'write', ...signed })
    assert.equal(first.error, undefined, first.error?.message)
    assert.equal(await stake(), before + TOKEN)
    const again = await peer.request({ type: 'write', ...signed })
    assert.equal(again.error?.code, 'CHAIN_REPLAYED')
    assert.equal(await stake(), before + TOKEN)
  })

  test('forged, tampered, stale and foreign-chain writes are refused', async () => {
    const before = await stake()
    const mallory = await randomAccount()
    // Signed by another key than the signer it names.
    const forged = signPayload(mallory, payload(), toJson)
    assert.equal((await peer.request({ type: 'write', ...forged })).error?.code, 'CHAIN_BAD_SIGNATURE')
    // The amount changed after signing.
    const signed = signPayload(coldkey, payload(), toJson)
    const tampered = signed.payload.replace(/"\$bigint":"1000000000000000000"/, '"$bigint":"9000000000000000000"')
    assert.notEqual(tampered, signed.payload)
    assert.equal((await peer.request({ type: 'write', payload: tampered, signature: signed.signature })).error?.code, 'CHAIN_BAD_SIGNATURE')
    assert.equal((await peer.request({ type: 'write', payload: signed.payload, signature: '0x1234' })).error?.code, 'CHAIN_BAD_SIGNATURE')
    const stale = signPayload(coldkey, payload({ time: Date.now() - 3_600_000 }), toJson)
    assert.equal((await peer.request({ type: 'write', ...stale })).error?.code, 'CHAIN_REPLAYED')
    const foreign = signPayload(coldkey, payload({ chainId: 'another-chain' }), toJson)
    assert.equal((await peer.request({ type: 'write', ...foreign })).error?.code, 'CHAIN_WRONG_CHAIN')
    assert.equal(await stake(), before)
  })

  test('bad requests get CHAIN_BAD_REQUEST, pallet refusals their pallet code', async () => {
    const cases: Array<Record<string, unknown>> = [
      { type: 'read', method: 'epochInfo', args: ['one'] },
      { type: 'read', method: 'deleteEverything', args: [] },
      { type: 'read', method: 'subnet', args: [1, 2, 3] },
      { type: 'teleport' },
      { type: 'write', payload: toJson({ nope: true }), signature: '0x' },
      // found by the endpoint fuzz: a payload that is not JSON was an internal error
      { type: 'write', payload: '', signature: '0x00' },
      { type: 'write', payload: '{"chainId":', signature: '0x00' },
    ]
    for (const message of cases) assert.equal((await peer.request(message)).error?.code, 'CHAIN_BAD_REQUEST', JSON.stringify(message))
    const badArgs = signPayload(coldkey, payload({ args: [fx.subnetId, nodeId, hotkey, -5n] }), toJson)
    assert.equal((await peer.request({ type: 'write', ...badArgs })).error?.code, 'CHAIN_BAD_REQUEST')
    const refused = signPayload(coldkey, payload({ method: 'attest', args: [fx.subnetId] }), toJson)
    assert.equal((await peer.request({ type: 'write', ...refused })).error?.code, 'network.InvalidHotkeySubnetNodeId')
    // Garbage is ignored, and the connection still serves.
    await peer.sendRaw('{not json')
    assert.deepEqual((await peer.request({ type: 'read', method: 'blockNumber', args: [] })).result, fx.runtime.block)
  })
})
