import assert from "node:assert/strict";
import { runtimeKeys } from "../../src/store/keys.ts";
import { commitTx } from "../../src/store/kv.ts";
import {
  acquireLease,
  checkLease,
  type HeldLease,
  isLeaseLive,
  type LeaseCommit,
  leaseKeys,
  releaseLease,
  renewLease,
  stageFreeLeaseRemoval,
  tryAcquireLease,
} from "../../src/store/leases.ts";
import { type Store } from "../../src/store/kv.ts";
import { memoryStore } from "../support/store.ts";

const T0 = Date.UTC(2026, 0, 1);

Deno.test("leases: a released lease is taken again without a read, unless someone took it meanwhile", async () => {
  using store = await memoryStore();
  const reads = countReads(store.kv);
  const first = await acquireLease(store, "actor:a", "A", 30_000, T0);
  assert.ok(first);
  const released = await releaseLease(store, first);
  assert.ok(released);
  const before = reads.count;
  const again = await acquireLease(store, "actor:a", "A", 30_000, T0 + 1, undefined, {
    released,
  });
  assert.equal(reads.count, before, "no read for a lease this owner released");
  assert.equal(again?.epoch, first.epoch + 1);
  assert.equal(again?.tookOverLapsed, false);
  const releasedAgain = await releaseLease(store, again!);
  assert.ok(releasedAgain);

  // B takes it after A released it; A's read-free try fails and the read finds B live.
  const theirs = await acquireLease(store, "actor:a", "B", 30_000, T0 + 2);
  assert.equal(theirs?.epoch, again!.epoch + 1);
  const refused = await acquireLease(store, "actor:a", "A", 30_000, T0 + 3, undefined, {
    released: releasedAgain,
  });
  assert.equal(refused, null);
  // Once B's lease lapses, A takes it over (reading), and knows B was cut off mid-work.
  const taken = await acquireLease(store, "actor:a", "A", 30_000, T0 + 40_000, undefined, {
    released: releasedAgain,
  });
  assert.equal(taken?.epoch, theirs!.epoch + 1);
  assert.equal(taken?.tookOverLapsed, true);
});

Deno.test("leases: keys read alongside come from the take-over's snapshot; a write in between fails it", async () => {
  using store = await memoryStore();
  const key = ["meta", "alongside"];
  await commitTx(store, store.tx().set(key, "v1"));
  const held = await acquireLease(store, "actor:b", "A", 30_000, T0, undefined, {
    alongside: [key, ["meta", "absent"]],
  });
  assert.deepEqual(held?.alongside.map((e) => e.value), ["v1", null]);
  const released = await releaseLease(store, held!);

  // Another writer changes the key between the read and the take-over's commit.
  const racing: LeaseCommit = async (tx) => {
    await commitTx(store, store.tx().set(key, "v2"));
    const result = await store.kv.atomic().check(...tx.checks).mutate(...tx.mutations).commit();
    return result.ok ? { ok: true, versionstamp: result.versionstamp } : { ok: false };
  };
  const stale = await acquireLease(store, "actor:b", "B", 30_000, T0 + 1, racing, {
    alongside: [key],
  });
  assert.equal(stale, null, "a take-over on a stale read must fail");
  const lease = await store.kv.get(runtimeKeys.lease("actor:b"));
  assert.equal(lease.versionstamp, released!.versionstamp, "the failed take-over wrote nothing");
  const fresh = await acquireLease(store, "actor:b", "A", 30_000, T0 + 2, undefined, {
    alongside: [key],
  });
  assert.deepEqual(fresh?.alongside.map((e) => e.value), ["v2"]);
});

Deno.test("leases: taking back a lease its owner released reads nothing, not even the keys to read alongside", async () => {
  using store = await memoryStore();
  const held = await acquireLease(store, "actor:r", "A", 30_000, T0, undefined, {
    alongside: [["meta", "x"]],
  });
  const released = await releaseLease(store, held!);
  let reads = 0;
  const getMany = store.kv.getMany.bind(store.kv);
  store.kv.getMany = ((keys, options) => {
    reads++;
    return getMany(keys, options);
  }) as Deno.Kv["getMany"];
  const again = await acquireLease(store, "actor:r", "A", 30_000, T0 + 1, undefined, {
    released: released!,
    alongside: [["meta", "x"]],
  });
  assert.equal(again?.epoch, 2);
  assert.deepEqual(again?.alongside, [], "nothing read: what the owner kept is current");
  assert.equal(reads, 0);
});

