/**
 * Ingest: validate each update, resolve its actor, drop ids already waiting in its inbox, append
 * the rest to the actor's durable inbox (group-committed), and resolve only once durable. What a
 * caller acknowledges after this (webhook 200, the next getUpdates offset) is never lost. An id
 * whose turn already finished is recognised by its actor's turn, from the finished ids its
 * session record keeps (docs/ARCHITECTURE.md, "Deduplication").
 *
 * @module
 */
import { type Update } from "grammy/types";
import { type Clock } from "../core/clock.ts";
import { AppError, ValidationError } from "../core/errors.ts";
import { type MetricsSink } from "../core/sinks.ts";
import { Tx } from "../core/tx.ts";
import { type CommitOutcome, type GroupCommitter } from "../store/committer.ts";
import { tallyInboxDepth } from "../store/inbox_depth.ts";
import { runtimeKeys } from "../store/keys.ts";
import { commitTx, type Store } from "../store/kv.ts";
import { readJoinedText, splitParts } from "../store/parts.ts";
import { FixedDelayTimers } from "../core/fixed_delay_timers.ts";
import { resolveActor } from "./actor_ref.ts";
import { DIRECT_ACK_MS, type DirectOutcome, DirectTurn, ingestDirect } from "./direct_turn.ts";
import { stageInboxMark } from "./inbox_mark.ts";

/** Where an update came from; update ids are unique per source. */
export type UpdateSource = "tg" | "local";

/** Updates above this are split across several KV values (kept well under the 64 KiB limit). */
const INLINE_MAX_BYTES = 16_000;
/** A bound on what an inbox entry holds besides its update (names, ids, times, the actor). */
const ENTRY_FIELDS_BYTES = 256;
const CHUNK_BYTES = 60_000;
/** Updates above this are refused: far beyond anything Telegram sends, and a turn's budget. */
export const MAX_UPDATE_BYTES = 512 * 1024;
/**
 * Update ids remembered in memory: Telegram redelivers within seconds to minutes, and the
 * inbox entry and the actor's finished ids answer for anything older, so a small set catches the duplicates that would
 * fail a whole group commit (about 2 MB of heap at this size).
 */
const RECENT_CAPACITY = 10_000;

/** One update waiting in an actor's inbox. */
export interface InboxEntry {
  source: UpdateSource;
  update_id: number;
  actor: string;
  /** Epoch ms. */
  received_at: number;
  /** Failed attempts so far. */
  attempts: number;
  /** Not before this time (epoch ms): the retry backoff. */
  not_before: number;
  /** The update itself, or null when it is stored in `chunks` parts. */
  update: Update | null;
  chunks: number;
  /**
   * Put back by an operator (a dead letter's retry): it runs although its id is among the
   * actor's finished updates.
   */
  requeued?: true;
}

/** What happened to one update given to {@linkcode Inbox.ingest}. */
export type IngestResult =
  | { status: "queued"; updateId: number; actor: string }
  | { status: "duplicate"; updateId: number }
  | { status: "rejected"; error: AppError };

/**
 * Checks an incoming value is an update: a JSON object with a positive integer `update_id`.
 *
 * @throws {ValidationError} with a clear reason.
 * @example
 * ```ts
 * const update = validateUpdate(JSON.parse(body));
 * ```
 */
export function validateUpdate(value: unknown): Update {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new ValidationError("update", "An update must be a JSON object");
  }
  const id = (value as { update_id?: unknown }).update_id;
  if (typeof id !== "number" || !Number.isSafeInteger(id) || id <= 0) {
    throw new ValidationError("update_id", "update_id must be a positive integer");
  }
  return value as Update;
}

/** What {@linkcode Inbox} needs. */
export interface InboxDeps {
  store: Store;
  /** The ingest committer (one commit in flight for all ingests). */
  committer: GroupCommitter;
  clock: Clock;
  metrics: MetricsSink;
  /** Told about each actor with newly queued work, and the update's id. */
  onQueued?: (actor: string, updateId: number) => void;
  /**
   * Runs an update's turn as it arrives when its actor is free (the supervisor's
   * `runDirect`); without it every update is queued.
   */
  runDirect?: (direct: DirectTurn) => Promise<DirectOutcome>;
}

const encoder = new TextEncoder();

/**
 * The durable inboxes.
 *
 * @example
 * ```ts
 * const inbox = new Inbox({ store, committer, clock, metrics, onQueued: (a, id) => supervisor.schedule(a, id) });
 * const [result] = await inbox.ingest([update]);
 * ```
 */
