// Which generation of the Hypertensor network pallet a runtime carries, told from its metadata,
// and the check that refuses a call the runtime lacks before anything is signed or sent.
//
// - `hoskinson`: the public testnet's runtime (the spec in ../shared/hypertensor): nodes stake with
//   `addStake`/`removeStake`, `registerSubnetNode` takes the hotkey, `attest` the subnet id alone.
// - `validator-entity`: the pallet's source after June 2026 (hayotensor/hypertensor-blockchain main):
//   a validator entity (`registerValidator`), nodes registered by validator id, `addNodeStake` /
//   `removeNodeStake`, `attest` taking the subnet node id. mesh builds its calls from the source
//   (generation-calls.ts); no runnable copy of this runtime exists to test against. What mesh
//   cannot do there is refused before sending, naming the missing call, storage or runtime API.
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
  if (calls?.[call] === undefined) throw missing(api, `network.${call}`, what)
}

/** Refuses a read of storage `network.<item>` this runtime does not have. */
export function requireStorage(api: ApiPromise, item: string, what: string): void {
  const items = api.query.network as Record<string, unknown> | undefined
  if (items?.[item] === undefined) throw missing(api, `storage network.${item}`, what)
}

/** Refuses a call of runtime API `NetworkRuntimeApi.<method>` (camelCased) this runtime does not have. */
export function requireRuntimeApi(api: ApiPromise, method: string, what: string): void {
  const methods = (api.call as Record<string, Record<string, unknown> | undefined>).networkRuntimeApi
  if (methods?.[method] === undefined) throw missing(api, `runtime API NetworkRuntimeApi.${method}`, what)
}

function missing(api: ApiPromise, name: string, what: string): ChainError {
  const generation = runtimeGeneration(api)
  return new ChainError('CHAIN_CALL_MISSING', `${what} needs ${name}, which this runtime (${api.runtimeVersion.specName.toString()} ` +
    `spec ${api.runtimeVersion.specVersion.toString()}, generation ${generation}) does not have`, {
    fix: generation === 'validator-entity'
      ? 'this runtime is the validator-entity generation (June 2026 and later), which mesh speaks only in part (README, "Runtime generations")'
      : 'check that --rpc points at a Hypertensor node',
  })
}
