/**
 * Job records: big work done outside turns in resumable batches (docs/ARCHITECTURE.md). Each batch commits
 * its effects together with the job's new cursor, checked against the record it read.
 *
 * @module
 */
import { timeOrderedId } from "../core/ids.ts";
import { type Tx } from "../core/tx.ts";
import { type Lang } from "../i18n/mod.ts";
import { dataKey, dataPrefix } from "./keys.ts";
import { type Store } from "./kv.ts";

/** Where a job is. */
export type JobStatus = "pending" | "running" | "done" | "failed";

/** One job. `cursor` is the handler's own resume point. */
export interface JobRecord {
  id: string;
  kind: string;
  status: JobStatus;
  params: Record<string, unknown>;
  cursor: unknown;
  processed: number;
  /** Items in all, when known. */
  total: number | null;
  /** Who to tell when it is done, and whether they were told. */
  notify: { chatId: number; lang: Lang } | null;
  notified: boolean;
  result: Record<string, unknown> | null;
  error: string | null;
  /** ISO 8601 UTC. */
  created_at: string;
  updated_at: string;
}

/**
 * Stages a new pending job.
 *
 * @example
 * ```ts
 * const job = createJob(tx, { kind: "forget", params: { userId: 42 }, notify: { chatId: 42, lang: "en" } }, now);
 * ```
 */
export function createJob(
  tx: Tx,
  fields: Pick<JobRecord, "kind" | "params"> & Partial<Pick<JobRecord, "notify" | "total">>,
  now: number,
): JobRecord {
  const at = new Date(now).toISOString();
  const job: JobRecord = {
    id: timeOrderedId(now),
    kind: fields.kind,
    status: "pending",
    params: fields.params,
    cursor: null,
    processed: 0,
    total: fields.total ?? null,
    notify: fields.notify ?? null,
    notified: false,
    result: null,
    error: null,
    created_at: at,
    updated_at: at,
  };
  tx.set(dataKey(tx.generation, "job", job.id), job);
  return job;
}

/**
 * A job with its versionstamp (for the batch's check), or null.
 *
 * @example
 * ```ts
 * const entry = await getJob(store, id);
 * ```
 */
export async function getJob(store: Store, id: string): Promise<Deno.KvEntryMaybe<JobRecord>> {
  return await store.kv.get<JobRecord>(dataKey(store.generation, "job", id));
}

/** Whether a job still needs work: batches to run, or a done notice to send. */
export function isUnfinished(job: JobRecord): boolean {
  if (job.status === "pending" || job.status === "running") return true;
  return job.notify !== null && !job.notified;
}

/**
 * Jobs not finished yet (see {@linkcode isUnfinished}), oldest first.
 *
 * @example
 * ```ts
 * for (const job of await unfinishedJobs(store)) await run(job);
 * ```
 */
export async function unfinishedJobs(store: Store, limit = 100): Promise<JobRecord[]> {
  const jobs: JobRecord[] = [];
  for await (
    const entry of store.kv.list<JobRecord>({ prefix: dataPrefix(store.generation, "job") })
  ) {
    if (isUnfinished(entry.value)) {
      jobs.push(entry.value);
      if (jobs.length >= limit) break;
    }
  }
  return jobs;
}

/**
 * Stages a job's new state, checked against the versionstamp it was read at.
 *
 * @example
 * ```ts
 * stageJobUpdate(tx, entry.versionstamp, { ...job, cursor: next, processed: job.processed + n }, now);
 * ```
 */
export function stageJobUpdate(tx: Tx, versionstamp: string, job: JobRecord, now: number): void {
  const key = dataKey(tx.generation, "job", job.id);
  tx.check(key, versionstamp);
  tx.set(key, { ...job, updated_at: new Date(now).toISOString() });
}
