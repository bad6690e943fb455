import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import type { PeerId } from '@libp2p/interface'
import type { Host } from '../../src/p2p/host.js'
import { generateIdentity } from '../../src/p2p/keys.js'
import { Signer } from '../../src/p2p/signing.js'
import { RpcClient } from '../../src/rpc/client.js'
import { ResponseKind, decodeResponse, encodeRequest, type RequestFields } from '../../src/rpc/frames.js'
import { methodProtocol } from '../../src/rpc/method.js'
import { RpcServer } from '../../src/rpc/server.js'
import { echo, rawStream, registerLate, requestFields, stakedSwarm, type StakedSwarm } from '../helpers/rpc.js'
import { startLoopbackHost } from '../helpers/swarm.js'

// hosts[0] serves; hosts[1] and hosts[2] are staked callers; hosts[3] is a caller without stake.
let swarm: StakedSwarm
let server: RpcServer
let protocol: string

before(async () => {
  swarm = await stakedSwarm(3, 1)
  server = new RpcServer({ host: swarm.hosts[0], chain: swarm.chain }, {
    rateLimit: { perSecond: 1, burst: 1000 },
    stake: { failureTtlMs: 300 },
  })
  await server.handle(echo, (request) => request)
  protocol = methodProtocol(swarm.subnetId, echo)
})
after(async () => {
  await server.close()
  await swarm.close()
})

/** A request as an honest client would make it, from `caller` to the server. */
function fields(caller: Host, over: Partial<RequestFields> = {}): RequestFields {
  return requestFields(protocol, caller, swarm.hosts[0], over)
}

/** Sends one frame from `from` on a fresh stream; the code of the refusal, or 'OK'. */
async function send(from: Host, frame: Uint8Array): Promise<string> {
  const framed = await rawStream(from, swarm.hosts[0].peerId, protocol)
  await framed.write(frame)
  const response = decodeResponse((await framed.read())!)
  framed.stream.abort(new Error('done'))
  return response.kind === ResponseKind.ERROR ? response.errorCode : 'OK'
}

test('a well-formed signed request from a staked peer is served', async () => {
  const from = swarm.hosts[1]
  assert.equal(await send(from, await encodeRequest(fields(from), new Signer(from.privateKey))), 'OK')
})

test('RPC_BAD_SIGNATURE: signed by a key other than the caller\'s, or not signed', async () => {
  const from = swarm.hosts[1]
  assert.equal(await send(from, await encodeRequest(fields(from), new Signer(await generateIdentity()))), 'RPC_BAD_SIGNATURE')
  assert.equal(await send(from, await encodeRequest(fields(from))), 'RPC_BAD_SIGNATURE')
})

test('RPC_CLOCK_SKEW: a caller clock more than 60 s off, either way', async () => {
  for (const offset of [-61_000, 61_000]) {
    const client = new RpcClient({ host: swarm.hosts[1] }, { now: () => Date.now() + offset })
    await assert.rejects(client.call(swarm.hosts[0].peerId, echo, Uint8Array.of(1)), { code: 'RPC_CLOCK_SKEW' })
    client.close()
  }
  const fine = new RpcClient({ host: swarm.hosts[1] }, { now: () => Date.now() + 50_000 })
  assert.deepEqual([...await fine.call(swarm.hosts[0].peerId, echo, Uint8Array.of(1))], [1])
  fine.close()
})

test('RPC_REPLAY: the same request again, even on another stream', async () => {
  const from = swarm.hosts[1]
  const frame = await encodeRequest(fields(from), new Signer(from.privateKey))
  assert.equal(await send(from, frame), 'OK')
  assert.equal(await send(from, frame), 'RPC_REPLAY')
})

test('RPC_WRONG_SERVICE: a request addressed to another peer', async () => {
  const from = swarm.hosts[1]
  const request = fields(from, { service: swarm.hosts[2].peerId.toMultihash().bytes })
  assert.equal(await send(from, await encodeRequest(request, new Signer(from.privateKey))), 'RPC_WRONG_SERVICE')
})

test('RPC_SIGNER_MISMATCH: a request signed by a peer other than the connection\'s', async () => {
  // hosts[2] relays a request that hosts[1] really signed
  const signed = await encodeRequest(fields(swarm.hosts[1]), new Signer(swarm.hosts[1].privateKey))
  assert.equal(await send(swarm.hosts[2], signed), 'RPC_SIGNER_MISMATCH')
})

