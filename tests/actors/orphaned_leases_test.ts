import assert from "node:assert/strict";
import { FakeClock } from "../../src/core/clock.ts";
import { runtimeKeys } from "../../src/store/keys.ts";
import { acquireLease, releaseLease } from "../../src/store/leases.ts";
import { createRuntime, textUpdate } from "../support/runtime.ts";
import { memoryStore } from "../support/store.ts";

const T0 = Date.UTC(2026, 0, 1);

Deno.test("orphaned leases: the hourly look removes actors' lease records that have no session and nobody holds, a page at a time, and starts over at the end", async () => {
  using store = await memoryStore();
  const clock = new FakeClock(T0);
  const { inbox, supervisor } = createRuntime({
    store,
    clock,
    handle: (turn) => {
      turn.state.seen = true;
      return Promise.resolve();
    },
  });
  // u:3 has a session (and a lease record its turn wrote).
  await inbox.ingest([textUpdate(1, 3)]);
  await supervisor.whenIdle();
  // Lease records without a session: released, lapsed, held, and not an actor's.
  const released = await acquireLease(store, "u:1", "gone", 5_000, clock.now());
  await releaseLease(store, released!);
  await acquireLease(store, "local:4", "gone", 5_000, clock.now());
  await acquireLease(store, "job:7", "gone", 5_000, clock.now());
  await clock.advance(10_000);
  await acquireLease(store, "u:2", "alive", 3_600_000, clock.now());
  const leases = async () =>
    (await Array.fromAsync(store.kv.list<unknown>({ prefix: runtimeKeys.leaseAll })))
      .map((entry) => entry.key[1]);
  // The store's schema migration took a lease of its own.
  assert.deepEqual(await leases(), ["job:7", "local:4", "migration", "u:1", "u:2", "u:3"]);

  // Two lease records a look: job:7 and local:4, then migration and u:1, then u:2 and u:3.
  assert.equal(await supervisor.removeOrphanedLeases(2), 1);
  assert.equal(await supervisor.removeOrphanedLeases(2), 1);
  assert.equal(await supervisor.removeOrphanedLeases(2), 0);
  assert.deepEqual(
    await leases(),
    ["job:7", "migration", "u:2", "u:3"],
    "not an actor's, held, a session's",
  );
  // The end (an empty page), then over again: the held one goes once it has lapsed.
  assert.equal(await supervisor.removeOrphanedLeases(2), 0);
  await clock.advance(3_600_000);
  assert.equal(await supervisor.removeOrphanedLeases(2), 0, "job:7 and migration");
  assert.equal(await supervisor.removeOrphanedLeases(2), 1, "u:2");
  assert.deepEqual(await leases(), ["job:7", "migration", "u:3"]);
  await supervisor.stop();
});
