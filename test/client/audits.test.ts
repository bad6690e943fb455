// Audits end to end on a real subnet (local chain, libp2p, DHT, engines): a hoster serving
// another model under the identity it committed to is caught, published, confirmed and no
// longer routed to; a gateway's false accusation is not confirmed; neither a coalition that never
// confirms (under half of the other hosters) nor a flood of false failures shields a cheater.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { type DevNode, devSubnet } from '../../src/chain/local/bootstrap.js'
import { LocalChain } from '../../src/chain/local/local-chain.js'
import { LocalChainRuntime } from '../../src/chain/local/runtime.js'
import { ClientAuditor } from '../../src/client/auditor.js'
import { MeshClient } from '../../src/client/mesh-client.js'
import { AuditConfirmer } from '../../src/consensus/audit-confirmer.js'
import { AuditPublisher } from '../../src/consensus/audit-publisher.js'
import { auditConfirmers, auditQuorum, auditRecordValidator, tallyAudits } from '../../src/consensus/audits.js'
import { makeCommit } from '../../src/consensus/commit.js'
import { scoreEpoch } from '../../src/consensus/epoch-data.js'
import { DEFAULT_TAU } from '../../src/consensus/scoring.js'
import { Heartbeater } from '../../src/consensus/heartbeat.js'
import { Dht } from '../../src/dht/dht.js'
import type { RecordStore } from '../../src/dht/record-store.js'
import { epochKey, maxExpiration, parseKey, writableBlocks, type EpochKeyKind } from '../../src/dht/keys.js'
import { AuditService, encodeReport, openReport } from '../../src/inference/audit.js'
import type { Engine, GenerateRequest } from '../../src/inference/engine.js'
import { testModelFile } from '../../src/inference/gguf/test-model-file.js'
import { type LlamaEngine, openLlamaEngine } from '../../src/inference/llama-engine.js'
import { InferenceService, chunkFromWire, generateMethod, requestToWire } from '../../src/inference/service.js'
import { openTranscript, sha256, type SignedTranscript } from '../../src/inference/transcript.js'
import { startHost, type Host } from '../../src/p2p/host.js'
import { generateIdentity, peerIdOf, type Ed25519PrivateKey } from '../../src/p2p/keys.js'
import { Signer } from '../../src/p2p/signing.js'
import { RpcClient } from '../../src/rpc/client.js'
import { RpcServer } from '../../src/rpc/server.js'
import { impostor } from '../helpers/impostor-engine.js'
import { LOOPBACK } from '../helpers/swarm.js'
import { hosterRecords, vector } from '../consensus/fixtures.js'

interface Node { key: Ed25519PrivateKey; host: Host; server: RpcServer; rpc: RpcClient; dht: Dht; heartbeat: Heartbeater; confirmer?: AuditConfirmer; served: { requests: number } }

let runtime: LocalChainRuntime
let chain: LocalChain
let subnetId: number
let honest: LlamaEngine
let other: LlamaEngine
let clientKey: Ed25519PrivateKey
/** nodes[0..2] honest, nodes[3] the cheater. */
const nodes: Node[] = []
let client: MeshClient
let devNodes: DevNode[]

async function startNode(key: Ed25519PrivateKey, engine: Engine, auditEngine: LlamaEngine | undefined, initialPeers: string[]): Promise<Node> {
  const host = await startHost({ ...LOOPBACK, privateKey: key, subnetId, ...(initialPeers.length === 0 ? { newSwarm: true } : { initialPeers }) })
  const server = new RpcServer({ host, chain })
  const rpc = new RpcClient({ host })
  const dht = await Dht.start({ host, chain, rpcServer: server, rpcClient: rpc }, { replicateIntervalMs: 0 })
  dht.validators.add(auditRecordValidator())
  // Counts the requests it serves (the floor test's traffic).
  const served = { requests: 0 }
  const named = impostor(engine, engine.model)
  await new InferenceService({ engine: { ...named, generate: (request) => { served.requests++; return named.generate(request) } } }).register(server)
  let confirmer: AuditConfirmer | undefined
  if (auditEngine !== undefined) {
    await new AuditService({ engine: auditEngine }).register(server)
    confirmer = new AuditConfirmer({ store: dht, chain, engine: auditEngine, self: host.peerId, signer: new Signer(key) }, { subnetId })
  }
  const heartbeat = new Heartbeater({ store: dht, engine }, { role: 'hoster', peerId: host.peerId.toString(), version: 'test', addresses: () => host.addresses().map(String), epochMs: 60_000 })
  heartbeat.start()
  return { key, host, server, rpc, dht, heartbeat, confirmer, served }
}

