// Turns the runtime's errors into readable ChainErrors: `network.InvalidValidator: Not epoch
// validator`, the code being the pallet error's name and the meaning its docs in the metadata.
import type { ApiPromise } from '@polkadot/api'
import type { DispatchError } from '@polkadot/types/interfaces'
import { ChainError } from '../errors.js'

/** "InvalidSubnetMinStake" → "invalid subnet min stake", for errors the runtime left undocumented. */
function spellOut(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase()
}

function palletChainError(section: string, name: string, docs: string[], context: string): ChainError {
  const code = `${section}.${name}`
  const meaning = docs.join(' ').trim() || spellOut(name)
  return new ChainError(code, `${code}: ${meaning} (${context})`)
}

/** The error a failed extrinsic reports in its `ExtrinsicFailed` event. */
export function dispatchChainError(api: ApiPromise, error: DispatchError, context: string): ChainError {
  if (error.isModule) {
    const meta = api.registry.findMetaError(error.asModule)
    return palletChainError(meta.section, meta.name, meta.docs, context)
  }
  // Not a pallet error: BadOrigin, Token(FundsUnavailable), Arithmetic(Overflow) and so on.
  const kind = error.type
  const detail = (error.value as { type?: string } | undefined)?.type
  const name = detail === undefined ? kind : `${kind}.${detail}`
  return new ChainError(`dispatch.${name}`, `dispatch.${name}: ${spellOut(detail ?? kind)} (${context})`)
}

/**
 * A pallet error by name, worded exactly as the runtime would report it, for conditions mesh
 * detects before sending (e.g. a read of a subnet that does not exist).
 */
export function palletError(api: ApiPromise, section: string, name: string, context: string): ChainError {
  const pallet = api.runtimeMetadata.asLatest.pallets.find((p) => p.name.toString().toLowerCase() === section.toLowerCase())
  const variants = pallet?.errors.isSome ? api.registry.lookup.getSiType(pallet.errors.unwrap().type).def.asVariant.variants : []
  const variant = variants.find((v) => v.name.toString() === name)
  return palletChainError(section, name, variant?.docs.map((d) => d.toString()) ?? [], context)
}
