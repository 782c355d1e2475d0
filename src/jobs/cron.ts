/**
 * What every scheduled run shares: `CRON_ENABLED=false` makes it a no-op; a KV lease per cron
 * (`cron:<name>`) keeps a run from overlapping itself across processes (and within one); a run is
 * skipped while a backup or restore holds the maintenance lease; and each run's start, end,
 * outcome and figures are recorded in KV (`cron_run`) for the dashboard. A run never throws:
 * failures are reported and recorded.
 *
 * @module
 */
import { getLogger } from "@logtape/logtape";
import { type Clock } from "../core/clock.ts";
import { randomId, timeOrderedId } from "../core/ids.ts";
import { type ReportError } from "../core/report.ts";
import { type CronRun, stagePruneRuns, stageRun } from "../store/cron_runs.ts";
import { commitTx, type Store } from "../store/kv.ts";
import { LeaseKeeper } from "../store/lease_keeper.ts";
import { isLeaseLive, MAINTENANCE_LEASE } from "../store/leases.ts";

/** What every cron handler needs. */
export interface CronDeps {
  store: Store;
  clock: Clock;
  /** `CRON_ENABLED`. */
  cronEnabled: boolean;
  /** Reports a failed run (logged either way). */
  reportError?: ReportError;
  /** This process's name in run records and leases. @default random */
  owner?: string;
  /** How long a run's lease lasts unless renewed (`LEASE_TTL_SECONDS`). @default 30_000 */
  leaseTtlMs?: number;
}

/** What a handler's work returns: figures by name. */
export type CronNumbers = Record<string, number>;

/** How a run ended. */
export interface CronOutcome {
  name: string;
  /** `disabled`: CRON_ENABLED=false; `skipped`: another run holds it, maintenance, or the schema fence. */
  status: "ok" | "error" | "skipped" | "disabled";
  /** Why it was skipped. */
  reason?: "running elsewhere" | "maintenance" | "schema";
  numbers: CronNumbers;
  error?: string;
}

/** Options of {@linkcode runCron}. */
export interface RunCronOptions {
  /** Skip while a backup or restore runs. @default true */
  skipDuringMaintenance?: boolean;
}

const log = getLogger(["rvx", "jobs"]);
const processOwner = `cron-${randomId(6)}`;

/**
 * Runs `work` as one run of cron `name` (see the module doc).
 *
 * @example
 * ```ts
 * const outcome = await runCron(deps, "session_sweep", async () => ({ cleaned: await sweep() }));
 * ```
 */
export async function runCron(
  deps: CronDeps,
  name: string,
  work: () => Promise<CronNumbers>,
  options: RunCronOptions = {},
): Promise<CronOutcome> {
  if (!deps.cronEnabled) return { name, status: "disabled", numbers: {} };
  const { store, clock } = deps;
  const ttlMs = deps.leaseTtlMs ?? 30_000;
  // A fresh owner per run: a second run in the same process is refused by the lease too.
  const owner = `${deps.owner ?? processOwner}:${randomId(6)}`;
  try {
    if (store.fence && !await store.fence.ready()) {
      // The KV's schema is not this code's (docs/OPERATIONS.md, "Upgrading"): write nothing.
      log.debug("Cron {name} skipped: {code}", { name, code: store.fence.refusal().code });
      return { name, status: "skipped", reason: "schema", numbers: {} };
    }
    if (
      (options.skipDuringMaintenance ?? true) &&
      await isLeaseLive(store, MAINTENANCE_LEASE, clock.now())
    ) {
      log.debug("Cron {name} skipped: maintenance", { name });
      return { name, status: "skipped", reason: "maintenance", numbers: {} };
    }
    const keeper = await LeaseKeeper.take(`cron:${name}`, owner, { store, clock, ttlMs });
    if (!keeper) {
      log.debug("Cron {name} skipped: running elsewhere", { name });
      return { name, status: "skipped", reason: "running elsewhere", numbers: {} };
    }
    const started = clock.now();
    const run: CronRun = {
      id: timeOrderedId(started),
      name,
      owner,
      status: "running",
      started_at: new Date(started).toISOString(),
      ended_at: null,
      duration_ms: null,
      numbers: {},
      error: null,
    };
    try {
      await record(store, run, false);
      let outcome: CronOutcome;
      try {
        const numbers = await work();
        outcome = { name, status: "ok", numbers };
      } catch (err) {
        const appError = deps.reportError ? await deps.reportError(err, `cron.${name}`) : undefined;
        const message = appError?.message ?? (err instanceof Error ? err.message : String(err));
        if (!deps.reportError) log.error("Cron {name} failed: {reason}", { name, reason: message });
        outcome = { name, status: "error", numbers: {}, error: message.slice(0, 500) };
      }
      const ended = clock.now();
      await record(store, {
        ...run,
        status: outcome.status === "ok" ? "ok" : "error",
        ended_at: new Date(ended).toISOString(),
        duration_ms: ended - started,
        numbers: outcome.numbers,
        error: outcome.error ?? null,
      }, true);
      return outcome;
    } finally {
      await keeper.release();
    }
  } catch (err) {
    // KV itself failed (leasing or recording): report; the next run tries again.
    const message = err instanceof Error ? err.message : String(err);
    if (deps.reportError) await deps.reportError(err, `cron.${name}`);
    else log.error("Cron {name} could not run: {reason}", { name, reason: message });
    return { name, status: "error", numbers: {}, error: message.slice(0, 500) };
  }
}

async function record(store: Store, run: CronRun, prune: boolean): Promise<void> {
  const tx = store.tx();
  stageRun(tx, run);
  if (prune) await stagePruneRuns(store, tx, run.name);
  await commitTx(store, tx);
}