test('RPC_NO_STAKE: a caller that is not a node of the subnet; public methods serve it', async () => {
  const stranger = swarm.hosts[3]
  const client = new RpcClient({ host: stranger })
  await assert.rejects(client.call(swarm.hosts[0].peerId, echo, Uint8Array.of(1)), { code: 'RPC_NO_STAKE' })
  const open = await publicServer()
  assert.deepEqual([...await client.call(open.peer, open.method, Uint8Array.of(5))], [5])
  client.close()
})

test('the stake check waits out the failure cache, then lets a newly registered node in', async () => {
  const late = new RpcClient({ host: swarm.hosts[3] })
  await assert.rejects(late.call(swarm.hosts[0].peerId, echo, Uint8Array.of(1)), { code: 'RPC_NO_STAKE' })
  await registerLate(swarm.runtime, swarm.subnetId, swarm.hosts[3].peerId.toString())
  await new Promise((resolve) => setTimeout(resolve, 400))
  assert.deepEqual([...await late.call(swarm.hosts[0].peerId, echo, Uint8Array.of(2))], [2])
  late.close()
})

test('RPC_RATE_LIMITED: a caller over its burst; other callers are unaffected', async () => {
  const host = swarm.hosts[0]
  const limited = new RpcServer({ host, chain: swarm.chain }, { rateLimit: { perSecond: 0.1, burst: 3 } })
  const method = { ...echo, name: 'echo-limited' }
  await limited.handle(method, (request) => request)
  const greedy = new RpcClient({ host: swarm.hosts[1] })
  const results = await Promise.allSettled(Array.from({ length: 5 }, () => greedy.call(host.peerId, method, Uint8Array.of(1))))
  assert.equal(results.filter((r) => r.status === 'fulfilled').length, 3)
  for (const r of results) if (r.status === 'rejected') assert.equal(r.reason.code, 'RPC_RATE_LIMITED')
  const polite = new RpcClient({ host: swarm.hosts[2] })
  assert.deepEqual([...await polite.call(host.peerId, method, Uint8Array.of(9))], [9])
  greedy.close()
  polite.close()
  await limited.unhandle(method)
})

test('RPC_BUSY: a full nonce memory refuses rather than forgets', async () => {
  const host = swarm.hosts[0]
  const busy = new RpcServer({ host, chain: swarm.chain }, { replay: { maxEntries: 2 } })
  const method = { ...echo, name: 'echo-busy' }
  await busy.handle(method, (request) => request)
  const client = new RpcClient({ host: swarm.hosts[1] })
  await client.call(host.peerId, method, Uint8Array.of(1))
  await client.call(host.peerId, method, Uint8Array.of(2))
  await assert.rejects(client.call(host.peerId, method, Uint8Array.of(3)), { code: 'RPC_BUSY' })
  client.close()
  await busy.unhandle(method)
})

test('refusals are cheap and in order: the signature before the stake lookup, the rate before the signature', async () => {
  const host = swarm.hosts[0]
  const stranger = await startLoopbackHost({ subnetId: swarm.subnetId, newSwarm: false, initialPeers: host.addresses().map(String) })
  const strict = new RpcServer({ host, chain: swarm.chain }, { rateLimit: { perSecond: 0.1, burst: 1 } })
  const method = { ...echo, name: 'echo-order' }
  await strict.handle(method, (request) => request)
  try {
    const orderProtocol = methodProtocol(swarm.subnetId, method)
    const code = async (frame: Uint8Array): Promise<string> => {
      const raw = await rawStream(stranger, host.peerId, orderProtocol)
      await raw.write(frame)
      const response = decodeResponse((await raw.read())!)
      raw.stream.abort(new Error('done'))
      return response.kind === ResponseKind.ERROR ? response.errorCode : 'OK'
    }
    // an unstaked caller with a forged request hears about its signature, not its stake
    const forged = await encodeRequest({ ...fields(stranger), protocol: orderProtocol })
    assert.equal(await code(forged), 'RPC_BAD_SIGNATURE')
    // and past its rate it is refused before any signature is checked
    assert.equal(await code(forged), 'RPC_RATE_LIMITED')
  } finally {
    await strict.unhandle(method)
    await stranger.close()
  }
})

