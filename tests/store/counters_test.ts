import assert from "node:assert/strict";
import { FakeClock } from "../../src/core/clock.ts";
import * as counters from "../../src/store/counters.ts";
import { commitTx } from "../../src/store/kv.ts";
import { listTallies } from "../../src/store/tally.ts";
import { fileStore, memoryStore, tempKvPath } from "../support/store.ts";

Deno.test("counters: staged sums add up across commits, including decrements", async () => {
  using store = await memoryStore();
  for (const by of [3, 4, -2]) {
    const tx = store.tx();
    counters.add(tx, "sessions_active", by);
    await commitTx(store, tx);
  }
  assert.equal(await counters.get(store, "sessions_active"), 5);
  assert.equal(await counters.get(store, "never_written"), 0);
});

Deno.test("counters: the sink counts into the process tally: read at once in the process, by others once written", async () => {
  await using tmp = await tempKvPath();
  const store = await fileStore(tmp.path);
  const peer = await fileStore(tmp.path);
  const sink = new counters.KvMetricsSink(store, { clock: new FakeClock(0) });
  for (let i = 0; i < 100; i++) sink.count("requests");
  sink.observe("latency", 7);
  sink.observe("latency", 20_000);
  assert.equal(await counters.get(store, "requests"), 100, "the process reads its own counts");
  assert.equal(await counters.get(peer, "requests"), 0, "nothing written before the flush");
  await sink.flush();
  assert.equal((await listTallies(peer)).length, 1, "one record for every count");
  const all = await counters.getAll(peer);
  assert.equal(all.get("requests"), 100);
  assert.equal(all.get("latency_count"), 2);
  assert.equal(all.get("latency_sum_us"), 20_007_000);
  assert.equal(all.get("latency_bucket_10"), 1);
  assert.equal(all.get("latency_bucket_inf"), 1);
  assert.deepEqual(await counters.getMany(peer, ["latency_count", "requests", "none"]), [
    2,
    100,
    0,
  ]);
  store.close();
  peer.close();
});

Deno.test("counters: with a tx the sink stages instead of batching", async () => {
  using store = await memoryStore();
  const sink = new counters.KvMetricsSink(store, { clock: new FakeClock(0) });
  const tx = store.tx();
  sink.count("turns", 2, tx);
  await sink.flush();
  assert.equal(await counters.get(store, "turns"), 0);
  await commitTx(store, tx);
  assert.equal(await counters.get(store, "turns"), 2);
});

Deno.test("counters: a failed flush keeps the sums for the next one", async () => {
  await using tmp = await tempKvPath();
  const store = await fileStore(tmp.path);
  const sink = new counters.KvMetricsSink(store, { clock: new FakeClock(0) });
  sink.count("kept", 5);
  store.injectFault("throwing");
  await assert.rejects(sink.flush());
  await store.reopen();
  sink.count("kept", 1);
  await sink.flush();
  assert.equal(await counters.get(store, "kept"), 6);
  store.close();
});

Deno.test("counters: two processes add to one total", async () => {
  await using tmp = await tempKvPath();
  const a = await fileStore(tmp.path);
  const b = await fileStore(tmp.path);
  const sinks = [a, b].map((s) => new counters.KvMetricsSink(s, { clock: new FakeClock(0) }));
  await Promise.all(sinks.map(async (sink) => {
    for (let i = 0; i < 50; i++) sink.count("shared");
    await sink.flush();
  }));
  assert.equal(await counters.get(a, "shared"), 100);
  a.close();
  b.close();
});
