import { test } from 'node:test'
import assert from 'node:assert/strict'
import { startHost, dhtProtocol, type Host } from '../../src/p2p/host.js'
import { generateIdentity } from '../../src/p2p/keys.js'
import { LOOPBACK, closeAll, startLoopbackHost, startSwarm } from '../helpers/swarm.js'

async function closestPeers(from: Host, key: Uint8Array): Promise<string[]> {
  const found: string[] = []
  for await (const event of from.dht.getClosestPeers(key, { signal: AbortSignal.timeout(30_000) })) {
    if (event.name === 'FINAL_PEER') found.push(event.peer.id.toString())
  }
  return found
}

test('a new swarm starts with no initial peers, listens on TCP and QUIC, and stops cleanly', async () => {
  const host = await startLoopbackHost({ hostMaddrs: ['/ip4/127.0.0.1/tcp/0', '/ip4/127.0.0.1/udp/0/quic-v1'] })
  try {
    const addrs = host.addresses().map(String)
    assert.ok(addrs.some((a) => /\/tcp\/\d+\/p2p\//.test(a)), addrs.join())
    assert.ok(addrs.some((a) => /\/udp\/\d+\/quic-v1\/p2p\//.test(a)), addrs.join())
    assert.ok(addrs.every((a) => a.endsWith(`/p2p/${host.peerId.toString()}`)))
    assert.ok(host.libp2p.getProtocols().includes(dhtProtocol(1)))
  } finally {
    await host.close()
    await host.close()
  }
  assert.equal(host.libp2p.status, 'stopped')
})

test('four hosts bootstrap from one and route to each other through the DHT', async () => {
  const hosts = await startSwarm(4)
  try {
    for (const host of hosts.slice(1)) assert.ok(host.dht.getMode() === 'server')
    // the last host was given only the first as an initial peer: it finds the second through the DHT
    const [, second, , last] = hosts
    const found = await closestPeers(last, second.peerId.toMultihash().bytes)
    assert.ok(found.includes(second.peerId.toString()), `closest peers ${found.join()}`)
    for await (const event of last.dht.findPeer(second.peerId, { signal: AbortSignal.timeout(30_000) })) {
      if (event.name === 'FINAL_PEER') assert.ok(event.peer.multiaddrs.length > 0)
    }
    await last.libp2p.services.ping.ping(second.peerId, { signal: AbortSignal.timeout(30_000) })
  } finally {
    await closeAll(hosts)
  }
})

test('hosts join over QUIC', async () => {
  const quicOnly = { hostMaddrs: ['/ip4/127.0.0.1/udp/0/quic-v1'] }
  const hosts = await startSwarm(2, quicOnly)
  try {
    const conns = hosts[1].libp2p.getConnections(hosts[0].peerId)
    assert.ok(conns.some((c) => c.remoteAddr.toString().includes('/quic-v1')))
  } finally {
    await closeAll(hosts)
  }
})

test('subnets have DHTs of their own: a host of another subnet cannot join', async () => {
  const first = await startLoopbackHost({ subnetId: 1 })
  try {
    await assert.rejects(
      startLoopbackHost({ subnetId: 2, newSwarm: false, initialPeers: first.addresses().map(String), bootstrapTimeoutMs: 5_000 }),
      (err: Error & { code: string }) => err.code === 'P2P_BOOTSTRAP_FAILED' && /subnet 2/.test(err.message),
    )
  } finally {
    await first.close()
  }
})

test('announce addresses replace the listen addresses others see', async () => {
  const host = await startLoopbackHost({ announceMaddrs: ['/ip4/203.0.113.7/tcp/31330'] })
  try {
    assert.deepEqual(host.addresses().map(String), [`/ip4/203.0.113.7/tcp/31330/p2p/${host.peerId.toString()}`])
  } finally {
    await host.close()
  }
})

test('a host behind a relay is reachable through its circuit address', async () => {
  const relay = await startLoopbackHost({ relayServer: true })
  // behind NAT: it listens nowhere and can only be reached through its relay reservation
  const hidden = await startLoopbackHost({ newSwarm: false, initialPeers: relay.addresses().map(String), relayClient: true, hostMaddrs: [] })
  const outside = await startLoopbackHost({ newSwarm: false, initialPeers: relay.addresses().map(String) })
  try {
    const circuit = await waitFor(() => hidden.addresses().find((a) => a.toString().includes('/p2p-circuit')), 30_000)
    assert.ok(circuit.toString().startsWith(relay.addresses()[0].toString()), circuit.toString())
    const conn = await outside.libp2p.dial(circuit, { signal: AbortSignal.timeout(30_000) })
    assert.equal(conn.remotePeer.toString(), hidden.peerId.toString())
    assert.ok(conn.remoteAddr.toString().includes('/p2p-circuit'))
    assert.equal(conn.limits, undefined, 'our relays put no cap on relayed connections')
  } finally {
    await closeAll([outside, hidden, relay])
  }
})

test('bad starts fail with clear errors and leave nothing running', async () => {
  const privateKey = await generateIdentity()
  const base = { privateKey, subnetId: 1, ...LOOPBACK }
  await assert.rejects(startHost(base), { code: 'P2P_NO_INITIAL_PEERS' })
  await assert.rejects(startHost({ ...base, newSwarm: true, initialPeers: ['/ip4/127.0.0.1/tcp/1/p2p/12D3KooWKpWwN2Y9GpKLcXyPqLPvEeosSYQNpBrNntxfrZGrCTpH'] }), { code: 'P2P_NEW_SWARM_WITH_PEERS' })
  await assert.rejects(startHost({ ...base, initialPeers: ['/ip4/127.0.0.1/tcp/1'] }), { code: 'MULTIADDR_NO_PEER_ID' })
  await assert.rejects(startHost({ ...base, newSwarm: true, hostMaddrs: ['/ip4/127.0.0.1/udp/0/quic'] }), { code: 'MULTIADDR_OLD_QUIC' })
  await assert.rejects(startHost({ ...base, newSwarm: true, subnetId: -1 }), { code: 'SUBNET_ID_INVALID' })
  await assert.rejects(startHost({ ...base, newSwarm: true, hostMaddrs: ['/ip4/203.0.113.7/tcp/0'] }), { code: 'P2P_START_FAILED' })
  // an initial peer nobody listens on
  const ghost = await generateIdentity()
  const { peerIdOf } = await import('../../src/p2p/keys.js')
  await assert.rejects(
    startHost({ ...base, initialPeers: [`/ip4/127.0.0.1/tcp/9/p2p/${peerIdOf(ghost).toString()}`], bootstrapTimeoutMs: 5_000 }),
    { code: 'P2P_BOOTSTRAP_FAILED' },
  )
})

async function waitFor<T>(probe: () => T | undefined, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    const value = probe()
    if (value !== undefined) return value
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  throw new Error('condition not met in time')
}
