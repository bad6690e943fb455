import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { setTimeout as sleep } from 'node:timers/promises'
import { generateIdentity } from '../../src/p2p/keys.js'
import { Signer } from '../../src/p2p/signing.js'
import { RpcClient } from '../../src/rpc/client.js'
import { RpcError } from '../../src/rpc/errors.js'
import { FramedStream } from '../../src/rpc/framed-stream.js'
import { ResponseKind, decodeRequest, encodeResponse, type ResponseFields } from '../../src/rpc/frames.js'
import { bytesCodec, methodProtocol, unaryMethod } from '../../src/rpc/method.js'
import { RpcServer, type CallContext } from '../../src/rpc/server.js'
import { count, echo, stakedSwarm, type StakedSwarm } from '../helpers/rpc.js'
import { startLoopbackHost } from '../helpers/swarm.js'

const slow = unaryMethod({ name: 'slow', version: '1.0.0', request: bytesCodec, response: bytesCodec })
const fails = unaryMethod({ name: 'fails', version: '1.0.0', request: bytesCodec, response: bytesCodec })
const evil = unaryMethod({ name: 'evil', version: '1.0.0', request: bytesCodec, response: bytesCodec })

let swarm: StakedSwarm
let servers: RpcServer[] = []
let clients: RpcClient[] = []
/** The context of the last `slow` or `count` call each server saw. */
const seen: CallContext[] = []

before(async () => {
  swarm = await stakedSwarm(3)
  servers = swarm.hosts.map((host) => new RpcServer({ host, chain: swarm.chain }, { idleTimeoutMs: 2_000 }))
  for (const server of servers) {
    await server.handle(echo, (request) => request)
    await server.handle(count, async function * (request, context) {
      seen.push(context)
      for (let i = 0; i < request[0]; i++) {
        if (request[1] === 1 && i === 1) await new Promise((resolve) => context.signal.addEventListener('abort', resolve))
        yield Uint8Array.of(i)
      }
    })
    await server.handle(slow, async (request, context) => {
      seen.push(context)
      await sleep(request[0] * 100, undefined, { signal: context.signal }).catch(() => {})
      return request
    })
    await server.handle(fails, (request) => {
      if (request[0] === 1) throw new RpcError('APP_NOT_FOUND', 'no such thing')
      throw new Error('secret internal detail')
    })
  }
  clients = swarm.hosts.map((host) => new RpcClient({ host }, { timeoutMs: 30_000 }))
})

after(async () => {
  for (const client of clients) client.close()
  await Promise.all(servers.map((s) => s.close()))
  await swarm.close()
})

test('unary and stream round trips between every pair of three hosts', async () => {
  for (const [i, client] of clients.entries()) {
    for (const [j, host] of swarm.hosts.entries()) {
      if (i === j) continue
      const payload = Uint8Array.of(i, j, 42)
      assert.deepEqual([...await client.call(host.peerId, echo, payload)], [i, j, 42])
      const chunks: number[] = []
      for await (const chunk of client.stream(host.peerId, count, Uint8Array.of(5))) chunks.push(chunk[0])
      assert.deepEqual(chunks, [0, 1, 2, 3, 4])
    }
  }
  const empty = []
  for await (const chunk of clients[0].stream(swarm.hosts[1].peerId, count, Uint8Array.of(0))) empty.push(chunk)
  assert.equal(empty.length, 0, 'a stream may end with no chunk')
})

test('calls reuse their streams, one call at a time on each', async () => {
  const [a, b] = swarm.hosts
  const protocol = methodProtocol(swarm.subnetId, echo)
  const streams = (): number => a.libp2p.getConnections(b.peerId).flatMap((c) => c.streams).filter((s) => s.protocol === protocol && s.direction === 'outbound').length
  for (let i = 0; i < 5; i++) await clients[0].call(b.peerId, echo, Uint8Array.of(i))
  assert.equal(streams(), 1)
  const answers = await Promise.all(Array.from({ length: 64 }, (_, i) => clients[0].call(b.peerId, echo, Uint8Array.of(i))))
  assert.deepEqual(answers.map((r) => r[0]), Array.from({ length: 64 }, (_, i) => i))
  assert.ok(streams() <= 64)
})

