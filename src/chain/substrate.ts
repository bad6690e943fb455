// SubstrateChain: the Chain interface against the real Hypertensor runtime, over @polkadot/api.
// Reads go to storage and runtime APIs (never the node's custom `network_*` RPC, which chopsticks
// and many public endpoints do not serve); writes are signed with Ethereum-style keys and wait for
// inclusion. See ../shared/hypertensor/README.md for the calls and their argument shapes.
import type { ApiPromise } from '@polkadot/api'
import type { SubmittableExtrinsic } from '@polkadot/api/types'
import type { Option, bool, u32 } from '@polkadot/types'
import type { AccountInfo } from '@polkadot/types/interfaces'
import type { Codec } from '@polkadot/types/types'
import { hexToU8a, stringToHex, u8aToHex } from '@polkadot/util'
import { logger } from '../log.js'
import type { KeyringPair } from './accounts.js'
import {
  type BlockHead, type Chain, type ConsensusEntry, type EpochRewards, type ConsensusSubmission, type EpochInfo, type NodeClass, type RegisterNodeParams,
  type RegisterSubnetParams, type SubnetInfo, type SubnetNode, type TxReceipt, type Unsubscribe, TOKEN, classRank,
  epochAt,
} from './chain.js'
import type { ChainCalls } from './calls.js'
import { ChainError } from './errors.js'
import { formatTokens } from './tokens.js'
import { ChainConnection, type ConnectionOptions } from './substrate/connection.js'
import {
  type ElectedValue, type SubmissionValue, type SubnetDataValue, attestableNodeIds, electedNodeId, primitive, submissionFrom, subnetState,
} from './substrate/decode.js'
import { type CallPlan, buildCall, callArgNames } from './substrate/call-builder.js'
import {
  addDelegateStakePlan, attestPlan, nodeStakePlan, proposePlan, refuseUnsupported, registerNodePlan, registerValidatorPlan,
  removeDelegateStakePlan,
} from './substrate/generation-calls.js'
import { palletError } from './substrate/dispatch-error.js'
import { SUBNET_NODES_INFO, nodesFromInfo } from './substrate/node-info.js'
import { type RuntimeGeneration, requireRuntimeApi, requireStorage, runtimeGeneration } from './substrate/generation.js'
import { bootnodeMap } from './substrate/peer-info.js'
import { Nonces } from './substrate/nonces.js'
import { type Inclusion, type SubmitOptions, submit } from './substrate/submit.js'

const log = logger('chain:substrate')

export interface ChainKeys {
  /** Signs propose and attest: the node's operating key. */
  hotkey?: KeyringPair
  /** Signs registration, activation, stake and transfers: the key holding the funds. */
  coldkey?: KeyringPair
}

export interface SubstrateChainOptions extends ConnectionOptions, ChainKeys {
  /** A write not included in a block by then fails with CHAIN_TX_TIMEOUT. Default 60 s. */
  inclusionTimeoutMs?: number
  /** The most `registerSubnet` may pay for registration. Default 10,000 tokens. */
  maxSubnetCost?: bigint
  /** The most `registerSubnetNode` may burn on registration. Default 10 tokens. */
  maxNodeBurn?: bigint
  /**
   * Sign transactions without a mortal era. Default false: a mortal era keeps a signed
   * transaction from being replayed after it lapses. Chopsticks started from a genesis spec
   * refuses some mortal-era signatures as BadProof (seen here near its first blocks), so the
   * tests against it set this.
   */
  immortal?: boolean
}

interface Settings extends SubmitOptions {
  maxSubnetCost: bigint
  maxNodeBurn: bigint
}

/** Share of subnet delegate stake rewards set at registration (10%, in 1e18 units). */
const DELEGATE_STAKE_PERCENTAGE = TOKEN / 10n

export class SubstrateChain implements Chain {
  readonly blockTimeMs: number
  readonly hotkey?: string
  readonly coldkey?: string
  readonly #connection: ChainConnection
  readonly #keys: ChainKeys
  readonly #settings: Settings
  readonly #ownsConnection: boolean
  /** Shared by all views of one connection, since views may sign with the same account. */
  readonly #nonces: Nonces
  readonly #subscriptions = new Set<Unsubscribe>()

