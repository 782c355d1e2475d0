/**
 * Analysis history: every analysis a user received, newest first. The record also carries the
 * feedback attempts made on it, so 👎 on an old card still knows which style comes next.
 *
 * Stored with the user's text and the analysis deflated into one `body` field: a KV record
 * whose key and value pass ~1 000 bytes spills into a 4 KiB overflow page of the SQLite file,
 * mostly empty, and a plain item (1.1–1.4 KB) did that every time, making the file ~3× its data
 * (docs/ARCHITECTURE.md, "KV layout and what an update costs"). Deflated, a typical item is
 * ~700 bytes. Plain items written before are still read.
 *
 * @module
 */
import { deflateRawSync, inflateRawSync } from "node:zlib";
import { timeOrderedId } from "../core/ids.ts";
import { type Tx } from "../core/tx.ts";
import { dataKey, dataPrefix } from "./keys.ts";
import { listValues, type Store } from "./kv.ts";
import { capText } from "./text.ts";

/** One analysis as kept in history. */
export interface HistoryItem {
  id: string;
  user_id: number;
  /** ISO 8601 UTC. */
  at: string;
  kind: "news" | "question";
  /** The user's text, capped. */
  text: string;
  /** The analysis as shown (any JSON object; the analysis engine owns its shape). */
  analysis: Record<string, unknown>;
  /** 👎 re-explanations asked for on this analysis (the first analysis is not an attempt). */
  feedback_attempts: number;
  /** The user's 👍 on it, once given. */
  helpful: boolean;
}

/** A history item as KV holds it: `text` and `analysis` deflated (raw DEFLATE of their JSON). */
export interface StoredHistoryItem extends Omit<HistoryItem, "text" | "analysis"> {
  body: Uint8Array;
}

/**
 * The record to store for an item.
 *
 * @example
 * ```ts
 * pack(item).body.length < JSON.stringify(item).length; // true for any real analysis
 * ```
 */
export function pack(item: HistoryItem): StoredHistoryItem {
  const { text, analysis, ...rest } = item;
  const json = new TextEncoder().encode(JSON.stringify({ text, analysis }));
  return { ...rest, body: new Uint8Array(deflateRawSync(json)) };
}

/**
 * The item a stored record holds, packed or (written before packing) plain.
 *
 * @example
 * ```ts
 * unpack(pack(item)); // deep-equals item
 * ```
 */
export function unpack(stored: StoredHistoryItem | HistoryItem): HistoryItem {
  if (!("body" in stored)) return stored;
  const { body, ...rest } = stored;
  const { text, analysis } = JSON.parse(new TextDecoder().decode(inflateRawSync(body)));
  return { ...rest, text, analysis };
}

/**
 * Stages a new history item and returns it (with its id).
 *
 * @example
 * ```ts
 * const item = append(tx, 42, { kind: "news", text, analysis }, Date.now());
 * ```
 */
export function append(
  tx: Tx,
  userId: number,
  fields: Pick<HistoryItem, "kind" | "text" | "analysis">,
  now: number,
): HistoryItem {
  const item: HistoryItem = {
    id: timeOrderedId(now),
    user_id: userId,
    at: new Date(now).toISOString(),
    kind: fields.kind,
    text: capText(fields.text),
    analysis: fields.analysis,
    feedback_attempts: 0,
    helpful: false,
  };
  tx.set(dataKey(tx.generation, "history", userId, item.id), pack(item));
  return item;
}

/**
 * Stages an updated item (e.g. with a new attempt count).
 *
 * @example
 * ```ts
 * update(tx, { ...item, feedback_attempts: item.feedback_attempts + 1 });
 * ```
 */
export function update(tx: Tx, item: HistoryItem): void {
  tx.set(dataKey(tx.generation, "history", item.user_id, item.id), pack(item));
}

/**
 * One item, or null.
 *
 * @example
 * ```ts
 * const item = await get(store, 42, id);
 * ```
 */
export async function get(store: Store, userId: number, id: string): Promise<HistoryItem | null> {
  const key = dataKey(store.generation, "history", userId, id);
  const stored = (await store.kv.get<StoredHistoryItem | HistoryItem>(key)).value;
  return stored === null ? null : unpack(stored);
}

/**
 * A user's items, newest first.
 *
 * @example
 * ```ts
 * const latest = await list(store, 42, 10);
 * ```
 */
export async function list(store: Store, userId: number, limit = 20): Promise<HistoryItem[]> {
  const stored = await listValues<StoredHistoryItem | HistoryItem>(
    store,
    dataPrefix(store.generation, "history", userId),
    { reverse: true, limit },
  );
  return stored.map(unpack);
}