before(async () => {
  honest = await openLlamaEngine({ model: testModelFile({ quant: 'q8_0' }), threads: 1, parallel: 4 })
  other = await openLlamaEngine({ model: testModelFile({ quant: 'q8_0', seed: 2 }), threads: 1, parallel: 2 })
  // Long epochs: the whole test runs inside one.
  runtime = new LocalChainRuntime({ params: { epochLength: 1000, seed: 'audits' } })
  const keys = await Promise.all([generateIdentity(), generateIdentity(), generateIdentity(), generateIdentity()])
  clientKey = await generateIdentity()
  const subnet = await devSubnet(runtime, {
    nodes: keys.map((k, i) => ({ peerId: peerIdOf(k).toString(), ...(i === 0 ? { clientPeerId: peerIdOf(clientKey).toString() } : {}) })),
  })
  subnetId = subnet.subnetId
  devNodes = subnet.nodes
  runtime.advance(1)
  chain = new LocalChain(runtime)
  // Into the hoster-commit window: the nodes commit, as hosters of the model do (only they confirm).
  const info = await chain.epochInfo(subnetId)
  const window = (epoch: number) => writableBlocks('hoster-commit', epoch, info)
  runtime.advance((info.block < window(info.epoch).to ? Math.max(info.block, window(info.epoch).from) : window(info.epoch + 1).from) - info.block)
  for (const [i, key] of keys.entries()) {
    const cheat = i === 3
    nodes.push(await startNode(key, cheat ? impostor(other, honest.model) : honest, cheat ? undefined : honest, nodes.length === 0 ? [] : [nodes[0].host.addresses()[0].toString()]))
  }
  for (const n of nodes) await commitAsHoster(n)
  client = await MeshClient.connect({
    subnetId, identity: clientKey, chain, initialPeers: [nodes[0].host.addresses()[0].toString()],
    host: LOOPBACK, dht: { replicateIntervalMs: 0 }, directory: { refreshMs: 200 }, eligibility: { refreshMs: 0 }, audit: { rate: 1 },
    session: { stallTimeoutMs: 10_000 },
  })
  for (let i = 0; (await client.directory.all()).length < keys.length; i++) {
    if (i > 100) throw new Error('heartbeats did not arrive')
    await new Promise((r) => setTimeout(r, 200))
  }
})

after(async () => {
  await client?.close()
  for (const n of nodes) {
    n.heartbeat.stop()
    await n.dht.stop().catch(() => {})
    await n.server.close().catch(() => {})
    n.rpc.close()
    await n.host.close().catch(() => {})
  }
  runtime?.stop()
  await honest?.close()
  await other?.close()
})

/** One request served by nodes[i], straight to it: its signed transcript. */
async function servedBy(i: number, request: GenerateRequest, rpc = nodes[(i + 1) % 3].rpc): Promise<SignedTranscript> {
  let last
  for await (const m of rpc.stream(nodes[i].host.peerId, generateMethod, requestToWire(honest.model.id, request))) last = chunkFromWire(m)
  return openTranscript(last!.transcript!.bytes, last!.transcript!.signature)
}

/** Writes a hoster commit of this epoch for `node`, as its epoch game would. */
async function commitAsHoster(node: Node): Promise<void> {
  await storeAsHoster(node, 'hoster-commit', makeCommit(node.host.peerId.toString(), new Uint8Array(8)).commit)
}

/** Writes `node`'s record of `kind` in this epoch (inside its window). */
async function storeAsHoster(node: Node, kind: EpochKeyKind, value: Uint8Array): Promise<void> {
  const info = await chain.epochInfo(subnetId)
  const key = epochKey(kind, info.epoch)
  const expiration = Math.floor(maxExpiration(parseKey(key)!, info, chain.blockTimeMs, Date.now()) - chain.blockTimeMs)
  const result = await node.dht.store(key, value, expiration)
  assert.ok(result.accepted > 0, `${key} of ${node.host.peerId.toString()} stored: ${JSON.stringify(result)}`)
}

/** Produces blocks up to the first of `kind`'s window in `epoch`. */
async function advanceTo(kind: EpochKeyKind, epoch: number): Promise<void> {
  const info = await chain.epochInfo(subnetId)
  runtime.advance(writableBlocks(kind, epoch, info).from - info.block)
}

async function tally() {
  const epoch = (await chain.epochInfo(subnetId)).epoch
  const [records, commits] = await Promise.all([client.records.get(epochKey('hoster-audit', epoch)), client.records.get(epochKey('hoster-commit', epoch))])
  return tallyAudits(records, auditConfirmers(await chain.subnetNodes(subnetId), epoch, commits))
}

