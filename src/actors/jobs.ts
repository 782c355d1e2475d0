/**
 * The job runner (docs/ARCHITECTURE.md): each batch stages its effects and
 * the job's new cursor into one tx, committed under the job's lease, so a crash resumes from the
 * last committed batch and every item is done exactly once. Run by the supervisor when idle and
 * by the minute sweep.
 *
 * @module
 */
import { getLogger } from "@logtape/logtape";
import { type Clock } from "../core/clock.ts";
import { randomId } from "../core/ids.ts";
import { type ReportError } from "../core/report.ts";
import { backoffDelay } from "../core/retry.ts";
import { type Tx } from "../core/tx.ts";
import { getJob, type JobRecord, stageJobUpdate, unfinishedJobs } from "../store/jobs.ts";
import { commitTx, type Store } from "../store/kv.ts";
import { LeaseKeeper } from "../store/lease_keeper.ts";
import { SchemaFenceError } from "../store/schema_fence.ts";
import { checkLease, type HeldLease } from "../store/leases.ts";

/** What a batch did. */
export interface JobBatchResult {
  /** Where the next batch starts. */
  cursor: unknown;
  /** Items done in this batch. */
  processed: number;
  done: boolean;
  /** Stored on the job when done (e.g. counts for the notice). */
  result?: Record<string, unknown>;
  /** Known total, when the handler learns it. */
  total?: number;
}

/** One kind of job. `batch` stages a bounded amount of work into `tx`; it must not commit. */
export interface JobHandler {
  batch(job: JobRecord, tx: Tx): Promise<JobBatchResult>;
}

/** What {@linkcode JobRunner} is built from. */
export interface JobRunnerDeps {
  store: Store;
  clock: Clock;
  reportError: ReportError;
  handlers: Record<string, JobHandler>;
  /** Tells the requester a job finished; runs after the final commit (may repeat after a crash). */
  onDone?: (job: JobRecord) => Promise<void>;
  leaseTtlMs?: number;
  /** Failed batches in a row before a job is marked failed. @default 5 */
  maxFailures?: number;
  owner?: string;
}

const log = getLogger(["rvx", "actors", "jobs"]);

/**
 * @example
 * ```ts
 * const runner = new JobRunner({ store, clock, reportError, handlers: registry.jobHandlers(deps) });
 * await runner.runPending();
 * ```
 */
export class JobRunner {
  readonly #deps: JobRunnerDeps;
  readonly #owner: string;
  #running: Promise<number> | null = null;
  #stopped = false;

  constructor(deps: JobRunnerDeps) {
    this.#deps = deps;
    this.#owner = deps.owner ?? `jobs-${randomId(9)}`;
  }

  /**
   * Runs every unfinished job to its end (one pass at a time per process). Never rejects: a
   * failure is reported and the job is picked up by the next pass.
   */
  runPending(): Promise<number> {
    if (this.#stopped) return Promise.resolve(0);
    this.#running ??= this.#runAll()
      .catch(async (err) => {
        await this.#deps.reportError(err, "jobs.run");
        return 0;
      })
      .finally(() => this.#running = null);
    return this.#running;
  }

  /** Takes no new passes and waits for the one in progress. */
  async stop(): Promise<void> {
    this.#stopped = true;
    await this.#running;
  }

  async #runAll(): Promise<number> {
    const fence = this.#deps.store.fence;
    if (fence && !await fence.ready()) return 0;
    let finished = 0;
    for (const job of await unfinishedJobs(this.#deps.store)) {
      if (this.#stopped) break;
      if (await this.runJob(job.id)) finished++;
    }
    return finished;
  }

  /**
   * Runs one job to its end under its lease.
   *
   * @returns whether it finished here (false: someone else holds it, or it failed for now).
   */
  async runJob(id: string): Promise<boolean> {
    const { store, clock } = this.#deps;
    const ttlMs = this.#deps.leaseTtlMs ?? 30_000;
    const keeper = await LeaseKeeper.take(`job:${id}`, this.#owner, { store, clock, ttlMs });
    if (!keeper) return false;
    try {
      return await this.#run(id, keeper);
    } finally {
      await keeper.release();
    }
  }

  async #run(id: string, keeper: LeaseKeeper): Promise<boolean> {
    const { store, clock } = this.#deps;
    const { lease } = keeper;
    const maxFailures = this.#deps.maxFailures ?? 5;
    let failures = 0;
    while (true) {
      // Stopping waits for the batch in progress only: the next process resumes at its cursor.
      if (this.#stopped) return false;
      // The keeper renews while a batch runs; a lost lease ends the run before the next one.
      if (!await keeper.confirm()) return false;
      // Nor does a batch start while the KV's schema is not this code's: its effects (a
      // broadcast's messages) would be repeated, its commit refused (docs/OPERATIONS.md,
      // "Upgrading").
      if (store.fence && !await store.fence.ready()) return false;
      const entry = await getJob(store, id);
      const job = entry.value;
      if (!job) return false;
      if (job.status === "done" || job.status === "failed") {
        return await this.#notify(job, entry.versionstamp!, lease);
      }
      const handler = this.#deps.handlers[job.kind];
      if (!handler) {
        log.error("No handler for job kind {kind}", { kind: job.kind });
        return false;
      }
      const tx = store.tx();
      checkLease(tx, lease);
      try {
        const batch = await handler.batch(job, tx);
        stageJobUpdate(tx, entry.versionstamp!, {
          ...job,
          status: batch.done ? "done" : "running",
          cursor: batch.cursor,
          processed: job.processed + batch.processed,
          total: batch.total ?? job.total,
          result: batch.result ?? job.result,
        }, clock.now());
        if (await commitTx(store, tx) === null) return false;
        failures = 0;
      } catch (err) {
        if (err instanceof SchemaFenceError) return false;
        failures++;
        await this.#deps.reportError(err, `job.${job.kind}`);
        if (failures >= maxFailures) {
          const failTx = store.tx();
          checkLease(failTx, lease);
          stageJobUpdate(failTx, entry.versionstamp!, {
            ...job,
            status: "failed",
            error: err instanceof Error ? err.message.slice(0, 500) : String(err),
          }, clock.now());
          await commitTx(store, failTx);
        } else {
          await clock.sleep(backoffDelay(failures, { baseMs: 1000, maxMs: 30_000, jitter: 0 }));
        }
      }
    }
  }

  async #notify(job: JobRecord, versionstamp: string, lease: HeldLease): Promise<boolean> {
    if (job.notify && !job.notified) {
      await this.#deps.onDone?.(job);
      const tx = this.#deps.store.tx();
      checkLease(tx, lease);
      stageJobUpdate(tx, versionstamp, { ...job, notified: true }, this.#deps.clock.now());
      await commitTx(this.#deps.store, tx);
    }
    return job.status === "done";
  }
}