export class Inbox {
  readonly #deps: InboxDeps;
  /**
   * Recently seen ids → the outcome of their first ingest, so duplicates wait for it. Two
   * generations: forgetting the oldest half is one swap, where dropping a Map's first key one
   * at a time walks the holes earlier deletes left (3 % of the runtime's CPU in the benchmark).
   */
  #recent = new Map<string, Promise<boolean>>();
  #older = new Map<string, Promise<boolean>>();

  /** Direct turns' ack deadlines, on one clock timer. */
  readonly #ackDeadlines: FixedDelayTimers;

  constructor(deps: InboxDeps) {
    this.#deps = deps;
    this.#ackDeadlines = new FixedDelayTimers(deps.clock, DIRECT_ACK_MS);
  }

  /** Set by the supervisor once it exists (ingest and supervisor are built in that order). */
  set onQueued(listener: (actor: string, updateId: number) => void) {
    this.#deps.onQueued = listener;
  }

  /** Set once the supervisor exists: from then on a free actor's update runs directly. */
  set runDirect(run: (direct: DirectTurn) => Promise<DirectOutcome>) {
    this.#deps.runDirect = run;
  }

  /**
   * Ingests updates; each result says queued, duplicate or rejected. Rejects as a whole only
   * when KV fails or the schema fence refuses (a `SchemaFenceError`: the KV's schema is not this
   * code's), and then nothing may be acknowledged.
   */
  async ingest(values: readonly unknown[], source: UpdateSource = "tg"): Promise<IngestResult[]> {
    const fence = this.#deps.store.fence;
    if (fence && !await fence.ready()) throw fence.refusal();
    return await Promise.all(values.map((value) => this.#ingestOne(value, source)));
  }

  async #ingestOne(value: unknown, source: UpdateSource): Promise<IngestResult> {
    let update: Update;
    let json: string;
    try {
      update = validateUpdate(value);
      json = JSON.stringify(update);
      if (json.length > MAX_UPDATE_BYTES) {
        throw new ValidationError("update", `An update must be at most ${MAX_UPDATE_BYTES} bytes`, {
          code: "UPDATE_TOO_LARGE",
        });
      }
    } catch (err) {
      this.#deps.metrics.count("ingest_rejected");
      const error = err instanceof AppError
        ? err
        : new ValidationError("update", "An update must be JSON");
      return { status: "rejected", error };
    }
    const id = `${source}:${update.update_id}`;
    const earlier = this.#recent.get(id) ?? this.#older.get(id);
    if (earlier) {
      // Acknowledge a duplicate only once the first copy is durable.
      if (await earlier) return { status: "duplicate", updateId: update.update_id };
    }
    const ref = resolveActor(update, source);
    const outcome = this.#accept(update, json, source, ref.actor);
    this.#remember(id, outcome.then(() => true, () => false));
    const result = await outcome.catch((err) => {
      this.#recent.delete(id);
      this.#older.delete(id);
      throw err;
    });
    if (result === "duplicate") return { status: "duplicate", updateId: update.update_id };
    if (result === "queued") this.#deps.onQueued?.(ref.actor, update.update_id);
    return { status: "queued", updateId: update.update_id, actor: ref.actor };
  }

  /** Runs the update's turn directly when its actor is free, else queues it. */
  async #accept(
    update: Update,
    json: string,
    source: UpdateSource,
    actor: string,
  ): Promise<"done" | "queued" | "duplicate"> {
    const { runDirect, clock } = this.#deps;
    const put = () => this.#put(update, json, source, actor);
    if (!runDirect) return await put() ? "queued" : "duplicate";
    const entry = newEntry({ update, source, actor, now: clock.now() }, 0);
    const outcome = await ingestDirect(new DirectTurn(entry, put), runDirect, this.#ackDeadlines);
    if (outcome === "duplicate") this.#deps.metrics.count("ingest_duplicates");
    if (outcome === "done" || outcome === "duplicate") return outcome;
    return outcome.queued ? "queued" : "duplicate";
  }

  #remember(id: string, outcome: Promise<boolean>): void {
    if (this.#recent.size >= RECENT_CAPACITY / 2) {
      this.#older = this.#recent;
      this.#recent = new Map();
    }
    this.#recent.set(id, outcome);
  }

  /** Puts the update into its actor's inbox: the entry, or null when it already waits there. */
  async #put(
    update: Update,
    json: string,
    source: UpdateSource,
    actor: string,
  ): Promise<ReadEntry | null> {
    const { store, committer, clock } = this.#deps;
    const now = clock.now();
    const tx = new Tx({ generation: store.generation });
    // The entry's own key is the dedupe record while the update waits.
    tx.check(runtimeKeys.inbox(actor, update.update_id), null);
    const entry = stageInboxEntry(tx, { update, json, source, actor, now });
    // A chunked update is too big to share an atomic with others.
    const versionstamp = entry.chunks === 0
      ? committedVersionstamp(await committer.submit(tx))
      : await commitTx(store, tx);
    if (versionstamp === null) {
      this.#deps.metrics.count("ingest_duplicates");
      return null;
    }
    return { entry, versionstamp };
  }
}

