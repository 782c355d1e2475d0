/**
 * Dead letters: updates that failed every attempt or could not be committed, kept for operators
 * to list, show, retry or discard (docs/OPERATIONS.md, "Dead letters").
 *
 * Each occurrence has its own time-ordered id, so an update that fails again after a retry is a
 * new dead letter. Under the generation (`["g", g, "dead_letter", …]`):
 * - `t, id` — the record (the update inline, or in `p, id, n` parts when large);
 * - `u, user_id, id` and `c, error_code, id` — indexes for the filters.
 *
 * A retried or discarded letter leaves a *settlement* outside the generations
 * (`["dead_letter_settled", id]`), so a restore of an older backup cannot bring it back: readers
 * treat a letter with a settlement as gone, and the retention run deletes such records.
 *
 * @module
 */
import { timeOrderedId, timePrefix } from "../core/ids.ts";
import { type Tx } from "../core/tx.ts";
import * as counters from "./counters.ts";
import { dataKey, dataPrefix, runtimeKeys } from "./keys.ts";
import { type Store } from "./kv.ts";
import { readJoinedText, splitParts } from "./parts.ts";

/** One update given up on. */
export interface DeadLetter {
  /** Time-ordered: sorts by when it was dead-lettered. */
  id: string;
  actor: string;
  /** The user the update came from; null for channel posts and updates without a sender. */
  user_id: number | null;
  source: string;
  update_id: number;
  /** The update's kind (`message`, `callback_query`, …). */
  update_type: string;
  /** The update as JSON text; empty when it is stored in `update_parts` parts. */
  update: string;
  update_parts: number;
  /** `TURN_FAILED` after the last attempt, `COMMIT_CONFLICT`… */
  reason: string;
  error_code: string;
  attempts: number;
  /** ISO 8601 UTC. */
  at: string;
}

/** A dead letter as listed: everything but the update itself. */
export type DeadLetterSummary = Omit<DeadLetter, "update" | "update_parts">;

/** What the writer knows (the supervisor, when it gives up on an update). */
export type DeadLetterInput = Omit<DeadLetter, "id" | "at" | "update_type" | "update_parts">;

/** What happened to a letter that left the list through an operator. */
export interface Settlement {
  action: "retried" | "discarded";
  /** ISO 8601 UTC. */
  at: string;
  /** Through what: `api`, `dashboard`, `cli`. */
  via: string;
}

/** Where a dead letter stands. */
export type DeadLetterLookup =
  | { status: "live"; letter: DeadLetter; versionstamp: string }
  | { status: "settled"; settlement: Settlement }
  | { status: "missing" };

/** The text kept inline in the record; above it, parts (a KV value holds at most 64 KiB). */
const INLINE_MAX_BYTES = 48_000;
const PART_BYTES = 60_000;
const DAY_MS = 86_400_000;
/** A settlement outlives its letter's retention by this much (clock skew between processes). */
const SETTLEMENT_MARGIN_MS = DAY_MS;
/** `getMany` reads at most 10 keys. */
const GET_MANY = 10;
const encoder = new TextEncoder();

/** An id as the routes and the CLI accept it. */
export const DEAD_LETTER_ID = /^[0-9a-z]{20}$/;

function recordKey(g: number, id: string): Deno.KvKey {
  return dataKey(g, "dead_letter", "t", id);
}

function updateType(json: string): string {
  try {
    const update = JSON.parse(json) as Record<string, unknown>;
    return Object.keys(update).find((k) => k !== "update_id") ?? "unknown";
  } catch {
    return "unknown";
  }
}

/**
 * Stages a dead letter, its indexes, and the `dead_letters` gauge.
 *
 * @returns the new letter's id.
 * @example
 * ```ts
 * stageDeadLetter(tx, { actor: "u:7", user_id: 7, source: "tg", update_id: 7, update, reason: "TURN_FAILED", error_code, attempts: 5 }, now);
 * ```
 */
