// The chain contract against the local chain: in-process, and through the server over a socket.
import { chainContract } from './contract.js'
import { LocalHarness, inProcess, overSocket } from './local-harness.js'

chainContract(new LocalHarness({ name: 'LocalChain (in-process)', connect: inProcess }))
chainContract(new LocalHarness({ name: 'the local chain server, through its client', connect: overSocket }))
