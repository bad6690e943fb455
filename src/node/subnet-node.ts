// A subnet node composed from its parts: the libp2p host, the signed RPC server and client, the
// DHT, the engine and inference service (hosters), the epoch game and the heartbeat.
//
//   const node = await SubnetNode.start({ role: 'hoster', model: 'tiny.gguf', subnetId: 1, identity, chain })
//   …
//   await node.stop()
import { homedir } from 'node:os'
import { join } from 'node:path'
import { ChainCache } from '../chain/chain-cache.js'
import { epochSeed, type Chain, type SubnetNode as ChainNode } from '../chain/chain.js'
import { CommitSecrets } from '../consensus/commit-secrets.js'
import { AuditConfirmer } from '../consensus/audit-confirmer.js'
import { auditRecordValidator } from '../consensus/audits.js'
import { EpochGame } from '../consensus/epoch-game.js'
import { EpochTicker } from '../consensus/epoch-ticker.js'
import { Heartbeater } from '../consensus/heartbeat.js'
import type { Role } from '../consensus/heartbeat-record.js'
import { recordValueValidator } from '../consensus/record-values.js'
import { Dht, type DhtOptions } from '../dht/dht.js'
import { checkEpochLength } from '../dht/keys.js'
import { MeshError, errorMessage } from '../errors.js'
import type { Engine } from '../inference/engine.js'
import { type LlamaEngine, type LlamaEngineOptions, openLlamaEngine } from '../inference/llama-engine.js'
import { inspectModelFile, sha256File } from '../inference/model-file.js'
import { resolveModelSource } from '../inference/model-source.js'
import { AuditService } from '../inference/audit.js'
import { InferenceService } from '../inference/service.js'
import { logger } from '../log.js'
import { startHost, type Host, type HostOptions } from '../p2p/host.js'
import { peerIdOf, type Ed25519PrivateKey } from '../p2p/keys.js'
import { Signer } from '../p2p/signing.js'
import { RpcClient } from '../rpc/client.js'
import { RpcServer } from '../rpc/server.js'

const log = logger('node')

export const MESH_VERSION = '0.1.0'

export interface SubnetNodeOptions {
  role: Role
  /** A GGUF path or `hf:owner/repo:quant`: hosters run it; validators score against its identity. */
  model: string
  subnetId: number
  identity: Ed25519PrivateKey
  /** Bound to the node's hotkey: the node proposes and attests with it. */
  chain: Chain
  host?: Omit<HostOptions, 'privateKey' | 'subnetId'>
  engine?: Omit<LlamaEngineOptions, 'model'>
  dht?: DhtOptions
  /** The tolerance τ of the scores (the reference is the subnet's, on chain). */
  tau?: number
  /** Where the node keeps its state (the secrets of open commits); default `defaultDataDir(peer id)`. */
  dataDir?: string
}

/** The node's state folder when none is given: ~/.mesh/nodes/<peer id>. */
export function defaultDataDir(peerId: string): string {
  return join(homedir(), '.mesh', 'nodes', peerId)
}

/** Something wrong with the node's place on chain, with what to do about it. */
function notReady(message: string, fix: string): MeshError {
  return new MeshError('NODE_NOT_READY', message, { fix })
}

/** Checks on chain that this node can take part, before anything is started. */
export async function checkOnChain(chain: Chain, subnetId: number, peerId: string): Promise<ChainNode> {
  const subnet = await chain.subnet(subnetId)
  if (subnet === null) throw notReady(`subnet ${subnetId} does not exist on this chain`, 'check --subnet_id and the chain endpoint')
  if (subnet.state !== 'Active') throw notReady(`subnet ${subnetId} is ${subnet.state}, not Active`, 'wait for the subnet to be activated (`mesh chain status` shows it)')
  const hotkey = chain.hotkey
  if (hotkey === undefined) throw notReady('no hotkey to sign consensus with', 'pass --hotkey-file <file> or set MESH_HOTKEY')
  const nodeId = await chain.nodeIdOf(subnetId, hotkey)
  if (nodeId === null) {
    throw notReady(`hotkey ${hotkey} has no node in subnet ${subnetId}`, 'register it first: `mesh chain register-node` (see the README)')
  }
  const node = (await chain.subnetNodes(subnetId)).find((n) => n.id === nodeId)
  if (node === undefined) throw notReady(`node ${nodeId} is not among subnet ${subnetId}'s nodes`, 'it may have been removed: register again')
  if (node.peerId !== peerId) {
    throw notReady(`node ${nodeId} is registered with peer id ${node.peerId}, but this identity is ${peerId}`, 'pass the --identity_path the node was registered with')
  }
  if (node.stake < subnet.minStake) {
    throw notReady(`node ${nodeId} has ${node.stake} stake, under the subnet's minimum ${subnet.minStake}`, 'add stake: `mesh chain add-stake`')
  }
  return node
}

export class SubnetNode {
  readonly game: EpochGame
  readonly reports: EpochGame['reports']

  private constructor(
    readonly host: Host,
    readonly rpcServer: RpcServer,
    readonly rpcClient: RpcClient,
    readonly dht: Dht,
    readonly ticker: EpochTicker,
    readonly heartbeat: Heartbeater,
    game: EpochGame,
    readonly engine: Engine | undefined,
    readonly chainNode: ChainNode,
    /** The node's one view of the chain: reads once a block, shared by all its parts (src/chain/chain-cache.ts). */
    readonly chain: ChainCache,
    /** Re-runs published audit failures (nodes that run the model). */
    readonly confirmer: AuditConfirmer | undefined,
  ) {
    this.game = game
    this.reports = game.reports
  }

