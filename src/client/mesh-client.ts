// The library face of the network for apps:
//
//   const client = await MeshClient.connect({ subnetId: 1, identity, chain, initialPeers })
//   for await (const text of client.chat({ model: 'TinyLlama-1.1B-Chat', messages })) process.stdout.write(text)
//
// It finds hosters from their heartbeats, routes each request to the best eligible one by what
// it measured of them, fails over mid-stream, and sends a share of finished requests to audit.
// It is also the backend of the OpenAI-compatible gateway (`mesh api`).
import { peerIdFromString } from '@libp2p/peer-id'
import type { InferenceBackend, ModelCard } from '../api/backend.js'
import type { Chain } from '../chain/chain.js'
import { Dht, type DhtOptions } from '../dht/dht.js'
import type { RecordStore } from '../dht/record-store.js'
import { MeshError } from '../errors.js'
import type { ChatMessage, GenerateChunk, GenerateRequest, SamplingOptions } from '../inference/engine.js'
import { startHost, type Host, type HostOptions } from '../p2p/host.js'
import type { Ed25519PrivateKey } from '../p2p/keys.js'
import { RpcClient } from '../rpc/client.js'
import { RpcServer } from '../rpc/server.js'
import { AuditPublisher } from '../consensus/audit-publisher.js'
import { type AuditorOptions, ClientAuditor } from './auditor.js'
import { type EligibilityOptions, HosterEligibility } from './eligibility.js'
import { HosterDirectory, type HosterDirectoryOptions, type HosterEntry } from './hoster-directory.js'
import { type HosterCandidate, Router, type RouterOptions } from './router.js'
import { ServingHosters } from './serving-hosters.js'
import { embedOnNetwork, generateOnNetwork, type SessionOptions } from './session.js'

export interface MeshClientOptions {
  subnetId: number
  /** The client identity (`mesh keygen --client_path`): a client peer id the chain knows. */
  identity: Ed25519PrivateKey
  /** Read-only use: the DHT checks writers' stake and the epoch's phases against it. */
  chain: Chain
  /** Peers to join through, each ending in /p2p/<peer id>. */
  initialPeers: string[]
  /** Host settings beyond the above (listen addresses, private addresses on a LAN or loopback). */
  host?: Partial<HostOptions>
  dht?: DhtOptions
  directory?: HosterDirectoryOptions
  router?: RouterOptions
  session?: SessionOptions
  audit?: AuditorOptions
  eligibility?: Omit<EligibilityOptions, 'subnetId'>
}

type PartOptions = Pick<MeshClientOptions, 'directory' | 'router' | 'session' | 'audit' | 'eligibility'>

/** Audits of this client's answers, for the dashboard. */
export interface AuditCounts {
  /** Audits run, failures found, failures published. */
  audits: number
  failures: number
  published: number
  /** Hosters with a confirmed failure in this epoch or the last, as the store shows now. */
  confirmed: number
}

export interface RequestOptions extends SamplingOptions {
  /** A model name (as GET /v1/models lists it) or a model identity (GGUF sha256). */
  model: string
  signal?: AbortSignal
}

/** The parts a client runs on. */
export interface ClientComponents {
  rpc: RpcClient
  records: RecordStore
  ping?: Pinger
  /** With `subnetId`: routing to eligible hosters only, and audit failures published. */
  chain?: Chain
  subnetId?: number
  /** This client's peer id (it never audits through itself). */
  self?: string
}

const SHA256_HEX = /^[0-9a-f]{64}$/
/** How often a hoster's round trip is measured again. */
const RTT_EVERY_MS = 30_000

/** Measures the round trip to a peer, in ms (libp2p ping). */
export type Pinger = (peerId: string) => Promise<number>

/** The libp2p ping of `host`, given up after 5 s. */
export function pingerOf(host: Host): Pinger {
  return (peer) => host.libp2p.services.ping.ping(peerIdFromString(peer), { signal: AbortSignal.timeout(5_000) })
}