  private constructor(connection: ChainConnection, keys: ChainKeys, settings: Settings, nonces: Nonces, ownsConnection: boolean) {
    this.#connection = connection
    this.#nonces = nonces
    this.#keys = keys
    this.#settings = settings
    this.#ownsConnection = ownsConnection
    this.hotkey = keys.hotkey?.address
    this.coldkey = keys.coldkey?.address
    this.blockTimeMs = blockTimeOf(connection.api)
  }

  /** Connects to `url`, or fails with CHAIN_UNREACHABLE within `connectTimeoutMs`. */
  static async connect(options: SubstrateChainOptions): Promise<SubstrateChain> {
    const connection = await ChainConnection.open(options)
    const settings: Settings = {
      inclusionTimeoutMs: options.inclusionTimeoutMs ?? 60_000,
      immortal: options.immortal ?? false,
      maxSubnetCost: options.maxSubnetCost ?? 10_000n * TOKEN,
      maxNodeBurn: options.maxNodeBurn ?? 10n * TOKEN,
    }
    const chain = new SubstrateChain(connection, { hotkey: options.hotkey, coldkey: options.coldkey }, settings, new Nonces(), true)
    log.info('connected to chain', { url: options.url, hotkey: chain.hotkey, blockTimeMs: chain.blockTimeMs, generation: chain.generation })
    if (chain.generation !== 'hoskinson') {
      log.warn('this runtime is not the testnet generation mesh is tested on: what mesh cannot do on it is refused before sending', { generation: chain.generation })
    }
    return chain
  }