export function stageDeadLetter(tx: Tx, input: DeadLetterInput, now: number): string {
  const g = tx.generation;
  const id = timeOrderedId(now);
  const bytes = input.update.length * 3 > INLINE_MAX_BYTES ? encoder.encode(input.update) : null;
  const parts = bytes && bytes.length > INLINE_MAX_BYTES ? Math.ceil(bytes.length / PART_BYTES) : 0;
  const letter: DeadLetter = {
    ...input,
    id,
    update_type: updateType(input.update),
    update: parts === 0 ? input.update : "",
    update_parts: parts,
    at: new Date(now).toISOString(),
  };
  tx.set(recordKey(g, id), letter);
  if (parts > 0) {
    splitParts(bytes!, PART_BYTES).forEach((part, n) =>
      tx.set(dataKey(g, "dead_letter", "p", id, n), part)
    );
  }
  if (letter.user_id !== null) tx.set(dataKey(g, "dead_letter", "u", letter.user_id, id), true);
  tx.set(dataKey(g, "dead_letter", "c", letter.error_code, id), true);
  counters.add(tx, "dead_letters");
  return id;
}

/**
 * Stages the removal of a letter's record, parts and indexes, and takes it off the gauge.
 *
 * @example
 * ```ts
 * stageRemoval(tx, letter);
 * ```
 */
export function stageRemoval(tx: Tx, letter: DeadLetter): void {
  const g = tx.generation;
  tx.delete(recordKey(g, letter.id));
  for (let part = 0; part < letter.update_parts; part++) {
    tx.delete(dataKey(g, "dead_letter", "p", letter.id, part));
  }
  if (letter.user_id !== null) tx.delete(dataKey(g, "dead_letter", "u", letter.user_id, letter.id));
  tx.delete(dataKey(g, "dead_letter", "c", letter.error_code, letter.id));
  counters.add(tx, "dead_letters", -1);
}

/**
 * Stages an operator's retry or discard: the record goes, checked unchanged and not settled
 * before, and a settlement outside the generations records it until the letter would have
 * left by retention anyway.
 *
 * @example
 * ```ts
 * stageSettlement(tx, found, { action: "discarded", at, via: "api" }, retentionMs, now);
 * ```
 */
export function stageSettlement(
  tx: Tx,
  found: { letter: DeadLetter; versionstamp: string },
  settlement: Settlement,
  retentionMs: number,
  now: number,
): void {
  const { letter } = found;
  const key = runtimeKeys.deadLetterSettled(letter.id);
  tx.check(recordKey(tx.generation, letter.id), found.versionstamp).check(key, null);
  stageRemoval(tx, letter);
  const until = Date.parse(letter.at) + retentionMs + SETTLEMENT_MARGIN_MS;
  tx.set(key, settlement, { expireIn: Math.max(SETTLEMENT_MARGIN_MS, until - now) });
}

/** Whether a letter dead-lettered at `at` is within the retention period. */
function retained(at: string, now: number, retentionMs: number): boolean {
  return Date.parse(at) >= now - retentionMs;
}

/**
 * One dead letter: live, settled (retried or discarded), or missing (never was, erased, or past
 * the retention period).
 *
 * @example
 * ```ts
 * const found = await getDeadLetter(store, id, { now, retentionMs });
 * ```
 */
export async function getDeadLetter(
  store: Store,
  id: string,
  window: { now: number; retentionMs: number },
): Promise<DeadLetterLookup> {
  if (!DEAD_LETTER_ID.test(id)) return { status: "missing" };
  const [entry, settled] = await store.kv.getMany<[DeadLetter, Settlement]>([
    recordKey(store.generation, id),
    runtimeKeys.deadLetterSettled(id),
  ]);
  if (settled.value) return { status: "settled", settlement: settled.value };
  if (!entry.value || !retained(entry.value.at, window.now, window.retentionMs)) {
    return { status: "missing" };
  }
  return { status: "live", letter: entry.value, versionstamp: entry.versionstamp! };
}

/**
 * The update of a letter as JSON text, joined from its parts when it was large.
 *
 * @example
 * ```ts
 * const update = JSON.parse(await updateText(store, letter));
 * ```
 */
export async function updateText(store: Store, letter: DeadLetter): Promise<string> {
  if (letter.update_parts === 0) return letter.update;
  return await readJoinedText(store, dataKey(store.generation, "dead_letter", "p", letter.id));
}