export class MeshClient implements InferenceBackend {
  readonly directory: HosterDirectory
  /** The subnet's record store, as this client reads it. */
  readonly records: RecordStore
  private readonly router: Router
  private readonly rpc: RpcClient
  private readonly session: SessionOptions
  private readonly owned: { host: Host; server: RpcServer; dht: Dht } | undefined
  private readonly ping?: Pinger
  private readonly pinged = new Map<string, number>()
  readonly auditor: ClientAuditor
  private readonly eligibility?: HosterEligibility
  /** The hosters this client may use for a model: routing and audits both ask it. */
  private readonly serving: ServingHosters

  private constructor(components: ClientComponents, options: PartOptions, owned?: { host: Host; server: RpcServer; dht: Dht }) {
    this.rpc = components.rpc
    this.ping = components.ping
    this.records = components.records
    this.directory = new HosterDirectory({ records: components.records }, options.directory)
    this.router = new Router(options.router)
    this.session = options.session ?? {}
    this.owned = owned
    const { chain, subnetId, self } = components
    if (chain !== undefined && subnetId !== undefined) {
      this.eligibility = new HosterEligibility({ chain, records: components.records }, { ...options.eligibility, subnetId })
    }
    this.auditor = new ClientAuditor({
      rpc: components.rpc,
      self: self ?? '',
      publisher: chain === undefined || subnetId === undefined ? undefined : new AuditPublisher({ store: components.records, chain }, { subnetId }),
      nodesOf: async (modelId) => (await this.serving.hosters(modelId)).map((h) => h.peerId),
    }, options.audit)
    this.serving = new ServingHosters({ directory: this.directory, eligibility: this.eligibility, failedAudit: this.auditor.failed })
  }

  /** Joins the subnet's swarm with the client identity. */
  static async connect(options: MeshClientOptions): Promise<MeshClient> {
    if (options.initialPeers.length === 0) {
      throw new MeshError('USAGE', 'a client needs at least one initial peer', { fix: 'pass the multiaddr of a subnet node, ending in /p2p/<peer id>' })
    }
    const host = await startHost({ ...options.host, privateKey: options.identity, subnetId: options.subnetId, initialPeers: options.initialPeers })
    try {
      const server = new RpcServer({ host, chain: options.chain })
      const rpc = new RpcClient({ host })
      const dht = await Dht.start({ host, chain: options.chain, rpcServer: server, rpcClient: rpc }, options.dht)
      return new MeshClient({ rpc, records: dht, ping: pingerOf(host), chain: options.chain, subnetId: options.subnetId, self: host.peerId.toString() },
        options, { host, server, dht })
    } catch (err) {
      await host.close()
      throw err
    }
  }

  /**
   * A client on parts a node already runs (a node that serves the dashboard and API itself).
   * With the chain and subnet it routes only to eligible hosters and publishes audit failures.
   */
  static over(components: ClientComponents, options: PartOptions = {}): MeshClient {
    return new MeshClient(components, options)
  }

  /** The models hosters serve now, by name; a name served as two models lists each as name@id. */
  async models(): Promise<ModelCard[]> {
    const byId = new Map<string, HosterEntry[]>()
    for (const entry of await this.directory.all()) byId.set(entry.heartbeat.modelId, [...(byId.get(entry.heartbeat.modelId) ?? []), entry])
    const names = new Map<string, number>()
    for (const entries of byId.values()) names.set(entries[0].heartbeat.modelName, (names.get(entries[0].heartbeat.modelName) ?? 0) + 1)
    return [...byId.entries()].map(([id, entries]) => {
      const name = entries[0].heartbeat.modelName
      return { id: name === '' || names.get(name)! > 1 ? `${name}@${id}` : name, ownedBy: `mesh (${entries.length} hosters)`, created: 0 }
    }).sort((a, b) => a.id.localeCompare(b.id))
  }

