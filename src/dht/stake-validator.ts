// Who may write records (PROTOCOL.md, "Who plays, and which records count"): only a registered
// node's OWN peer id, with the class and stake proof of stake asks for. Proof of stake also admits
// a node's bootnode and client peer ids (right for RPC: clients call inference with their client
// peer id), which would give one registration three votes; so this check reads the chain's node
// list (members.ts: read once per block and shared with routing), not the chain's proofOfStake, and
// judges the one node it names with proof of stake's own rule (chain.ts, stakeShortfall). Storing nodes
// run it on every record they are sent and readers again on every record they receive. A record of
// the epoch game names its epoch in its key, and counts the class its writer held then (chain.ts,
// classIn): a node activated in epoch e was queued in e-1 and writes no record of it (a storing
// node's block of phase slack still admits some at e's first block), while a node graduated in e
// keeps its records of e-1, which readers score in e. A heartbeat names no epoch: the class as
// listed counts. Published
// audit failures are evidence a gateway found, not a vote: a node's client peer id writes those too
// (they count only once the nodes themselves confirm them, src/consensus/audits.ts).
import { atLeast, classIn, stakeShortfall, type NodeClass } from '../chain/chain.js'
import { RecordRefused } from './errors.js'
import { parseKey } from './keys.js'
import type { SubnetMembers } from './members.js'
import type { RecordValidator } from './validation.js'

export function stakeValidator(components: { members: Pick<SubnetMembers, 'membership'> }, init: { minClass?: NodeClass } = {}): RecordValidator {
  const minClass = init.minClass ?? 'Registered'
  return {
    name: 'stake',
    priority: 10,
    onRead: true,
    async validate(record, context) {
      const writer = record.subkey
      const found = await components.members.membership(writer)
      if (found === null) {
        throw new RecordRefused('DHT_NOT_STAKED', `cannot check ${writer}: the chain's node list of subnet ${context.subnetId} has not been read yet (is the chain reachable?)`)
      }
      if (found.as === 'none') throw new RecordRefused('DHT_NOT_STAKED', `${writer} is not a registered node of subnet ${context.subnetId}`)
      const parsed = parseKey(record.key)
      const clientMayWrite = found.as === 'client' && parsed?.kind === 'hoster-audit'
      if (found.as !== 'node' && !clientMayWrite) {
        throw new RecordRefused('DHT_NOT_OWN_PEER_ID',
          `${writer} is the ${found.as} peer id of node ${found.node.id}: only a node's own peer id (${found.node.peerId}) writes records`)
      }
      const { node, minStake } = found
      // As proof of stake (chain.ts), but of this one node, with the class it held in the record's epoch where its key names one.
      const epoch = parsed === null || parsed.kind === 'heartbeat' ? undefined : parsed.epoch
      const held = epoch === undefined ? node.class : classIn(node, epoch)
      const shortfall = stakeShortfall({ ...node, class: held }, { minClass, minStake })
      if (shortfall === 'class') {
        const least = atLeast(minClass, 'Idle') ? minClass : 'Idle'
        throw new RecordRefused('DHT_NOT_STAKED', held === node.class
          ? `node ${node.id} (${writer}) is of class ${node.class}, below ${least}`
          : `node ${node.id} (${writer}) was of class ${held} in epoch ${epoch} (${node.class} from epoch ${node.classStartEpoch}), below ${least}`)
      }
      if (shortfall === 'stake') {
        throw new RecordRefused('DHT_NOT_STAKED', `node ${node.id} (${writer}) has stake ${node.stake}, below the subnet's minimum of ${minStake}`)
      }
    },
  }
}
