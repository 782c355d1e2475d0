import assert from "node:assert/strict";
import * as history from "../../src/store/history.ts";
import { commitTx, openStore } from "../../src/store/kv.ts";
import { dataKey } from "../../src/store/keys.ts";

/** An analysis as the offline analyzer writes it (the soak's most common card). */
const ANALYSIS = {
  summary: "This is news about a hack or theft involving BTC. Overall the tone is negative " +
    "(BTC fell 8%).",
  impact_points: [
    "Coins involved: BTC.",
    "BTC fell 8% — a noticeable move; part of the news is probably already in the price.",
    "Amount at stake: $200 million. The bigger the loss, the harder the blow to trust in the " +
    "platform.",
    "Why it matters: stolen coins are often sold fast, and users pull money from similar " +
    "platforms, pushing BTC down.",
    "Timing: the main reaction usually comes within a day or two. Risk is high: sharp swings " +
    "are likely, and the story can still get worse as details come out.",
    "Keep long-term savings in your own wallet, not on one exchange or protocol.",
  ],
  sentiment: { label: "bearish", confidence: 0.79 },
  risk: "high",
  horizon: "day",
  assets: ["BTC"],
  learning_question: "What is the difference between a protocol exploit and a phishing attack " +
    "on users?",
  kind: "news",
  topic: "hack",
  source: "offline",
  cached: false,
  latency_ms: 12,
};
const TEXT = "Биткоин упал на 8% после новостей о взломе биржи и выводе 200 млн долларов.";

Deno.test("history: an item reads back as appended, by id and in the newest-first list", async () => {
  const store = await openStore(":memory:");
  try {
    const tx = store.tx();
    const first = history.append(tx, 42, { kind: "news", text: TEXT, analysis: ANALYSIS }, 1000);
    const second = history.append(tx, 42, { kind: "question", text: "why?", analysis: {} }, 2000);
    await commitTx(store, tx);
    assert.deepEqual(await history.get(store, 42, first.id), first);
    assert.deepEqual(await history.list(store, 42), [second, first]);

    const voted = store.tx();
    history.update(voted, { ...first, helpful: true, feedback_attempts: 2 });
    await commitTx(store, voted);
    assert.deepEqual(await history.get(store, 42, first.id), {
      ...first,
      helpful: true,
      feedback_attempts: 2,
    });
  } finally {
    store.close();
  }
});

Deno.test("history: an item stored plain (before packing) is read the same", async () => {
  const store = await openStore(":memory:");
  try {
    const plain: history.HistoryItem = {
      id: "0mxcpg3g30000tk9i5h7",
      user_id: 7,
      at: "2026-12-07T03:22:42.675Z",
      kind: "news",
      text: TEXT,
      analysis: ANALYSIS,
      feedback_attempts: 1,
      helpful: false,
    };
    await store.kv.set(dataKey(store.generation, "history", 7, plain.id), plain);
    assert.deepEqual(await history.get(store, 7, plain.id), plain);
    assert.deepEqual(await history.list(store, 7), [plain]);
  } finally {
    store.close();
  }
});

Deno.test("history: a typical item costs the KV file about its size, not an overflow page", async () => {
  // SQLite keeps a record of up to ~1 000 bytes (key and value) in its B-tree page; a longer one
  // spills into a 4 KiB overflow page of its own. A plain offline card (1.1–1.4 KB) spilled, and
  // the file grew ~4.4 KB per item.
  const dir = await Deno.makeTempDir({ prefix: "rvx-history-" });
  const path = `${dir}/rvx.kv`;
  try {
    const size = async () => {
      const store = await openStore(path);
      store.close();
      return (await Deno.stat(path)).size;
    };
    const empty = await size();
    const items = 400;
    const store = await openStore(path);
    for (let batch = 0; batch < items / 100; batch++) {
      const tx = store.tx();
      for (let i = 0; i < 100; i++) {
        const n = batch * 100 + i;
        history.append(tx, 1000 + n, {
          kind: "news",
          text: `${TEXT} (${n})`,
          analysis: ANALYSIS,
        }, 1_765_000_000_000 + n);
      }
      await commitTx(store, tx);
    }
    store.close();
    const perItem = ((await size()) - empty) / items;
    assert.ok(perItem < 1500, `the file grew ${Math.round(perItem)} bytes per history item`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
