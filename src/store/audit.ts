/**
 * The audit log: who did what, when, with what outcome. Each row is stored once, by time; the
 * indexes by user and by action are keys that point at it (their values are a few bytes), so
 * queries read newest first without scanning everything and a row costs its size once. What one
 * user can add is bounded (docs/SECURITY.md, "Storage bounds"): refused admin commands are
 * recorded at most {@linkcode DENIED_ROWS_PER_USER_PER_DAY} times a day per user, their text cut
 * to {@linkcode DENIED_TEXT_CHARS} characters.
 *
 * @module
 */
import { type Clock, systemClock } from "../core/clock.ts";
import { timeOrderedId } from "../core/ids.ts";
import { type AuditEntry, type AuditSink } from "../core/sinks.ts";
import { type Tx } from "../core/tx.ts";
import { dataKey, dataPrefix } from "./keys.ts";
import { commitTx, getEntries, type Store } from "./kv.ts";
import { DAY_MS, reserveInTurn } from "./quotas.ts";

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
const MAX_STRING_PARAMETER = 300;
const MAX_PARAMETERS_BYTES = 4096;

/** Refused admin commands recorded per user per rolling 24 h; the rest are answered, not stored. */
export const DENIED_ROWS_PER_USER_PER_DAY = 10;
/** Longest text kept of a refused command (command, arguments, result). */
export const DENIED_TEXT_CHARS = 64;

/**
 * Copies parameters with secret-looking keys masked, at any depth.
 *
 * @example
 * ```ts
 * maskParameters({ name: "ci", token: "abc" }); // { name: "ci", token: "***" }
 * ```
 */
export function maskParameters(
  value: unknown,
  depth = 0,
  maxString = MAX_STRING_PARAMETER,
): unknown {
  if (depth > 5) return "…";
  if (Array.isArray(value)) {
    return value.slice(0, 50).map((v) => maskParameters(v, depth + 1, maxString));
  }
  if (value === null || typeof value !== "object") {
    return typeof value === "string" ? cap(value, maxString) : value;
  }
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map((
      [k, v],
    ) => [k, SECRET_KEY.test(k) ? "***" : maskParameters(v, depth + 1, maxString)]),
  );
}

function cap(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function capOrNull(text: string | null | undefined, max = MAX_TEXT): string | null {
  return text === null || text === undefined ? null : cap(text, max);
}

/**
 * Builds the stored row from an entry: id, timestamp, masking and caps (`maxText` for every
 * free text, {@linkcode MAX_TEXT} unless said).
 */
export function toAuditRow(entry: AuditEntry, now: number, maxText = MAX_TEXT): AuditRow {
  let parameters = entry.parameters
    ? maskParameters(entry.parameters, 0, Math.min(maxText, MAX_STRING_PARAMETER)) as Record<
      string,
      unknown
    >
    : null;
  if (parameters && JSON.stringify(parameters).length > MAX_PARAMETERS_BYTES) {
    parameters = { truncated: true };
  }
  return {
    id: timeOrderedId(now),
    user_id: entry.user_id ?? null,
    username: capOrNull(entry.username),
    action: cap(entry.action, 100),
    command: capOrNull(entry.command, maxText),
    parameters,
    result: capOrNull(entry.result, maxText),
    error_message: capOrNull(entry.error_message, maxText),
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
export function record(tx: Tx, entry: AuditEntry, now: number, maxText = MAX_TEXT): AuditRow {
  const row = toAuditRow(entry, now, maxText);
  tx.set(dataKey(tx.generation, "audit", "t", row.id), row);
  // Index values are what a purge or an erase needs to find the other keys, nothing more.
  if (row.user_id !== null) {
    tx.set(dataKey(tx.generation, "audit", "u", row.user_id, row.id), row.action);
  }
  tx.set(dataKey(tx.generation, "audit", "a", row.action, row.id), row.user_id);
  return row;
}

/**
 * Stages the row of an admin command a user was refused, inside that user's turn: at most
 * {@linkcode DENIED_ROWS_PER_USER_PER_DAY} a day per user (counted in a quota window, exact
 * because the user's turns run one at a time), texts cut to {@linkcode DENIED_TEXT_CHARS}.
 *
 * @returns whether a row was staged (false: over the day's allowance, nothing stored).
 * @example
 * ```ts
 * await recordDenied(store, turn.tx, { user_id: 30, action: "admin.ban", command: "/ban 1", status: "denied" }, now);
 * ```
 */
export async function recordDenied(
  store: Store,
  tx: Tx,
  entry: AuditEntry & { user_id: number },
  now: number,
): Promise<boolean> {
  const slot = await reserveInTurn(store, tx, {
    scope: "audit_denied",
    id: String(entry.user_id),
    limit: DENIED_ROWS_PER_USER_PER_DAY,
    windowMs: DAY_MS,
  }, now);
  if (slot.allowed) record(tx, { ...entry, status: "denied" }, now, DENIED_TEXT_CHARS);
  return slot.allowed;
}

/** Index values: an action or user id now; a copy of the whole row before rows were pointed at. */
type IndexValue = string | number | null | AuditRow;

/**
 * The action an entry of the user index names, in either format.
 *
 * @example
 * ```ts
 * indexedAction("admin.ban"); // "admin.ban"
 * ```
 */
export function indexedAction(value: IndexValue): string | null {
  if (typeof value === "string") return value;
  return value !== null && typeof value === "object" ? value.action : null;
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
  const byIndex = filters.userId !== undefined || filters.action !== undefined;
  const prefix = filters.userId !== undefined
    ? dataPrefix(g, "audit", "u", filters.userId)
    : filters.action !== undefined
    ? dataPrefix(g, "audit", "a", filters.action)
    : dataPrefix(g, "audit", "t");
  const selector: Deno.KvListSelector = filters.since === undefined
    ? { prefix }
    : { prefix, start: [...prefix, timeOrderedId(filters.since).slice(0, 9)] };
  const needsFilter = filters.userId !== undefined && filters.action !== undefined;
  // Rows, or (through an index) ids to read and rows still stored whole by the older format.
  const found: (AuditRow | string)[] = [];
  for await (
    const entry of store.kv.list<IndexValue>(selector, {
      reverse: true,
      limit: needsFilter ? undefined : limit,
      batchSize: Math.min(1000, Math.max(limit, 10)),
    })
  ) {
    if (needsFilter && indexedAction(entry.value) !== filters.action) continue;
    const whole = entry.value !== null && typeof entry.value === "object";
    found.push(whole || !byIndex ? entry.value as AuditRow : String(entry.key.at(-1)));
    if (found.length >= limit) break;
  }
  return await resolveRows(store, found);
}

/** Reads the rows that index entries point at, in order. */
async function resolveRows(store: Store, found: (AuditRow | string)[]): Promise<AuditRow[]> {
  const ids = found.filter((item): item is string => typeof item === "string");
  const byId = new Map<string, AuditRow>();
  const keys = ids.map((id) => dataKey(store.generation, "audit", "t", id));
  for (const entry of await getEntries<AuditRow>(store, keys)) {
    if (entry.value) byId.set(entry.value.id, entry.value);
  }
  // A row purged between the index read and this one is simply left out.
  return found.flatMap((item) => {
    if (typeof item !== "string") return [item];
    const row = byId.get(item);
    return row ? [row] : [];
  });
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
