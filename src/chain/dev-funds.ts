// Funding fresh accounts on the real runtime from its dev genesis accounts (Alith, Baltathar,
// Charleth, Dorothy): what `mesh devnet --runtime hypertensor` and the real-runtime tests do
// before they register a subnet.
import { DEV_ACCOUNTS, type KeyringPair, accountFromSecret } from './accounts.js'
import { TOKEN } from './chain.js'
import type { SubstrateChain } from './substrate.js'

/**
 * What each fresh pair gets: the coldkey a node's stake (5 × 100) and its registration burn, with
 * room; the hotkey its fees before consensus calls refund them.
 */
export const PAIR_FUNDS = { coldkey: 1000n * TOKEN, hotkey: 10n * TOKEN }
/** Delegated by a subnet's owner: the runtime shares emissions among subnets by delegate stake, so without it no node is paid. */
export const DELEGATE_STAKE = 1000n * TOKEN

/** Runs the jobs of each signer one after another (their nonces follow) and the signers in parallel. */
async function bySigner<T>(jobs: { signer: number; run: () => Promise<T> }[]): Promise<T[]> {
  const results: T[] = new Array(jobs.length)
  const lanes = new Map<number, number[]>()
  jobs.forEach((job, i) => lanes.set(job.signer, [...(lanes.get(job.signer) ?? []), i]))
  await Promise.all([...lanes.values()].map(async (indexes) => {
    for (const i of indexes) results[i] = await jobs[i]!.run()
  }))
  return results
}

/** A view per dev account, signing as it (coldkey and hotkey); the first is Alith, the sudo account. */
export async function devAccountViews(root: SubstrateChain): Promise<SubstrateChain[]> {
  const keys = await Promise.all(Object.values(DEV_ACCOUNTS).map((secret) => accountFromSecret(secret)))
  return keys.map((key) => root.withKeys({ coldkey: key, hotkey: key }))
}

/**
 * Funds each coldkey from the dev accounts (in turn) and each hotkey from its coldkey (a hotkey
 * pays fees before consensus calls refund them); returns a view per pair, signing as its keys.
 */
export async function fundPairs(root: SubstrateChain, funders: SubstrateChain[], pairs: Array<{ coldkey: KeyringPair; hotkey: KeyringPair }>,
  amounts: { coldkey: bigint; hotkey: bigint }): Promise<SubstrateChain[]> {
  await bySigner(pairs.map(({ coldkey }, i) => ({
    signer: i % funders.length,
    run: () => funders[i % funders.length]!.transfer(coldkey.address, amounts.coldkey),
  })))
  const views = pairs.map((pair) => root.withKeys(pair))
  await Promise.all(views.map((view, i) => view.transfer(pairs[i]!.hotkey.address, amounts.hotkey)))
  return views
}
