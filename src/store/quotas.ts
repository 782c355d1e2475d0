/**
 * Quotas as sliding windows: analyses per user per rolling 24 h, provider calls per user per
 * window, analyses per API key per rolling 24 h. Each window is a fixed number of counting
 * buckets (never a list of hits), so its record stays small whatever the limit. A user's own windows are staged in the user's
 * turn (one turn at a time per user makes them exact); shared ones (API keys) use a
 * compare-and-set loop, exact across processes.
 *
 * @module
 */
import { AppError } from "../core/errors.ts";
import { type Tx } from "../core/tx.ts";
import { runtimeKeys } from "./keys.ts";
import { atomicCommit, type Store } from "./kv.ts";

/** What a quota check answered. */
export interface QuotaDecision {
  allowed: boolean;
  limit: number;
  /** Left after this request (when allowed) or now (when refused). */
  remaining: number;
  /** Epoch ms when the next slot frees up (the oldest counted hits leave the window). */
  resetAt: number;
}

/**
 * A window as stored: hits counted in buckets of 1/{@linkcode WINDOW_BUCKETS} of the window,
 * oldest first, each `[time of its latest hit, hits]`. Its size depends on the window's
 * resolution, never on the limit: a daily limit of a million is as small as one of ten.
 */
export interface WindowCounter {
  buckets: [number, number][];
}

/** The format before counters (`{ hits: [...] }`, one timestamp per hit), still read. */
interface HitList {
  hits: number[];
}

/** Which windows exist; the id says whose. */
export type QuotaScope = "analyses" | "ai" | "api_key" | "ip" | "audit_denied" | "sign_in";

/**
 * Whose window each scope is: a `user` window is keyed by a user id and erased with the user
 * (`/forget`, `store/erase.ts`); the others by an API key or an address. Every scope must say,
 * so a new one cannot skip the question.
 */
export const QUOTA_SCOPE_OWNERS = {
  analyses: "user",
  ai: "user",
  api_key: "system",
  ip: "system",
  audit_denied: "user",
  sign_in: "system",
} as const satisfies Record<QuotaScope, "user" | "system">;

/** The scopes of per-user windows, which `/forget` erases. */
export const USER_QUOTA_SCOPES: readonly QuotaScope[] = (
  Object.keys(QUOTA_SCOPE_OWNERS) as QuotaScope[]
).filter((scope) => QUOTA_SCOPE_OWNERS[scope] === "user");

/** One window's settings. */
export interface WindowSpec {
  scope: QuotaScope;
  id: string;
  limit: number;
  windowMs: number;
}

/** The rolling-24-hour window. */
export const DAY_MS = 86_400_000;

/**
 * Buckets per window. A bucket's hits count until its latest hit leaves the window, so a hit is
 * never forgotten early (the limit is never exceeded in any window) and is remembered at most
 * 1/60 of the window too long; a bucket that holds one hit is exact (docs/SECURITY.md).
 */
export const WINDOW_BUCKETS = 60;
/** Hard cap on stored buckets (the window spans at most 62; more only with clocks far apart). */
const MAX_BUCKETS = WINDOW_BUCKETS + 4;

/**
 * Reads a stored window in either format: counters, or the older list of hit times (folded
 * into counters the same way new hits are, so a window written before the change keeps counting).
 *
 * @example
 * ```ts
 * toCounter({ hits: [1000, 2000] }, 60_000); // { buckets: [[1000, 1], [2000, 1]] }
 * ```
 */
export function toCounter(
  value: WindowCounter | HitList | null | undefined,
  windowMs: number,
): WindowCounter {
  if (value && Array.isArray((value as WindowCounter).buckets)) return value as WindowCounter;
  const hits = Array.isArray((value as HitList | null)?.hits) ? (value as HitList).hits : [];
  const buckets: [number, number][] = [];
  for (const at of hits.toSorted((a, b) => a - b)) addHit(buckets, at, windowMs);
  return { buckets };
}

/** Counts a hit into `buckets` (owned by the caller; the tuples in it are never modified). */
function addHit(buckets: [number, number][], at: number, windowMs: number): void {
  const width = Math.max(1, Math.ceil(windowMs / WINDOW_BUCKETS));
  const newest = buckets[buckets.length - 1];
  if (newest && Math.floor(at / width) <= Math.floor(newest[0] / width)) {
    buckets[buckets.length - 1] = [Math.max(newest[0], at), newest[1] + 1];
  } else {
    buckets.push([at, 1]);
  }
  // Only clocks far apart get here: merging the two oldest keeps their hits, counted longer.
  while (buckets.length > MAX_BUCKETS) {
    const [[, oldHits], [last, hits]] = buckets.splice(0, 2);
    buckets.unshift([last, oldHits + hits]);
  }
}

