/**
 * Quotas as sliding windows: analyses per user per rolling 24 h, provider calls per user per
 * window, analyses per API key per rolling 24 h. A user's own windows are staged in the user's
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
  /** Epoch ms when the next slot frees up (the oldest counted hit leaves the window). */
  resetAt: number;
}

interface WindowRecord {
  hits: number[];
}

/** Which windows exist; the id says whose. */
export type QuotaScope = "analyses" | "ai" | "api_key" | "ip";

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
 * Decides on one more hit against the hits already in the window (pure).
 *
 * @example
 * ```ts
 * decide([1000, 2000], 3000, { limit: 2, windowMs: 60_000 }).allowed; // false
 * ```
 */
export function decide(
  hits: number[],
  now: number,
  spec: Pick<WindowSpec, "limit" | "windowMs">,
  take = true,
): QuotaDecision & { hits: number[] } {
  const live = hits.filter((at) => at > now - spec.windowMs).sort((a, b) => a - b);
  if (!Number.isFinite(spec.limit)) {
    return { allowed: true, limit: spec.limit, remaining: spec.limit, resetAt: now, hits: live };
  }
  const allowed = live.length < spec.limit;
  const next = allowed && take ? [...live, now] : live;
  const oldest = next.length >= spec.limit ? next[next.length - spec.limit] : now;
  return {
    allowed,
    limit: spec.limit,
    remaining: Math.max(0, spec.limit - next.length),
    resetAt: oldest + spec.windowMs,
    hits: next,
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

async function readHits(store: Store, spec: WindowSpec): Promise<Deno.KvEntryMaybe<WindowRecord>> {
  return await store.kv.get<WindowRecord>(runtimeKeys.limit(spec.scope, spec.id));
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
  const entry = await readHits(store, spec);
  const { hits: _, ...decision } = decide(entry.value?.hits ?? [], now, spec, false);
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
  const entry = await readHits(store, spec);
  const { hits, ...decision } = decide(entry.value?.hits ?? [], now, spec);
  if (decision.allowed && Number.isFinite(spec.limit)) {
    tx.set(runtimeKeys.limit(spec.scope, spec.id), { hits }, { expireIn: spec.windowMs });
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
    const entry = await readHits(store, spec);
    const { hits, ...decision } = decide(entry.value?.hits ?? [], now, spec);
    if (!decision.allowed || !Number.isFinite(spec.limit)) return decision;
    const result = await atomicCommit(
      store,
      (op) => op.check(entry).set(entry.key, { hits }, { expireIn: spec.windowMs }),
    );
    if (result.ok) return decision;
  }
  throw new AppError("Cannot reserve a quota slot: too much contention", {
    code: "QUOTA_CONTENTION",
  });
}
