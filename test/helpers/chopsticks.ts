// The real Hypertensor runtime for tests: src/chain/chopsticks.ts started from the public testnet's
// raw chain spec. The spec is test data outside the project (../shared/hypertensor, or
// $MESH_HYPERTENSOR_DIR); without it the suites that need it are skipped with the reason.
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { xxhashAsHex } from '@polkadot/util-crypto'
import { type Chopsticks, type ChopsticksOptions, startChopsticks as startFromSpec } from '../../src/chain/chopsticks.js'

export type { Chopsticks }

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url))

/**
 * The repository's main checkout: REPO_ROOT itself, or for a git worktree (whose `.git` is a file
 * naming `<main>/.git/worktrees/<name>`) the checkout it was made from.
 */
function mainCheckout(): string {
  try {
    const gitdir = /^gitdir: (.+)$/m.exec(readFileSync(join(REPO_ROOT, '.git'), 'utf8'))?.[1]
    if (gitdir !== undefined) return dirname(dirname(dirname(resolve(REPO_ROOT, gitdir.trim()))))
  } catch {
    // `.git` is a folder (or absent): this is the main checkout.
  }
  return REPO_ROOT
}

/** $MESH_HYPERTENSOR_DIR, else ../shared/hypertensor beside the checkout (a worktree's main one too). */
const HYPERTENSOR_DIR = process.env.MESH_HYPERTENSOR_DIR ??
  [REPO_ROOT, mainCheckout()].map((root) => resolve(root, '../shared/hypertensor')).find((dir) => existsSync(dir)) ??
  resolve(REPO_ROOT, '../shared/hypertensor')
export const HYPERTENSOR_SPEC = join(HYPERTENSOR_DIR, 'hoskinsonSpecRaw.json')

/** Why the real-runtime tests cannot run here, or undefined when they can. */
export function chopsticksSkipReason(): string | undefined {
  return existsSync(HYPERTENSOR_SPEC)
    ? undefined
    : `the Hypertensor runtime spec ${HYPERTENSOR_SPEC} is absent (set MESH_HYPERTENSOR_DIR to the folder holding hoskinsonSpecRaw.json)`
}

/** chopsticks from the testnet spec ('Batch' mode unless told). */
export function startChopsticks(options: Omit<ChopsticksOptions, 'spec'> = {}): Promise<Chopsticks> {
  return startFromSpec({ spec: HYPERTENSOR_SPEC, ...options })
}

/** The key of a plain storage value: twox128(pallet) ++ twox128(item). */
export function storageKey(pallet: string, item: string): string {
  return `${xxhashAsHex(pallet, 128)}${xxhashAsHex(item, 128).slice(2)}`
}