const peer = (i: number) => nodes[i].host.peerId.toString()

/** Evidence against an honest answer: a report of its own, signed by `liar`, that says every token was wrong. */
function falseFailure(signed: SignedTranscript, liar: Ed25519PrivateKey) {
  const lie = encodeReport({
    transcriptSha256: sha256(signed.bytes), auditor: peerIdOf(liar), hoster: signed.transcript.hoster, model: signed.transcript.model,
    timeMs: Date.now(), positions: signed.transcript.record.outputTokens.map(() => ({ rank: 50, logprob: -9, sampledSame: false })),
  })
  return { transcript: signed, report: openReport(lie, new Signer(liar).sign(lie), signed) }
}

test('a hoster serving another model is caught at its first audited request, confirmed by the others, and no longer routed to', async () => {
  // A separate auditor for the tally of requests: every audited request to the cheater.
  const auditor = new ClientAuditor({
    rpc: nodes[0].rpc, self: peer(0), nodesOf: async () => [peer(1), peer(2)],
  })
  let caughtAt = 0
  for (let n = 1; n <= 20 && caughtAt === 0; n++) {
    const verdict = await auditor.audit(await servedBy(3, { input: { prompt: `request ${n}` }, maxTokens: 16, temperature: n % 2 === 0 ? 0 : 0.8 }))
    if (verdict?.failed === true) caughtAt = n
  }
  assert.ok(caughtAt >= 1 && caughtAt <= 20, 'caught within 20 audited requests')

  // Through the client: requests until one lands on the cheater; its audit fails and is published.
  for (let n = 0; n < 40 && !client.auditor.failed.has(peer(3)); n++) {
    for await (const _ of client.generate({ model: honest.model.id, prompt: `hello ${n}`, maxTokens: 12 })) { /* drain */ }
    await client.auditor.idle()
  }
  assert.ok(client.auditor.failed.has(peer(3)), 'the client caught the cheater')
  assert.ok(client.auditor.counts.published >= 1)
  assert.ok(!(await client.eligibleHosters(honest.model.id)).some((h) => h.peerId === peer(3)))
  assert.equal((await tally()).confirmed.has(peer(3)), false, 'a gateway alone confirms nothing')

  // The nodes that run the model re-run it: a majority of the others confirms it.
  for (const n of nodes.slice(0, 3)) await n.confirmer!.check()
  const after = await tally()
  assert.ok(after.confirmed.has(peer(3)), 'confirmed')
  assert.ok(after.confirmed.get(peer(3))!.length >= 2)
  for (let i = 0; i < 3; i++) assert.equal(after.confirmed.has(peer(i)), false)

  // A client that never audited it stops routing to it too, from the confirmed records.
  const fresh = MeshClient.over({ rpc: nodes[1].rpc, records: nodes[1].dht, chain, subnetId, self: peer(1) }, { eligibility: { refreshMs: 0 } })
  const eligible = (await fresh.eligibleHosters(honest.model.id)).map((h) => h.peerId)
  assert.ok(eligible.includes(peer(0)) && !eligible.includes(peer(3)))
  assert.equal((await fresh.auditCounts()).confirmed, 1)
})

test('a client never sends an audit to a hoster it would not route to: one with a confirmed failure audits nothing', async () => {
  // A client that never audited the cheater itself, whose own auditor draws first the first, then the last auditor it may ask.
  const draws = [0, 0.999]
  const fresh = MeshClient.over({ rpc: nodes[1].rpc, records: nodes[1].dht, chain, subnetId, self: peer(1) },
    { eligibility: { refreshMs: 0 }, audit: { random: () => draws.shift() ?? 0 } })
  const routed = (await fresh.eligibleHosters(honest.model.id)).map((h) => h.peerId)
  assert.ok(!routed.includes(peer(3)), 'the confirmed cheater is not routed to')
  // Node 0's answer: the auditors are the others this client routes to, not itself: node 2 only.
  // The cheater runs no audit service: sent one, the audit would throw.
  for (let n = 0; n < 2; n++) {
    const verdict = await fresh.auditor.audit(await servedBy(0, { input: { prompt: `audited ${n}` }, maxTokens: 8, temperature: 0 }))
    assert.equal(verdict?.failed, false)
  }
})

