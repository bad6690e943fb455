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

test('a partition of the subnet in two in the commit phase, healed within it: records re-replicate across and the epoch is scored and attested by all', { timeout: 15 * 60_000 }, async (t) => {
  const partition = new Partition()
  const subnet = await TestSubnet.start(SPECS, engine, { seed: 'partition', gater: (peerId) => partition.gater(peerId) })
  try {
    partition.place(subnet.nodes)
    const sides = SIDES.map((indexes) => indexes.map((i) => subnet.nodes[i]!))
    const hosters = subnet.nodes.filter((n) => n.spec.role === 'hoster').map((n) => n.peerId).sort()
    const first = (await subnet.epochInfo()).epoch

    // One whole epoch together, so that every node has its scores. The next epoch's challenge is
    // stored (0–10%) while the network is whole; then the cut, before the hosters commit (15%).
    await subnet.until(first + 1, 0.1)
    const cut = first + 1
    partition.cut = true
    await Promise.all(across(subnet).map(([a, b]) => a.dht.host.libp2p.hangUp(b.dht.host.peerId)))
    for (const [a, b] of across(subnet)) assert.equal(a.dht.host.libp2p.getConnections(b.dht.host.peerId).length, 0)
    await assert.rejects(sides[0]![0]!.dht.host.libp2p.dial(sides[1]![0]!.dht.host.addresses()[0]!), 'the gater refuses a dial across')

    // The hosters commit (in the first block of 15–50%), each side's commits stored on its side only.
    await subnet.until(cut, 0.2)
    const onlyOnSide = sides.map((side, s) => {
      const here = new Set(side.flatMap((n) => [...recordsOf(n)]))
      const there = new Set(sides[1 - s]!.flatMap((n) => [...recordsOf(n)]))
      return [...here].filter((r) => !there.has(r))
    })
    for (const [s, side] of sides.entries()) {
      const commits = side.filter((n) => n.spec.role === 'hoster').map((n) => `hoster-commit_epoch_${cut}/${n.peerId}`).sort()
      assert.deepEqual(onlyOnSide[s]!.filter((r) => r.startsWith('hoster-commit')).sort(), commits, `side ${s}'s commits are on its side only`)
    }

    // Heal in the same block, the commit window still open: the gaters let go and the sides dial
    // each other. (In the same block, because this harness's blocks come by hand, much faster than
    // the 60 s block time they declare, and a record's expiration is checked against the chain's
    // block clock: blocks later, a handoff would be refused as DHT_EXPIRATION_TOO_FAR, an artifact
    // of the hand clock that real blocks do not have.)
    // Re-replication rounds run (as the DHT's schedule runs them, here back to back) until the
    // records are across: a round may come before kad-dht has the peers back in its routing table.
    // (Epoch records are refused outside their phase window, re-replication included, by the
    // protocol: a partition that outlasts a phase loses that phase's records across it.)
    partition.cut = false
    const healedAt = Date.now()
    await Promise.all(across(subnet).map(([a, b]) => a.dht.host.libp2p.dial(b.dht.host.addresses()[0]!, { signal: AbortSignal.timeout(60_000) })))
    const missingAcross = (): string[] => onlyOnSide.flatMap((records, s) => {
      const there = new Set(sides[1 - s]!.flatMap((n) => [...recordsOf(n)]))
      return records.filter((r) => !there.has(r))
    })
    let handed = 0
    let rounds = 0
    while (missingAcross().length > 0 && Date.now() - healedAt < 120_000) {
      handed += (await Promise.all(subnet.nodes.map((n) => n.dht.dht.replicate()))).reduce((a, b) => a + b, 0)
      rounds++
      if (missingAcross().length > 0) await new Promise((resolve) => setTimeout(resolve, 1000))
    }
    assert.deepEqual(missingAcross(), [], 'records still on one side only, 2 minutes after the healing')
    assert.ok(handed > 0)
    const replicatedMs = Date.now() - healedAt

    // Consensus resumes with the very epoch that was cut: every node sees every reveal, computes
    // the same scores, and attests their submission.
    await subnet.until(cut + 1, 0.2)
    for (const node of subnet.nodes) {
      const records = node.game.reports.get(cut)?.records
      assert.deepEqual(records?.hosterCommits, hosters, `commits seen by node ${node.index} in epoch ${cut}`)
      assert.deepEqual(records?.hosterReveals, hosters, `reveals seen by node ${node.index} in epoch ${cut}`)
    }
    const entries = subnet.nodes[0]!.game.reports.get(cut)!.scores!.entries
    for (const node of subnet.nodes) assert.deepEqual(node.game.reports.get(cut)!.scores!.entries, entries, `node ${node.index}'s scores of epoch ${cut}`)
    const submission = await subnet.reader.consensusSubmission(subnet.subnetId, cut + 1)
    assert.ok(submission !== null, `no submission of epoch ${cut}'s scores`)
    const attesters = new Set([submission.validatorId, ...submission.attestations.map((a) => a.nodeId)])
    assert.deepEqual([...attesters].sort(), subnet.nodes.map((n) => n.nodeId).sort(), 'every node attested after the healing')

    t.diagnostic(`partition in epoch ${cut} (10–20%): ${onlyOnSide.map((r) => r.length).join(' and ')} records held on one side only; ` +
      `healed: re-replicated in ${replicatedMs} ms (${rounds} rounds, ${handed} handoffs); epoch ${cut} scored alike and attested by all ${attesters.size}`)
  } finally {
    await subnet.close()
  }
})
