import { test } from 'node:test'
import assert from 'node:assert/strict'
import { parseListenAddr, parseMultiaddr, parsePeerAddr, parsePeerId } from '../../src/p2p/multiaddrs.js'

const PEER = '12D3KooWKpWwN2Y9GpKLcXyPqLPvEeosSYQNpBrNntxfrZGrCTpH'

test('listen addresses: TCP and QUIC-v1 over IP', () => {
  assert.equal(parseListenAddr('/ip4/0.0.0.0/tcp/31330').toString(), '/ip4/0.0.0.0/tcp/31330')
  assert.equal(parseListenAddr(' /ip6/::/udp/0/quic-v1 ').toString(), '/ip6/::/udp/0/quic-v1')
  assert.throws(() => parseListenAddr('/dns4/example.com/tcp/1'), { code: 'MULTIADDR_NOT_LISTENABLE' })
  assert.throws(() => parseListenAddr('/ip4/0.0.0.0/tcp/1/ws'), { code: 'MULTIADDR_NOT_LISTENABLE' })
})

test('the seed\'s /quic is refused with the /quic-v1 spelling as the fix', () => {
  assert.throws(() => parseMultiaddr('/ip4/1.2.3.4/udp/31330/quic'), (err: Error & { code: string }) => {
    assert.equal(err.code, 'MULTIADDR_OLD_QUIC')
    assert.match(err.message, /\/ip4\/1\.2\.3\.4\/udp\/31330\/quic-v1/)
    return true
  })
})

test('malformed multiaddrs are refused with a clear error', () => {
  for (const bad of ['', 'localhost:31330', '/ip4/300.1.1.1/tcp/1', '/ip4/1.2.3.4/tcp/notaport', '/nonsense/1']) {
    assert.throws(() => parseMultiaddr(bad), { code: 'MULTIADDR_INVALID' }, bad)
  }
})

test('peer addresses must end in /p2p/<peer id>', () => {
  const { peerId, addr } = parsePeerAddr(`/ip4/127.0.0.1/tcp/4001/p2p/${PEER}`)
  assert.equal(peerId.toString(), PEER)
  assert.equal(addr.toString(), `/ip4/127.0.0.1/tcp/4001/p2p/${PEER}`)
  assert.throws(() => parsePeerAddr('/ip4/127.0.0.1/tcp/4001'), { code: 'MULTIADDR_NO_PEER_ID' })
  assert.throws(() => parsePeerAddr('/ip4/127.0.0.1/tcp/4001/p2p/notapeer'), /MULTIADDR_INVALID|PEER_ID_INVALID|not/)
})

test('peer ids', () => {
  assert.equal(parsePeerId(PEER).toString(), PEER)
  assert.throws(() => parsePeerId('12D3KooWnope'), { code: 'PEER_ID_INVALID' })
})