  /** The model identity a request names: a sha256, name@sha256, or a name served by one model. */
  async resolveModel(model: string): Promise<string> {
    const at = model.lastIndexOf('@')
    const id = at >= 0 ? model.slice(at + 1) : model
    if (SHA256_HEX.test(id)) return id
    const ids = new Set((await this.directory.current()).filter((e) => e.heartbeat.modelName === model).map((e) => e.heartbeat.modelId))
    if (ids.size === 1) return [...ids][0]
    if (ids.size > 1) {
      throw new MeshError('MODEL_AMBIGUOUS', `${ids.size} different models are served as ${model}`, { fix: `name one as ${model}@<sha256> (GET /v1/models lists them)` })
    }
    throw new MeshError('MODEL_NOT_FOUND', `no hoster serves a model named ${model} now`, { fix: 'GET /v1/models lists the models served' })
  }

  /**
   * Streams a generation from the network (the gateway's entry point). It routes by the last
   * readings of the hosters and their eligibility; the next readings (DHT and chain reads) and
   * round-trip pings start once the first chunk is out, so that none competes with it.
   */
  async *stream(model: string, request: GenerateRequest): AsyncGenerator<GenerateChunk, void, undefined> {
    let refreshed = false
    const refresh = (): void => {
      if (refreshed) return
      refreshed = true
      this.refreshReadings()
    }
    try {
      const modelId = await this.resolveModel(model)
      for await (const chunk of generateOnNetwork({ rpc: this.rpc, router: this.router, hosters: this.serving }, modelId, request, this.session, {
        onTranscript: (signed) => this.auditor.consider(signed),
        onMeasured: (peerId, measured) => this.router.recordServed(peerId, measured),
      })) {
        yield chunk
        refresh()
      }
    } finally {
      refresh()
    }
  }

  /** Hosters of `modelId` this client routes to and audits at (serving-hosters.ts). */
  eligibleHosters(modelId: string): Promise<HosterCandidate[]> {
    return this.serving.hosters(modelId)
  }

  /** Starts the next readings of the hosters and their eligibility where due, and pings the hosters not measured lately. */
  private refreshReadings(): void {
    this.directory.refresh()
    this.eligibility?.refresh()
    void this.measureRoundTrips()
  }

  async auditCounts(): Promise<AuditCounts> {
    const view = await this.eligibility?.view().catch(() => undefined)
    const { audits, failures, published } = this.auditor.counts
    return { audits, failures, published, confirmed: view?.confirmedFailures.size ?? 0 }
  }

  /** Embeddings of texts from a hoster of the model (one unit-length vector each). */
  async embed(model: string, input: string[], signal?: AbortSignal): Promise<{ vectors: number[][]; tokens: number }> {
    try {
      const modelId = await this.resolveModel(model)
      return await embedOnNetwork({ rpc: this.rpc, router: this.router, hosters: this.serving }, modelId, input, signal, this.session)
    } finally {
      this.refreshReadings()
    }
  }

  /** Completes a prompt; yields the text as it is generated. */
  async *generate(options: RequestOptions & { prompt: string }): AsyncGenerator<string, void, undefined> {
    const { model, prompt, ...rest } = options
    for await (const chunk of this.stream(model, { ...rest, input: { prompt } })) if (chunk.text !== '') yield chunk.text
  }

  /** Answers a conversation with the model's chat template; yields the text as it is generated. */
  async *chat(options: RequestOptions & { messages: ChatMessage[] }): AsyncGenerator<string, void, undefined> {
    const { model, messages, ...rest } = options
    for await (const chunk of this.stream(model, { ...rest, input: { messages } })) if (chunk.text !== '') yield chunk.text
  }

  /** Pings the hosters not measured lately, in the background; routing uses what has arrived. */
  private async measureRoundTrips(): Promise<void> {
    if (this.ping === undefined) return
    const now = Date.now()
    for (const entry of await this.directory.current().catch(() => [])) {
      if (now - (this.pinged.get(entry.peerId) ?? 0) < RTT_EVERY_MS) continue
      this.pinged.set(entry.peerId, now)
      this.ping(entry.peerId).then((ms) => this.router.recordRtt(entry.peerId, ms), () => {})
    }
  }

  async close(): Promise<void> {
    await this.auditor.idle()
    this.rpc.close()
    if (this.owned !== undefined) {
      await this.owned.dht.stop()
      await this.owned.server.close()
      await this.owned.host.close()
    }
  }
}
