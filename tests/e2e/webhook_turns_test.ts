import assert from "node:assert/strict";
import { composeApp } from "../../src/compose.ts";
import { createConfig } from "../../src/config.ts";
import { FakeClock } from "../../src/core/clock.ts";
import { WEBHOOK_TEST_SECRET as SECRET, webhookConfig } from "../support/app.ts";
import { type FakeBotApi, startFakeBotApi } from "../support/fake_bot_api.ts";
import { FakeLlmServer } from "../support/fake_llm_server.ts";
import { tempKvPath } from "../support/store.ts";

const A = 501;
const B = 502;

async function deliver(app: Awaited<ReturnType<typeof composeApp>>, update: unknown) {
  return await app.api.request("/telegram/webhook", {
    method: "POST",
    headers: { "content-type": "application/json", "X-Telegram-Bot-Api-Secret-Token": SECRET },
    body: JSON.stringify(update),
  });
}

function textsTo(fake: FakeBotApi, chatId: number): string[] {
  return fake.calls().filter((call) =>
    ["sendMessage", "editMessageText"].includes(call.method) && call.response?.ok === true &&
    Number(call.params.chat_id) === chatId
  ).map((call) => String(call.params.text));
}

Deno.test("webhook: with turns in the request, A's 20 s provider call does not delay B's acknowledgement; A's request answers 200 at the deadline and A's turn still completes once", async () => {
  await using fake = startFakeBotApi();
  await using llm = await FakeLlmServer.start({ type: "hang" });
  await using kv = await tempKvPath();
  const clock = new FakeClock(Date.UTC(2026, 0, 1));
  const app = await composeApp(
    webhookConfig(fake, kv.path, {
      WEBHOOK_TURNS_IN_REQUEST: "true",
      WEBHOOK_TURN_DEADLINE_MS: "8000",
      AI_PROVIDER_1_URL: llm.url,
      AI_PROVIDER_1_MODEL: "fake-model",
      AI_PROVIDER_1_TIMEOUT_MS: "20000",
      ANALYSIS_DEADLINE_MS: "20000",
    }),
    { clock },
  );
  try {
    await app.start();
    let aAnswered = false;
    const aRequest = deliver(
      app,
      fake.textUpdate({
        userId: A,
        text: "Breaking: the exchange listed a new token for trading today",
      }),
    ).then((res) => {
      aAnswered = true;
      return res;
    });
    await llm.waitForRequests(1);

    // B's turn runs and commits inside B's request while A's provider call hangs.
    const bResponse = await deliver(app, fake.commandUpdate({ userId: B, command: "help" }));
    assert.equal(bResponse.status, 200);
    assert.deepEqual(
      { status: (await bResponse.json()).data.turn, aAnswered },
      { status: "done", aAnswered: false },
    );
    assert.equal(textsTo(fake, B).length, 1, "B was answered before its acknowledgement");

    // At the deadline A's request answers 200; the update stays queued and its turn goes on.
    await clock.advance(8000);
    const aResponse = await aRequest;
    assert.equal(aResponse.status, 200);
    const aBody = await aResponse.json();
    assert.deepEqual([aBody.data.status, aBody.data.turn], ["queued", "pending"]);
    assert.equal((await app.supervisor.getStats()).inbox_depth, 1);

    // The provider gives up at 20 s; A gets the offline card, once.
    await clock.advance(12_500);
    await app.supervisor.whenIdle();
    assert.equal((await app.supervisor.getStats()).inbox_depth, 0);
    const toA = textsTo(fake, A);
    assert.equal(toA.filter((text) => /Reading the news/.test(text)).length, 1, toA.join("\n"));
    assert.equal(
      fake.calls("editMessageText").filter((c) => Number(c.params.chat_id) === A).length,
      1,
    );
  } finally {
    await app.stop();
  }
});

Deno.test("webhook: without turns in the request the answer comes once the update is durable", async () => {
  await using fake = startFakeBotApi();
  await using kv = await tempKvPath();
  const config = webhookConfig(fake, kv.path);
  assert.equal(config.webhookTurnsInRequest, false);
  assert.equal(createConfig({ DENO_DEPLOYMENT_ID: "x" }).webhookTurnsInRequest, true);
  const app = await composeApp(config);
  try {
    const res = await deliver(app, fake.commandUpdate({ userId: B, command: "help" }));
    assert.equal(res.status, 200);
    const body = await res.json();
    assert.equal(body.data.status, "queued");
    assert.equal(body.data.turn, undefined);
  } finally {
    await app.stop();
  }
});
