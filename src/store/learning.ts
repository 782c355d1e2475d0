/**
 * Learning progress: one long-lived record per user (lessons opened and passed, best quiz
 * scores, quiz totals, the learning streak) and an append-only log of XP events. Everything sits
 * under the user's prefix of the `learning` family, so `/forget` erases it. Only the user's own
 * turns write it, one at a time, so the record is read, changed and staged whole.
 *
 * @module
 */
import { timeOrderedId } from "../core/ids.ts";
import { type Tx } from "../core/tx.ts";
import { dataKey, dataPrefix } from "./keys.ts";
import { listValues, type Store } from "./kv.ts";

/** The best result of one lesson's quiz. */
export interface QuizBest {
  correct: number;
  total: number;
  /** ISO 8601 UTC of the attempt that set it. */
  at: string;
}

/** A run of consecutive UTC days with learning activity (the learning catalog's `Streak`). */
export interface StreakRecord {
  lastDay: string | null;
  current: number;
  best: number;
}

/** A user's learning progress. */
export interface LearningRecord {
  user_id: number;
  /** Lessons opened at least once, in first-open order. */
  opened: string[];
  /** Lessons whose quiz was passed, in first-pass order. */
  passed: string[];
  /** Best quiz result per lesson. */
  best: Record<string, QuizBest>;
  /** Quizzes finished, retakes included. */
  quizzes_finished: number;
  /** Quizzes finished with every answer right. */
  perfect_quizzes: number;
  streak: StreakRecord;
  /** XP earned by learning. */
  xp: number;
  /** ISO 8601 UTC; null before the first write. */
  updated_at: string | null;
}

/** One grant of XP. */
export interface XpEvent {
  id: string;
  user_id: number;
  /** ISO 8601 UTC. */
  at: string;
  xp: number;
  /** What earned it, e.g. `quiz`. */
  reason: string;
  lesson_id: string | null;
}

/**
 * The progress of someone who has not learned yet.
 *
 * @example
 * ```ts
 * emptyRecord(42).opened; // []
 * ```
 */
export function emptyRecord(userId: number): LearningRecord {
  return {
    user_id: userId,
    opened: [],
    passed: [],
    best: {},
    quizzes_finished: 0,
    perfect_quizzes: 0,
    streak: { lastDay: null, current: 0, best: 0 },
    xp: 0,
    updated_at: null,
  };
}

function recordKey(generation: number, userId: number): Deno.KvKey {
  return dataKey(generation, "learning", userId, "progress");
}

/**
 * Reads a user's progress (an empty record when there is none).
 *
 * @example
 * ```ts
 * const progress = await get(store, 42);
 * progress.passed.includes("beginner-1");
 * ```
 */
export async function get(store: Store, userId: number): Promise<LearningRecord> {
  const entry = await store.kv.get<LearningRecord>(recordKey(store.generation, userId));
  return entry.value ? { ...emptyRecord(userId), ...entry.value } : emptyRecord(userId);
}

/**
 * Stages a user's progress record.
 *
 * @example
 * ```ts
 * save(tx, { ...progress, opened: [...progress.opened, "beginner-2"] }, now);
 * ```
 */
export function save(tx: Tx, record: LearningRecord, now: number): void {
  tx.set(recordKey(tx.generation, record.user_id), {
    ...record,
    updated_at: new Date(now).toISOString(),
  });
}

/**
 * Stages one XP event and returns it.
 *
 * @example
 * ```ts
 * appendXpEvent(tx, 42, { xp: 30, reason: "quiz", lesson_id: "beginner-1" }, now);
 * ```
 */
export function appendXpEvent(
  tx: Tx,
  userId: number,
  fields: Pick<XpEvent, "xp" | "reason" | "lesson_id">,
  now: number,
): XpEvent {
  const event: XpEvent = {
    id: timeOrderedId(now),
    user_id: userId,
    at: new Date(now).toISOString(),
    ...fields,
  };
  tx.set(dataKey(tx.generation, "learning", userId, "xp", event.id), event);
  return event;
}

/**
 * A user's XP events, newest first.
 *
 * @example
 * ```ts
 * const last = await listXpEvents(store, 42, 10);
 * ```
 */
export async function listXpEvents(store: Store, userId: number, limit = 50): Promise<XpEvent[]> {
  return await listValues<XpEvent>(
    store,
    dataPrefix(store.generation, "learning", userId, "xp"),
    { limit, reverse: true },
  );
}
