/**
 * The update ids an actor has finished, kept in its session record: how a redelivered update is
 * recognised once its inbox entry is gone, without a marker record per update
 * (docs/ARCHITECTURE.md, "Deduplication").
 *
 * While an update waits, its inbox entry is what deduplicates it (ingest checks the entry's key
 * is absent). Once its turn commits, the entry goes and its id joins this list in the same
 * commit, so the session write the turn makes anyway carries the dedupe record: no extra
 * mutation. Ids stay listed for {@linkcode DEDUPE_WINDOW_MS} (Telegram redelivers for at most
 * 24 h); a user with more than {@linkcode DONE_CAP} updates in that window loses the oldest from
 * the list, and `floor` remembers the highest id so dropped.
 *
 * @module
 */

/** How long a finished update's id is remembered. */
export const DEDUPE_WINDOW_MS = 48 * 3_600_000;
/** The most ids one actor keeps: bounds what every session write carries (~20 bytes an id). */
export const DONE_CAP = 128;

/** Finished update ids of one actor. */
export interface DoneUpdates {
  /** `[update_id, finished at (epoch seconds)]`, ascending by id. */
  ids: [number, number][];
  /**
   * `[id, when]`: ids at or below `id` were dropped from `ids` to respect {@linkcode DONE_CAP}
   * while still in the window, the last of them finished at `when` (epoch seconds); one arriving
   * within the window may have run already, so it is not run blindly.
   */
  floor?: [number, number];
}

/** What the list says of one update id. */
export type DoneStatus = "new" | "done" | "below-floor";

/**
 * Whether an update id is listed as finished.
 *
 * @example
 * ```ts
 * doneStatus(record.done, update.update_id); // "new"
 * ```
 */
export function doneStatus(done: DoneUpdates | undefined, updateId: number): DoneStatus {
  if (!done) return "new";
  if (done.ids.some(([id]) => id === updateId)) return "done";
  return done.floor !== undefined && updateId <= done.floor[0] ? "below-floor" : "new";
}

/**
 * The list with one more finished id (finished at `finishedAt`, by default now), without ids
 * older than the window and within the cap.
 *
 * @example
 * ```ts
 * record.done = withDone(record.done, entry.update_id, clock.now());
 * ```
 */
export function withDone(
  done: DoneUpdates | undefined,
  updateId: number,
  now: number,
  finishedAt = now,
): DoneUpdates {
  const at = Math.floor(finishedAt / 1000);
  const oldest = Math.floor((now - DEDUPE_WINDOW_MS) / 1000);
  const ids = (done?.ids ?? []).filter(([id, doneAt]) => doneAt > oldest && id !== updateId);
  ids.push([updateId, at]);
  ids.sort(([a], [b]) => a - b);
  // A floor older than the window has nothing left to protect.
  let floor = done?.floor && done.floor[1] > oldest ? done.floor : undefined;
  while (ids.length > DONE_CAP) {
    const [id, doneAt] = ids.shift()!;
    floor = [Math.max(floor?.[0] ?? id, id), Math.max(floor?.[1] ?? doneAt, doneAt)];
  }
  return floor === undefined ? { ids } : { ids, floor };
}

/**
 * Until when a record holding this list must be kept (epoch ms), 0 when it protects nothing.
 *
 * @example
 * ```ts
 * const keepUntil = Math.max(record.expiresAt, doneKeepUntil(record.done));
 * ```
 */
export function doneKeepUntil(done: DoneUpdates | undefined): number {
  if (!done) return 0;
  const newest = Math.max(0, done.floor?.[1] ?? 0, ...done.ids.map(([, at]) => at));
  return newest === 0 ? 0 : newest * 1000 + DEDUPE_WINDOW_MS;
}