  static async start(options: SubnetNodeOptions): Promise<SubnetNode> {
    const peerId = peerIdOf(options.identity).toString()
    const chainNode = await checkOnChain(options.chain, options.subnetId, peerId)
    const epochLength = await options.chain.epochLength()
    checkEpochLength(epochLength)
    log.info('on chain', { node: chainNode.id, class: chainNode.class, role: options.role })
    if (chainNode.class === 'Registered') {
      log.warn('the node is still in the registration queue: it plays from class Idle on, a few epochs from now', { node: chainNode.id })
    }

    // Hosters load the model first: it is the slow part, and a wrong file should stop us early.
    // Validators load no engine: the model's identity, width and challenge vocabulary come from the file.
    let engine: LlamaEngine | undefined
    let model: { id: string; nEmbd: number; name: string }
    let vocabulary: number[]
    if (options.role === 'hoster') {
      engine = await openLlamaEngine({ ...options.engine, model: options.model })
      model = engine.model
      vocabulary = engine.challengeVocabulary()
    } else {
      const path = await resolveModelSource(options.model, options.engine ?? {})
      const [file, id] = await Promise.all([inspectModelFile(path), sha256File(path)])
      model = { id, nEmbd: file.nEmbd, name: file.name }
      vocabulary = file.challengeVocabulary
    }

    const started: Array<{ stop(): Promise<void> | void }> = []
    // Every part reads the chain through one cache: the node list once a block, pinned to its hash.
    const chain = new ChainCache(options.chain, { subnetId: options.subnetId })
    await chain.start()
    started.push({ stop: () => chain.close() })
    try {
      const host = await startHost({ ...options.host, privateKey: options.identity, subnetId: options.subnetId })
      started.push({ stop: () => host.close() })
      const rpcServer = new RpcServer({ host, chain })
      const rpcClient = new RpcClient({ host })
      started.push({ stop: () => rpcServer.close() }, { stop: () => rpcClient.close() })
      const dht = await Dht.start({ host, chain, rpcServer, rpcClient }, {
        ...options.dht,
        validators: [...(options.dht?.validators ?? []), recordValueValidator({ nEmbd: model.nEmbd, challenge: { subnetId: options.subnetId, modelId: model.id, vocabulary, seed: (epoch) => epochSeed(chain, options.subnetId, epoch) } }), auditRecordValidator()],
      })
      started.push({ stop: () => dht.stop() })
      let confirmer: AuditConfirmer | undefined
      if (engine !== undefined) {
        await new InferenceService({ engine }).register(rpcServer)
        // Nodes that run the model audit others' answers, and re-run published failures.
        await new AuditService({ engine }).register(rpcServer)
        confirmer = new AuditConfirmer({ store: dht, chain, engine, self: host.peerId, signer: new Signer(options.identity) }, { subnetId: options.subnetId })
        started.push(confirmer)
      }
      const ticker = new EpochTicker({ chain }, { subnetId: options.subnetId })
      const secrets = new CommitSecrets({ dir: join(options.dataDir ?? defaultDataDir(peerId), 'commit-secrets') })
      const game = new EpochGame({ chain, store: dht, ticker, engine, secrets }, {
        subnetId: options.subnetId, peerId, role: options.role, model, vocabulary, tau: options.tau,
      })
      const epochMs = epochLength * chain.blockTimeMs
      const heartbeat = new Heartbeater({ store: dht, engine }, {
        role: options.role, peerId, version: MESH_VERSION, modelId: model.id, modelName: model.name, addresses: () => host.addresses().map(String), epochMs,
      })
      ticker.start()
      game.start()
      heartbeat.start()
      confirmer?.start()
      log.info('node started', { peer: peerId, role: options.role, model: model.id, addresses: host.addresses().map(String) })
      return new SubnetNode(host, rpcServer, rpcClient, dht, ticker, heartbeat, game, engine, chainNode, chain, confirmer)
    } catch (err) {
      for (const part of started.reverse()) await Promise.resolve(part.stop()).catch(() => {})
      await engine?.close()
      throw err
    }
  }

  /**
   * Stops taking part, finishes or cancels streams in progress, and closes the host. The game's
   * step in progress is waited for, with the store and the chain still up: the caller closes the
   * chain once this resolves.
   */
  async stop(): Promise<void> {
    const steps: Array<[string, () => Promise<void> | void]> = [
      ['heartbeat', () => this.heartbeat.stop()],
      ['audit confirmer', async () => { await this.confirmer?.stop() }],
      ['game', () => this.game.stop()], // resolves once the step in progress has finished
      ['ticker', () => this.ticker.stop()],
      ['dht', () => this.dht.stop()],
      ['rpc server', () => this.rpcServer.close()],
      ['rpc client', () => this.rpcClient.close()],
      ['host', () => this.host.close()],
      ['engine', async () => { await this.engine?.close() }],
      ['chain cache', () => this.chain.close()],
    ]
    for (const [name, step] of steps) {
      try {
        await step()
      } catch (err) {
        log.warn('stop step failed', { step: name, error: errorMessage(err) })
      }
    }
    log.info('node stopped', { peer: this.host.peerId.toString() })
  }
}