/**
 * Decides on one more hit against a window (pure).
 *
 * @example
 * ```ts
 * decide({ buckets: [[1000, 1], [2000, 1]] }, 3000, { limit: 2, windowMs: 60_000 }).allowed; // false
 * ```
 */
export function decide(
  counter: WindowCounter,
  now: number,
  spec: Pick<WindowSpec, "limit" | "windowMs">,
  take = true,
): QuotaDecision & { counter: WindowCounter } {
  const buckets = counter.buckets.filter(([last]) => last > now - spec.windowMs);
  const used = buckets.reduce((sum, [, hits]) => sum + hits, 0);
  if (!Number.isFinite(spec.limit)) {
    return {
      allowed: true,
      limit: spec.limit,
      remaining: spec.limit,
      resetAt: now,
      counter: { buckets },
    };
  }
  const allowed = used < spec.limit;
  if (allowed && take) addHit(buckets, now, spec.windowMs);
  const counted = allowed && take ? used + 1 : used;
  // Full: a slot frees when enough of the oldest buckets have left to bring the count under.
  let resetAt = now + spec.windowMs;
  let leaving = counted - spec.limit + 1;
  for (const [last, hits] of buckets) {
    if (leaving <= 0) break;
    resetAt = last + spec.windowMs;
    leaving -= hits;
  }
  return {
    allowed,
    limit: spec.limit,
    remaining: Math.max(0, spec.limit - counted),
    resetAt,
    counter: { buckets },
  };
}

/**
 * The daily analysis limit of a user: free the base, pro five times it, admins unlimited.
 *
 * @example
 * ```ts
 * dailyAnalysisLimit(50, "pro", false); // 250
 * ```
 */
export function dailyAnalysisLimit(base: number, tier: "free" | "pro", isAdmin: boolean): number {
  if (isAdmin) return Number.POSITIVE_INFINITY;
  return tier === "pro" ? base * 5 : base;
}

async function readWindow(
  store: Store,
  spec: WindowSpec,
): Promise<{ entry: Deno.KvEntryMaybe<unknown>; counter: WindowCounter }> {
  const entry = await store.kv.get<WindowCounter | HitList>(runtimeKeys.limit(spec.scope, spec.id));
  return { entry, counter: toCounter(entry.value, spec.windowMs) };
}

/**
 * Reads where a window stands without taking a slot.
 *
 * @example
 * ```ts
 * const left = await peek(store, { scope: "analyses", id: "42", limit: 50, windowMs: DAY_MS }, now);
 * ```
 */
export async function peek(store: Store, spec: WindowSpec, now: number): Promise<QuotaDecision> {
  const { counter } = await readWindow(store, spec);
  const { counter: _, ...decision } = decide(counter, now, spec, false);
  return decision;
}

/**
 * Takes a slot inside a turn: reads the window and stages the new hit into the turn's tx. Exact
 * because only the owner's turns touch a user's windows, one at a time.
 *
 * @example
 * ```ts
 * const quota = await reserveInTurn(store, turn.tx, { scope: "analyses", id: "42", limit: 50, windowMs: DAY_MS }, now);
 * if (!quota.allowed) await ctx.reply(t(lang, "quota_exhausted", { ... }));
 * ```
 */
export async function reserveInTurn(
  store: Store,
  tx: Tx,
  spec: WindowSpec,
  now: number,
): Promise<QuotaDecision> {
  const window = await readWindow(store, spec);
  const { counter, ...decision } = decide(window.counter, now, spec);
  if (decision.allowed && Number.isFinite(spec.limit)) {
    tx.set(window.entry.key, counter, { expireIn: spec.windowMs });
  }
  return decision;
}

/**
 * Takes a slot in a window shared by processes (compare-and-set until it sticks).
 *
 * @example
 * ```ts
 * const quota = await reserveShared(store, { scope: "api_key", id: keyId, limit: 1000, windowMs: DAY_MS }, now);
 * ```
 */
export async function reserveShared(
  store: Store,
  spec: WindowSpec,
  now: number,
): Promise<QuotaDecision> {
  for (let attempt = 0; attempt < 1000; attempt++) {
    const { entry, counter: stored } = await readWindow(store, spec);
    const { counter, ...decision } = decide(stored, now, spec);
    if (!decision.allowed || !Number.isFinite(spec.limit)) return decision;
    const result = await atomicCommit(
      store,
      (op) => op.check(entry).set(entry.key, counter, { expireIn: spec.windowMs }),
    );
    if (result.ok) return decision;
  }
  throw new AppError("Cannot reserve a quota slot: too much contention", {
    code: "QUOTA_CONTENTION",
  });
}