Deno.test("leases: a lease its holder ended in a record of its own is free to take at once, and only at that epoch", async () => {
  using store = await memoryStore();
  const own = ["meta", "own_record"];
  const endedIn = ([entry]: Deno.KvEntryMaybe<unknown>[]) =>
    (entry.value as { lease?: number } | null)?.lease ?? null;
  const held = await acquireLease(store, "actor:e", "A", 30_000, T0);
  // A's last commit ends epoch 1 in its own record instead of rewriting the lease record.
  await commitTx(
    store,
    store.tx().check(runtimeKeys.lease("actor:e"), held!.versionstamp)
      .set(own, { lease: held!.epoch }),
  );
  const taken = await acquireLease(store, "actor:e", "B", 30_000, T0 + 1, undefined, {
    alongside: [own],
    endedIn,
  });
  assert.equal(taken?.epoch, 2, "B took it at once");
  assert.equal(taken?.tookOverLapsed, false, "a release, not a lapse");
  // The record still names epoch 1: epoch 2 is B's, held.
  const refused = await acquireLease(store, "actor:e", "C", 30_000, T0 + 2, undefined, {
    alongside: [own],
    endedIn,
  });
  assert.equal(refused, null);
});

Deno.test("leases: a free lease's record may be removed; the next take-over starts above the epoch its holder's record ended", async () => {
  using store = await memoryStore();
  const own = ["meta", "own_record"];
  const endedIn = ([entry]: Deno.KvEntryMaybe<unknown>[]) =>
    (entry.value as { lease?: number } | null)?.lease ?? null;
  const options = { alongside: [own], endedIn };
  const first = await acquireLease(store, "actor:r", "A", 30_000, T0);
  const second = await acquireLease(store, "actor:r", "A", 30_000, T0 + 40_000);
  assert.equal(second?.epoch, 2, "taken again after it lapsed");
  await commitTx(
    store,
    store.tx().check(runtimeKeys.lease("actor:r"), second!.versionstamp)
      .set(own, { lease: second!.epoch }),
  );
  // Held: nothing is removed.
  const heldTx = store.tx();
  const heldNow = await store.kv.getMany(leaseKeys("actor:r"));
  assert.equal(stageFreeLeaseRemoval(heldTx, heldNow, null, T0 + 40_001), false);
  // Ended in A's own record: removed.
  const tx = store.tx();
  assert.equal(
    stageFreeLeaseRemoval(tx, await store.kv.getMany(leaseKeys("actor:r")), 2, T0 + 40_001),
    true,
  );
  await commitTx(store, tx);
  assert.equal((await store.kv.get(runtimeKeys.lease("actor:r"))).value, null);

  const taken = await acquireLease(store, "actor:r", "B", 30_000, T0 + 50_000, undefined, options);
  assert.equal(taken?.epoch, 3, "above the ended epoch, which A's record still names");
  const refused = await acquireLease(
    store,
    "actor:r",
    "C",
    30_000,
    T0 + 50_001,
    undefined,
    options,
  );
  assert.equal(refused, null, "B holds it");
  assert.notEqual(first?.versionstamp, taken?.versionstamp);
});

Deno.test("leases: a take-over writes one record; renewals write only the expiry, so the owner's commits keep passing", async () => {
  using store = await memoryStore();
  const { commit, written } = recordingCommit(store);
  const lease = await acquireLease(store, "actor:c", "A", 3000, T0, commit);
  assert.ok(lease);
  assert.deepEqual(written, [[runtimeKeys.lease("actor:c")]], "one record per take-over");
  for (let i = 1; i <= 3; i++) {
    assert.equal(await renewLease(store, lease, 3000, T0 + i * 1000, commit), true);
  }
  assert.deepEqual(written.slice(1), Array(3).fill([runtimeKeys.leaseExpiry("actor:c")]));
  assert.ok(await ownerCommits(store, lease), "renewals leave the checked record alone");

  // Held until the last renewal's expiry, past the take-over's own.
  assert.deepEqual(await tryAcquireLease(store, "actor:c", "B", 3000, T0 + 4000), {
    heldUntil: T0 + 6000,
  });
  assert.equal(await isLeaseLive(store, "actor:c", T0 + 5999), true);
  assert.equal(await isLeaseLive(store, "actor:c", T0 + 6000), false);

  // Lapsed: B takes it over, knowing A stopped mid-work; A can commit and renew no more.
  const theirs = await acquireLease(store, "actor:c", "B", 3000, T0 + 6000);
  assert.equal(theirs?.epoch, lease.epoch + 1);
  assert.equal(theirs?.tookOverLapsed, true);
  assert.equal(await ownerCommits(store, lease), false, "a lapsed owner's commit is refused");
  assert.equal(await renewLease(store, lease, 3000, T0 + 6001), false);
  assert.ok(await ownerCommits(store, theirs!));
});

Deno.test("leases: a release writes one record and frees the lease at once, however far it was renewed", async () => {
  using store = await memoryStore();
  const { commit, written } = recordingCommit(store);
  const lease = await acquireLease(store, "job:r", "A", 30_000, T0, commit);
  assert.ok(lease);
  assert.equal(await renewLease(store, lease, 30_000, T0 + 20_000, commit), true);
  written.length = 0;
  const released = await releaseLease(store, lease, commit);
  assert.ok(released);
  assert.deepEqual(written, [[runtimeKeys.lease("job:r")]], "one record per release");
  assert.equal(await isLeaseLive(store, "job:r", T0 + 20_001), false);
  const theirs = await acquireLease(store, "job:r", "B", 30_000, T0 + 20_001);
  assert.equal(theirs?.epoch, lease.epoch + 1, "a peer takes it at once");
  assert.equal(theirs?.tookOverLapsed, false, "released, not abandoned");
  assert.equal(await ownerCommits(store, lease), false);
  assert.equal(await releaseLease(store, lease), null, "a lease released twice is refused");
});

