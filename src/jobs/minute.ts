/**
 * The minute cron: everything due every minute, in one run that awaits it within a deadline, so
 * on Deploy — where nothing runs between requests — work a dead process or a finished isolate
 * left is done within about a minute even without traffic. In order: re-read the generation
 * pointer (a restore elsewhere may have switched it); schedule every actor whose inbox holds
 * updates nobody is working on; run unfinished jobs while those turns run, awaiting both up to
 * the deadline (what is left goes on after the run, and the next minute's run picks up the
 * rest); write this process's tally and fold the tallies of processes that stopped into the
 * counters; recount the inbox depth; record the per-minute metrics point.
 *
 * @module
 */
import { settlesWithin } from "../core/clock.ts";
import { foldStoppedTallies } from "../store/counters.ts";
import { recountInboxDepth } from "../store/inbox_depth.ts";
import { flushTally } from "../store/tally.ts";
import { type CronOutcome, runCron } from "./cron.ts";
import { type MetricsRollupDeps, rollupMetrics } from "./metrics.ts";

/** How long a run awaits turns and jobs: the next run starts a minute after this one. */
export const MINUTE_DEADLINE_MS = 50_000;

/** What the minute cron drives. */
export interface MinuteDeps extends MetricsRollupDeps {
  /** The supervisor's `sweepInboxes()`: schedules actors with queued updates; returns how many. */
  sweepInboxes(): Promise<number>;
  /** Resolves once the scheduled turns have run (the supervisor's `whenIdle()`). */
  whenIdle?(): Promise<void>;
  /** The job runner's `runPending()`: returns how many jobs finished. */
  runJobs?(): Promise<number>;
  /** @default MINUTE_DEADLINE_MS */
  deadlineMs?: number;
}

/**
 * @example
 * ```ts
 * Deno.cron("rvx minute", "* * * * *", () => minuteCron({ ...deps, sweepInboxes, whenIdle, runJobs }));
 * ```
 */
export function minuteCron(deps: MinuteDeps): Promise<CronOutcome> {
  return runCron(deps, "minute", async () => {
    const { store, clock } = deps;
    const generation = await store.refreshGeneration();
    const actors = await deps.sweepInboxes();
    let jobs = 0;
    const work = Promise.all([
      deps.whenIdle?.(),
      deps.runJobs?.().then((finished) => jobs = finished),
    ]);
    const settled = await settlesWithin(work, deps.deadlineMs ?? MINUTE_DEADLINE_MS, clock);
    // Bookkeeping after the work, so its failure never holds up a dead process's users.
    await flushTally(store, clock.now());
    const folded = await foldStoppedTallies(store, clock.now());
    const counted = await recountInboxDepth(store);
    const rollup = await rollupMetrics(deps);
    return {
      actors_scheduled: actors,
      jobs_finished: jobs,
      settled_in_time: settled ? 1 : 0,
      generation,
      tallies_folded: folded,
      ...counted === null ? {} : { inbox_entries_counted: counted },
      ...rollup,
    };
  });
}
