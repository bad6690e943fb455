// The one place that picks a Chain implementation from the options a command or node was given.
import type { KeyringPair } from '@polkadot/keyring/types'
import type { Chain } from './chain.js'
import { ChainError } from './errors.js'
import { LocalChainClient } from './local/client.js'
import { LocalChain } from './local/local-chain.js'
import type { LocalChainRuntime } from './local/runtime.js'
import { SubstrateChain } from './substrate.js'

export interface ConnectOptions {
  /** ws://host:port of a Hypertensor node: the real chain. */
  rpc?: string
  /** ws://host:port of a local chain server (`mesh chain local`). */
  localChain?: string
  /** An in-process local chain (tests, and single-process setups). */
  runtime?: LocalChainRuntime
  hotkey?: KeyringPair
  coldkey?: KeyringPair
  /** How long a call may wait for the chain before failing with CHAIN_UNREACHABLE. */
  timeoutMs?: number
}

export async function connectChain(options: ConnectOptions): Promise<Chain> {
  const account = {
    ...(options.hotkey === undefined ? {} : { hotkey: options.hotkey }),
    ...(options.coldkey === undefined ? {} : { coldkey: options.coldkey }),
  }
  if ([options.rpc, options.localChain, options.runtime].filter((o) => o !== undefined).length > 1) {
    throw new ChainError('CHAIN_AMBIGUOUS', 'more than one chain to connect to', { fix: 'pass either --rpc or --local_chain, not both' })
  }
  if (options.rpc !== undefined) {
    return SubstrateChain.connect({
      url: options.rpc, ...account,
      ...(options.timeoutMs === undefined ? {} : { connectTimeoutMs: options.timeoutMs, retryWindowMs: options.timeoutMs, requestTimeoutMs: options.timeoutMs }),
    })
  }
  if (options.runtime !== undefined) return new LocalChain(options.runtime, account)
  if (options.localChain !== undefined) {
    if (!/^wss?:\/\/[^\s/]+/.test(options.localChain)) {
      throw new ChainError('CHAIN_BAD_URL', `${options.localChain} is not a WebSocket URL`, { fix: 'write it as ws://host:port, e.g. ws://127.0.0.1:9944' })
    }
    return LocalChainClient.connect({ url: options.localChain, ...account, ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }) })
  }
  throw new ChainError('CHAIN_NOT_CONFIGURED', 'no chain to connect to', {
    fix: 'pass --rpc ws://host:port for a Hypertensor node, or --local_chain ws://127.0.0.1:9944 (start one with `mesh chain local`)',
  })
}
