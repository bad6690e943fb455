// Whether the service takes a request (PROTOCOL.md, "RPC and authentication"). The checks run
// cheapest first: the protocol and the caller's rate, the addressing, the clock, a caller
// already known to have no stake, the nonce, then one signature verification, and only then the
// (cached) chain lookup for stake. The connection authenticates the caller's peer id, so a
// caller the stake cache knows to be unstaked is refused before its signature is verified or its
// nonce remembered: a flood from unstaked peers costs neither and cannot fill the nonce memory.
import { timingSafeEqual } from 'node:crypto'
import type { PeerId } from '@libp2p/interface'
import type { Chain, NodeClass } from '../chain/chain.js'
import type { Verifier } from '../p2p/signing.js'
import { RPC_CODES, RpcError } from './errors.js'
import type { Request } from './frames.js'
import { RateLimiter, type RateLimit } from './rate-limiter.js'
import { ReplayGuard, type ReplayGuardOptions } from './replay-guard.js'
import { StakeCache, type StakeCacheOptions } from './stake-cache.js'

/** Who may call a method: anyone who signs (`public`), or staked nodes of at least a class. */
export type Access = 'public' | NodeClass

export interface AdmissionOptions {
  /** Verify signatures, clocks and nonces, and require stake (default true). Off only on trusted networks and in benchmarks. */
  authenticate?: boolean
  /** Largest difference between the caller's clock and ours (default 60 s). */
  maxClockSkewMs?: number
  replay?: ReplayGuardOptions
  /** Calls per peer, or false for no limit (default 100/s, bursts of 200). */
  rateLimit?: RateLimit | false
  stake?: StakeCacheOptions
  now?: () => number
}

export interface AdmissionComponents {
  /** This service's peer id: requests must be addressed to it. */
  self: PeerId
  subnetId: number
  verifier: Verifier
  /** Needed when a method requires stake. */
  chain?: Chain
}

export const DEFAULT_RATE_LIMIT: RateLimit = { perSecond: 100, burst: 200 }

export class Admission {
  readonly authenticate: boolean
  private readonly self: Uint8Array
  private readonly subnetId: number
  private readonly verifier: Verifier
  private readonly maxClockSkewMs: number
  private readonly replay: ReplayGuard
  private readonly limiter?: RateLimiter
  private readonly stake?: StakeCache
  private readonly now: () => number

  constructor(components: AdmissionComponents, options: AdmissionOptions = {}) {
    this.authenticate = options.authenticate ?? true
    this.self = components.self.toMultihash().bytes
    this.subnetId = components.subnetId
    this.verifier = components.verifier
    this.maxClockSkewMs = options.maxClockSkewMs ?? 60_000
    this.now = options.now ?? Date.now
    this.replay = new ReplayGuard({ now: this.now, ...options.replay })
    const limit = options.rateLimit ?? DEFAULT_RATE_LIMIT
    if (limit !== false) this.limiter = new RateLimiter(limit, { now: this.now })
    if (components.chain !== undefined) {
      this.stake = new StakeCache(components.chain, components.subnetId, { now: this.now, ...options.stake })
    }
  }

  /** Whether methods with this access can be served (stake needs a chain). */
  canServe(access: Access): boolean {
    return !this.authenticate || access === 'public' || this.stake !== undefined
  }

  /** Resolves when the request may be served; rejects with an RpcError saying why not. */
  async admit(request: Request, remote: PeerId, protocol: string, access: Access): Promise<void> {
    if (request.protocol !== protocol) {
      throw new RpcError(RPC_CODES.BAD_REQUEST, `request made for ${request.protocol} arrived on ${protocol}`)
    }
    const peer = remote.toString()
    if (this.limiter !== undefined && !this.limiter.take(peer)) {
      throw new RpcError(RPC_CODES.RATE_LIMITED, 'too many calls; slow down', { fix: 'retry after a short wait' })
    }
    if (!this.authenticate) return
    if (!equal(request.service, this.self)) {
      throw new RpcError(RPC_CODES.WRONG_SERVICE, 'the request is addressed to another peer')
    }
    if (!equal(request.caller, remote.toMultihash().bytes)) {
      throw new RpcError(RPC_CODES.SIGNER_MISMATCH, 'the request is signed for a peer other than the connection\'s')
    }
    const skew = request.timeMs - this.now()
    if (Math.abs(skew) > this.maxClockSkewMs) {
      throw new RpcError(RPC_CODES.CLOCK_SKEW, `the caller's clock is ${Math.round(skew / 1000)} s off ours`, {
        fix: 'synchronize the clock (NTP)',
      })
    }
    if (access !== 'public' && this.stake?.cached(peer, access) === false) throw noStake(access, this.subnetId)
    // The nonce is taken before the signature check (the dearer one); a refused request gives it back.
    const nonce = this.replay.remember(peer, request.nonce)
    if (nonce === 'replay') throw new RpcError(RPC_CODES.REPLAY, 'the request nonce was already used')
    if (nonce === 'full') throw new RpcError(RPC_CODES.BUSY, 'too many recent requests to remember their nonces', { fix: 'retry later' })
    if (!this.verifier.verify(remote, request.bodyBytes, request.signature)) {
      this.replay.forget(peer, request.nonce)
      throw new RpcError(RPC_CODES.BAD_SIGNATURE, 'the request signature does not verify against the caller\'s key')
    }
    if (access === 'public') return
    if (this.stake === undefined) throw new RpcError(RPC_CODES.INTERNAL, 'the service has no chain to check stake')
    const staked = this.stake.cached(peer, access) ?? await this.stake.hasStake(peer, access)
    if (!staked) {
      this.replay.forget(peer, request.nonce)
      throw noStake(access, this.subnetId)
    }
  }
}

function noStake(access: NodeClass, subnetId: number): RpcError {
  return new RpcError(RPC_CODES.NO_STAKE, `the caller is not a ${access}+ node, bootnode or client of subnet ${subnetId} on chain`, {
    fix: 'register and stake the node on chain',
  })
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && timingSafeEqual(a, b)
}