test('a pooled stream the service closed while idle is replaced without failing the call', async () => {
  const [a, b] = swarm.hosts
  await clients[0].call(b.peerId, echo, Uint8Array.of(1))
  await sleep(2_500) // the services close streams idle for 2 s
  assert.deepEqual([...await clients[0].call(b.peerId, echo, Uint8Array.of(2))], [2])
  assert.ok(a.libp2p.getConnections(b.peerId).length > 0)
})

test('a pooled stream closed just as a call goes out: the call is sent again, as a new request, on a new stream', async () => {
  const b = swarm.hosts[2]
  const flaky = unaryMethod({ name: 'flaky', version: '1.0.0', request: bytesCodec, response: bytesCodec })
  const signer = new Signer(b.privateKey)
  const nonces: string[] = []
  // answers the first request of each stream, then closes it unanswered, as a service idling out would
  await b.libp2p.handle(methodProtocol(swarm.subnetId, flaky), async (stream) => {
    const framed = new FramedStream(stream, 1 << 16)
    const request = decodeRequest((await framed.read())!)
    nonces.push(Buffer.from(request.nonce).toString('hex'))
    await framed.write(await encodeResponse(data(request.nonce, 0), signer))
    await framed.read()
    await stream.close()
  })
  assert.deepEqual([...await clients[0].call(b.peerId, flaky, Uint8Array.of(1))], [1])
  assert.deepEqual([...await clients[0].call(b.peerId, flaky, Uint8Array.of(2))], [1])
  assert.equal(nonces.length, 2)
  assert.notEqual(nonces[0], nonces[1])
})

test('a handler\'s RpcError reaches the caller with its code; other errors stay private', async () => {
  const peer = swarm.hosts[1].peerId
  await assert.rejects(clients[0].call(peer, fails, Uint8Array.of(1)), (err: RpcError) =>
    err.code === 'APP_NOT_FOUND' && err.remote && /no such thing/.test(err.message))
  await assert.rejects(clients[0].call(peer, fails, Uint8Array.of(2)), (err: RpcError) =>
    err.code === 'RPC_INTERNAL' && !/secret/.test(err.message))
  assert.deepEqual([...await clients[0].call(peer, echo, Uint8Array.of(7))], [7], 'the stream still serves')
})

test('a call that takes too long fails with RPC_TIMEOUT and the handler is told', async () => {
  const started = Date.now()
  await assert.rejects(clients[0].call(swarm.hosts[1].peerId, slow, Uint8Array.of(100), { timeoutMs: 300 }), { code: 'RPC_TIMEOUT' })
  assert.ok(Date.now() - started < 5_000)
  const context = seen.at(-1)!
  await waitUntil(() => context.signal.aborted)
})

test('aborting fails the call with RPC_ABORTED, before or during it', async () => {
  const peer = swarm.hosts[1].peerId
  await assert.rejects(clients[0].call(peer, echo, Uint8Array.of(1), { signal: AbortSignal.abort() }), { code: 'RPC_ABORTED' })
  const controller = new AbortController()
  const call = clients[0].call(peer, slow, Uint8Array.of(100), { signal: controller.signal })
  setTimeout(() => controller.abort(), 200)
  await assert.rejects(call, { code: 'RPC_ABORTED' })
  const context = seen.at(-1)!
  await waitUntil(() => context.signal.aborted)
})

test('a stream is idle-timed per chunk, and breaking off cancels it at the service', async () => {
  const peer = swarm.hosts[1].peerId
  const got: number[] = []
  await assert.rejects(async () => {
    for await (const chunk of clients[0].stream(peer, count, Uint8Array.of(3, 1), { timeoutMs: 500 })) got.push(chunk[0])
  }, { code: 'RPC_TIMEOUT' })
  assert.deepEqual(got, [0])
  for await (const chunk of clients[0].stream(peer, count, Uint8Array.of(5, 1))) {
    assert.equal(chunk[0], 0)
    break
  }
  await waitUntil(() => seen.at(-1)!.signal.aborted)
})

