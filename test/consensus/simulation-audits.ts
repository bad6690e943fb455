// Served inference and audits in the simulation, for the audit-cheater scenario. DriftEngines
// compute hidden states only, so what hosters serve to clients runs on llama.cpp with the tiny
// test model: one engine that every hoster serves and audits with, and another model (seed 2)
// that an audit cheater serves under the same model id while it answers the challenge honestly.
// Once an epoch, at its start, the validators act as gateways: each asks its share of the hosters
// for an answer and audits it (ClientAuditor: a random other hoster re-runs it; a failure is
// published under hoster-audit_epoch_{e}), then the hosters honest in the epoch re-run what was
// published (AuditConfirmer). The epoch game tallies the records (audits.ts) as on any node.
import { peerIdFromString } from '@libp2p/peer-id'
import { ClientAuditor } from '../../src/client/auditor.js'
import { AuditConfirmer } from '../../src/consensus/audit-confirmer.js'
import { AuditPublisher } from '../../src/consensus/audit-publisher.js'
import { AuditService } from '../../src/inference/audit.js'
import type { Engine, GenerateRequest } from '../../src/inference/engine.js'
import { testModelFile } from '../../src/inference/gguf/test-model-file.js'
import { type LlamaEngine, openLlamaEngine } from '../../src/inference/llama-engine.js'
import { InferenceService, chunkFromWire, generateMethod, requestToWire } from '../../src/inference/service.js'
import { openTranscript, type SignedTranscript } from '../../src/inference/transcript.js'
import { Signer } from '../../src/p2p/signing.js'
import { impostor } from '../helpers/impostor-engine.js'
import type { TestNode, TestSubnet } from './subnet-harness.js'

/** What one epoch's round of audits did. */
export interface AuditRound {
  /** Answers audited by the gateways, failures they found and published. */
  audited: number
  failed: number
  published: number
  /** Failures the hosters re-ran, and those they confirmed. */
  rerun: number
  confirmed: number
  /** Answers or audits that failed to arrive, and confirmation rounds that failed to read (a loaded machine's timeouts). */
  errors: number
}

interface Gateway { node: TestNode; auditor: ClientAuditor }

export class SimulatedAudits {
  private epoch = -1
  private errors = 0
  private readonly confirmers = new Map<TestNode, AuditConfirmer>()

  private constructor(
    private readonly honest: LlamaEngine,
    private readonly other: LlamaEngine,
    private readonly hosters: TestNode[],
    private readonly gateways: Gateway[],
    /** Whether hoster `index` cheats in `epoch`. */
    private readonly cheats: (index: number, epoch: number) => boolean,
  ) {}

  static async start(subnet: TestSubnet, hosters: TestNode[], validators: TestNode[], cheats: (index: number, epoch: number) => boolean): Promise<SimulatedAudits> {
    const honest = await openLlamaEngine({ model: testModelFile({ quant: 'q8_0' }), threads: 1, parallel: 4 })
    const other = await openLlamaEngine({ model: testModelFile({ quant: 'q8_0', seed: 2 }), threads: 1, parallel: 4 })
    const hosterIds = hosters.map((h) => h.peerId)
    const gateways = validators.map((node) => ({
      node,
      auditor: new ClientAuditor({
        rpc: node.dht.client,
        self: node.peerId,
        nodesOf: async () => hosterIds,
        publisher: new AuditPublisher({ store: node.dht.dht, chain: node.chain }, { subnetId: subnet.subnetId }),
      }, { rate: 1 }),
    }))
    const audits = new SimulatedAudits(honest, other, hosters, gateways, cheats)
    for (const h of hosters) {
      await new InferenceService({ engine: audits.served(h.index) }).register(h.dht.server)
      // A cheater audits others honestly: it has the model, it answers the challenge with it.
      await new AuditService({ engine: honest }).register(h.dht.server)
      audits.confirmers.set(h, new AuditConfirmer(
        { store: h.dht.dht, chain: h.chain, engine: honest, self: h.dht.host.peerId, signer: new Signer(h.privateKey) },
        { subnetId: subnet.subnetId },
      ))
    }
    return audits
  }

  /** What hoster `index` serves: the model, or in an epoch where it cheats, the other one under its id. */
  private served(index: number): Engine {
    const { honest, other } = this
    return {
      ...impostor(honest, honest.model),
      generate: (request: GenerateRequest) => (this.cheats(index, this.epoch) ? other : honest).generate(request),
      close: async () => {}, // the engines are shared: closed once, by close()
    }
  }

  /** Every hoster audited once by a gateway, then the published failures re-run by the hosters honest in `epoch`. */
  async round(epoch: number): Promise<AuditRound> {
    this.epoch = epoch
    const before = this.totals()
    await Promise.all(this.gateways.map(async (gateway, g) => {
      for (const hoster of this.hosters.filter((_, i) => i % this.gateways.length === g)) {
        const request = { input: { prompt: `epoch ${epoch}: a question for hoster ${hoster.index}` }, maxTokens: 16, temperature: hoster.index % 2 === 0 ? 0 : 0.8 }
        await this.ask(gateway, hoster, request).then((signed) => gateway.auditor.audit(signed)).catch(() => { this.errors++ })
      }
    }))
    const confirming = [...this.confirmers].filter(([h]) => !this.cheats(h.index, epoch)).map(([, c]) => c)
    // A second pass re-runs what one publisher's share of re-runs left for the next round.
    for (let pass = 0; pass < 2; pass++) await Promise.all(confirming.map((c) => c.check().catch(() => { this.errors++ })))
    const after = this.totals()
    return {
      audited: after.audited - before.audited, failed: after.failed - before.failed, published: after.published - before.published,
      rerun: after.rerun - before.rerun, confirmed: after.confirmed - before.confirmed, errors: after.errors - before.errors,
    }
  }

  private totals(): AuditRound {
    const sum = <T>(items: T[], of: (t: T) => number) => items.reduce((n, t) => n + of(t), 0)
    const confirmers = [...this.confirmers.values()]
    return {
      audited: sum(this.gateways, (g) => g.auditor.counts.audits),
      failed: sum(this.gateways, (g) => g.auditor.counts.failures),
      published: sum(this.gateways, (g) => g.auditor.counts.published),
      rerun: sum(confirmers, (c) => c.counts.rerun),
      confirmed: sum(confirmers, (c) => c.counts.confirmed),
      errors: this.errors,
    }
  }

  /** One answer of `hoster` to `gateway`: its signed transcript. */
  private async ask(gateway: Gateway, hoster: TestNode, request: GenerateRequest): Promise<SignedTranscript> {
    let last
    for await (const m of gateway.node.dht.client.stream(peerIdFromString(hoster.peerId), generateMethod, requestToWire(this.honest.model.id, request))) last = chunkFromWire(m)
    if (last?.transcript === undefined) throw new Error(`hoster ${hoster.index} ended its answer without a transcript`)
    return openTranscript(last.transcript.bytes, last.transcript.signature)
  }

  async close(): Promise<void> {
    await this.honest.close()
    await this.other.close()
  }
}
