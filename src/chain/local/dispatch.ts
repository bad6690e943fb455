// The signed calls as data ({method, args}), which key signs each, and their dispatch to the
// extrinsics. The in-process chain and the server both go through here.
import type { ConsensusEntry, RegisterNodeParams, RegisterSubnetParams } from '../chain.js'
import * as calls from './calls.js'
import type { ChainState } from './state.js'

export type WriteCall =
  | { method: 'proposeAttestation'; args: [subnetId: number, data: ConsensusEntry[], args?: Uint8Array] }
  | { method: 'attest'; args: [subnetId: number] }
  | { method: 'registerSubnet'; args: [params: RegisterSubnetParams] }
  | { method: 'activateSubnet'; args: [subnetId: number] }
  | { method: 'registerSubnetNode'; args: [params: RegisterNodeParams] }
  | { method: 'addStake'; args: [subnetId: number, nodeId: number, hotkey: string, amount: bigint] }
  | { method: 'removeStake'; args: [subnetId: number, hotkey: string, amount: bigint] }

export type WriteMethod = WriteCall['method']

/** The key that signs each call on the real chain: consensus by the hotkey, money by the coldkey. */
export const SIGNER_OF: Record<WriteMethod, 'hotkey' | 'coldkey'> = {
  proposeAttestation: 'hotkey',
  attest: 'hotkey',
  registerSubnet: 'coldkey',
  activateSubnet: 'coldkey',
  registerSubnetNode: 'coldkey',
  addStake: 'coldkey',
  removeStake: 'coldkey',
}

export interface Dispatched {
  /** The new subnet or node id for registrations. */
  value?: number
  event: calls.CallEvent
}

export function dispatch(state: ChainState, origin: string, call: WriteCall): Dispatched {
  switch (call.method) {
    case 'proposeAttestation': return { event: calls.proposeAttestation(state, origin, ...call.args) }
    case 'attest': return { event: calls.attest(state, origin, ...call.args) }
    case 'registerSubnet': {
      const { subnetId, event } = calls.registerSubnet(state, origin, ...call.args)
      return { value: subnetId, event }
    }
    case 'activateSubnet': return { event: calls.activateSubnet(state, origin, ...call.args) }
    case 'registerSubnetNode': {
      const { nodeId, event } = calls.registerSubnetNode(state, origin, ...call.args)
      return { value: nodeId, event }
    }
    case 'addStake': return { event: calls.addStake(state, origin, ...call.args) }
    case 'removeStake': return { event: calls.removeStake(state, origin, ...call.args) }
  }
}