test('a server that dies mid-stream gives the caller an error, not a hang', async () => {
  const dying = await startLoopbackHost({ subnetId: swarm.subnetId, newSwarm: false, initialPeers: swarm.hosts[0].addresses().map(String) })
  const server = new RpcServer({ host: dying }, {})
  await server.handle(count, async function * () {
    yield Uint8Array.of(0)
    await dying.close()
    yield Uint8Array.of(1)
  }, { access: 'public' })
  const got: number[] = []
  await assert.rejects(async () => {
    for await (const chunk of clients[0].stream(dying.peerId, count, Uint8Array.of(2))) got.push(chunk[0])
  }, (err: RpcError) => err.code === 'RPC_CLOSED' || err.code === 'RPC_UNREACHABLE')
  assert.deepEqual(got, [0])
  await assert.rejects(clients[0].call(dying.peerId, echo, Uint8Array.of(1), { timeoutMs: 10_000 }), { code: 'RPC_UNREACHABLE' })
})

test('unknown methods, oversized requests and unreachable peers fail clearly', async () => {
  const peer = swarm.hosts[1].peerId
  const missing = unaryMethod({ name: 'missing', version: '1.0.0', request: bytesCodec, response: bytesCodec })
  await assert.rejects(clients[0].call(peer, missing, Uint8Array.of(1)), { code: 'RPC_UNSUPPORTED' })
  await assert.rejects(clients[0].call(peer, echo, new Uint8Array(4097)), { code: 'RPC_TOO_LARGE' })
  const { peerIdOf } = await import('../../src/p2p/keys.js')
  const nobody = peerIdOf(await generateIdentity())
  await assert.rejects(clients[0].call(nobody, echo, Uint8Array.of(1), { timeoutMs: 5_000 }), (err: RpcError) =>
    err.code === 'RPC_UNREACHABLE' || err.code === 'RPC_TIMEOUT')
})

test('the caller drops a call on the first response frame that is not the service\'s', async () => {
  const [a, b] = swarm.hosts
  const impostor = new Signer(await generateIdentity())
  const honest = new Signer(b.privateKey)
  // each call gets the next misbehaviour
  const answers: Array<(nonce: Uint8Array) => Promise<Uint8Array>> = [
    (nonce) => encodeResponse(data(nonce, 0), impostor),
    (nonce) => encodeResponse(data(nonce, 0)),
    (nonce) => encodeResponse(data(Uint8Array.from(nonce).reverse(), 0), honest),
    (nonce) => encodeResponse(data(nonce, 5), honest),
    async () => Uint8Array.of(1, 2, 3),
  ]
  await b.libp2p.handle(methodProtocol(swarm.subnetId, evil), async (stream) => {
    const framed = new FramedStream(stream, 1 << 16)
    const request = decodeRequest((await framed.read())!)
    await framed.write(await answers.shift()!(request.nonce))
  })
  const expected = ['RPC_BAD_RESPONSE_SIGNATURE', 'RPC_BAD_RESPONSE_SIGNATURE', 'RPC_BAD_RESPONSE', 'RPC_BAD_RESPONSE', 'RPC_BAD_RESPONSE']
  for (const code of expected) {
    await assert.rejects(clients[0].call(b.peerId, evil, Uint8Array.of(1)), { code })
  }
  assert.ok(a.libp2p.getConnections(b.peerId).length > 0)
})

test('with authentication off on both sides calls work unsigned; a signing caller refuses unsigned answers', async () => {
  const host = await startLoopbackHost({ subnetId: swarm.subnetId, newSwarm: false, initialPeers: swarm.hosts[0].addresses().map(String) })
  try {
    const server = new RpcServer({ host }, { authenticate: false })
    await server.handle(echo, (request) => request)
    const plain = new RpcClient({ host: swarm.hosts[0] }, { authenticate: false })
    assert.deepEqual([...await plain.call(host.peerId, echo, Uint8Array.of(3))], [3])
    await assert.rejects(clients[0].call(host.peerId, echo, Uint8Array.of(3)), { code: 'RPC_BAD_RESPONSE_SIGNATURE' })
    plain.close()
  } finally {
    await host.close()
  }
})

function data(nonce: Uint8Array, seq: number): ResponseFields {
  return { kind: ResponseKind.DATA, nonce, seq, payload: Uint8Array.of(1) }
}

async function waitUntil(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time')
    await sleep(20)
  }
}
