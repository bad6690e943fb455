// Which hosters may serve a model for this client: those whose live heartbeat names the model
// (hoster-directory.ts), eligible on chain where the client reads the chain (eligibility.ts:
// Included+, no confirmed audit failure, score above the floor), and none this client saw fail
// an audit itself. Routing asks it, and so does the auditor for the nodes it sends audits to:
// a hoster this client would not route to judges none of its answers.
import { errorMessage } from '../errors.js'
import { logger } from '../log.js'
import type { HosterEligibility } from './eligibility.js'
import type { HosterDirectory } from './hoster-directory.js'
import type { HosterCandidate } from './router.js'
import type { HosterSource } from './session.js'

const log = logger('client')

export interface ServingHostersComponents {
  directory: Pick<HosterDirectory, 'current'>
  /** None: a client without the chain routes on heartbeats alone. */
  eligibility?: Pick<HosterEligibility, 'current'>
  /** Hosters this client saw fail an audit (ClientAuditor.failed). */
  failedAudit: ReadonlySet<string>
}

export class ServingHosters implements HosterSource {
  constructor(private readonly components: ServingHostersComponents) {}

  /** By the last readings (only the first is waited for); the client starts the next ones after a request's first chunk. */
  async hosters(modelId: string): Promise<HosterCandidate[]> {
    const { directory, eligibility, failedAudit } = this.components
    const view = await eligibility?.current().catch((err: unknown) => {
      log.warn('hoster eligibility unreadable: routing on heartbeats alone', { error: errorMessage(err) })
      return undefined
    })
    return (await directory.current()).filter((h) => h.heartbeat.modelId === modelId && !failedAudit.has(h.peerId) && (view?.allowed(h.peerId) ?? true))
  }
}
