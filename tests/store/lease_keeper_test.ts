import assert from "node:assert/strict";
import { FakeClock } from "../../src/core/clock.ts";
import { runtimeKeys } from "../../src/store/keys.ts";
import { LeaseKeeper, renewIntervalMs } from "../../src/store/lease_keeper.ts";
import { acquireLease, isLeaseLive } from "../../src/store/leases.ts";
import { fileStore, memoryStore, tempKvPath } from "../support/store.ts";

const T0 = Date.UTC(2026, 0, 1);

async function nextRenewalScheduled(clock: FakeClock): Promise<void> {
  for (let waited = 0; clock.pendingTimers === 0; waited++) {
    // A keeper that stopped renewing schedules nothing: fail rather than wait forever.
    if (waited > 5000) throw new Error("the keeper scheduled no next renewal");
    await new Promise((r) => setTimeout(r, 1));
  }
}

Deno.test("lease keeper: a held lease stays live past its TTL while kept, and is free at once when released", async () => {
  using store = await memoryStore();
  const clock = new FakeClock(T0);
  const keeper = await LeaseKeeper.take("job:a", "A", { store, clock, ttlMs: 3000 });
  assert.ok(keeper);
  assert.equal(await LeaseKeeper.take("job:a", "B", { store, clock, ttlMs: 3000 }), null);
  // Ten TTLs later it is still A's: renewed every third of the TTL.
  for (let i = 0; i < 30; i++) await clock.advance(renewIntervalMs(3000));
  assert.equal(await acquireLease(store, "job:a", "B", 3000, clock.now()), null);
  assert.equal(keeper.lost, false);
  assert.equal(await keeper.confirm(), true);
  assert.ok(await keeper.release());
  assert.equal(await isLeaseLive(store, "job:a", clock.now()), false);
  // Released, it stops renewing: nothing brings the expiry back.
  await clock.advance(10_000);
  assert.equal(await isLeaseLive(store, "job:a", clock.now()), false);
  assert.ok(await LeaseKeeper.take("job:a", "B", { store, clock, ttlMs: 3000 }));
});

Deno.test("lease keeper: a lease taken over after it lapsed is lost for good: renewals stop, the holder is told, commits are fenced", async () => {
  await using tmp = await tempKvPath();
  const mine = await fileStore(tmp.path);
  const theirs = await fileStore(tmp.path);
  try {
    const clock = new FakeClock(T0);
    let told = 0;
    const keeper = await LeaseKeeper.take("cron:x", "A", {
      store: mine,
      clock,
      ttlMs: 3000,
      onLost: () => told++,
    });
    assert.ok(keeper);
    // A stalls (its KV writes fail) long enough for the lease to lapse; B takes it over.
    mine.injectFault("throwing");
    await clock.advance(4000);
    const other = await acquireLease(theirs, "cron:x", "B", 3000, clock.now());
    assert.ok(other, "a lapsed lease is free to take");
    await mine.reopen();
    await clock.advance(renewIntervalMs(3000));
    assert.equal(keeper.lost, true);
    assert.equal(told, 1);
    assert.equal(await keeper.confirm(), false);
    // A's commits check the lease record B rewrote: refused.
    const tx = mine.tx();
    tx.check(runtimeKeys.lease("cron:x"), keeper.lease.versionstamp).set(["meta", "late"], 1);
    const late = await mine.kv.atomic().check(...tx.checks).mutate(...tx.mutations).commit();
    assert.equal(late.ok, false);
    assert.equal(await keeper.release(), null, "a lost lease is not released from under B");
    assert.equal(await isLeaseLive(theirs, "cron:x", clock.now()), true);
  } finally {
    mine.close();
    theirs.close();
  }
});

Deno.test("lease keeper: renewals that fail on KV are tried again and keep the lease once KV is back", async () => {
  await using tmp = await tempKvPath();
  const store = await fileStore(tmp.path);
  try {
    const clock = new FakeClock(T0);
    const keeper = await LeaseKeeper.take("job:b", "A", { store, clock, ttlMs: 3000 });
    assert.ok(keeper);
    store.injectFault("throwing");
    await clock.advance(renewIntervalMs(3000));
    await store.reopen();
    // Each renewal is real KV I/O: advance only once the keeper has scheduled its next one.
    await nextRenewalScheduled(clock);
    await clock.advance(renewIntervalMs(3000));
    assert.equal(keeper.lost, false);
    // Past a TTL from the last renewal, one renewal at a time: each lands before time moves on.
    for (let i = 0; i < 5; i++) {
      await nextRenewalScheduled(clock);
      await clock.advance(renewIntervalMs(3000));
    }
    await nextRenewalScheduled(clock);
    assert.equal(await isLeaseLive(store, "job:b", clock.now()), true, "renewing again");
    await keeper.release();
  } finally {
    store.close();
  }
});
