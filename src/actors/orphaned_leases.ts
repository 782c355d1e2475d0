/**
 * Actors' lease records that nothing else removes: the session sweep deletes a user's lease
 * record with the session (docs/ARCHITECTURE.md, "Leases"), but records written before it did,
 * and those of actors that never had a session the index knows (an update that went straight to
 * the dead letters leaves a husk KV expires by itself), would stay. Each hourly sweep looks at
 * the next page of lease records after where the previous one stopped, wrapping around, and
 * removes those of actors without a session that nobody holds.
 *
 * @module
 */
import { runtimeKeys } from "../store/keys.ts";
import { leaseKeys, stageFreeLeaseRemoval } from "../store/leases.ts";
import { sessionKey } from "../store/sessions.ts";
import { type RuntimeParts } from "./parts.ts";

/** An actor's lease name (`u:42`, `c:-100…`, `local:7`); jobs', crons' and others' are left. */
const ACTOR_LEASE = /^(u|c|local):-?\d+$/;

/** Actors read per `getMany` (KV reads at most 10 keys at once: the session, lease and expiry). */
const PER_READ = 3;

/**
 * Removes the orphaned lease records among the next `batch` lease records.
 *
 * @returns how many it removed.
 * @example
 * ```ts
 * const removed = await sweepOrphanedLeases(parts);
 * ```
 */
export async function sweepOrphanedLeases(parts: RuntimeParts, batch = 500): Promise<number> {
  const { store, clock, committer } = parts;
  const saved = (await store.kv.get<string>(runtimeKeys.orphanedLeasesCursor)).value;
  const listed = store.kv.list({ prefix: runtimeKeys.leaseAll }, {
    limit: batch,
    ...saved ? { cursor: saved } : {},
  });
  const actors: string[] = [];
  let seen = 0;
  for await (const entry of listed) {
    seen++;
    const name = entry.key[1];
    if (typeof name === "string" && ACTOR_LEASE.test(name)) actors.push(name);
  }
  let removed = 0;
  for (let i = 0; i < actors.length; i += PER_READ) {
    const group = actors.slice(i, i + PER_READ);
    const entries = await store.kv.getMany(
      group.flatMap((actor) => [sessionKey(store.generation, actor), ...leaseKeys(actor)]),
    );
    const now = clock.now();
    const outcomes = await Promise.all(group.map((_, n) => {
      const [session, lease, expiry] = entries.slice(n * 3, n * 3 + 3);
      if (session.value !== null) return false;
      // Checked absent: a session written meanwhile keeps its lease.
      const tx = store.tx().check(session.key, null);
      if (!stageFreeLeaseRemoval(tx, [lease, expiry], null, now)) return false;
      return committer.submit(tx).then((outcome) => outcome.ok);
    }));
    removed += outcomes.filter(Boolean).length;
  }
  // A full page: go on from here next time; a short one reached the end: start over.
  const tx = store.tx();
  if (seen === batch) tx.set(runtimeKeys.orphanedLeasesCursor, listed.cursor);
  else tx.delete(runtimeKeys.orphanedLeasesCursor);
  await committer.submit(tx);
  return removed;
}