  /** A view over the same connection that signs with other keys; closing it leaves the connection open. */
  withKeys(keys: ChainKeys): SubstrateChain {
    return new SubstrateChain(this.#connection, keys, this.#settings, this.#nonces, false)
  }

  get url(): string {
    return this.#connection.url
  }

  /** Every request this connection has sent, by kind. */
  get calls(): ChainCalls {
    return this.#connection.calls
  }

  async epochLength(): Promise<number> {
    return (this.#api.consts.network.epochLength as u32).toNumber()
  }

  async blockNumber(): Promise<number> {
    return this.#read('block number', async (api) => (await api.rpc.chain.getHeader()).number.toNumber())
  }

  async epochInfo(subnetId: number): Promise<EpochInfo> {
    const [block, slot, epochLength] = await Promise.all([this.blockNumber(), this.#slot(subnetId), this.epochLength()])
    return epochAt(block, slot, epochLength, this.blockTimeMs)
  }

  async subnet(subnetId: number): Promise<SubnetInfo | null> {
    return this.#read(`subnet ${subnetId}`, async (api) => {
      const q = api.query.network
      const [data, slot, minStake, maxStake] = await Promise.all([
        q.subnetsData(subnetId) as Promise<Option<Codec>>, q.subnetSlot(subnetId) as Promise<Option<u32>>,
        q.subnetMinStakeBalance(subnetId), q.subnetMaxStakeBalance(subnetId),
      ])
      if (data.isNone) return null
      const value = primitive<SubnetDataValue>(data.unwrap())
      return {
        id: subnetId,
        name: value.name,
        state: subnetState(value.state),
        slot: slot.isSome ? slot.unwrap().toNumber() : 0,
        minStake: BigInt(primitive<string | number>(minStake)),
        maxStake: BigInt(primitive<string | number>(maxStake)),
      }
    })
  }

  async subnetNodes(subnetId: number): Promise<SubnetNode[]> {
    return this.#nodes(subnetId)
  }

  /** The subnet's nodes as of block `hash`: one runtime call, so the list never mixes blocks. */
  async subnetNodesAt(subnetId: number, hash: string): Promise<SubnetNode[]> {
    return this.#nodes(subnetId, hash)
  }

  async #nodes(subnetId: number, at?: string): Promise<SubnetNode[]> {
    return this.#read(`nodes of subnet ${subnetId}`, async (api) => {
      requireRuntimeApi(api, 'getSubnetNodesInfo', `the nodes of subnet ${subnetId}`)
      const input = u8aToHex(api.createType('u32', subnetId).toU8a())
      const output = await this.#connection.request<string>('state_call', at === undefined ? [SUBNET_NODES_INFO, input] : [SUBNET_NODES_INFO, input, at])
      const nodes = nodesFromInfo(api, hexToU8a(output))
      // The runtime answers an unknown subnet with no nodes; only then is the subnet looked up.
      if (nodes.length === 0 && (await api.query.network.subnetsData(subnetId) as Option<Codec>).isNone) {
        throw palletError(api, 'network', 'InvalidSubnetId', `subnet ${subnetId}`)
      }
      return nodes
    })
  }

  async nodeIdOf(subnetId: number, hotkey: string): Promise<number | null> {
    if (this.generation === 'validator-entity') {
      const ids = await this.#validatorNodeIds(subnetId, hotkey)
      if (ids.length > 1) {
        throw new ChainError('CHAIN_NODE_AMBIGUOUS', `${hotkey} signs for ${ids.length} nodes of subnet ${subnetId} (${ids.join(', ')})`, {
          fix: 'give each node of a subnet its own hotkey (one mesh node per hotkey)',
        })
      }
      return ids[0] ?? null
    }
    return this.#read(`node id of ${hotkey}`, async (api) => {
      requireStorage(api, 'hotkeySubnetNodeId', `the node id of ${hotkey}`)
      const id = await api.query.network.hotkeySubnetNodeId(subnetId, hotkey) as Option<u32>
      return id.isSome ? id.unwrap().toNumber() : null
    })
  }

  /**
   * validator-entity: the nodes of subnet `subnetId` that `hotkey` signs for: those of the validator
   * whose hotkey it is (HotkeyValidatorId, ValidatorSubnetNodes) without a hotkey of their own
   * (SubnetNodeIdHotkey). A node registered with its own hotkey is found by its peer id instead.
   */
  async #validatorNodeIds(subnetId: number, hotkey: string): Promise<number[]> {
    return this.#read(`node ids of ${hotkey}`, async (api) => {
      for (const item of ['hotkeyValidatorId', 'validatorSubnetNodes', 'subnetNodeIdHotkey']) requireStorage(api, item, `the node ids of ${hotkey}`)
      const q = api.query.network
      const validatorId = await q.hotkeyValidatorId(hotkey) as Option<u32>
      if (validatorId.isNone) return []
      const bySubnet = primitive<Record<string, number[]>>(await q.validatorSubnetNodes(validatorId.unwrap()))
      const ids = bySubnet[String(subnetId)] ?? []
      const own = await Promise.all(ids.map(async (id) => (await q.subnetNodeIdHotkey(subnetId, id) as Option<Codec>).isNone))
      return ids.filter((_, i) => own[i]).sort((a, b) => a - b)
    })
  }

  /** validator-entity: the node registered with `peerId` (PeerIdSubnetNodeId, whose 0 means none). */
  async #nodeIdOfPeer(subnetId: number, peerId: string): Promise<number | null> {
    return this.#read(`node id of peer ${peerId}`, async (api) => {
      requireStorage(api, 'peerIdSubnetNodeId', `the node id of peer ${peerId}`)
      const id = (await api.query.network.peerIdSubnetNodeId(subnetId, stringToHex(peerId)) as u32).toNumber()
      return id === 0 ? null : id
    })
  }

  /** validator-entity: the validator id and hotkey of `coldkey` (ColdkeyValidatorId, ValidatorIdHotkey), or null. */
  async #validatorOf(coldkey: string): Promise<{ id: number; hotkey: string } | null> {
    return this.#read(`validator of ${coldkey}`, async (api) => {
      for (const item of ['coldkeyValidatorId', 'validatorIdHotkey']) requireStorage(api, item, `the validator of ${coldkey}`)
      const id = await api.query.network.coldkeyValidatorId(coldkey) as Option<u32>
      if (id.isNone) return null
      const hotkey = await api.query.network.validatorIdHotkey(id.unwrap()) as Option<Codec>
      return hotkey.isSome ? { id: id.unwrap().toNumber(), hotkey: hotkey.unwrap().toString() } : null
    })
  }

  async proofOfStake(subnetId: number, peerId: string, minClass: NodeClass = 'Registered'): Promise<boolean> {
    return this.#read(`proof of stake of ${peerId}`, async (api) => {
      requireRuntimeApi(api, 'proofOfStake', `the proof of stake of ${peerId}`)
      const proven = await api.call.networkRuntimeApi.proofOfStake(subnetId, stringToHex(peerId), classRank(minClass), null) as bool
      return proven.isTrue
    })
  }

  async electedValidator(subnetId: number, epoch: number): Promise<number | null> {
    return this.#read(`elected validator of epoch ${epoch}`, async (api) => {
      const elected = await api.query.network.subnetElectedValidator(subnetId, epoch) as Option<Codec>
      return elected.isSome ? electedNodeId(primitive<ElectedValue>(elected.unwrap())) : null
    })
  }

  async consensusSubmission(subnetId: number, epoch: number): Promise<ConsensusSubmission | null> {
    const value = await this.#submission(subnetId, epoch)
    return value === null ? null : submissionFrom(epoch, value)
  }

  async #submission(subnetId: number, epoch: number): Promise<SubmissionValue | null> {
    return this.#read(`consensus submission of epoch ${epoch}`, async (api) => {
      const value = await api.query.network.subnetConsensusSubmission(subnetId, epoch) as Option<Codec>
      return value.isSome ? primitive<SubmissionValue>(value.unwrap()) : null
    })
  }

  async blockHash(height: number): Promise<Uint8Array> {
    return this.#read(`hash of block ${height}`, async (api) => {
      const hash = (await api.rpc.chain.getBlockHash(height)).toU8a()
      // The node answers a block it does not have with no hash, which polkadot.js decodes as zeros.
      if (hash.every((byte) => byte === 0)) {
        throw new ChainError('CHAIN_FUTURE_BLOCK', `block ${height} is not produced yet`, { fix: 'ask again once the block exists' })
      }
      return hash
    })
  }

  async proposeAttestation(subnetId: number, data: ConsensusEntry[], args?: Uint8Array): Promise<TxReceipt> {
    const what = `propose_attestation on subnet ${subnetId}`
    // A runtime whose propose names the proposing node gets this hotkey's node.
    const nodeId = callArgNames(this.#api, 'proposeAttestation')?.includes('subnetNodeId') === true
      ? await this.#ownNodeId(subnetId, what) : undefined
    return receipt(await this.#send('hotkey', what, proposePlan(subnetId, data, args, nodeId)))
  }

  async attest(subnetId: number): Promise<TxReceipt> {
    const what = `attest on subnet ${subnetId}`
    if (this.generation !== 'validator-entity') return receipt(await this.#send('hotkey', what, attestPlan(this.generation, subnetId)))
    // validator-entity: a node may attest when the submission lists it among its validatorIds.
    const hotkey = this.#signer('hotkey', what).address
    const { epoch } = await this.epochInfo(subnetId)
    const [submission, own] = await Promise.all([this.#submission(subnetId, epoch), this.#validatorNodeIds(subnetId, hotkey)])
    if (submission === null) {
      throw new ChainError('CHAIN_NO_SUBMISSION', `${what}: epoch ${epoch} has no submission to attest`, { fix: 'attest after the elected validator has proposed' })
    }
    const [nodeId] = attestableNodeIds(own, submission)
    if (nodeId === undefined) {
      throw new ChainError('CHAIN_NOT_ATTESTOR', `${what}: none of ${hotkey}'s nodes (${own.join(', ') || 'none'}) may still attest epoch ${epoch}, ` +
        `whose validatorIds are ${(submission.validatorIds ?? []).join(', ') || 'none'}`, { fix: 'only nodes snapshotted as validators at proposal attest, once each' })
    }
    return receipt(await this.#send('hotkey', what, attestPlan(this.generation, subnetId, nodeId)))
  }

  /** The node the bound hotkey signs for, or CHAIN_NOT_REGISTERED. */
  async #ownNodeId(subnetId: number, what: string): Promise<number> {
    const hotkey = this.#signer('hotkey', what).address
    const nodeId = await this.nodeIdOf(subnetId, hotkey)
    if (nodeId === null) throw new ChainError('CHAIN_NOT_REGISTERED', `${what}: ${hotkey} has no node in subnet ${subnetId}`, { fix: 'register the node first (mesh chain register-node)' })
    return nodeId
  }

  async registerSubnet(params: RegisterSubnetParams): Promise<number> {
    const what = `register_subnet ${JSON.stringify(params.name)}`
    refuseUnsupported(this.generation, 'registerSubnet', what)
    const { events } = await this.#send('coldkey', what, {
      call: 'registerSubnet',
      values: {
        maxCost: this.#settings.maxSubnetCost,
        subnetData: {
          name: params.name,
          repo: params.name, // the runtime wants a unique repo too; the interface carries only the name
          description: '',
          misc: '',
          minStake: params.minStake,
          maxStake: params.maxStake,
          delegateStakePercentage: DELEGATE_STAKE_PERCENTAGE,
          initialColdkeys: new Map(params.initialColdkeys.map((coldkey) => [coldkey, 1])),
          bootnodes: bootnodeMap(params.bootnodes ?? []),
        },
      },
    })
    const registered = events.find(({ event }) => event.section === 'network' && event.method === 'SubnetRegistered')
    if (registered === undefined) throw new ChainError('CHAIN_DECODE_FAILED', 'register_subnet was included without a SubnetRegistered event')
    // Event fields are named properties of the event data (polkadot.js camelCases them).
    return (registered.event.data as unknown as { subnetId: u32 }).subnetId.toNumber()
  }

  async activateSubnet(subnetId: number): Promise<TxReceipt> {
    return receipt(await this.#send('coldkey', `activate_subnet ${subnetId}`, { call: 'activateSubnet', values: { subnetId } }))
  }

  async registerSubnetNode(params: RegisterNodeParams): Promise<number> {
    const what = `register_subnet_node on subnet ${params.subnetId}`
    const node = { ...params, maxBurn: this.#settings.maxNodeBurn }
    if (this.generation !== 'validator-entity') {
      await this.#send('coldkey', what, registerNodePlan(this.generation, node))
      const nodeId = await this.nodeIdOf(params.subnetId, params.hotkey)
      if (nodeId === null) throw new ChainError('CHAIN_DECODE_FAILED', `register_subnet_node was included but ${params.hotkey} has no node id`)
      return nodeId
    }
    // validator-entity: nodes belong to the coldkey's validator, registered here on its first node
    // with this node's hotkey as the validator's.
    const coldkey = this.#signer('coldkey', what).address
    let validator = await this.#validatorOf(coldkey)
    if (validator === null) {
      await this.#send('coldkey', `register_validator for ${coldkey}`, registerValidatorPlan(params.hotkey))
      validator = await this.#validatorOf(coldkey)
      if (validator === null) throw new ChainError('CHAIN_DECODE_FAILED', `register_validator was included but ${coldkey} has no validator id`)
    }
    await this.#send('coldkey', what, registerNodePlan(this.generation, { ...node, validator }))
    const nodeId = await this.#nodeIdOfPeer(params.subnetId, params.peerId)
    if (nodeId === null) throw new ChainError('CHAIN_DECODE_FAILED', `register_subnet_node was included but peer ${params.peerId} has no node id`)
    return nodeId
  }

  async addStake(subnetId: number, nodeId: number, hotkey: string, amount: bigint): Promise<TxReceipt> {
    return receipt(await this.#send('coldkey', `add_stake to node ${nodeId} of subnet ${subnetId}`,
      nodeStakePlan(this.generation, 'add', { subnetId, nodeId, hotkey, amount })))
  }

  async removeStake(subnetId: number, amount: bigint): Promise<TxReceipt> {
    // The pallet takes stake calls from the coldkey, naming the hotkey (hoskinson) or node (validator-entity) whose stake moves.
    const what = `remove_stake from subnet ${subnetId}`
    const hotkey = this.#signer('hotkey', what).address
    const nodeId = this.generation === 'validator-entity' ? await this.#ownNodeId(subnetId, what) : 0
    return receipt(await this.#send('coldkey', what, nodeStakePlan(this.generation, 'remove', { subnetId, nodeId, hotkey, amount })))
  }

  /** Delegates `amount` of the coldkey's balance to a subnet (a subnet needs some before it can activate, and for node rewards). */
  async addDelegateStake(subnetId: number, amount: bigint): Promise<TxReceipt> {
    return receipt(await this.#send('coldkey', `add_to_delegate_stake on subnet ${subnetId}`, addDelegateStakePlan(this.generation, subnetId, amount)))
  }

  /**
   * Takes back `amount` of the coldkey's delegated stake (or all of it), as the shares it is worth
   * now; the balance returns after the runtime's cooldown.
   */
  async removeDelegateStake(subnetId: number, amount: bigint | 'all'): Promise<TxReceipt> {
    const coldkey = this.#signer('coldkey', 'remove_delegate_stake').address
    const { shares, balance } = await this.#delegated(subnetId, coldkey)
    if (shares === 0n) {
      throw new ChainError('CHAIN_NO_DELEGATE_STAKE', `${coldkey} has no stake delegated to subnet ${subnetId}`, { fix: 'check --subnet_id and the coldkey' })
    }
    if (amount !== 'all' && amount > balance) {
      throw new ChainError('CHAIN_NO_DELEGATE_STAKE', `${coldkey} has ${formatTokens(balance)} delegated to subnet ${subnetId}, less than ${formatTokens(amount)}`,
        { fix: `remove at most ${formatTokens(balance)}, or all of it` })
    }
    const toRemove = amount === 'all' || balance === 0n ? shares : (amount * shares) / balance
    return receipt(await this.#send('coldkey', `remove_delegate_stake on subnet ${subnetId}`, removeDelegateStakePlan(subnetId, toRemove)))
  }

  /** What `address` has delegated to the subnet, in tokens as its shares are worth now. */
  async delegateStakeOf(subnetId: number, address: string): Promise<bigint> {
    return (await this.#delegated(subnetId, address)).balance
  }

  async #delegated(subnetId: number, address: string): Promise<{ shares: bigint; balance: bigint }> {
    return this.#read(`delegate stake of ${address}`, async (api) => {
      for (const item of ['accountSubnetDelegateStakeShares', 'totalSubnetDelegateStakeShares', 'totalSubnetDelegateStakeBalance']) {
        requireStorage(api, item, `the delegate stake of ${address}`)
      }
      const q = api.query.network
      const [shares, totalShares, totalBalance] = await Promise.all([
        q.accountSubnetDelegateStakeShares(address, subnetId), q.totalSubnetDelegateStakeShares(subnetId), q.totalSubnetDelegateStakeBalance(subnetId),
      ])
      const big = (codec: Codec): bigint => BigInt(primitive<string | number>(codec))
      const total = big(totalShares)
      return { shares: big(shares), balance: total === 0n ? 0n : (big(shares) * big(totalBalance)) / total }
    })
  }

  /**
   * The rewards the runtime paid for epoch `epoch` (a `SubnetRewards` event at the next epoch's
   * slot block or the one after), or null when it paid none there.
   */
  async rewards(subnetId: number, epoch: number): Promise<EpochRewards | null> {
    const [slot, length] = await Promise.all([this.#slot(subnetId), this.epochLength()])
    const paidAt = slot + (epoch + 1) * length
    const head = await this.blockNumber()
    for (const block of [paidAt, paidAt + 1]) {
      if (block > head) return null
      const found = await this.#read(`rewards of epoch ${epoch}`, async (api) => {
        const hash = await api.rpc.chain.getBlockHash(block)
        const events = await api.query.system.events.at(hash) as unknown as Array<{ event: { section: string; method: string; data: Codec[] } }>
        const event = events.find(({ event: e }) => e.section === 'network' && e.method === 'SubnetRewards' && Number(e.data[0]!.toPrimitive()) === subnetId)
        if (event === undefined) return null
        const nodes = primitive<Array<[number, number | string]>>(event.event.data[1]!)
        return {
          epoch, block,
          nodes: nodes.map(([nodeId, amount]) => ({ nodeId, amount: BigInt(amount) })).sort((a, b) => a.nodeId - b.nodeId),
          delegateStake: BigInt(primitive<number | string>(event.event.data[2]!)),
        }
      })
      if (found !== null) return found
    }
    return null
  }

  /** Sends `amount` from the coldkey to `to`, keeping the coldkey alive (e.g. to fund a hotkey's fees). */
  async transfer(to: string, amount: bigint): Promise<TxReceipt> {
    return receipt(await this.#sendExtrinsic('coldkey', `transfer to ${to}`, (api) => api.tx.balances.transferKeepAlive(to, amount)))
  }

  async freeBalance(address: string): Promise<bigint> {
    return this.#read(`balance of ${address}`, async (api) => (await api.query.system.account(address) as AccountInfo).data.free.toBigInt())
  }

  async subscribeBlocks(onBlock: (block: number) => void): Promise<Unsubscribe> {
    return this.subscribeHeads((head) => onBlock(head.number))
  }

  async subscribeHeads(onHead: (head: BlockHead) => void): Promise<Unsubscribe> {
    let last: number | undefined
    const stop = await this.#read('new heads', (api) => api.rpc.chain.subscribeNewHeads((header) => {
      const block = header.number.toNumber()
      // Heads can skip numbers (a missed notification, a reconnect) or repeat them (a fork):
      // report each new number once, in order; only the head itself comes with its hash.
      const from = last === undefined ? block : last + 1
      for (let n = from; n < block; n++) onHead({ number: n })
      if (last === undefined || block > last) onHead({ number: block, hash: header.hash.toHex() })
      last = Math.max(last ?? block, block)
    }))
    const unsubscribe = (): void => {
      if (!this.#subscriptions.delete(unsubscribe)) return
      stop()
    }
    this.#subscriptions.add(unsubscribe)
    return unsubscribe
  }

  async close(): Promise<void> {
    for (const unsubscribe of [...this.#subscriptions]) unsubscribe()
    if (this.#ownsConnection) await this.#connection.close()
  }

  get #api(): ApiPromise {
    return this.#connection.api
  }

  #read<T>(what: string, call: (api: ApiPromise) => Promise<T>): Promise<T> {
    return this.#connection.read(what, call)
  }

  async #slot(subnetId: number): Promise<number> {
    return this.#read(`slot of subnet ${subnetId}`, async (api) => {
      const slot = await api.query.network.subnetSlot(subnetId) as Option<u32>
      if (slot.isNone) throw palletError(api, 'network', 'InvalidSubnetId', `subnet ${subnetId}`)
      return slot.unwrap().toNumber()
    })
  }

  #signer(role: keyof ChainKeys, what: string): KeyringPair {
    const pair = this.#keys[role]
    if (pair === undefined) {
      throw new ChainError('CHAIN_NO_SIGNER', `${what} must be signed by a ${role}, and none is configured`, {
        fix: `give the ${role} in a file (--${role}-file <file>) or in the environment ($MESH_${role.toUpperCase()})`,
      })
    }
    return pair
  }

  /** Signs and sends the network call `plan` describes, refused before anything is signed where the runtime lacks it (call-builder.ts). */
  #send(role: keyof ChainKeys, what: string, plan: CallPlan): Promise<Inclusion> {
    const signer = this.#signer(role, what)
    return submit(this.#connection, what, buildCall(this.#api, plan, what), signer, this.#nonces, this.#settings)
  }

  #sendExtrinsic(role: keyof ChainKeys, what: string, build: (api: ApiPromise) => SubmittableExtrinsic<'promise'>): Promise<Inclusion> {
    return submit(this.#connection, what, build(this.#api), this.#signer(role, what), this.#nonces, this.#settings)
  }

  /** The generation of the network pallet this endpoint runs (src/chain/substrate/generation.ts). */
  get generation(): RuntimeGeneration {
    return runtimeGeneration(this.#api)
  }
}

function receipt(inclusion: Inclusion): TxReceipt {
  return { block: inclusion.block }
}

/** Milliseconds between blocks: Aura's slot duration, else twice the timestamp pallet's minimum period. */
function blockTimeOf(api: ApiPromise): number {
  const consts = api.consts as unknown as Record<string, Record<string, Codec | undefined> | undefined>
  const slot = consts.aura?.slotDuration ?? consts.babe?.expectedBlockTime
  if (slot !== undefined) return Number(slot.toPrimitive())
  const period = consts.timestamp?.minimumPeriod
  return period === undefined ? 6000 : 2 * Number(period.toPrimitive())
}
