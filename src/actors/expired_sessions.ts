/**
 * The session sweep's work: expired sessions found through the expiry index are removed (or
 * left as husks while their finished ids protect against redeliveries), their gauges taken back
 * and their actors' lease records removed when nobody holds them, each session in its own
 * commit (docs/ARCHITECTURE.md, "What an update costs").
 *
 * @module
 */
import * as counters from "../store/counters.ts";
import { leaseKeys, stageFreeLeaseRemoval } from "../store/leases.ts";
import { dueSessions, sessionKey, sessionLeaseEnded, stageExpiry } from "../store/sessions.ts";
import { type RuntimeParts } from "./parts.ts";
import { type ResidentActors } from "./residents.ts";
import { stageGaugeDelta } from "./turn.ts";

/**
 * Removes the sessions due by now, `batch` at a time; a resident actor whose session went
 * forgets its copy.
 *
 * @returns the number of sessions cleaned.
 * @example
 * ```ts
 * const cleaned = await sweepExpiredSessions(parts, residents);
 * ```
 */
export async function sweepExpiredSessions(
  parts: RuntimeParts,
  residents: ResidentActors,
  batch = 200,
): Promise<number> {
  const { store, clock, committer } = parts;
  let cleaned = 0;
  while (true) {
    const now = clock.now();
    const due = await dueSessions(store, now, batch);
    if (due.length === 0) return cleaned;
    const outcomes = await Promise.all(due.map(async (entry) => {
      const tx = store.tx();
      const [session, ...lease] = await store.kv.getMany([
        sessionKey(store.generation, entry.actor),
        ...leaseKeys(entry.actor),
      ]);
      // The actor's lease record would outlive its user otherwise: nothing else removes it.
      if (stageExpiry(tx, entry, session, now)) {
        stageFreeLeaseRemoval(tx, lease, sessionLeaseEnded(session), now);
      }
      stageGaugeDelta(tx, entry.gauges, null);
      counters.add(tx, "sessions_cleaned");
      const outcome = await committer.submit(tx);
      const slot = residents.get(entry.actor);
      if (
        outcome.ok && slot && !slot.draining && slot.session?.record.createdAt === entry.createdAt
      ) {
        slot.session = undefined;
      }
      return outcome.ok;
    }));
    cleaned += outcomes.filter(Boolean).length;
    if (due.length < batch) return cleaned;
  }
}
