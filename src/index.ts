// The library API of mesh, for apps and for those who build on the node's parts.
import './polyfill.js'

export { MeshClient, type MeshClientOptions, type RequestOptions } from './client/mesh-client.js'
export { ApiServer, type ApiServerOptions } from './api/server.js'
export type { InferenceBackend, ModelCard } from './api/backend.js'
export { EngineBackend } from './api/engine-backend.js'
export { SubnetNode, type SubnetNodeOptions } from './node/subnet-node.js'
export { connectChain, type ConnectOptions } from './chain/connect.js'
export type { Chain, ConsensusEntry, ConsensusSubmission, EpochInfo, NodeClass, SubnetInfo, SubnetNode as ChainSubnetNode } from './chain/chain.js'
export { loadAccount, accountFromSecret } from './chain/accounts.js'
export { openLlamaEngine, type LlamaEngineOptions } from './inference/llama-engine.js'
export type {
  ChatMessage, Engine, GenerateChunk, GenerateRequest, ModelInfo, ResponseFormat, SamplingOptions, TokenLogprob, ToolCall, ToolChoice, ToolDefinition,
} from './inference/engine.js'
export { ToolOutputParser, type ToolOutputEvent } from './inference/tool-format.js'
export { generateIdentity, readIdentity, writeIdentity, peerIdOf } from './p2p/keys.js'
export { MeshError } from './errors.js'
