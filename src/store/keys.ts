/**
 * The key layout: the only place KV keys are built. Data keys live under a generation prefix
 * (`["g", generation, family, …]`) so a restore can write a fresh generation and switch to it
 * in one commit; runtime state (inboxes, leases, markers, limits, cache) lives outside it.
 *
 * @module
 */

type Part = string | number | bigint;

/** Record families under the generation prefix; the backup walks exactly these. */
export const DATA_FAMILIES = [
  "profile",
  "profile_admin",
  "profile_xp",
  "profile_total",
  "session",
  "session_expiry",
  "history",
  "feedback",
  "bookmark",
  "learning",
  "leaderboard",
  "audit",
  "counter",
  "series",
  "api_key",
  "job",
  "dead_letter",
  "cron_run",
] as const;
export type DataFamily = typeof DATA_FAMILIES[number];

/**
 * Builds a data key in a generation.
 *
 * @example
 * ```ts
 * dataKey(1, "profile", 42); // ["g", 1, "profile", 42]
 * ```
 */
export function dataKey(generation: number, family: DataFamily, ...parts: Part[]): Deno.KvKey {
  return ["g", generation, family, ...parts];
}

/** The prefix of a whole family, or of one user's records in it. */
export function dataPrefix(generation: number, family?: DataFamily, ...parts: Part[]): Deno.KvKey {
  return family === undefined ? ["g", generation] : ["g", generation, family, ...parts];
}

/** Keys outside generations: schema version, generation pointer, admin token. */
export const metaKeys = {
  schemaVersion: ["meta", "schema_version"] as Deno.KvKey,
  generation: ["meta", "generation"] as Deno.KvKey,
  adminToken: ["meta", "admin_token"] as Deno.KvKey,
};

/** Runtime keys outside generations: not backed up, not restored. */
export const runtimeKeys = {
  /** The shared (KV) tier of the analysis cache, by content hash. */
  analysisCache: (hash: string): Deno.KvKey => ["cache", "analysis", hash],
  analysisCachePrefix: ["cache", "analysis"] as Deno.KvKey,
};
