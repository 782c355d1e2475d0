/**
 * Schema version and ordered, idempotent migrations, run at start by `schema_upgrade.ts` (and by
 * restore on older backups, against the generation being restored).
 *
 * @module
 */
import { adoptLegacyDeadLetters } from "./dead_letter_upkeep.ts";
import { dataKey, dataPrefix, metaKeys } from "./keys.ts";
import { adoptLegacyMarkers } from "./legacy_markers.ts";
import { atomicCommit, type Store } from "./kv.ts";

/** One step from `version - 1` to `version`; running it twice must change nothing more. */
export interface Migration {
  version: number;
  name: string;
  up(store: Store, generation: number): Promise<void>;
}

/** Every migration, in order. Append only; never edit one that has shipped. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: "generation pointer",
    async up(store) {
      const pointer = await store.kv.get(metaKeys.generation);
      if (pointer.value !== null) return;
      await atomicCommit(store, (op) => op.check(pointer).set(metaKeys.generation, 1));
    },
  },
  {
    version: 2,
    name: "profiles: admin flags (tier, ban) move to their own record",
    async up(store, generation) {
      // Version 1 kept tier and ban inline, so an admin's change raced the user's own turns.
      for await (
        const entry of store.kv.list<Record<string, unknown>>({
          prefix: dataPrefix(generation, "profile"),
        })
      ) {
        const { tier, banned, ban_reason, ...rest } = entry.value;
        if (tier === undefined && banned === undefined && ban_reason === undefined) continue;
        const adminKey = dataKey(generation, "profile_admin", entry.key[3] as number);
        const existing = await store.kv.get(adminKey);
        await atomicCommit(store, (op) => {
          op.check(entry).set(entry.key, rest);
          if (existing.value !== null) return op;
          return op.set(adminKey, {
            tier: tier === "pro" ? "pro" : "free",
            banned: banned === true,
            ban_reason: typeof ban_reason === "string" ? ban_reason : null,
          });
        });
      }
    },
  },
  {
    version: 3,
    name: "dead letters: one record per occurrence, with user and error-code indexes",
    async up(store, generation) {
      // Version 2 keyed them by source and update id: a retried update that failed again
      // overwrote its first letter.
      await adoptLegacyDeadLetters(store, generation);
    },
  },
  {
    version: 4,
    name: "dedupe: finished update ids move from per-update markers into their actor's session",
    async up(store, generation) {
      // Version 3 wrote a marker record per update, a mutation and a row each.
      await adoptLegacyMarkers(store, generation);
    },
  },
];

/** The schema version this code writes. */
export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;

/**
 * Runs the data migrations between two schema versions against one generation (used by restore).
 *
 * @example
 * ```ts
 * await migrateGeneration(store, 7, 1);
 * ```
 */
export async function migrateGeneration(
  store: Store,
  generation: number,
  fromVersion: number,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<void> {
  for (const migration of migrations) {
    if (migration.version > fromVersion) await migration.up(store, generation);
  }
}
