// Block production: what the chain does at the start of each block (the pallet's on_initialize).
// At a subnet's slot block: settle the previous epoch, remove nodes under the minimum reputation,
// let queued nodes in, and elect the epoch's validator.
import type { CallEvent } from './calls.js'
import { drawValidator } from './election.js'
import { settleEpoch } from './settlement.js'
import { nodesOf, subnetEpoch, type ChainState, type SubnetRecord } from './state.js'

export function produceBlock(state: ChainState): CallEvent[] {
  state.block += 1
  const events: CallEvent[] = []
  releaseUnbondings(state)
  for (const subnet of Object.values(state.subnets).sort((a, b) => a.id - b.id)) {
    if (subnet.state !== 'Active') continue
    const since = state.block - subnet.slot
    if (since < 0 || since % state.params.epochLength !== 0) continue
    const epoch = subnetEpoch(state, subnet)
    if (epoch >= 1) events.push(...settleEpoch(state, subnet, epoch))
    events.push(...removeDisreputable(state, subnet))
    events.push(...activateQueue(state, subnet, epoch))
    const elected = drawValidator(state, subnet, epoch)
    if (elected !== undefined) subnet.elected[String(epoch)] = elected
    events.push({ name: 'Epoch', fields: { subnet: subnet.id, epoch, block: state.block, elected: elected ?? null } })
    prune(state, subnet, epoch)
  }
  return events
}

function releaseUnbondings(state: ChainState): void {
  const due = state.unbondings.filter((u) => u.unlockBlock <= state.block)
  if (due.length === 0) return
  state.unbondings = state.unbondings.filter((u) => u.unlockBlock > state.block)
  for (const u of due) state.balances[u.coldkey] = (state.balances[u.coldkey] ?? 0n) + u.amount
}

function removeDisreputable(state: ChainState, subnet: SubnetRecord): CallEvent[] {
  const events: CallEvent[] = []
  for (const node of nodesOf(subnet)) {
    if (node.reputation >= state.params.minNodeReputation) continue
    delete subnet.nodes[String(node.id)]
    subnet.queue = subnet.queue.filter((id) => id !== node.id)
    events.push({ name: 'SubnetNodeRemoved', fields: { subnet: subnet.id, node: node.id, reputation: node.reputation } })
  }
  return events
}

function activateQueue(state: ChainState, subnet: SubnetRecord, epoch: number): CallEvent[] {
  const events: CallEvent[] = []
  for (const id of [...subnet.queue]) {
    if (events.length >= state.params.churnLimit) break
    const node = subnet.nodes[String(id)]
    if (node === undefined || node.classStartEpoch + state.params.queueEpochs > epoch) continue
    node.class = 'Idle'
    node.classStartEpoch = epoch
    subnet.queue = subnet.queue.filter((q) => q !== id)
    events.push({ name: 'SubnetNodeActivated', fields: { subnet: subnet.id, node: id } })
  }
  return events
}

function prune(state: ChainState, subnet: SubnetRecord, epoch: number): void {
  const oldest = epoch - state.params.historyEpochs
  for (const key of Object.keys(subnet.elected)) if (Number(key) < oldest) delete subnet.elected[key]
  for (const key of Object.keys(subnet.submissions)) if (Number(key) < oldest) delete subnet.submissions[key]
}
