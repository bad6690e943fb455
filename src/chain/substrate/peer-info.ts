// Peer ids and multiaddrs as the runtime takes them: bytes passed as hex strings (a plain string
// for `OpaquePeerId` would get a second length prefix), multiaddrs in their binary form.
import { multiaddr } from '@multiformats/multiaddr'
import { stringToHex, u8aToHex } from '@polkadot/util'
import { errorMessage } from '../../errors.js'
import { ChainError } from '../errors.js'

/** `PeerInfo { peerId, multiaddr }` for a node, bootnode or client peer id (base58 text). */
export function peerInfo(peerId: string | undefined): { peerId: string; multiaddr: null } | null {
  return peerId === undefined ? null : { peerId: stringToHex(peerId), multiaddr: null }
}

/** The `bootnodes` map of a subnet registration: peer id (hex of its text) → binary multiaddr (hex). */
export function bootnodeMap(bootnodes: string[]): Map<string, string> {
  return new Map(bootnodes.map((text) => {
    let address
    try {
      address = multiaddr(text)
    } catch (err) {
      throw new ChainError('CHAIN_BOOTNODE_INVALID', `bootnode ${JSON.stringify(text)} is not a multiaddr: ${errorMessage(err)}`)
    }
    const peerId = address.getComponents().findLast((c) => c.name === 'p2p')?.value
    if (peerId === undefined) {
      throw new ChainError('CHAIN_BOOTNODE_INVALID', `bootnode ${text} has no peer id`, { fix: 'end it in /p2p/<peer id>' })
    }
    return [stringToHex(peerId), u8aToHex(address.bytes)]
  }))
}
