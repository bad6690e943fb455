// The local chain's JSON-RPC over WebSocket: message shapes, the signed-write envelope, and the
// checks the server makes on every argument it receives (a peer is never trusted to send types).
import type { KeyringPair } from '@polkadot/keyring/types'
import { stringToU8a, u8aToHex } from '@polkadot/util'
import { randomBytes } from 'node:crypto'
import { MAX_SUBMISSION_ARGS_BYTES, NODE_CLASSES, type NodeClass } from '../chain.js'
import { ChainError } from '../errors.js'
import type { WriteCall, WriteMethod } from './dispatch.js'

export type Request =
  | { id: number; type: 'hello' }
  | { id: number; type: 'read'; method: ReadMethod; args: unknown[] }
  | { id: number; type: 'write'; payload: string; signature: string }
  | { id: number; type: 'subscribe' }

export interface WireError { code: string; message: string; fix?: string }

export type Response =
  | { id: number; result: unknown }
  | { id: number; error: WireError }
  | { type: 'block'; block: number }

export interface Hello { chainId: string; blockTimeMs: number; epochLength: number; block: number }

/** What a write's signature covers: the call, who signs, which chain, and a one-time nonce. */
export interface SignedPayload {
  chainId: string
  method: WriteMethod
  args: unknown[]
  signer: string
  nonce: string
  /** Milliseconds since the epoch when signed; the server refuses stale or future payloads. */
  time: number
}

export const READ_METHODS = ['epochLength', 'blockNumber', 'epochInfo', 'subnet', 'subnetNodes', 'nodeIdOf', 'proofOfStake', 'electedValidator', 'consensusSubmission', 'blockHash'] as const
export type ReadMethod = (typeof READ_METHODS)[number]

export function signPayload(pair: KeyringPair, payload: SignedPayload, encode: (v: unknown) => string): { payload: string; signature: string } {
  const text = encode(payload)
  return { payload: text, signature: u8aToHex(pair.sign(stringToU8a(text))) }
}

export function freshNonce(): string {
  return randomBytes(16).toString('hex')
}

/** The message of a ChainError without the fix that MeshError appends, so the fix travels apart. */
export function toWireError(err: unknown): WireError {
  if (err instanceof ChainError) {
    const suffix = err.fix === undefined ? '' : ` (${err.fix})`
    const message = suffix !== '' && err.message.endsWith(suffix) ? err.message.slice(0, -suffix.length) : err.message
    return err.fix === undefined ? { code: err.code, message } : { code: err.code, message, fix: err.fix }
  }
  return { code: 'CHAIN_INTERNAL', message: `the local chain failed: ${err instanceof Error ? err.message : String(err)}` }
}

export function fromWireError(error: WireError): ChainError {
  return new ChainError(String(error.code), String(error.message), error.fix === undefined ? {} : { fix: String(error.fix) })
}

export function badRequest(message: string): ChainError {
  return new ChainError('CHAIN_BAD_REQUEST', message)
}

// --- argument checks -------------------------------------------------------------------------

type Check = (value: unknown, name: string) => unknown

const uint: Check = (v, name) => {
  if (!Number.isSafeInteger(v) || (v as number) < 0) throw badRequest(`${name} must be a non-negative integer`)
  return v
}
const text: Check = (v, name) => {
  if (typeof v !== 'string' || v.length > 1024) throw badRequest(`${name} must be a string`)
  return v
}
const optionalText: Check = (v, name) => (v === undefined ? v : text(v, name))
const amount: Check = (v, name) => {
  if (typeof v !== 'bigint' || v < 0n) throw badRequest(`${name} must be a non-negative bigint`)
  return v
}
const optionalBytes = (max: number): Check => (v, name) => {
  if (v !== undefined && (!(v instanceof Uint8Array) || v.length > max)) throw badRequest(`${name} must be at most ${max} bytes`)
  return v
}
const nodeClass: Check = (v, name) => {
  if (v !== undefined && !NODE_CLASSES.includes(v as NodeClass)) throw badRequest(`${name} must be one of ${NODE_CLASSES.join(', ')}`)
  return v
}
const record = (fields: Record<string, Check>): Check => (v, name) => {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw badRequest(`${name} must be an object`)
  const out: Record<string, unknown> = {}
  for (const [key, check] of Object.entries(fields)) {
    const value = check((v as Record<string, unknown>)[key], `${name}.${key}`)
    if (value !== undefined) out[key] = value
  }
  return out
}
const list = (item: Check, max: number): Check => (v, name) => {
  if (!Array.isArray(v) || v.length > max) throw badRequest(`${name} must be an array of at most ${max} items`)
  return v.map((x, i) => item(x, `${name}[${i}]`))
}

const READ_ARGS: Record<ReadMethod, Check[]> = {
  epochLength: [],
  blockNumber: [],
  epochInfo: [uint],
  subnet: [uint],
  subnetNodes: [uint],
  nodeIdOf: [uint, text],
  proofOfStake: [uint, text, nodeClass],
  electedValidator: [uint, uint],
  consensusSubmission: [uint, uint],
  blockHash: [uint],
}

const WRITE_ARGS: Record<WriteMethod, Check[]> = {
  proposeAttestation: [uint, list(record({ nodeId: uint, score: amount }), 4096), optionalBytes(MAX_SUBMISSION_ARGS_BYTES)],
  attest: [uint],
  registerSubnet: [record({ name: text, minStake: amount, maxStake: amount, initialColdkeys: list(text, 1024) })],
  activateSubnet: [uint],
  registerSubnetNode: [record({ subnetId: uint, hotkey: text, peerId: text, bootnodePeerId: optionalText, clientPeerId: optionalText, stake: amount })],
  addStake: [uint, uint, text, amount],
  removeStake: [uint, text, amount],
}

function checkArgs(checks: Check[], args: unknown, method: string): unknown[] {
  if (!Array.isArray(args) || args.length > checks.length) throw badRequest(`${method} takes ${checks.length} arguments`)
  return checks.map((check, i) => check(args[i], `${method} argument ${i + 1}`))
}

export function checkRead(method: unknown, args: unknown): { method: ReadMethod; args: unknown[] } {
  if (!READ_METHODS.includes(method as ReadMethod)) throw badRequest(`unknown read method ${String(method)}`)
  return { method: method as ReadMethod, args: checkArgs(READ_ARGS[method as ReadMethod], args, String(method)) }
}

export function checkWrite(method: unknown, args: unknown): WriteCall {
  if (typeof method !== 'string' || !(method in WRITE_ARGS)) throw badRequest(`unknown write method ${String(method)}`)
  return { method, args: checkArgs(WRITE_ARGS[method as WriteMethod], args, method) } as WriteCall
}
