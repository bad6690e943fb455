// The chain contract against the local chain: in-process, and through the server over a socket.
import { chainContract } from './contract.js'
import { LocalHarness, inProcess } from './local-harness.js'

chainContract(new LocalHarness({ name: 'LocalChain (in-process)', connect: inProcess }))
