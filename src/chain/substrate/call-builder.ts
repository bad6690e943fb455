// Builds a network pallet extrinsic from values named as the runtime's metadata names the call's
// arguments (polkadot.js camelCases the pallet's snake_case names), so that one description of what
// mesh sends serves each runtime generation, in the runtime's own argument order. What does not fit
// is refused before anything is signed:
// - a call the runtime lacks (CHAIN_CALL_MISSING, from requireCall);
// - an argument the runtime requires and mesh has no value for (CHAIN_CALL_ARGS): an optional one
//   (`Option<…>`) is sent empty instead;
// - a value mesh means to send under a name the runtime's call does not take (CHAIN_CALL_ARGS), so
//   that nothing mesh means is dropped silently.
// `ifAsked` holds values sent only where the runtime's call has the argument (a slippage bound one
// commit of the pallet added, say).
import type { ApiPromise } from '@polkadot/api'
import type { SubmittableExtrinsic } from '@polkadot/api/types'
import { ChainError } from '../errors.js'
import { requireCall } from './generation.js'

/** What mesh sends as one network call: its name as polkadot.js spells it, and its argument values by name. */
export interface CallPlan {
  call: string
  values: Record<string, unknown>
  ifAsked?: Record<string, unknown>
}

/** One argument as the metadata describes it: `name` camelCased, `type` as written (e.g. `Option<u32>`). */
interface ArgDescription {
  name: { toString(): string }
  type: { toString(): string }
}

/** A call function of `api.tx.network`: callable, with its metadata. */
export interface CallFunction {
  (...args: unknown[]): SubmittableExtrinsic<'promise'>
  meta: { args: readonly ArgDescription[] }
}

/** The runtime's argument names of `call`, in order; undefined when the runtime lacks the call. */
export function callArgNames(api: ApiPromise, call: string): string[] | undefined {
  return networkCall(api, call)?.meta.args.map(({ name }) => name.toString())
}

/** The extrinsic `plan` describes, its arguments in the runtime's order; refused (ChainError) as above. */
export function buildCall(api: ApiPromise, plan: CallPlan, what: string): SubmittableExtrinsic<'promise'> {
  requireCall(api, plan.call, what)
  const call = networkCall(api, plan.call)!
  const args = call.meta.args.map(({ name, type }) => ({ name: name.toString(), optional: type.toString().startsWith('Option<') }))
  const taken = new Set(args.map(({ name }) => name))
  const unknown = Object.keys(plan.values).filter((name) => !taken.has(name))
  if (unknown.length > 0) {
    throw new ChainError('CHAIN_CALL_ARGS', `${what}: network.${plan.call} on this runtime takes (${[...taken].join(', ')}), ` +
      `not ${unknown.join(', ')}`, { fix: 'this runtime lays the call out otherwise than mesh knows it: mesh needs updating for it' })
  }
  return call(...args.map(({ name, optional }) => {
    const value = plan.values[name] ?? plan.ifAsked?.[name]
    if (value !== undefined) return value
    if (optional) return null
    throw new ChainError('CHAIN_CALL_ARGS', `${what}: network.${plan.call} on this runtime requires ${name}, which mesh has no value for`,
      { fix: 'this runtime lays the call out otherwise than mesh knows it: mesh needs updating for it' })
  }))
}

function networkCall(api: ApiPromise, call: string): CallFunction | undefined {
  return (api.tx.network as unknown as Record<string, CallFunction | undefined> | undefined)?.[call]
}
