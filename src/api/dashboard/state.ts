// What the dashboard page shows, as GET /dashboard/state returns it. Plain JSON (stakes as
// decimal strings) so that the page needs no library.

export interface DashboardNode {
  nodeId: number
  peerId: string
  /** From the node's heartbeat; null when it has none live. */
  role: 'hoster' | 'validator' | null
  class: string
  /** Stake in tokens, as a decimal string. */
  stake: string
  model: string | null
  tokensPerSecond: number | null
  queueLength: number | null
  /** The node's score in the last submission, as a fraction of 1. */
  lastScore: number | null
}

export interface DashboardEpoch {
  epoch: number
  challenge: boolean
  commits: number
  reveals: number
  /** The elected validator's node id, when one was elected. */
  validator: number | null
  submitted: boolean
  attestationRatio: number | null
  /** nodeId → score (fraction of 1) as submitted. */
  scores: Record<string, number>
  /** Hosters with audit failures published but not confirmed, and with confirmed failures (scored 0). */
  auditFailures: number
  auditConfirmed: number
}

/** Audits of this gateway's answers since it started. */
export interface DashboardAudits {
  audits: number
  failures: number
  published: number
  /** Hosters with a confirmed failure in this epoch or the last. */
  confirmed: number
}

export interface DashboardState {
  subnetId: number
  block: number
  epoch: number
  progress: number
  secondsRemaining: number
  electedValidator: number | null
  models: string[]
  nodes: DashboardNode[]
  /** Newest first. */
  epochs: DashboardEpoch[]
  /** Absent where the dashboard is served without a client that audits. */
  audits?: DashboardAudits
}

export interface DashboardSource {
  state(): Promise<DashboardState>
}
