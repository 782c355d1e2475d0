/**
 * The hourly session sweep: walks the session expiry index up to now, removes the sessions that
 * expired and takes their gauges back (the supervisor's `cleanupExpiredSessions`), then looks at
 * the next page of lease records for actors without a session (`removeOrphanedLeases`).
 *
 * @module
 */
import { type CronDeps, type CronOutcome, runCron } from "./cron.ts";

/** What the sweep drives. */
export interface SessionSweepDeps extends CronDeps {
  /** The supervisor's `cleanupExpiredSessions()`: returns how many it cleaned. */
  cleanupExpiredSessions(): Promise<number>;
  /** The supervisor's `removeOrphanedLeases()`: returns how many lease records it removed. */
  removeOrphanedLeases?(): Promise<number>;
}

/**
 * @example
 * ```ts
 * await sessionSweepCron({ store, clock, cronEnabled: true, cleanupExpiredSessions: () => supervisor.cleanupExpiredSessions() });
 * ```
 */
export function sessionSweepCron(deps: SessionSweepDeps): Promise<CronOutcome> {
  return runCron(deps, "session_sweep", async () => ({
    sessions_cleaned: await deps.cleanupExpiredSessions(),
    ...deps.removeOrphanedLeases ? { leases_removed: await deps.removeOrphanedLeases() } : {},
  }));
}
