/**
 * The daily retention run: audit rows older than `AUDIT_RETENTION_DAYS`, history older than
 * `HISTORY_RETENTION_DAYS`, dead letters older than `DEAD_LETTER_RETENTION_DAYS` (and any a
 * restore brought back after an operator retried or discarded them), and the data generations a restore replaced (processes have long
 * since re-read the pointer by then).
 *
 * @module
 */
import * as audit from "../store/audit.ts";
import { dropSettledDeadLetters, purgeDeadLetters } from "../store/dead_letter_upkeep.ts";
import { dropBelow } from "../store/generations.ts";
import { commitTx } from "../store/kv.ts";
import { purgeFeedback, purgeHistory } from "../store/retention.ts";
import { type CronDeps, type CronOutcome, runCron } from "./cron.ts";

/** What retention reads. */
export interface RetentionDeps extends CronDeps {
  /** `AUDIT_RETENTION_DAYS`, `HISTORY_RETENTION_DAYS`, `DEAD_LETTER_RETENTION_DAYS`. */
  retentionDays: { audit: number; history: number; deadLetters: number };
}

const DAY_MS = 86_400_000;
/** Audit rows per commit (three keys each). */
const AUDIT_BATCH = 300;

/**
 * @example
 * ```ts
 * await retentionCron({ store, clock, cronEnabled: true, retentionDays: { audit: 90, history: 365, deadLetters: 30 } });
 * ```
 */
export function retentionCron(deps: RetentionDeps): Promise<CronOutcome> {
  const { store, clock } = deps;
  return runCron(deps, "retention", async () => {
    const now = clock.now();
    let auditRows = 0;
    while (true) {
      const tx = store.tx();
      const n = await audit.stagePurge(
        store,
        tx,
        now - deps.retentionDays.audit * DAY_MS,
        AUDIT_BATCH,
      );
      await commitTx(store, tx);
      auditRows += n;
      if (n < AUDIT_BATCH) break;
    }
    const history = await purgeHistory(store, now - deps.retentionDays.history * DAY_MS);
    const feedback = await purgeFeedback(store, now - deps.retentionDays.history * DAY_MS);
    const deadLetters = await purgeDeadLetters(
      store,
      now - deps.retentionDays.deadLetters * DAY_MS,
    );
    const settledDeadLetters = await dropSettledDeadLetters(store);
    const generationKeys = await dropBelow(store, await store.refreshGeneration());
    return {
      audit_rows_purged: auditRows,
      history_purged: history,
      feedback_purged: feedback,
      dead_letters_purged: deadLetters,
      settled_dead_letters_dropped: settledDeadLetters,
      old_generation_keys_dropped: generationKeys,
    };
  });
}