/** Filters and page of {@linkcode queryDeadLetters}. */
export interface DeadLetterQuery {
  userId?: number;
  errorCode?: string;
  /** Only letters older than this one (the previous page's `next_cursor`). */
  cursor?: string;
  /** @default 50 */
  limit?: number;
  now: number;
  retentionMs: number;
}

/** One page of dead letters, newest first. */
export interface DeadLetterPage {
  letters: DeadLetter[];
  /** Each letter's versionstamp as read (for a commit that checks it unchanged). */
  versionstamps: string[];
  /** Pass as `cursor` for the next page; null when this page is the last. */
  next_cursor: string | null;
}

/**
 * Dead letters matching the filters, newest first, one page at a time. Settled letters (a
 * restore can bring their records back) and letters past the retention period are left out.
 *
 * @example
 * ```ts
 * const page = await queryDeadLetters(store, { errorCode: "TURN_FAILED", limit: 20, now, retentionMs });
 * const next = await queryDeadLetters(store, { cursor: page.next_cursor!, now, retentionMs });
 * ```
 */
export async function queryDeadLetters(
  store: Store,
  query: DeadLetterQuery,
): Promise<DeadLetterPage> {
  const limit = query.limit ?? 50;
  const g = store.generation;
  const prefix = query.userId !== undefined
    ? dataPrefix(g, "dead_letter", "u", query.userId)
    : query.errorCode !== undefined
    ? dataPrefix(g, "dead_letter", "c", query.errorCode)
    : dataPrefix(g, "dead_letter", "t");
  const oldest = timePrefix(query.now - query.retentionMs);
  const selector: Deno.KvListSelector = query.cursor === undefined
    ? { prefix, start: [...prefix, oldest] }
    : { start: [...prefix, oldest], end: [...prefix, query.cursor] };
  const letters: DeadLetter[] = [];
  const versionstamps: string[] = [];
  let ids: string[] = [];
  const take = async () => {
    const batch = ids;
    ids = [];
    for (const { letter, versionstamp } of await liveLetters(store, batch)) {
      if (query.errorCode !== undefined && letter.error_code !== query.errorCode) continue;
      if (letters.length >= limit) break;
      letters.push(letter);
      versionstamps.push(versionstamp);
    }
  };
  for await (
    const entry of store.kv.list(selector, { reverse: true, batchSize: Math.min(500, limit + 10) })
  ) {
    ids.push(String(entry.key[entry.key.length - 1]));
    if (ids.length === GET_MANY / 2) await take();
    if (letters.length >= limit) break;
  }
  if (letters.length < limit) await take();
  return {
    letters,
    versionstamps,
    next_cursor: letters.length === limit ? letters[letters.length - 1].id : null,
  };
}

/** The records of `ids` that exist and are not settled, in the order given. */
async function liveLetters(
  store: Store,
  ids: string[],
): Promise<{ letter: DeadLetter; versionstamp: string }[]> {
  if (ids.length === 0) return [];
  const entries = await store.kv.getMany<unknown[]>(
    ids.flatMap((id) => [recordKey(store.generation, id), runtimeKeys.deadLetterSettled(id)]),
  );
  const live: { letter: DeadLetter; versionstamp: string }[] = [];
  for (let i = 0; i < entries.length; i += 2) {
    const { value, versionstamp } = entries[i];
    if (value && !entries[i + 1].value) {
      live.push({ letter: value as DeadLetter, versionstamp: versionstamp! });
    }
  }
  return live;
}

/**
 * The newest dead letters (no filter), for tests and quick looks.
 *
 * @example
 * ```ts
 * const letters = await listDeadLetters(store, 50);
 * ```
 */
export async function listDeadLetters(store: Store, limit = 50): Promise<DeadLetter[]> {
  const page = await queryDeadLetters(store, {
    limit,
    now: Date.now(),
    retentionMs: Number.MAX_SAFE_INTEGER / 2,
  });
  return page.letters;
}

/**
 * A letter without its update, as lists show it.
 *
 * @example
 * ```ts
 * const rows = page.letters.map(summarise);
 * ```
 */
export function summarise(letter: DeadLetter): DeadLetterSummary {
  const { update: _update, update_parts: _parts, ...summary } = letter;
  return summary;
}
