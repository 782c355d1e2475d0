import assert from "node:assert/strict";
import { composeApp } from "../../src/compose.ts";
import { createConfig } from "../../src/config.ts";
import { FakeClock } from "../../src/core/clock.ts";
import { t } from "../../src/i18n/mod.ts";
import { listDeadLetters } from "../../src/store/dead_letters.ts";
import { startFakeBotApi } from "../support/fake_bot_api.ts";
import { FakeLlmServer } from "../support/fake_llm_server.ts";

const SEND_METHODS = ["sendMessage", "editMessageText"];

Deno.test("e2e: a Bot API outage longer than every turn attempt's backoff loses nothing and repeats no analysis", async () => {
  await using fake = startFakeBotApi();
  await using llm = await FakeLlmServer.start();
  const dir = await Deno.makeTempDir({ prefix: "rvx-outage-" });
  const clock = new FakeClock(Date.UTC(2026, 0, 1));
  const app = await composeApp(
    createConfig({
      BOT_TOKEN: fake.token,
      BOT_API_ROOT: fake.url,
      KV_PATH: `${dir}/rvx.kv`,
      FLOOD_COOLDOWN_SECONDS: "0",
      // Two attempts 1 s apart: an outage of a minute outlasts them many times over.
      TURN_MAX_ATTEMPTS: "2",
      AI_PROVIDER_1_URL: llm.url,
      AI_PROVIDER_1_MODEL: "fake-model",
    }),
    { clock },
  );
  try {
    await app.start();
    const { inbox, supervisor } = app;
    /** Lets the runtime run everything due by the fake clock, then moves it on. */
    const pass = async (ms: number) => {
      await clock.advance(ms);
      await supervisor.whenIdle();
    };
    // Telegram keeps asking for a minute's pause (beyond any per-call retry's bound).
    const texts = new Map<number, string>();
    const news = (userId: number, n: number) => {
      const text = `Outage news ${userId}-${n}: the exchange listed a new token today`;
      const update = fake.textUpdate({ userId, text });
      texts.set(update.update_id, text);
      return update;
    };
    // The outage starts mid-turn: "thinking…" is out, the provider answered, the card's edit
    // fails. Then every send fails while more traffic arrives.
    fake.faults.rateLimit({ method: "editMessageText", retryAfter: 60 });
    for (let user = 1; user <= 4; user++) await inbox.ingest([news(user, 1)]);
    await supervisor.whenIdle();
    assert.equal(llm.requests.length, 4, "each first update reached the provider");
    fake.faults.rateLimit({ method: SEND_METHODS, retryAfter: 60 });
    for (let user = 1; user <= 6; user++) await inbox.ingest([news(user, 2)]);
    for (let second = 0; second < 60; second++) await pass(1000);
    assert.deepEqual(await listDeadLetters(app.store), [], "nothing dead-lettered mid-outage");

    // Telegram answers again: every actor resumes within its pause.
    fake.faults.clear();
    for (let second = 0; second < 40; second++) await pass(1000);

    assert.deepEqual(await listDeadLetters(app.store), [], "no dead letters after the outage");
    assert.equal((await supervisor.getStats()).inbox_depth, 0, "every update was handled");
    const cards = fake.calls().filter((call) =>
      call.method === "editMessageText" && call.response?.ok === true
    );
    const cardsByChat = new Map<number, number>();
    for (const call of cards) {
      const chat = Number(call.params.chat_id);
      cardsByChat.set(chat, (cardsByChat.get(chat) ?? 0) + 1);
    }
    assert.equal(cards.length, texts.size, "every update's card delivered exactly once");
    assert.deepEqual(
      [...cardsByChat.entries()].sort(([a], [b]) => a - b),
      [[1, 2], [2, 2], [3, 2], [4, 2], [5, 1], [6, 1]],
      "two cards for users who sent two texts, one for the others",
    );
    assert.equal(llm.requests.length, texts.size, "the provider was called once per analysis");
    const placeholders = fake.calls("sendMessage").filter((call) =>
      call.response?.ok === true && call.params.text === t("en", "analysis_thinking")
    );
    assert.equal(placeholders.length, texts.size, 'one "thinking…" message per analysis');
    const edited = new Set(cards.map((call) => `${call.params.chat_id}:${call.params.message_id}`));
    for (const call of placeholders) {
      const { message_id } = (call.response as { result: { message_id: number } }).result;
      assert.ok(edited.has(`${call.params.chat_id}:${message_id}`), "each became its card");
    }
    const failureNotices = fake.calls().filter((call) =>
      call.method === "sendMessage" && call.response?.ok === true &&
      /went wrong|did not answer|try again/i.test(String(call.params.text))
    );
    assert.deepEqual(failureNotices, [], "an outage is not a failure the user is told about");
  } finally {
    await app.stop();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
});
