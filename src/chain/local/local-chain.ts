// LocalChain: the Chain interface over an in-process LocalChainRuntime, bound to an account.
// Writes are made as the bound hotkey or coldkey (the key the real chain wants for each call).
import type { KeyringPair } from '@polkadot/keyring/types'
import type {
  Chain, ConsensusEntry, ConsensusSubmission, EpochInfo, NodeClass, RegisterNodeParams, RegisterSubnetParams,
  SubnetInfo, SubnetNode, TxReceipt, Unsubscribe,
} from '../chain.js'
import { ChainError } from '../errors.js'
import { normalizeAddress } from './address.js'
import { SIGNER_OF, type WriteCall, type WriteMethod } from './dispatch.js'
import * as queries from './queries.js'
import type { ExecuteResult, LocalChainRuntime } from './runtime.js'

/** An account to bind a view to: a key pair (as the client needs, to sign) or just its address. */
export type AccountRef = KeyringPair | string

export interface ChainAccount {
  hotkey?: AccountRef
  coldkey?: AccountRef
}

function addressOf(account: AccountRef | undefined): string | undefined {
  if (account === undefined) return undefined
  return normalizeAddress(typeof account === 'string' ? account : account.address)
}

export function noSigner(key: 'hotkey' | 'coldkey', method: string): ChainError {
  return new ChainError('CHAIN_NO_SIGNER', `${method} must be signed by a ${key}, and none is loaded`, {
    fix: `pass --${key}-file <file> or set MESH_${key.toUpperCase()}`,
  })
}

/**
 * Fault injection, for tests only: what becomes of a write sent through one LocalChain view. Each
 * fault is what a real endpoint can do to a transaction, seen by the caller as the real chain
 * client shows it.
 */
export interface LocalChainFaults {
  /** Asked once per consensus write (propose, attest); undefined lets it through untouched. */
  writeFault(method: WriteMethod, signer: string): WriteFault | undefined
}

export type WriteFault =
  /** The transaction is lost before any block includes it: the caller sees CHAIN_TX_TIMEOUT after `afterMs`. */
  | { kind: 'lost'; afterMs: number }
  /** The transaction is included at once, and the news of it held back until `release` resolves. */
  | { kind: 'held'; release: Promise<void> }

export class LocalChain implements Chain {
  readonly hotkey?: string
  readonly coldkey?: string
  private readonly unsubscribers = new Set<Unsubscribe>()

  constructor(private readonly runtime: LocalChainRuntime, account: ChainAccount = {}, private readonly faults?: LocalChainFaults) {
    this.hotkey = addressOf(account.hotkey)
    this.coldkey = addressOf(account.coldkey)
  }

  get blockTimeMs(): number {
    return this.runtime.params.blockTimeMs
  }

  async epochLength(): Promise<number> {
    return this.runtime.params.epochLength
  }

  async blockNumber(): Promise<number> {
    return this.runtime.block
  }

  async epochInfo(subnetId: number): Promise<EpochInfo> {
    return queries.epochInfo(this.runtime.snapshot(), subnetId)
  }

  async subnet(subnetId: number): Promise<SubnetInfo | null> {
    return queries.subnetInfo(this.runtime.snapshot(), subnetId)
  }

  async subnetNodes(subnetId: number): Promise<SubnetNode[]> {
    return queries.subnetNodes(this.runtime.snapshot(), subnetId)
  }

  async nodeIdOf(subnetId: number, hotkey: string): Promise<number | null> {
    return queries.nodeIdOf(this.runtime.snapshot(), subnetId, normalizeAddress(hotkey, 'hotkey'))
  }

  async proofOfStake(subnetId: number, peerId: string, minClass: NodeClass = 'Registered'): Promise<boolean> {
    return queries.proofOfStake(this.runtime.snapshot(), subnetId, peerId, minClass)
  }

  async electedValidator(subnetId: number, epoch: number): Promise<number | null> {
    return queries.electedValidator(this.runtime.snapshot(), subnetId, epoch)
  }

  async consensusSubmission(subnetId: number, epoch: number): Promise<ConsensusSubmission | null> {
    return queries.consensusSubmission(this.runtime.snapshot(), subnetId, epoch)
  }

  async blockHash(height: number): Promise<Uint8Array> {
    return queries.blockHash(this.runtime.snapshot(), height)
  }

  async proposeAttestation(subnetId: number, data: ConsensusEntry[], args?: Uint8Array): Promise<TxReceipt> {
    return receipt(await this.faultyWrite({ method: 'proposeAttestation', args: args === undefined ? [subnetId, data] : [subnetId, data, args] }))
  }

  async attest(subnetId: number): Promise<TxReceipt> {
    return receipt(await this.faultyWrite({ method: 'attest', args: [subnetId] }))
  }

  async registerSubnet(params: RegisterSubnetParams): Promise<number> {
    return this.write({ method: 'registerSubnet', args: [params] }).value!
  }

  async activateSubnet(subnetId: number): Promise<TxReceipt> {
    return receipt(this.write({ method: 'activateSubnet', args: [subnetId] }))
  }

  async registerSubnetNode(params: RegisterNodeParams): Promise<number> {
    return this.write({ method: 'registerSubnetNode', args: [params] }).value!
  }

  async addStake(subnetId: number, nodeId: number, hotkey: string, amount: bigint): Promise<TxReceipt> {
    return receipt(this.write({ method: 'addStake', args: [subnetId, nodeId, hotkey, amount] }))
  }

  async removeStake(subnetId: number, amount: bigint): Promise<TxReceipt> {
    if (this.hotkey === undefined) throw noSigner('hotkey', 'removeStake')
    return receipt(this.write({ method: 'removeStake', args: [subnetId, this.hotkey, amount] }))
  }

  async subscribeBlocks(onBlock: (block: number) => void): Promise<Unsubscribe> {
    const off = this.runtime.onBlock(onBlock)
    const unsubscribe = (): void => {
      off()
      this.unsubscribers.delete(unsubscribe)
    }
    this.unsubscribers.add(unsubscribe)
    return unsubscribe
  }

  /** Ends this view's subscriptions; the runtime keeps running for its other views. */
  async close(): Promise<void> {
    for (const unsubscribe of [...this.unsubscribers]) unsubscribe()
  }

  /** A write through the injected faults, if any (the consensus transactions: propose, attest). */
  private async faultyWrite(call: WriteCall): Promise<ExecuteResult> {
    const fault = this.faults?.writeFault(call.method, this.hotkey ?? this.coldkey ?? '')
    if (fault?.kind === 'lost') {
      await new Promise((resolve) => setTimeout(resolve, fault.afterMs))
      throw new ChainError('CHAIN_TX_TIMEOUT', `${call.method} was not included in a block within ${fault.afterMs / 1000} s`, {
        fix: 'check that the chain is producing blocks',
      })
    }
    const result = this.write(call)
    if (fault?.kind === 'held') await fault.release
    return result
  }

  private write(call: WriteCall): ExecuteResult {
    const key = SIGNER_OF[call.method]
    const origin = key === 'hotkey' ? this.hotkey : this.coldkey
    if (origin === undefined) throw noSigner(key, call.method)
    return this.runtime.execute(origin, call)
  }
}

function receipt(result: ExecuteResult): TxReceipt {
  return { block: result.block }
}
