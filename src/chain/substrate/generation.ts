// Which generation of the Hypertensor network pallet a runtime carries, told from its metadata,
// and the check that refuses a call the runtime lacks before anything is signed or sent.
//
// - `hoskinson`: the public testnet's runtime (the spec in ../shared/hypertensor): nodes stake with
//   `addStake`/`removeStake`, `registerSubnetNode` takes the hotkey, `attest` the subnet id alone.
// - `validator-entity`: the pallet's source after June 2026 (hayotensor/hypertensor-blockchain main):
//   a validator entity (`registerValidator`), nodes registered by validator id, `addNodeStake` /
//   `removeNodeStake`, `proposeAttestation`/`attest` taking the subnet node id. No runnable copy of
//   this runtime exists to test against: mesh detects it and refuses, naming the call, whatever it
//   cannot send there.
import type { ApiPromise } from '@polkadot/api'
import { ChainError } from '../errors.js'

export type RuntimeGeneration = 'hoskinson' | 'validator-entity' | 'unknown'

export function runtimeGeneration(api: ApiPromise): RuntimeGeneration {
  const calls = api.tx.network as Record<string, unknown> | undefined
  if (calls === undefined) return 'unknown'
  if (calls.registerValidator !== undefined && calls.addNodeStake !== undefined) return 'validator-entity'
  if (calls.addStake !== undefined && calls.registerSubnetNode !== undefined) return 'hoskinson'
  return 'unknown'
}

/** Refuses, before sending, a call this runtime does not have, naming it and the runtime's generation. */
export function requireCall(api: ApiPromise, call: string, what: string): void {
  const calls = api.tx.network as Record<string, unknown> | undefined
  if (calls?.[call] !== undefined) return
  const generation = runtimeGeneration(api)
  throw new ChainError('CHAIN_CALL_MISSING', `${what} needs network.${call}, which this runtime (${api.runtimeVersion.specName.toString()} ` +
    `spec ${api.runtimeVersion.specVersion.toString()}, generation ${generation}) does not have`, {
    fix: generation === 'validator-entity'
      ? 'this runtime is the validator-entity generation (June 2026 and later): mesh does not send this call there yet'
      : 'check that --rpc points at a Hypertensor node',
  })
}