function committedVersionstamp(outcome: CommitOutcome): string | null {
  return outcome.ok ? outcome.versionstamp : null;
}

/** An update on its way into its actor's inbox. */
export interface InboxAppend {
  update: Update;
  /** The update as JSON text (`JSON.stringify(update)`). */
  json: string;
  source: UpdateSource;
  actor: string;
  /** Epoch ms. */
  now: number;
  /** An operator's retry of a finished update (see {@linkcode InboxEntry.requeued}). */
  requeued?: boolean;
}

/**
 * Stages an update into its actor's inbox: the entry (its update in parts when large), the
 * inbox's mark and the inbox depth's tally. The caller checks the entry's key (ingest: absent)
 * or the record the update comes from (a dead letter's retry).
 *
 * @returns the entry as staged.
 * @example
 * ```ts
 * stageInboxEntry(tx, { update, json: JSON.stringify(update), source: "tg", actor: "u:7", now });
 * ```
 */
export function stageInboxEntry(tx: Tx, append: InboxAppend): InboxEntry {
  const { update, json, actor } = append;
  // UTF-8 takes at most 3 bytes per UTF-16 unit of the JSON: most updates need no encoding.
  const bytes = json.length * 3 > INLINE_MAX_BYTES ? encoder.encode(json) : null;
  const size = bytes?.length ?? json.length * 3;
  const chunks = bytes && size > INLINE_MAX_BYTES ? Math.ceil(size / CHUNK_BYTES) : 0;
  const entry = newEntry(append, chunks);
  tx.set(runtimeKeys.inbox(actor, update.update_id), entry, {
    bytes: (chunks === 0 ? size : 0) + ENTRY_FIELDS_BYTES,
  });
  tallyInboxDepth(tx, 1);
  stageInboxMark(tx, actor);
  if (chunks > 0) {
    splitParts(bytes!, CHUNK_BYTES).forEach((part, n) =>
      tx.set(runtimeKeys.inboxChunk(actor, update.update_id, n), part)
    );
  }
  return entry;
}

/** An inbox entry for an update, its update in `chunks` parts when there are any. */
function newEntry(
  append: Omit<InboxAppend, "json">,
  chunks: number,
): InboxEntry {
  const { update, source, actor, now, requeued } = append;
  return {
    source,
    update_id: update.update_id,
    actor,
    received_at: now,
    attempts: 0,
    not_before: 0,
    update: chunks === 0 ? update : null,
    chunks,
    ...requeued ? { requeued: true as const } : {},
  };
}

/**
 * Reads the update of an inbox entry, joining its chunks when it was split.
 *
 * @example
 * ```ts
 * const update = await loadUpdate(store, entry);
 * ```
 */
export async function loadUpdate(store: Store, entry: InboxEntry): Promise<Update> {
  if (entry.update) return entry.update;
  return JSON.parse(
    await readJoinedText(store, runtimeKeys.inboxChunksOf(entry.actor, entry.update_id)),
  );
}

/**
 * Stages the removal of an inbox entry (and its chunks).
 *
 * @example
 * ```ts
 * stageInboxRemoval(tx, entry);
 * ```
 */
export function stageInboxRemoval(tx: Tx, entry: InboxEntry): void {
  tx.delete(runtimeKeys.inbox(entry.actor, entry.update_id));
  for (let part = 0; part < entry.chunks; part++) {
    tx.delete(runtimeKeys.inboxChunk(entry.actor, entry.update_id, part));
  }
  tallyInboxDepth(tx, -1);
}

/** An inbox entry as read, with the versionstamp that guards changes to it. */
export interface ReadEntry {
  entry: InboxEntry;
  versionstamp: string;
}

/**
 * The first `limit` entries of an actor's inbox, in `update_id` order.
 *
 * @example
 * ```ts
 * const [next] = await readInbox(store, "u:42", 1);
 * ```
 */
export async function readInbox(store: Store, actor: string, limit: number): Promise<ReadEntry[]> {
  const page: ReadEntry[] = [];
  for await (
    const item of store.kv.list<InboxEntry>({ prefix: runtimeKeys.inboxOf(actor) }, { limit })
  ) page.push({ entry: item.value, versionstamp: item.versionstamp });
  return page;
}
