// The runtime's `getSubnetNodesInfo`: every node of a subnet (active and queued) with its coldkey,
// stake and reputation, in one request instead of 2 + 3 per node. The runtime API returns the list
// SCALE-encoded inside `Vec<u8>`, with types the metadata does not describe: they are given here, as
// the pallet's `SubnetNodeInfo` lays them out.
import type { ApiPromise } from '@polkadot/api'
import { u8aToString } from '@polkadot/util'
import type { SubnetNode } from '../chain.js'
import { ChainError } from '../errors.js'
import { nodeClass, reputationFrom } from './decode.js'

const TYPES = {
  HtPeerInfo: { peerId: 'Bytes', multiaddr: 'Option<Bytes>' },
  HtDelegateAccount: { accountId: 'AccountId20', rate: 'u128' },
  HtIdentity: {
    name: 'Bytes', url: 'Bytes', image: 'Bytes', discord: 'Bytes', x: 'Bytes', telegram: 'Bytes', github: 'Bytes',
    huggingFace: 'Bytes', description: 'Bytes', misc: 'Bytes',
  },
  HtNodeClass: { _enum: ['Registered', 'Idle', 'Included', 'Validator'] },
  HtClassification: { nodeClass: 'HtNodeClass', startEpoch: 'u32' },
  HtReputation: {
    startEpoch: 'u32', score: 'u128', lifetimeNodeCount: 'u32', totalActiveNodes: 'u32', totalIncreases: 'u32',
    totalDecreases: 'u32', averageAttestation: 'u128', lastValidatorEpoch: 'u32', owScore: 'u128',
  },
  HtSubnetNodeInfo: {
    subnetId: 'u32', subnetNodeId: 'u32', coldkey: 'AccountId20', hotkey: 'AccountId20', peerInfo: 'HtPeerInfo',
    bootnodePeerInfo: 'Option<HtPeerInfo>', clientPeerInfo: 'Option<HtPeerInfo>', delegateAccount: 'Option<HtDelegateAccount>',
    identity: 'HtIdentity', classification: 'HtClassification', delegateRewardRate: 'u128', lastDelegateRewardRateUpdate: 'u32',
    unique: 'Option<Bytes>', nonUnique: 'Option<Bytes>', stakeBalance: 'u128', totalNodeDelegateStakeShares: 'u128',
    nodeDelegateStakeBalance: 'u128', coldkeyReputation: 'HtReputation', subnetNodeReputation: 'u128',
    nodeSlotIndex: 'Option<u32>', consecutiveIdleEpochs: 'u32', consecutiveIncludedEpochs: 'u32',
  },
}

interface PeerInfoCodec { peerId: { toU8a(bare: true): Uint8Array } }
interface OptionCodec<T> { isSome: boolean; unwrap(): T }
interface NodeInfoCodec {
  subnetNodeId: { toNumber(): number }
  coldkey: { toString(): string }
  hotkey: { toString(): string }
  peerInfo: PeerInfoCodec
  bootnodePeerInfo: OptionCodec<PeerInfoCodec>
  clientPeerInfo: OptionCodec<PeerInfoCodec>
  classification: { nodeClass: { type: string }; startEpoch: { toNumber(): number } }
  stakeBalance: { toBigInt(): bigint }
  subnetNodeReputation: { toBigInt(): bigint }
}

const registered = new WeakSet<object>()

/** The runtime API's name as `state_call` takes it. */
export const SUBNET_NODES_INFO = 'NetworkRuntimeApi_get_subnet_nodes_info'

/** Decodes the raw `state_call` output of `getSubnetNodesInfo` (no length prefix) into nodes, sorted by id. */
export function nodesFromInfo(api: ApiPromise, output: Uint8Array): SubnetNode[] {
  if (!registered.has(api.registry)) {
    api.registry.register(TYPES)
    registered.add(api.registry)
  }
  // The runtime API returns `Vec<u8>` holding the encoded list (polkadot.js's `api.call` then
  // decodes it as `Bytes` once more, hence "wrapped twice" from there).
  const encoded = api.registry.createType('Bytes', output)
  const infos = api.registry.createType('Vec<HtSubnetNodeInfo>', encoded.toU8a(true)) as unknown as NodeInfoCodec[] & { encodedLength: number }
  // A runtime that lays the struct out otherwise would decode as garbage: the lengths tell.
  if (infos.encodedLength !== encoded.length) {
    throw new ChainError('CHAIN_DECODE_FAILED', `getSubnetNodesInfo returned ${encoded.length} bytes, of which the known SubnetNodeInfo layout reads ${infos.encodedLength}`,
      { fix: 'this runtime lays out SubnetNodeInfo differently: mesh needs updating for it' })
  }
  const text = (info: PeerInfoCodec): string => u8aToString(info.peerId.toU8a(true))
  const optional = (info: OptionCodec<PeerInfoCodec>): string | undefined => (info.isSome ? text(info.unwrap()) : undefined)
  return infos.map((info): SubnetNode => ({
    id: info.subnetNodeId.toNumber(),
    hotkey: info.hotkey.toString(),
    coldkey: info.coldkey.toString(),
    peerId: text(info.peerInfo),
    bootnodePeerId: optional(info.bootnodePeerInfo),
    clientPeerId: optional(info.clientPeerInfo),
    class: nodeClass(info.classification.nodeClass.type),
    classStartEpoch: info.classification.startEpoch.toNumber(),
    stake: info.stakeBalance.toBigInt(),
    reputation: reputationFrom(info.subnetNodeReputation.toBigInt().toString()),
  })).sort((a, b) => a.id - b.id)
}
