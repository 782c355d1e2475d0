import assert from "node:assert/strict";
import { runtimeKeys } from "../../src/store/keys.ts";
import { commitTx } from "../../src/store/kv.ts";
import { acquireLease, type LeaseCommit, releaseLease } from "../../src/store/leases.ts";
import { memoryStore } from "../support/store.ts";

const T0 = Date.UTC(2026, 0, 1);

Deno.test("leases: a released lease is taken again without a read, unless someone took it meanwhile", async () => {
  using store = await memoryStore();
  const reads = countReads(store.kv);
  const first = await acquireLease(store, "actor:a", "A", 30_000, T0);
  assert.ok(first);
  assert.equal(await releaseLease(store, first), true);
  const before = reads.count;
  const again = await acquireLease(store, "actor:a", "A", 30_000, T0 + 1, undefined, {
    released: first,
  });
  assert.equal(reads.count, before, "no read for a lease this owner released");
  assert.equal(again?.epoch, first.epoch + 1);
  assert.equal(again?.tookOverLapsed, false);
  assert.equal(await releaseLease(store, again!), true);

  // B takes it after A released it; A's read-free try fails and the read finds B live.
  const theirs = await acquireLease(store, "actor:a", "B", 30_000, T0 + 2);
  assert.equal(theirs?.epoch, again!.epoch + 1);
  const refused = await acquireLease(store, "actor:a", "A", 30_000, T0 + 3, undefined, {
    released: again!,
  });
  assert.equal(refused, null);
  // Once B's lease lapses, A takes it over (reading), and knows B was cut off mid-work.
  const taken = await acquireLease(store, "actor:a", "A", 30_000, T0 + 40_000, undefined, {
    released: again!,
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
  await releaseLease(store, held!);

  // Another writer changes the key between the read and the take-over's commit.
  const racing: LeaseCommit = async (tx) => {
    await commitTx(store, store.tx().set(key, "v2"));
    const result = await store.kv.atomic().check(...tx.checks).mutate(...tx.mutations).commit();
    return result.ok ? { ok: true, versionstamp: result.versionstamp } : { ok: false };
  };
  const stale = await acquireLease(store, "actor:b", "A", 30_000, T0 + 1, racing, {
    released: held!,
    alongside: [key],
  });
  assert.equal(stale, null, "a take-over on a stale read must fail");
  const lease = await store.kv.get(runtimeKeys.leaseExpiry("actor:b"));
  assert.equal(lease.value, null, "nothing of the failed take-over was written");
  const fresh = await acquireLease(store, "actor:b", "A", 30_000, T0 + 2, undefined, {
    alongside: [key],
  });
  assert.deepEqual(fresh?.alongside.map((e) => e.value), ["v2"]);
});

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
