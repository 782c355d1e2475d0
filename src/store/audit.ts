/**
 * The audit log: who did what, when, with what outcome. Rows are time-ordered and indexed by
 * user and by action, so queries read newest first without scanning everything.
 *
 * @module
 */
import { type Clock, systemClock } from "../core/clock.ts";
import { timeOrderedId } from "../core/ids.ts";
import { type AuditEntry, type AuditSink } from "../core/sinks.ts";
import { type Tx } from "../core/tx.ts";
import { dataKey, dataPrefix } from "./keys.ts";
import { commitTx, type Store } from "./kv.ts";

/** One stored audit row: the id and the 12 fields. */
export interface AuditRow {
  id: string;
  user_id: number | null;
  username: string | null;
  action: string;
  command: string | null;
  parameters: Record<string, unknown> | null;
  result: string | null;
  error_message: string | null;
  ip_address: string | null;
  client_version: string | null;
  execution_time_ms: number | null;
  status: AuditEntry["status"];
  /** ISO 8601 UTC. */
  timestamp: string;
}

/** Parameter names whose values are replaced by `***`. */
const SECRET_KEY = /pass|secret|token|api_?key|^key$|auth|credential|cookie|private|seed|mnemonic/i;
const MAX_TEXT = 1000;
const MAX_PARAMETERS_BYTES = 4096;

/**
 * Copies parameters with secret-looking keys masked, at any depth.
 *
 * @example
 * ```ts
 * maskParameters({ name: "ci", token: "abc" }); // { name: "ci", token: "***" }
 * ```
 */
export function maskParameters(value: unknown, depth = 0): unknown {
  if (depth > 5) return "…";
  if (Array.isArray(value)) return value.slice(0, 50).map((v) => maskParameters(v, depth + 1));
  if (value === null || typeof value !== "object") {
    return typeof value === "string" ? cap(value, 300) : value;
  }
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map((
      [k, v],
    ) => [k, SECRET_KEY.test(k) ? "***" : maskParameters(v, depth + 1)]),
  );
}

function cap(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function capOrNull(text: string | null | undefined): string | null {
  return text === null || text === undefined ? null : cap(text, MAX_TEXT);
}

/** Builds the stored row from an entry: id, timestamp, masking and caps. */
export function toAuditRow(entry: AuditEntry, now: number): AuditRow {
  let parameters = entry.parameters
    ? maskParameters(entry.parameters) as Record<string, unknown>
    : null;
  if (parameters && JSON.stringify(parameters).length > MAX_PARAMETERS_BYTES) {
    parameters = { truncated: true };
  }
  return {
    id: timeOrderedId(now),
    user_id: entry.user_id ?? null,
    username: capOrNull(entry.username),
    action: cap(entry.action, 100),
    command: capOrNull(entry.command),
    parameters,
    result: capOrNull(entry.result),
    error_message: capOrNull(entry.error_message),
    ip_address: entry.ip_address ?? null,
    client_version: capOrNull(entry.client_version),
    execution_time_ms: entry.execution_time_ms ?? null,
    status: entry.status,
    timestamp: new Date(now).toISOString(),
  };
}

/**
 * Stages one audit row and its indexes.
 *
 * @example
 * ```ts
 * record(tx, { user_id: 42, action: "ban", parameters: { reason: "spam" }, status: "ok" }, Date.now());
 * ```
 */
export function record(tx: Tx, entry: AuditEntry, now: number): AuditRow {
  const row = toAuditRow(entry, now);
  tx.set(dataKey(tx.generation, "audit", "t", row.id), row);
  if (row.user_id !== null) tx.set(dataKey(tx.generation, "audit", "u", row.user_id, row.id), row);
  tx.set(dataKey(tx.generation, "audit", "a", row.action, row.id), row);
  return row;
}

/** Filters of {@linkcode query}. */
export interface AuditQuery {
  userId?: number;
  action?: string;
  /** Only rows at or after this time (epoch ms). */
  since?: number;
  /** @default 50 */
  limit?: number;
}

/**
 * Audit rows matching the filters, newest first.
 *
 * @example
 * ```ts
 * const rows = await query(store, { userId: 42, limit: 10 });
 * ```
 */
export async function query(store: Store, filters: AuditQuery = {}): Promise<AuditRow[]> {
  const limit = filters.limit ?? 50;
  const g = store.generation;
  const prefix = filters.userId !== undefined
    ? dataPrefix(g, "audit", "u", filters.userId)
    : filters.action !== undefined
    ? dataPrefix(g, "audit", "a", filters.action)
    : dataPrefix(g, "audit", "t");
  const selector: Deno.KvListSelector = filters.since === undefined
    ? { prefix }
    : { prefix, start: [...prefix, timeOrderedId(filters.since).slice(0, 9)] };
  const needsFilter = filters.userId !== undefined && filters.action !== undefined;
  const rows: AuditRow[] = [];
  for await (
    const entry of store.kv.list<AuditRow>(selector, {
      reverse: true,
      limit: needsFilter ? undefined : limit,
      batchSize: Math.min(1000, Math.max(limit, 10)),
    })
  ) {
    if (needsFilter && entry.value.action !== filters.action) continue;
    rows.push(entry.value);
    if (rows.length >= limit) break;
  }
  return rows;
}

/**
 * Stages the removal of rows older than `before` (epoch ms), at most `max` of them.
 *
 * @returns how many rows were staged for removal; fewer than `max` means none are left.
 * @example
 * ```ts
 * const removed = await stagePurge(store, tx, Date.now() - 90 * 86_400_000, 300);
 * ```
 */
export async function stagePurge(
  store: Store,
  tx: Tx,
  before: number,
  max: number,
): Promise<number> {
  const g = tx.generation;
  const end = [...dataPrefix(g, "audit", "t"), timeOrderedId(before).slice(0, 9)];
  let removed = 0;
  for await (
    const entry of store.kv.list<AuditRow>({ start: dataPrefix(g, "audit", "t"), end }, {
      limit: max,
    })
  ) {
    const row = entry.value;
    tx.delete(entry.key);
    if (row.user_id !== null) tx.delete(dataKey(g, "audit", "u", row.user_id, row.id));
    tx.delete(dataKey(g, "audit", "a", row.action, row.id));
    removed++;
  }
  return removed;
}

/**
 * The audit sink over KV: stages into a tx when given, else commits the row on its own.
 *
 * @example
 * ```ts
 * const audit = new KvAuditSink(store);
 * await audit.record({ action: "backup", status: "ok" });
 * ```
 */
export class KvAuditSink implements AuditSink {
  constructor(readonly store: Store, readonly clock: Clock = systemClock) {}

  async record(entry: AuditEntry, tx?: Tx): Promise<void> {
    if (tx) {
      record(tx, entry, this.clock.now());
      return;
    }
    const own = this.store.tx();
    record(own, entry, this.clock.now());
    await commitTx(this.store, own);
  }
}