test('a gateway publishing a false failure against an honest hoster: not confirmed, no score lost', async () => {
  const signed = await servedBy(0, { input: { prompt: 'an honest answer' }, maxTokens: 16, temperature: 0.8 })
  const publisher = new AuditPublisher({ store: client.records, chain }, { subnetId })
  assert.ok(await publisher.publish(falseFailure(signed, clientKey)))
  const rerun = nodes.slice(1, 3).map((n) => n.confirmer!.counts.rejected)
  for (const n of nodes.slice(1, 3)) await n.confirmer!.check()
  assert.deepEqual(nodes.slice(1, 3).map((n) => n.confirmer!.counts.rejected), rerun.map((r) => r + 1), 'each re-ran it and found it passing')
  const t = await tally()
  assert.ok(t.published.has(peer(0)))
  assert.equal(t.confirmed.has(peer(0)), false)
  const fresh = MeshClient.over({ rpc: nodes[1].rpc, records: nodes[1].dht, chain, subnetId, self: peer(1) }, { eligibility: { refreshMs: 0 } })
  assert.ok((await fresh.eligibleHosters(honest.model.id)).some((h) => h.peerId === peer(0)))
})

test('routing by merit: a hoster whose score on chain is under the floor gets no traffic, those above it do', async () => {
  // The elected validator proposes the epoch's scores: nodes[1] under a tenth of the median (the default floor).
  const epoch = (await chain.epochInfo(subnetId)).epoch
  const proposerId = await chain.electedValidator(subnetId, epoch)
  const proposer = devNodes.find((n) => n.nodeId === proposerId)
  assert.ok(proposer !== undefined, `a validator is elected in epoch ${epoch}`)
  const scores = devNodes.map((n, i) => ({ nodeId: n.nodeId, score: i === 1 ? 10n ** 15n : 10n ** 17n }))
  await new LocalChain(runtime, proposer).proposeAttestation(subnetId, scores)
  // The others attest: the epoch settles without slashing the proposer under the minimum stake,
  // where its records would be refused in the later tests' epochs.
  for (const n of devNodes.filter((d) => d !== proposer)) await new LocalChain(runtime, n).attest(subnetId)
  const fresh = MeshClient.over({ rpc: nodes[3].rpc, records: nodes[3].dht, chain, subnetId, self: peer(3) }, { eligibility: { refreshMs: 0 } })
  const eligible = (await fresh.eligibleHosters(honest.model.id)).map((h) => h.peerId)
  assert.ok(!eligible.includes(peer(1)), 'under the floor: not eligible')
  assert.ok(eligible.includes(peer(0)) && eligible.includes(peer(2)), 'above the floor: eligible')
  const before = nodes.map((n) => n.served.requests)
  for (let n = 0; n < 8; n++) {
    for await (const _ of fresh.generate({ model: honest.model.id, prompt: `by merit ${n}`, maxTokens: 4 })) { /* drain */ }
  }
  const traffic = nodes.map((n, i) => n.served.requests - before[i]!)
  assert.equal(traffic[1], 0, `traffic ${traffic}`)
  assert.ok(traffic[0]! > 0 && traffic[2]! > 0, `traffic ${traffic}`)
})

