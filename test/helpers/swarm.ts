// Real libp2p hosts on loopback for tests: the first starts a new swarm, the others join it.
import { startHost, type Host, type HostOptions } from '../../src/p2p/host.js'
import { generateIdentity } from '../../src/p2p/keys.js'

/** What every loopback host needs: private addresses kept, many connections from 127.0.0.1 allowed. */
export const LOOPBACK: Partial<HostOptions> = {
  hostMaddrs: ['/ip4/127.0.0.1/tcp/0'],
  privateAddresses: true,
  inboundConnectionThreshold: 10_000,
  autoNat: false,
}

export async function startLoopbackHost(options: Partial<HostOptions> = {}): Promise<Host> {
  return startHost({ subnetId: 1, privateKey: await generateIdentity(), newSwarm: true, ...LOOPBACK, ...options })
}

/** `count` hosts of one swarm; closes the ones started when a later one fails. */
export async function startSwarm(count: number, options: Partial<HostOptions> = {}): Promise<Host[]> {
  const hosts: Host[] = []
  try {
    hosts.push(await startLoopbackHost(options))
    const initialPeers = hosts[0].addresses().map(String)
    for (let i = 1; i < count; i++) {
      hosts.push(await startLoopbackHost({ ...options, newSwarm: false, initialPeers }))
    }
    return hosts
  } catch (err) {
    await closeAll(hosts)
    throw err
  }
}

export async function closeAll(hosts: Array<{ close(): Promise<void> | void } | undefined>): Promise<void> {
  await Promise.allSettled(hosts.map(async (h) => h?.close()))
}