Deno.test("leases: a re-take without a read finds the record changed when a peer took and released it meanwhile, and reads", async () => {
  using store = await memoryStore();
  const reads = countReads(store.kv);
  const mine = await acquireLease(store, "actor:d", "A", 30_000, T0);
  const releasedMine = await releaseLease(store, mine!);
  const theirs = await acquireLease(store, "actor:d", "B", 30_000, T0 + 1);
  assert.ok(await releaseLease(store, theirs!));
  // The lease is free, but not as A released it: A's read-free try fails its check.
  const before = reads.count;
  const again = await acquireLease(store, "actor:d", "A", 30_000, T0 + 2, undefined, {
    released: releasedMine!,
  });
  assert.equal(reads.count, before + 1, "the failed try falls back to reading the lease");
  assert.equal(again?.epoch, theirs!.epoch + 1);
  assert.equal(again?.tookOverLapsed, false);
  for (const stale of [mine!, theirs!, releasedMine!]) {
    assert.equal(await ownerCommits(store, stale), false, "every earlier holder is fenced");
  }
  assert.ok(await ownerCommits(store, again!));
});

Deno.test("leases: a lease held by a process of the previous version (expiry kept apart from the record) is honoured", async () => {
  using store = await memoryStore();
  // What the previous version writes: take-over, renewals and release of {owner, epoch}.
  const record = runtimeKeys.lease("actor:old");
  const expiry = runtimeKeys.leaseExpiry("actor:old");
  await store.kv.atomic().set(record, { owner: "old", epoch: 4 })
    .set(expiry, { owner: "old", epoch: 4, expiresAt: T0 + 5000 }).commit();
  const old = await store.kv.get(record);
  assert.deepEqual(await tryAcquireLease(store, "actor:old", "new", 3000, T0), {
    heldUntil: T0 + 5000,
  });
  assert.equal(await isLeaseLive(store, "actor:old", T0 + 4999), true);
  await store.kv.atomic().check(old).set(expiry, { owner: "old", epoch: 4, expiresAt: T0 + 9000 })
    .commit();
  assert.deepEqual(await tryAcquireLease(store, "actor:old", "new", 3000, T0 + 6000), {
    heldUntil: T0 + 9000,
  }, "its renewals count");
  // The previous version's release deletes the expiry: free at once.
  await store.kv.atomic().check(old).delete(expiry).commit();
  assert.equal(await isLeaseLive(store, "actor:old", T0 + 6001), false);
  const taken = await acquireLease(store, "actor:old", "new", 3000, T0 + 6001);
  assert.equal(taken?.epoch, 5);
  assert.equal(taken?.tookOverLapsed, false);
  const late = await store.kv.atomic().check(old).set(["meta", "late"], 1).commit();
  assert.equal(late.ok, false, "the old holder's commits are fenced");

  // An old holder that died: its expiry lapses, and the take-over knows it stopped mid-work.
  const crashed = runtimeKeys.lease("actor:crashed");
  await store.kv.atomic().set(crashed, { owner: "old", epoch: 2 })
    .set(runtimeKeys.leaseExpiry("actor:crashed"), { owner: "old", epoch: 2, expiresAt: T0 })
    .commit();
  const over = await acquireLease(store, "actor:crashed", "new", 3000, T0 + 1);
  assert.equal(over?.epoch, 3);
  assert.equal(over?.tookOverLapsed, true);
});

/** Commits alone, keeping the keys each commit wrote. */
function recordingCommit(store: Store): { commit: LeaseCommit; written: Deno.KvKey[][] } {
  const written: Deno.KvKey[][] = [];
  const commit: LeaseCommit = async (tx) => {
    const versionstamp = await commitTx(store, tx);
    if (versionstamp === null) return { ok: false };
    written.push(tx.mutations.map((m) => m.key));
    return { ok: true, versionstamp };
  };
  return { commit, written };
}

/** Whether a commit of `lease`'s holder goes through. */
async function ownerCommits(store: Store, lease: HeldLease): Promise<boolean> {
  const tx = store.tx();
  checkLease(tx, lease);
  tx.set(["meta", "owned"], lease.owner);
  return await commitTx(store, tx) !== null;
}

function countReads(kv: Deno.Kv): { count: number } {
  const counter = { count: 0 };
  for (const name of ["get", "getMany", "list"] as const) {
    const method = (kv[name] as (...args: unknown[]) => unknown).bind(kv);
    (kv as unknown as Record<string, unknown>)[name] = (...args: unknown[]) => {
      counter.count++;
      return method(...args);
    };
  }
  return counter;
}