// A lazy confirmer coalition: hosters that commit (so they count among the confirmers, and their
// silence counts against a confirmation) and never confirm anything, to shield a cheating member.
// A failure is confirmed by a majority of the cheater's n other hosters: k of them withholding
// leave n - k confirmations, enough exactly when k < n/2. At n/2 or more the coalition blocks it;
// that is the bound of the scores' median too (half the hosters move the reference anywhere),
// outside the protocol's honest-majority assumption. Here n = 3: a coalition of 2 blocks, of 1 does not.
test('a coalition of hosters that never confirms shields a cheater only from half of its other hosters up; under half, its failure is confirmed and its score zeroed', async () => {
  // A new epoch, in which every node hosts: commits and reveals of outputs close to one another.
  const epoch = (await chain.epochInfo(subnetId)).epoch + 1
  const nEmbd = 16
  const outputs = nodes.map((_, i) => hosterRecords(peer(i), vector(1, nEmbd, 0.001 * (i + 1))))
  await advanceTo('hoster-commit', epoch)
  for (const [i, n] of nodes.entries()) await storeAsHoster(n, 'hoster-commit', outputs[i]!.commit!)
  await advanceTo('hoster-reveal', epoch)
  for (const [i, n] of nodes.entries()) await storeAsHoster(n, 'hoster-reveal', outputs[i]!.reveal!)
  const cheaterScore = async () => (await scoreEpoch({ store: nodes[0].dht, chain }, epoch, { subnetId, nEmbd, tau: DEFAULT_TAU, timeoutMs: 10_000 }))
    .hosters.peers.find((p) => p.peerId === peer(3))!
  assert.equal((await cheaterScore()).verdict, 'valid')

  // A gateway catches the cheater and publishes the evidence.
  const gateway = new ClientAuditor({
    // It asks through node 0's connections (so never node 0) and publishes as the client.
    rpc: nodes[0].rpc, self: peer(0), nodesOf: async () => [peer(0), peer(1), peer(2)],
    publisher: new AuditPublisher({ store: client.records, chain }, { subnetId }),
  })
  for (let n = 1; n <= 20 && gateway.counts.published === 0; n++) {
    await gateway.audit(await servedBy(3, { input: { prompt: `coalition ${n}` }, maxTokens: 16, temperature: n % 2 === 0 ? 0 : 0.8 }))
  }
  assert.equal(gateway.counts.published, 1)

  // The coalition: nodes 1 and 2, 2 of the cheater's 3 others, never confirm; node 0 does.
  assert.equal(auditQuorum(3), 2)
  await nodes[0].confirmer!.check()
  const blocked = await tally()
  assert.equal(blocked.confirmed.has(peer(3)), false, 'half or more of the others withholding: not confirmed')
  assert.ok(blocked.published.has(peer(3)))
  const shielded = await cheaterScore()
  assert.equal(shielded.verdict, 'valid')
  assert.ok(shielded.score > 0)

  // Node 1 leaves the coalition: 1 of 3 withholding, under half.
  await nodes[1].confirmer!.check()
  const confirmed = await tally()
  assert.deepEqual(confirmed.confirmed.get(peer(3)), [peer(0), peer(1)].sort())
  const zeroed = await cheaterScore()
  assert.equal(zeroed.verdict, 'audit-failed')
  assert.equal(zeroed.score, 0)
})

// A re-run flood: a coalition member publishes false failures against honest hosters, as many as
// a confirmer re-runs from one publisher, under a peer id the store lists before the real
// failure's publisher (records come sorted by writer; a peer id that sorts first is cheap to
// grind). A confirmer that re-runs in the store's order until its epoch's budget is spent never
// reaches the real failure: 8 publishers (4 nodes, with their client peer ids) would spend the
// default 32 re-runs of every honest confirmer. Here node 0's confirmer re-runs 4 an epoch.
test('a flood of false failures does not spend a confirmer\'s re-runs before a real failure: a publisher whose failure did not hold gets no more', async () => {
  const epoch = (await chain.epochInfo(subnetId)).epoch + 1
  await advanceTo('hoster-commit', epoch)
  for (const n of nodes) await commitAsHoster(n)
  const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : 1)
  const publisher = (id: string, key: Ed25519PrivateKey, store: RecordStore) => ({ id, key, publisher: new AuditPublisher({ store, chain }, { subnetId }) })
  // The flooder is the first of the cheater's coalition in the store's order; the gateway, an
  // honest node or the client, comes after it.
  const flooder = [1, 2, 3].map((i) => publisher(peer(i), nodes[i].key, nodes[i].dht)).sort(byId)[0]!
  const gateway = [publisher(peerIdOf(clientKey).toString(), clientKey, client.records), ...[1, 2].map((i) => publisher(peer(i), nodes[i].key, nodes[i].dht))]
    .filter((p) => p.id !== flooder.id).sort(byId).at(-1)!
  assert.ok(flooder.id < gateway.id)
  for (let n = 0; n < 4; n++) {
    const honestAnswer = await servedBy(1 + (n % 2), { input: { prompt: `flood ${n}` }, maxTokens: 8, temperature: 0 })
    assert.ok(await flooder.publisher.publish(falseFailure(honestAnswer, flooder.key)))
  }
  const auditor = new ClientAuditor({ rpc: nodes[0].rpc, self: peer(0), nodesOf: async () => [peer(1), peer(2)], publisher: gateway.publisher })
  for (let n = 1; n <= 20 && auditor.counts.published === 0; n++) {
    await auditor.audit(await servedBy(3, { input: { prompt: `flooded ${n}` }, maxTokens: 16, temperature: n % 2 === 0 ? 0 : 0.8 }))
  }
  assert.equal(auditor.counts.published, 1)

  const confirmer = new AuditConfirmer({ store: nodes[0].dht, chain, engine: honest, self: nodes[0].host.peerId, signer: new Signer(nodes[0].key) }, { subnetId, perEpoch: 4 })
  await confirmer.check()
  assert.equal(confirmer.counts.confirmed, 1, 'the real failure re-run and confirmed')
  assert.equal(confirmer.counts.rejected, 1, 'one false failure re-run, then none of that publisher')
})