test('an unstaked caller the cache knows is refused before its signature is checked or its nonce kept', async () => {
  const host = swarm.hosts[0]
  const stranger = await startLoopbackHost({ subnetId: swarm.subnetId, newSwarm: false, initialPeers: host.addresses().map(String) })
  const patient = new RpcServer({ host, chain: swarm.chain }, { stake: { failureTtlMs: 60_000 } })
  const method = { ...echo, name: 'echo-known-unstaked' }
  await patient.handle(method, (request) => request)
  try {
    const methodProtocol_ = methodProtocol(swarm.subnetId, method)
    const code = async (frame: Uint8Array): Promise<string> => {
      const raw = await rawStream(stranger, host.peerId, methodProtocol_)
      await raw.write(frame)
      const response = decodeResponse((await raw.read())!)
      raw.stream.abort(new Error('done'))
      return response.kind === ResponseKind.ERROR ? response.errorCode : 'OK'
    }
    const signed = await encodeRequest({ ...fields(stranger), protocol: methodProtocol_ }, new Signer(stranger.privateKey))
    assert.equal(await code(signed), 'RPC_NO_STAKE')
    // The same request again is not a replay: a refused request's nonce is not kept...
    assert.equal(await code(signed), 'RPC_NO_STAKE')
    // ...and a forged one is not verified: the connection already says who it is.
    assert.equal(await code(await encodeRequest({ ...fields(stranger), protocol: methodProtocol_ })), 'RPC_NO_STAKE')
  } finally {
    await patient.unhandle(method)
    await stranger.close()
  }
})

test('a flood of refused calls (forged, unstaked, replayed) does not keep honest callers waiting; each flooder hears why', async () => {
  const host = swarm.hosts[0]
  const forger = await startLoopbackHost({ subnetId: swarm.subnetId, newSwarm: false, initialPeers: host.addresses().map(String) })
  const unstaked = await startLoopbackHost({ subnetId: swarm.subnetId, newSwarm: false, initialPeers: host.addresses().map(String) })
  const replayer = swarm.hosts[1]
  try {
    const captured = await encodeRequest(fields(replayer), new Signer(replayer.privateKey))
    assert.equal(await send(replayer, captured), 'OK')
    // 50 streams at once from each: under the 64 one connection may open per method.
    const flood = (from: Host, frame: () => Promise<Uint8Array>): Array<Promise<string>> =>
      Array.from({ length: 50 }, async () => send(from, await frame()).catch((err: Error) => `failed: ${err.message}`))
    const outcomes = {
      forged: flood(forger, async () => encodeRequest(fields(forger), new Signer(await generateIdentity()))),
      unstaked: flood(unstaked, async () => encodeRequest(fields(unstaked), new Signer(unstaked.privateKey))),
      replayed: flood(replayer, async () => captured),
    }
    const honest = new RpcClient({ host: swarm.hosts[2] })
    const started = Date.now()
    for (let i = 0; i < 20; i++) assert.deepEqual([...await honest.call(host.peerId, echo, Uint8Array.of(i))], [i])
    const honestMs = Date.now() - started
    honest.close()
    const expected = { forged: 'RPC_BAD_SIGNATURE', unstaked: 'RPC_NO_STAKE', replayed: 'RPC_REPLAY' }
    for (const [kind, calls] of Object.entries(outcomes)) {
      const codes = await Promise.all(calls)
      const code = expected[kind as keyof typeof expected]
      // Past its burst a flooder is refused for its rate instead.
      assert.ok(codes.every((c) => c === code || c === 'RPC_RATE_LIMITED'), `${kind}: ${[...new Set(codes)].join()}`)
      assert.ok(codes.includes(code), `${kind}: never told ${code}`)
    }
    assert.ok(honestMs < 20_000, `honest calls took ${honestMs} ms`)
  } finally {
    await Promise.all([forger.close(), unstaked.close()])
  }
})

async function publicServer(): Promise<{ peer: PeerId; method: typeof echo }> {
  const method = { ...echo, name: 'echo-public' }
  await server.handle(method, (request) => request, { access: 'public' })
  return { peer: swarm.hosts[0].peerId, method }
}
