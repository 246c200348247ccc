/** What aborting one service step's change did: what people read, and whether anything was written. */
export interface AbortOutcome {
  service: string;
  /** Whether this deployment had changed the service (so the abort returned it, or says why it could not). */
  touched: boolean;
  summary: string;
}
