/**
 * The key layout: the only place KV keys are built. Data keys live under a generation prefix
 * (`["g", generation, family, …]`) so a restore can write a fresh generation and switch to it
 * in one commit; runtime state (inboxes, leases, tallies, limits, cache) lives outside it.
 *
 * @module
 */

type Part = string | number | bigint;

/**
 * Record families under the generation prefix; the backup walks exactly these. A restore checks
 * every record against its family's key and value shape (`backup_records.ts`): a new family, or a
 * new shape of one, updates its check there (`tests/store/backup_records_test.ts` writes each
 * family through its own module and fails until it does).
 */
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
 * Whose records a family holds: `user` families are one user's (keyed by user id, or naming it)
 * and `/forget` must erase them; `system` ones are shared. Every family must say, so a new one
 * cannot skip the question (tests/store/erase_test.ts checks the `user` ones are covered).
 */
export const FAMILY_OWNERS = {
  profile: "user",
  profile_admin: "user",
  profile_xp: "user",
  profile_total: "user",
  session: "user",
  session_expiry: "user",
  history: "user",
  feedback: "user",
  bookmark: "user",
  learning: "user",
  leaderboard: "user",
  audit: "user",
  counter: "system",
  series: "system",
  api_key: "system",
  job: "system",
  dead_letter: "user",
  cron_run: "system",
} as const satisfies Record<DataFamily, "user" | "system">;

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
  /** The bot's `getMe`, cached per token. */
  botInfo: ["meta", "bot_info"] as Deno.KvKey,
  /** `/health`'s write probe (written only while commits are failing). */
  writeProbe: ["meta", "write_probe"] as Deno.KvKey,
};

/**
 * Security records outside generations, so a restore can neither replace nor roll them back
 * (docs/SECURITY.md): the backup signing key, and the ledger of security and privacy changes
 * (key creations and revocations, bans, unbans, tier changes, erasures) that a restore re-applies
 * on top of older data.
 */
export const securityKeys = {
  /** The backup signing key, exported form (`rvx_bk_…`). */
  backupKey: ["meta", "backup_key"] as Deno.KvKey,
  /** One change, by a time-ordered id. */
  ledger: (id: string): Deno.KvKey => ["ledger", id],
  ledgerAll: ["ledger"] as Deno.KvKey,
  /** Epoch ms before which pruning removed ledger entries (a restore of older data says so). */
  ledgerSince: ["meta", "ledger_since"] as Deno.KvKey,
};

/** Runtime keys outside generations: not backed up, not restored. */
export const runtimeKeys = {
  /** One pending update of an actor, ordered by update id. */
  inbox: (actor: string, updateId: number): Deno.KvKey => ["inbox", actor, updateId],
  inboxOf: (actor: string): Deno.KvKey => ["inbox", actor],
  inboxAll: ["inbox"] as Deno.KvKey,
  /** Sorts after every update of `actor` (booleans sort after numbers), to skip to the next actor. */
  inboxAfter: (actor: string): Deno.KvKey => ["inbox", actor, true],
  /** Parts of an update too large for one KV value. */
  inboxChunk: (actor: string, updateId: number, part: number): Deno.KvKey => [
    "inbox_chunk",
    actor,
    updateId,
    part,
  ],
  inboxChunksOf: (actor: string, updateId: number): Deno.KvKey => ["inbox_chunk", actor, updateId],
  /**
   * Set while updates may wait in an actor's inbox: by every commit that queues one, and cleared
   * by the drain that empties it (`src/actors/inbox_mark.ts`).
   */
  inboxMark: (actor: string): Deno.KvKey => ["inbox_mark", actor],
  /**
   * Schema 3's dedupe marker per update id (48 h); schema 4 keeps finished ids in the actor's
   * session record instead, and its migration moves these there.
   */
  updateMarker: (source: string, updateId: number): Deno.KvKey => ["update", source, updateId],
  /** Who holds a lease and until when: written on take-over and release, checked by every commit. */
  lease: (name: string): Deno.KvKey => ["lease", name],
  /** Until when the holder renewed it: rewritten by each renewal, dropped by KV a few TTLs later. */
  leaseExpiry: (name: string): Deno.KvKey => ["lease_expiry", name],
  leaseAll: ["lease"] as Deno.KvKey,
  /** Where the hourly look for actors' orphaned lease records goes on (a `list` cursor). */
  orphanedLeasesCursor: ["lease_sweep", "cursor"] as Deno.KvKey,
  /**
   * Gauges of runtime state (inbox depth): not restored with the data. The inbox depth's holds
   * the part of it folded in from processes' tallies (docs/ARCHITECTURE.md, "Runtime tallies").
   */
  gauge: (name: string): Deno.KvKey => ["gauge", name],
  /** A process's tally of runtime bookkeeping, cumulative since it was written first. */
  tally: (owner: string): Deno.KvKey => ["tally", owner],
  tallyAll: ["tally"] as Deno.KvKey,
  /** The last local update id handed out (local updates have their own sequence). */
  localUpdateSeq: ["local", "update_seq"] as Deno.KvKey,
  /** The last local user number handed out. */
  localUserSeq: ["local", "user_seq"] as Deno.KvKey,
  /** A local chat's transcript (terminal chat, playground), so any process can show it. */
  localChat: (chatId: number): Deno.KvKey => ["local", "chat", chatId],
  /** One recipient's outcome in a broadcast job: live across restores, so nobody gets it twice. */
  broadcastSent: (jobId: string, userId: number): Deno.KvKey => ["broadcast_sent", jobId, userId],
  /** A dead letter an operator retried or discarded: outside the generations, so no restore
   * brings the letter back (docs/OPERATIONS.md, "Dead letters"). */
  deadLetterSettled: (id: string): Deno.KvKey => ["dead_letter_settled", id],
  deadLetterSettledAll: ["dead_letter_settled"] as Deno.KvKey,
  /** A signed-in browser's admin session, by the SHA-256 of its id (the id is never stored). */
  adminSession: (idHash: string): Deno.KvKey => ["admin_session", idHash],
  adminSessionAll: ["admin_session"] as Deno.KvKey,
  /** Sliding-window limits shared by processes (API keys, client IPs). */
  limit: (scope: string, id: string): Deno.KvKey => ["limit", scope, id],
  /** The shared (KV) tier of the analysis cache, by content hash. */
  analysisCache: (hash: string): Deno.KvKey => ["cache", "analysis", hash],
  analysisCachePrefix: ["cache", "analysis"] as Deno.KvKey,
  /** A backup kept in KV (no filesystem, Deno Deploy): its listing record, written last. */
  backup: (name: string): Deno.KvKey => ["backup", name],
  backupAll: ["backup"] as Deno.KvKey,
  /** The gzip bytes of a KV-kept backup, in parts under 64 KiB. */
  backupChunk: (name: string, part: number): Deno.KvKey => ["backup_chunk", name, part],
  backupChunksOf: (name: string): Deno.KvKey => ["backup_chunk", name],
  backupChunkAll: ["backup_chunk"] as Deno.KvKey,
  /** Sorts after every part of `name`, to skip to the next backup's parts. */
  backupChunkAfter: (name: string): Deno.KvKey => ["backup_chunk", name, true],
  /** The body of a backup being written, before its header is known (KV only). */
  backupSpool: (name: string, part: number): Deno.KvKey => ["backup_spool", name, part],
  backupSpoolOf: (name: string): Deno.KvKey => ["backup_spool", name],
  backupSpoolAll: ["backup_spool"] as Deno.KvKey,
};
