/**
 * The scheduled jobs and their schedules, and a registry that lets `main.ts` register every
 * `Deno.cron` at module top level (Deno Deploy requires it) before the services exist: the
 * handlers reach the services once {@linkcode CronRegistry.attach} hands them over; a run that
 * fires before that is skipped.
 *
 * @module
 */
import { getLogger } from "@logtape/logtape";
import { type JobRunner } from "../actors/jobs.ts";
import { type Supervisor } from "../actors/supervisor.ts";
import { type Config } from "../config.ts";
import { type Clock } from "../core/clock.ts";
import { type ReportError } from "../core/report.ts";
import { type BackupService } from "../store/backups.ts";
import { type Store } from "../store/kv.ts";
import { backupCron } from "./backup.ts";
import { type CronDeps, type CronOutcome } from "./cron.ts";
import { metricsSnapshotCron } from "./metrics.ts";
import { minuteCron } from "./minute.ts";
import { retentionCron } from "./retention.ts";
import { type CronName } from "./schedules.ts";
import { sessionSweepCron } from "./session_sweep.ts";

export { BACKUP_JOB, backupIfStale, backupJob } from "./backup.ts";
export { type CronOutcome } from "./cron.ts";
export { CRON_SCHEDULES, type CronName } from "./schedules.ts";

/** The services the crons drive. */
export interface CronServices {
  store: Store;
  clock: Clock;
  config: Pick<Config, "cronEnabled" | "retentionDays"> & Partial<Pick<Config, "leaseTtlSeconds">>;
  reportError?: ReportError;
  supervisor: Pick<
    Supervisor,
    "sweepInboxes" | "whenIdle" | "cleanupExpiredSessions" | "removeOrphanedLeases" | "getStats"
  >;
  jobs?: Pick<JobRunner, "runPending">;
  backups: BackupService;
  /** BotMetrics' `getMetricsSummary()`, for the 6-hourly snapshot. */
  metricsSummary?: () => Promise<unknown>;
}

/**
 * Every cron's handler over `services`.
 *
 * @example
 * ```ts
 * await cronHandlers(services).session_sweep();
 * ```
 */
export function cronHandlers(services: CronServices): Record<CronName, () => Promise<CronOutcome>> {
  const { store, clock, config, supervisor } = services;
  const base: CronDeps = {
    store,
    clock,
    cronEnabled: config.cronEnabled,
    reportError: services.reportError,
    leaseTtlMs: config.leaseTtlSeconds === undefined ? undefined : config.leaseTtlSeconds * 1000,
  };
  return {
    minute: () =>
      minuteCron({
        ...base,
        sweepInboxes: () => supervisor.sweepInboxes(),
        whenIdle: () => supervisor.whenIdle(),
        runJobs: services.jobs ? () => services.jobs!.runPending() : undefined,
        gauges: async () => ({ ...await supervisor.getStats() }),
      }),
    session_sweep: () =>
      sessionSweepCron({
        ...base,
        cleanupExpiredSessions: () => supervisor.cleanupExpiredSessions(),
        removeOrphanedLeases: () => supervisor.removeOrphanedLeases(),
      }),
    metrics_snapshot: () =>
      metricsSnapshotCron({
        ...base,
        retentionDays: config.retentionDays.metrics,
        summary: services.metricsSummary,
      }),
    backup: () => backupCron({ ...base, backups: services.backups }),
    retention: () => retentionCron({ ...base, retentionDays: config.retentionDays }),
  };
}

const log = getLogger(["rvx", "jobs"]);

/**
 * Late binding between top-level `Deno.cron` registrations and the services built later.
 *
 * @example
 * ```ts
 * const crons = new CronRegistry();
 * Deno.cron("rvx session sweep", CRON_SCHEDULES.session_sweep, () => crons.run("session_sweep"));
 * // … once the app is built:
 * crons.attach({ store, clock, config, supervisor, jobs, backups });
 * ```
 */
export class CronRegistry {
  #handlers: Record<CronName, () => Promise<CronOutcome>> | null = null;

  /** Hands the services over; runs fire from now on. */
  attach(services: CronServices): void {
    this.#handlers = cronHandlers(services);
  }

  /** Stops running (on shutdown). */
  detach(): void {
    this.#handlers = null;
  }

  /** Runs one cron now; skipped until services are attached. */
  async run(name: CronName): Promise<void> {
    await this.runNow(name);
  }

  /** Like {@linkcode run}, returning the outcome. */
  async runNow(name: CronName): Promise<CronOutcome> {
    if (!this.#handlers) {
      log.info("Cron {name} fired before the services were ready; skipped", { name });
      return { name, status: "skipped", numbers: {} };
    }
    const outcome = await this.#handlers[name]();
    if (outcome.status === "error") {
      log.warn("Cron {name} failed: {error}", { name, error: outcome.error });
    }
    return outcome;
  }
}
