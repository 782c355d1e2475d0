/**
 * The admin feature's jobs: emptying the analysis cache, a requested backup and a broadcast
 * (`broadcast_job.ts`), each with the notice the admin gets when it finished or failed.
 *
 * @module
 */
import { type JobHandler } from "../../../actors/jobs.ts";
import { t } from "../../../i18n/mod.ts";
import { backupJob } from "../../../jobs/backup.ts";
import * as audit from "../../../store/audit.ts";
import { BACKUP_JOB } from "../../../store/backups.ts";
import { type JobRecord } from "../../../store/jobs.ts";
import { type FeatureJob } from "../../feature.ts";
import { type BotServices } from "../../services.ts";
import { BROADCAST_JOB, broadcastJob, type BroadcastResult } from "./broadcast_job.ts";

/** The job kind that empties the analysis cache. */
export const CLEAR_CACHE_JOB = "clear_cache";

/**
 * The job that empties both tiers of the analysis cache (one batch: the engine deletes in
 * atomics of 500 itself, and deleting again after a crash is harmless).
 *
 * @example
 * ```ts
 * new JobRunner({ handlers: { [CLEAR_CACHE_JOB]: clearCacheJob(services) }, ... });
 * ```
 */
function clearCacheJob(services: Pick<BotServices, "engine" | "clock">): JobHandler {
  return {
    async batch(job, tx) {
      const deleted = await services.engine.clearCache();
      audit.record(tx, {
        user_id: typeof job.params.admin_id === "number" ? job.params.admin_id : null,
        action: "admin.clear_cache.done",
        parameters: { job_id: job.id },
        result: `${deleted} entries deleted`,
        status: "ok",
      }, services.clock.now());
      return { cursor: null, processed: deleted, done: true, result: { deleted } };
    },
  };
}

/** The notice for an admin job that finished or failed, in the admin's language. */
function adminJobNotice(
  job: JobRecord & { notify: NonNullable<JobRecord["notify"]> },
): string | null {
  const { lang } = job.notify;
  if (job.status === "failed") {
    return t(lang, "admin_job_failed", { job: job.kind, error: job.error ?? "?" });
  }
  if (job.status !== "done") return null;
  if (job.kind === CLEAR_CACHE_JOB) {
    return t(lang, "admin_cache_cleared", { count: Number(job.result?.deleted ?? 0) });
  }
  if (job.kind === BACKUP_JOB) {
    return t(lang, "admin_backup_done", {
      name: String(job.result?.name ?? "?"),
      records: Number(job.result?.records ?? 0),
    });
  }
  const result = (job.result ?? {}) as Partial<BroadcastResult>;
  return t(lang, "admin_broadcast_done", {
    sent: result.sent ?? 0,
    failed: result.failed ?? 0,
    blocked: result.blocked ?? 0,
  });
}

/** The jobs the admin feature declares. */
export const ADMIN_JOBS: FeatureJob[] = [
  { kind: CLEAR_CACHE_JOB, handler: clearCacheJob, notice: adminJobNotice },
  { kind: BACKUP_JOB, handler: (deps) => backupJob(deps.backups), notice: adminJobNotice },
  {
    kind: BROADCAST_JOB,
    handler: (deps) => broadcastJob({ store: deps.store, clock: deps.clock, api: deps.pacedApi }),
    notice: adminJobNotice,
  },
];
