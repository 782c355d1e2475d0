/**
 * Schema 4's data move: schema 3 deduplicated each update with a marker record (`["update",
 * source, id]`, 48 h); schema 4 lists an actor's finished ids in its session record
 * (`done_updates.ts`). Markers of finished updates move into their actor's list; markers of
 * updates still waiting go, their inbox entry dedupes them (docs/ARCHITECTURE.md,
 * "Deduplication").
 *
 * @module
 */
import { DatabaseError } from "../core/errors.ts";
import { doneKeepUntil, withDone } from "./done_updates.ts";
import { runtimeKeys } from "./keys.ts";
import { atomicCommit, getEntries, type Store } from "./kv.ts";
import { sessionKey, type SessionRecord } from "./sessions.ts";

interface LegacyMarker {
  state?: string;
  actor?: unknown;
  at?: unknown;
}

/** Markers moved per commit: each is a delete, plus one session write per actor. */
const BATCH = 200;

/**
 * Moves every schema-3 marker into its actor's finished ids and deletes it. Idempotent: a
 * second run finds no markers. Times are the markers' own: KV drops markers older than the
 * window, and an actor's newest marker stands for now (a data move needs no clock).
 *
 * @returns how many finished ids moved and how many markers of waiting updates went.
 * @example
 * ```ts
 * await adoptLegacyMarkers(store, generation);
 * ```
 */
export async function adoptLegacyMarkers(
  store: Store,
  generation: number,
): Promise<{ finished: number; waiting: number }> {
  const moved = { finished: 0, waiting: 0 };
  let batch: Deno.KvEntry<LegacyMarker>[] = [];
  for await (
    const marker of store.kv.list<LegacyMarker>({ prefix: ["update"] }, { batchSize: BATCH })
  ) {
    batch.push(marker);
    if (batch.length === BATCH) {
      await moveBatch(store, generation, batch, moved);
      batch = [];
    }
  }
  if (batch.length > 0) await moveBatch(store, generation, batch, moved);
  return moved;
}

async function moveBatch(
  store: Store,
  generation: number,
  markers: Deno.KvEntry<LegacyMarker>[],
  moved: { finished: number; waiting: number },
): Promise<void> {
  const byActor = new Map<string, { id: number; at: number; key: Deno.KvKey }[]>();
  const unreadable: Deno.KvKey[] = [];
  for (const marker of markers) {
    const id = marker.key[2];
    const { actor, at } = marker.value ?? {};
    if (typeof actor !== "string" || typeof id !== "number" || typeof at !== "number") {
      unreadable.push(marker.key);
      continue;
    }
    const list = byActor.get(actor) ?? [];
    list.push({ id, at, key: marker.key });
    byActor.set(actor, list);
  }
  if (unreadable.length > 0) {
    await commitOrThrow(store, (op) => unreadable.reduce((o, key) => o.delete(key), op));
  }
  for (const [actor, list] of byActor) {
    const now = Math.max(...list.map(({ at }) => at));
    const pending = await getEntries(store, list.map(({ id }) => runtimeKeys.inbox(actor, id)));
    const session = await store.kv.get<SessionRecord<unknown>>(sessionKey(generation, actor));
    let record: SessionRecord<unknown> = session.value ??
      { state: null, createdAt: now, expiresAt: 0 };
    list.forEach(({ id, at }, i) => {
      if (pending[i].value !== null) {
        moved.waiting++;
        return;
      }
      record = { ...record, done: withDone(record.done, id, now, at) };
      moved.finished++;
    });
    const keepUntil = Math.max(record.expiresAt, doneKeepUntil(record.done));
    await commitOrThrow(store, (op) => {
      op.check(session);
      if (record.done) op.set(session.key, record, { expireIn: Math.max(1, keepUntil - now) });
      return list.reduce((o, { key }) => o.delete(key), op);
    });
  }
}

async function commitOrThrow(
  store: Store,
  build: (op: Deno.AtomicOperation) => Deno.AtomicOperation,
): Promise<void> {
  const result = await atomicCommit(store, build);
  // A turn of a process still running schema 3 wrote the session meanwhile: run again.
  if (!result.ok) {
    throw new DatabaseError("A session changed while its markers moved; run the migration again", {
      code: "MIGRATION_CONFLICT",
    });
  }
}
