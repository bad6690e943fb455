// A network partition and its healing, on the whole subnet in one process (the consensus harness:
// the real LocalChain with blocks advanced by hand, real libp2p hosts with the real DHT on
// loopback, the real engine). Separate processes cannot be partitioned portably without root
// (network namespaces, firewall rules), so the partition is made where libp2p decides whom it
// talks to: each host's connection gater refuses the other group, and the connections across
// are closed. Healing lifts the refusal and dials across again.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import type { ConnectionGater, PeerId } from '@libp2p/interface'
import type { Engine } from '../../src/inference/engine.js'
import { testModelFile } from '../../src/inference/gguf/test-model-file.js'
import { openLlamaEngine } from '../../src/inference/llama-engine.js'
import { TestSubnet, type NodeSpec, type TestNode } from '../consensus/subnet-harness.js'

const SPECS: NodeSpec[] = [{ role: 'hoster' }, { role: 'hoster' }, { role: 'hoster' }, { role: 'hoster' }, { role: 'validator' }, { role: 'validator' }]
/** Node indexes of each side: two hosters and a validator each. */
const SIDES = [[0, 1, 4], [2, 3, 5]]

let engine: Engine
before(async () => {
  engine = await openLlamaEngine({ model: testModelFile({ seed: 1 }), threads: 1, parallel: 1 })
})
after(async () => {
  await engine?.close()
})

/** Refuses every connection between the sides while `cut` is set. */
class Partition {
  cut = false
  private readonly side = new Map<string, number>()

  place(nodes: TestNode[]): void {
    SIDES.forEach((indexes, s) => { for (const i of indexes) this.side.set(nodes[i]!.peerId, s) })
  }

  gater(self: string): ConnectionGater {
    const refuses = async (peer: PeerId): Promise<boolean> => {
      const theirs = this.side.get(peer.toString())
      return this.cut && theirs !== undefined && theirs !== this.side.get(self)
    }
    return { denyDialPeer: refuses, denyInboundEncryptedConnection: refuses, denyOutboundEncryptedConnection: refuses }
  }
}

function across(subnet: TestSubnet): Array<[TestNode, TestNode]> {
  return SIDES[0]!.flatMap((a) => SIDES[1]!.map((b): [TestNode, TestNode] => [subnet.nodes[a]!, subnet.nodes[b]!]))
}

/** The records a node stores, each named by its key and subkey (its writer's). */
function recordsOf(node: TestNode): Set<string> {
  return new Set([...node.dht.dht.storage.entries()].flatMap(([key, records]) => records.map((r) => `${key}/${r.subkey}`)))
}

test('a partition of the subnet in two, then healed: records re-replicate across and consensus resumes with every node', { timeout: 15 * 60_000 }, async (t) => {
  const partition = new Partition()
  const subnet = await TestSubnet.start(SPECS, engine, { seed: 'partition', gater: (peerId) => partition.gater(peerId) })
  try {
    partition.place(subnet.nodes)
    const sides = SIDES.map((indexes) => indexes.map((i) => subnet.nodes[i]!))
    const hosters = subnet.nodes.filter((n) => n.spec.role === 'hoster').map((n) => n.peerId).sort()
    const first = (await subnet.epochInfo()).epoch

    // One whole epoch together, so that every node has its scores; then cut in the next epoch's first phase.
    await subnet.until(first + 1, 0.05)
    partition.cut = true
    await Promise.all(across(subnet).map(([a, b]) => a.dht.host.libp2p.hangUp(b.dht.host.peerId)))
    for (const [a, b] of across(subnet)) assert.equal(a.dht.host.libp2p.getConnections(b.dht.host.peerId).length, 0)
    await assert.rejects(sides[0]![0]!.dht.host.libp2p.dial(sides[1]![0]!.dht.host.addresses()[0]!), 'the gater refuses a dial across')
    const cut = first + 1

    // The partitioned epoch: each side sees only its own hosters' reveals.
    await subnet.until(cut + 1, 0.05)
    for (const [s, side] of sides.entries()) {
      const own = side.filter((n) => n.spec.role === 'hoster').map((n) => n.peerId).sort()
      for (const node of side) {
        const seen = node.game.reports.get(cut)?.records?.hosterReveals ?? []
        assert.ok(seen.every((p) => own.includes(p)), `node ${node.index} (side ${s}) saw a reveal from across the partition`)
      }
    }
    const onlyOnSide = sides.map((side, s) => {
      const here = new Set(side.flatMap((n) => [...recordsOf(n)]))
      const there = new Set(sides[1 - s]!.flatMap((n) => [...recordsOf(n)]))
      return [...here].filter((r) => !there.has(r))
    })
    assert.ok(onlyOnSide.every((keys) => keys.length > 0), 'each side holds records the other lacks')

    // Heal: the gaters let go, the sides dial each other, and a round of re-replication runs.
    partition.cut = false
    const healedAt = Date.now()
    await Promise.all(across(subnet).map(([a, b]) => a.dht.host.libp2p.dial(b.dht.host.addresses()[0]!, { signal: AbortSignal.timeout(60_000) })))
    const handed = await Promise.all(subnet.nodes.map((n) => n.dht.dht.replicate()))
    assert.ok(handed.some((n) => n > 0), 'nothing was re-replicated')
    for (const [s, keys] of onlyOnSide.entries()) {
      const there = new Set(sides[1 - s]!.flatMap((n) => [...recordsOf(n)]))
      const missing = keys.filter((k) => !there.has(k))
      assert.deepEqual(missing, [], `side ${1 - s} still lacks records of side ${s} after re-replication`)
    }
    const replicatedMs = Date.now() - healedAt

    // Consensus resumes: the first whole epoch after the healing is played by all, identically, and attested by all.
    const healed = cut + 2
    await subnet.until(healed + 1, 0.2)
    for (const node of subnet.nodes) {
      const records = node.game.reports.get(healed)?.records
      assert.deepEqual(records?.hosterReveals, hosters, `reveals seen by node ${node.index} in epoch ${healed}`)
    }
    const entries = subnet.nodes[0]!.game.reports.get(healed)!.scores!.entries
    for (const node of subnet.nodes) assert.deepEqual(node.game.reports.get(healed)!.scores!.entries, entries, `node ${node.index}'s scores of epoch ${healed}`)
    const submission = await subnet.reader.consensusSubmission(subnet.subnetId, healed + 1)
    assert.ok(submission !== null, `no submission of epoch ${healed}'s scores`)
    const attesters = new Set([submission.validatorId, ...submission.attestations.map((a) => a.nodeId)])
    assert.deepEqual([...attesters].sort(), subnet.nodes.map((n) => n.nodeId).sort(), 'every node attested after the healing')

    const during = await subnet.reader.consensusSubmission(subnet.subnetId, cut + 1)
    t.diagnostic(`partition in epoch ${cut}: ${onlyOnSide.map((k) => k.length).join(' and ')} records held on one side only; ` +
      `the submission of its scores: ${during === null ? 'none' : `${during.attestations.length}/${during.validatorCount} attested`}; ` +
      `healed: re-replicated in ${replicatedMs} ms (${handed.reduce((a, b) => a + b, 0)} handoffs); epoch ${healed} attested by all ${attesters.size}`)
  } finally {
    await subnet.close()
  }
})
