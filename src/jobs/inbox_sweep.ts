/**
 * The minute sweep: re-reads the generation pointer (a restore elsewhere may have switched it),
 * schedules every actor whose inbox holds updates nobody is working on (what a crashed process
 * or a finished Deploy isolate left), and runs unfinished jobs.
 *
 * @module
 */
import { type CronDeps, type CronOutcome, runCron } from "./cron.ts";

/** What the sweep drives. */
export interface InboxSweepDeps extends CronDeps {
  /** The supervisor's `sweepInboxes()`: schedules actors with queued updates; returns how many. */
  sweepInboxes(): Promise<number>;
  /** The job runner's `runPending()`: returns how many jobs finished. */
  runJobs?(): Promise<number>;
}

/**
 * @example
 * ```ts
 * Deno.cron("rvx inbox sweep", "* * * * *", () => inboxSweepCron({ ...deps, sweepInboxes: () => supervisor.sweepInboxes() }));
 * ```
 */
export function inboxSweepCron(deps: InboxSweepDeps): Promise<CronOutcome> {
  return runCron(deps, "inbox_sweep", async () => {
    const generation = await deps.store.refreshGeneration();
    const actors = await deps.sweepInboxes();
    const jobs = deps.runJobs ? await deps.runJobs() : 0;
    return { actors_scheduled: actors, jobs_finished: jobs, generation };
  });
}
