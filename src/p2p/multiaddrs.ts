// Parsing and checking the multiaddrs a user passes (--host_maddrs, --announce_maddrs,
// --initial_peers), with errors that say what is wrong and how to write it.
import { multiaddr, type Multiaddr } from '@multiformats/multiaddr'
import { peerIdFromString } from '@libp2p/peer-id'
import type { PeerId } from '@libp2p/interface'
import { MeshError, errorMessage } from '../errors.js'

/** Transports this host can listen on. */
const LISTENABLE = [
  /^\/ip[46]\/[^/]+\/tcp\/\d+$/,
  /^\/ip[46]\/[^/]+\/udp\/\d+\/quic-v1$/,
]

export function parseMultiaddr(text: string, what = 'multiaddr'): Multiaddr {
  const trimmed = text.trim()
  if (!trimmed.startsWith('/')) {
    throw new MeshError('MULTIADDR_INVALID', `${what} ${JSON.stringify(text)} is not a multiaddr`, {
      fix: 'write it like /ip4/203.0.113.7/tcp/31330',
    })
  }
  let addr: Multiaddr
  try {
    addr = multiaddr(trimmed)
  } catch (err) {
    throw new MeshError('MULTIADDR_INVALID', `${what} ${JSON.stringify(text)} is not a valid multiaddr: ${errorMessage(err)}`, {
      fix: 'write it like /ip4/203.0.113.7/tcp/31330',
    })
  }
  if (addr.getComponents().some((c) => c.name === 'quic')) {
    throw new MeshError('MULTIADDR_OLD_QUIC', `${what} ${trimmed} uses /quic (QUIC draft-29), which libp2p no longer speaks`, {
      fix: `write ${trimmed.replace(/\/quic(?=\/|$)/, '/quic-v1')}`,
    })
  }
  return addr
}

/** A listen address (--host_maddrs): TCP or QUIC-v1 over an IP, port 0 for any free port. */
export function parseListenAddr(text: string): Multiaddr {
  const addr = parseMultiaddr(text, 'listen address')
  if (!LISTENABLE.some((re) => re.test(addr.toString()))) {
    throw new MeshError('MULTIADDR_NOT_LISTENABLE', `cannot listen on ${addr.toString()}: only TCP and QUIC over an IP address are supported`, {
      fix: 'use /ip4/0.0.0.0/tcp/31330 or /ip4/0.0.0.0/udp/31330/quic-v1',
    })
  }
  return addr
}

export interface PeerAddr {
  peerId: PeerId
  addr: Multiaddr
}

/** An address of another peer (--initial_peers): it must end in /p2p/<peer id>. */
export function parsePeerAddr(text: string): PeerAddr {
  const addr = parseMultiaddr(text, 'peer address')
  const id = addr.getComponents().findLast((c) => c.name === 'p2p')?.value
  if (id === undefined) {
    throw new MeshError('MULTIADDR_NO_PEER_ID', `peer address ${addr.toString()} does not name the peer`, {
      fix: 'append /p2p/<peer id>, e.g. /ip4/203.0.113.7/tcp/31330/p2p/12D3KooW…',
    })
  }
  let peerId: PeerId
  try {
    peerId = peerIdFromString(id)
  } catch (err) {
    throw new MeshError('PEER_ID_INVALID', `${JSON.stringify(id)} in ${addr.toString()} is not a peer id: ${errorMessage(err)}`)
  }
  return { peerId, addr }
}

/** A peer id in its text form (12D3KooW… or a CID). */
export function parsePeerId(text: string): PeerId {
  try {
    return peerIdFromString(text.trim())
  } catch (err) {
    throw new MeshError('PEER_ID_INVALID', `${JSON.stringify(text)} is not a peer id: ${errorMessage(err)}`)
  }
}
