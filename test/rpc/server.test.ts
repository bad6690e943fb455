import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import type { Stream } from '@libp2p/interface'
import type { Host } from '../../src/p2p/host.js'
import { Signer } from '../../src/p2p/signing.js'
import { RpcClient } from '../../src/rpc/client.js'
import { ResponseKind, decodeResponse, encodeRequest } from '../../src/rpc/frames.js'
import { RequestBody } from '../../src/rpc/messages.js'
import { methodProtocol, unaryMethod } from '../../src/rpc/method.js'
import { RpcServer } from '../../src/rpc/server.js'
import { closed, count, echo, rawStream, requestFields, stakedSwarm, type StakedSwarm } from '../helpers/rpc.js'

// hosts[0] serves, hosts[1] misbehaves, hosts[2] is an honest caller that must stay served.
let swarm: StakedSwarm
let server: RpcServer
let honest: RpcClient
let protocol: string

/** A protobuf-typed method: its request decoder refuses malformed payloads. */
const typed = unaryMethod({ name: 'typed', version: '1.0.0', request: RequestBody, response: RequestBody })

before(async () => {
  swarm = await stakedSwarm(3)
  server = new RpcServer({ host: swarm.hosts[0], chain: swarm.chain }, { requestTimeoutMs: 1_000, maxInboundStreams: 32 })
  await server.handle(echo, (request) => request)
  await server.handle(count, async function * (request) {
    for (let i = 0; i < request[0]; i++) yield Uint8Array.of(i)
  })
  await server.handle(typed, (request) => request)
  honest = new RpcClient({ host: swarm.hosts[2] })
  protocol = methodProtocol(swarm.subnetId, echo)
})
after(async () => {
  honest.close()
  await server.close()
  await swarm.close()
})

async function stillServes(): Promise<void> {
  const payload = randomBytes(16)
  assert.deepEqual([...await honest.call(swarm.hosts[0].peerId, echo, payload)], [...payload])
}

function request(from: Host): Promise<Uint8Array> {
  return encodeRequest(requestFields(protocol, from, swarm.hosts[0]), new Signer(from.privateKey))
}

async function open(): Promise<Stream> {
  return (await rawStream(swarm.hosts[1], swarm.hosts[0].peerId, protocol)).stream
}

test('garbage bytes: the stream is dropped, the server serves on', async () => {
  for (const junk of [randomBytes(1), randomBytes(100), Uint8Array.of(5, 0xff, 0xff, 0xff, 0xff, 0xff)]) {
    const stream = await open()
    stream.send(junk)
    await closed(stream)
  }
  await stillServes()
})

test('a truncated frame: the stream is dropped when the caller stops or the deadline passes', async () => {
  const frame = await request(swarm.hosts[1])
  const cut = await open()
  cut.send(Uint8Array.of(frame.byteLength))
  cut.send(frame.subarray(0, 10))
  await cut.close()
  await closed(cut)
  const stalled = await open()
  stalled.send(Uint8Array.of(frame.byteLength))
  stalled.send(frame.subarray(0, 10))
  await closed(stalled) // after the 1 s request deadline
  assert.equal(stalled.status, 'reset')
  await stillServes()
})

test('an oversized frame is refused from its length prefix alone', async () => {
  const stream = await open()
  stream.send(Uint8Array.of(0xff, 0xff, 0xff, 0x7f)) // 268 MB announced, nothing sent
  await closed(stream, 10_000)
  assert.notEqual(stream.status, 'open')
  await stillServes()
})

test('streams opened and abandoned are reset after the request deadline; others are served meanwhile', async () => {
  const abandoned = await Promise.all(Array.from({ length: 20 }, () => open()))
  await stillServes()
  await Promise.all(abandoned.map((s) => closed(s, 15_000)))
  assert.ok(abandoned.every((s) => s.status === 'reset'))
  // the per-connection stream limit is not exhausted by the abandoned ones
  for (let i = 0; i < 3; i++) {
    const framed = await rawStream(swarm.hosts[1], swarm.hosts[0].peerId, protocol)
    await framed.write(await request(swarm.hosts[1]))
    const response = decodeResponse((await framed.read())!)
    assert.equal(response.kind, ResponseKind.DATA)
    framed.stream.abort(new Error('done'))
  }
  await stillServes()
})

test('a payload the method cannot decode is refused with RPC_BAD_REQUEST and the stream serves on', async () => {
  const peer = swarm.hosts[0].peerId
  const broken = { ...typed, request: { encode: (_: unknown) => Uint8Array.of(0x0a, 0x7f), decode: RequestBody.decode } }
  await assert.rejects(honest.call(peer, broken as unknown as typeof typed, {} as RequestBody), { code: 'RPC_BAD_REQUEST' })
  const echoed = await honest.call(peer, typed, { protocol: 'p' } as RequestBody)
  assert.equal(echoed.protocol, 'p')
})

test('one slow caller does not hold up another', async () => {
  const host = swarm.hosts[0]
  const method = { ...echo, name: 'echo-slow' }
  let release!: () => void
  const gate = new Promise<void>((resolve) => { release = resolve })
  await server.handle(method, async (req) => {
    if (req[0] === 1) await gate
    return req
  })
  const stuck = honest.call(host.peerId, method, Uint8Array.of(1))
  const other = new RpcClient({ host: swarm.hosts[1] })
  assert.deepEqual([...await other.call(host.peerId, method, Uint8Array.of(2))], [2])
  release()
  assert.deepEqual([...await stuck], [1])
  other.close()
  await server.unhandle(method)
})

test('closing the server stops its methods and aborts the calls in progress', async () => {
  const host = swarm.hosts[0]
  const closing = new RpcServer({ host, chain: swarm.chain })
  const method = { ...echo, name: 'echo-closing' }
  let started!: () => void
  const inHandler = new Promise<void>((resolve) => { started = resolve })
  await closing.handle(method, async (req, context) => {
    started()
    await new Promise((resolve) => context.signal.addEventListener('abort', resolve))
    return req
  })
  const call = honest.call(host.peerId, method, Uint8Array.of(1))
  await inHandler
  await closing.close()
  await assert.rejects(call, (err: Error & { code: string }) => err.code === 'RPC_CLOSED' || err.code === 'RPC_UNSUPPORTED')
  await assert.rejects(honest.call(host.peerId, method, Uint8Array.of(1)), { code: 'RPC_UNSUPPORTED' })
  await stillServes()
})

test('registration mistakes are refused', async () => {
  await assert.rejects(server.handle(echo, (r) => r), { code: 'RPC_ALREADY_HANDLED' })
  const chainless = new RpcServer({ host: swarm.hosts[1] })
  await assert.rejects(chainless.handle(echo, (r) => r), { code: 'RPC_NO_CHAIN' })
  await chainless.handle(echo, (r) => r, { access: 'public' })
  await chainless.close()
})

test('a big stream keeps its order and the caller\'s pace', async () => {
  const chunks: number[] = []
  for await (const chunk of honest.stream(swarm.hosts[0].peerId, count, Uint8Array.of(200))) {
    chunks.push(chunk[0])
    if (chunks.length % 50 === 0) await sleep(10)
  }
  assert.deepEqual(chunks, Array.from({ length: 200 }, (_, i) => i))
})
