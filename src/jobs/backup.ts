/**
 * Scheduled and requested backups: the daily cron (a backup, then retention by
 * `BACKUP_RETENTION_DAYS`, never deleting the newest), the start-up check (a backup when the
 * newest is older than a day), and the job handler behind `/backup`.
 *
 * @module
 */
import { type JobHandler } from "../actors/jobs.ts";
import { type BackupService } from "../store/backups.ts";
import { type CronDeps, type CronOutcome, runCron } from "./cron.ts";

/** The job kind of `/backup`. */
export { BACKUP_JOB } from "../store/backups.ts";

const DAY_MS = 86_400_000;

/** What the backup cron drives. */
export interface BackupCronDeps extends CronDeps {
  backups: BackupService;
}

/**
 * Takes a backup and applies retention.
 *
 * @example
 * ```ts
 * await backupCron({ store, clock, cronEnabled: true, backups });
 * ```
 */
export function backupCron(deps: BackupCronDeps, reason = "daily"): Promise<CronOutcome> {
  return runCron(deps, "backup", async () => {
    const made = await deps.backups.create({ reason, actor: { via: "cron" } });
    const pruned = await deps.backups.prune(deps.clock.now());
    return { records: made.record_count, bytes: made.size_bytes, backups_pruned: pruned.length };
  });
}

/**
 * At start: takes a backup (as a run of the backup cron) when the newest is older than a day,
 * or there is none.
 *
 * @returns the run's outcome, or null when the newest backup is recent.
 * @example
 * ```ts
 * void backupIfStale({ store, clock, cronEnabled: config.cronEnabled, backups });
 * ```
 */
export async function backupIfStale(deps: BackupCronDeps): Promise<CronOutcome | null> {
  if (!deps.cronEnabled) return { name: "backup", status: "disabled", numbers: {} };
  const newest = await deps.backups.newest();
  if (newest && deps.clock.now() - Date.parse(newest.created_at) < DAY_MS) return null;
  return await backupCron(deps, "start");
}

/**
 * The job handler of `/backup` (params: `{ userId? }`): one batch takes the whole backup.
 *
 * @example
 * ```ts
 * new JobRunner({ …, handlers: { [BACKUP_JOB]: backupJob(backups) } });
 * ```
 */
export function backupJob(backups: BackupService): JobHandler {
  return {
    async batch(job) {
      const userId = typeof job.params.userId === "number" ? job.params.userId : null;
      const made = await backups.create({ reason: "requested", actor: { via: "bot", userId } });
      return {
        cursor: null,
        processed: made.record_count,
        total: made.record_count,
        done: true,
        result: { name: made.name, records: made.record_count, bytes: made.size_bytes },
      };
    },
  };
}
