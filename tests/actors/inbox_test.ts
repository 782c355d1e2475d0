import assert from "node:assert/strict";
import { resolveActor } from "../../src/actors/actor_ref.ts";
import * as counters from "../../src/store/counters.ts";
import { memoryStore } from "../support/store.ts";
import { createRuntime, textUpdate } from "../support/runtime.ts";
import { type Update } from "grammy/types";

Deno.test("inbox: malformed updates are rejected with a clear error; the next valid one is processed", async () => {
  using store = await memoryStore();
  const handled: number[] = [];
  const { inbox, supervisor, metrics } = createRuntime({
    store,
    handle: (turn) => {
      handled.push(turn.update.update_id);
      return Promise.resolve();
    },
  });
  const huge = textUpdate(9, 1, "x".repeat(1_000_000));
  const results = await inbox.ingest([
    "not an object",
    null,
    [1, 2],
    42,
    {},
    { update_id: -1 },
    { update_id: 0 },
    { update_id: 1.5 },
    { update_id: "7" },
    huge,
    textUpdate(10, 1),
  ]);
  const codes = results.map((r) => r.status === "rejected" ? r.error.code : r.status);
  assert.deepEqual(codes, [
    "VALIDATION_ERROR_UPDATE",
    "VALIDATION_ERROR_UPDATE",
    "VALIDATION_ERROR_UPDATE",
    "VALIDATION_ERROR_UPDATE",
    "VALIDATION_ERROR_UPDATE_ID",
    "VALIDATION_ERROR_UPDATE_ID",
    "VALIDATION_ERROR_UPDATE_ID",
    "VALIDATION_ERROR_UPDATE_ID",
    "VALIDATION_ERROR_UPDATE_ID",
    "UPDATE_TOO_LARGE",
    "queued",
  ]);
  await supervisor.whenIdle();
  assert.deepEqual(handled, [10]);
  await metrics.flush();
  assert.equal(await counters.get(store, "ingest_rejected"), 10);
  await supervisor.stop();
});

Deno.test("inbox: an update larger than a KV value is stored in chunks and arrives whole", async () => {
  using store = await memoryStore();
  let text = "";
  const { inbox, supervisor } = createRuntime({
    store,
    handle: (turn) => {
      text = (turn.update.message as { text: string }).text;
      return Promise.resolve();
    },
  });
  const big = "Биткоин ".repeat(20_000); // ~300 KB of UTF-8
  const [result] = await inbox.ingest([textUpdate(1, 5, big)]);
  assert.equal(result.status, "queued");
  await supervisor.whenIdle();
  assert.equal(text, big);
  const leftovers = [];
  for await (const entry of store.kv.list({ prefix: ["inbox_chunk"] })) leftovers.push(entry.key);
  assert.deepEqual(leftovers, [], "chunks are removed with the entry");
  await supervisor.stop();
});

Deno.test("inbox: actors are the sender, the channel, or system", () => {
  assert.equal(resolveActor(textUpdate(1, 42), "tg").actor, "u:42");
  assert.equal(resolveActor(textUpdate(1, 42), "tg").languageCode, "en");
  assert.equal(
    resolveActor(
      {
        update_id: 2,
        callback_query: { id: "q", from: { id: 7 }, chat_instance: "c" },
      } as unknown as Update,
      "tg",
    ).actor,
    "u:7",
  );
  assert.equal(
    resolveActor(
      {
        update_id: 3,
        channel_post: { message_id: 1, date: 0, chat: { id: -100123, type: "channel" } },
      } as unknown as Update,
      "tg",
    ).actor,
    "c:-100123",
  );
  assert.equal(
    resolveActor({ update_id: 4, poll: { id: "p" } } as unknown as Update, "tg").actor,
    "system",
  );
  assert.equal(
    resolveActor(textUpdate(5, 8_000_000_000_000_003), "local").actor,
    "local:3",
  );
});

Deno.test("inbox: local and Telegram updates with the same id are both processed", async () => {
  using store = await memoryStore();
  const seen: string[] = [];
  const { inbox, supervisor } = createRuntime({
    store,
    handle: (turn) => {
      seen.push(`${turn.source}:${turn.actor}`);
      return Promise.resolve();
    },
  });
  await inbox.ingest([textUpdate(1, 5)], "tg");
  await inbox.ingest([textUpdate(1, 8_000_000_000_000_001)], "local");
  await supervisor.whenIdle();
  assert.deepEqual(seen.sort(), ["local:local:1", "tg:u:5"]);
  await supervisor.stop();
});

Deno.test("inbox: ingest fails as a whole while KV is down, so nothing is acknowledged", async () => {
  using store = await memoryStore();
  const { inbox, supervisor } = createRuntime({ store, handle: () => Promise.resolve() });
  store.injectFault("throwing");
  await assert.rejects(inbox.ingest([textUpdate(1, 1)]));
  await supervisor.stop();
});
