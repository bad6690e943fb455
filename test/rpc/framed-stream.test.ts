import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import type { Stream } from '@libp2p/interface'
import type { Host } from '../../src/p2p/host.js'
import { RpcError } from '../../src/rpc/errors.js'
import { FramedStream } from '../../src/rpc/framed-stream.js'
import { closeAll, startSwarm } from '../helpers/swarm.js'

const PROTOCOL = '/test/frames/1.0.0'
let hosts: Host[] = []
const inbound: Array<(stream: Stream) => void> = []

before(async () => {
  hosts = await startSwarm(2)
  await hosts[0].libp2p.handle(PROTOCOL, (stream) => { inbound.shift()?.(stream) })
})
after(() => closeAll(hosts))

/** A real stream pair between the two hosts: [our outbound end, their inbound end]. */
async function pair(): Promise<[Stream, Stream]> {
  const accepted = new Promise<Stream>((resolve) => inbound.push(resolve))
  const out = await hosts[1].libp2p.dialProtocol(hosts[0].peerId, PROTOCOL)
  return [out, await accepted]
}

test('frames arrive whole whatever the chunking, and a clean end reads as null', async () => {
  const [out, into] = await pair()
  const reader = new FramedStream(into, 1 << 20)
  const writer = new FramedStream(out, 1 << 20)
  const big = randomBytes(300_000)
  await writer.write(Uint8Array.of(1, 2, 3))
  await writer.write(new Uint8Array(0))
  await writer.write(big)
  // a frame written one byte at a time: 2-byte length prefix then 200 bytes
  const small = randomBytes(200)
  for (const byte of [0xc8, 0x01, ...small]) out.send(Uint8Array.of(byte))
  await out.close()
  assert.deepEqual([...(await reader.read())!], [1, 2, 3])
  assert.equal((await reader.read())!.byteLength, 0)
  assert.ok(Buffer.from((await reader.read())!).equals(big))
  assert.ok(Buffer.from((await reader.read())!).equals(small))
  assert.equal(await reader.read(), null)
  assert.equal(await reader.read(), null)
})

test('an end inside a frame is an error, not a clean end', async () => {
  const [out, into] = await pair()
  const reader = new FramedStream(into, 1000)
  out.send(Uint8Array.of(10, 1, 2, 3))
  await out.close()
  await assert.rejects(reader.read(), (err: RpcError) => err.code === 'RPC_CLOSED' && /inside a frame/.test(err.message))
})

test('a declared length over the limit fails before the bytes are buffered', async () => {
  const [out, into] = await pair()
  const reader = new FramedStream(into, 1000)
  out.send(Uint8Array.of(0xe9, 0x07)) // 1001
  await assert.rejects(reader.read(), { code: 'RPC_TOO_LARGE' })
  assert.equal(into.status, 'aborted')
})

test('an endless length prefix is refused', async () => {
  const [out, into] = await pair()
  const reader = new FramedStream(into, 1 << 30)
  out.send(Uint8Array.of(0x80, 0x80, 0x80, 0x80, 0x80, 0x80))
  await assert.rejects(reader.read(), { code: 'RPC_BAD_FRAME' })
})

test('a reset stream fails the pending read', async () => {
  const [out, into] = await pair()
  const reader = new FramedStream(into, 1000)
  const pending = reader.read()
  out.abort(new Error('gone'))
  await assert.rejects(pending)
})

test('end() turns a pending read into a clean end', async () => {
  const [, into] = await pair()
  const reader = new FramedStream(into, 1000)
  const pending = reader.read()
  reader.end()
  assert.equal(await pending, null)
})

test('fuzz: random bytes give frames, a clean end or an RpcError, never a hang', async () => {
  for (let i = 0; i < 40; i++) {
    const [out, into] = await pair()
    const reader = new FramedStream(into, 64)
    const junk = randomBytes(1 + (i * 37) % 300)
    out.send(junk)
    await out.close()
    for (let frames = 0; ; frames++) {
      assert.ok(frames <= junk.byteLength)
      try {
        if ((await reader.read()) === null) break
      } catch (err) {
        assert.ok(err instanceof RpcError, String(err))
        break
      }
    }
    into.abort(new Error('done'))
  }
})
