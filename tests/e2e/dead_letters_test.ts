import assert from "node:assert/strict";
import { stageDeadLetter } from "../../src/store/dead_letters.ts";
import { commitTx } from "../../src/store/kv.ts";
import { startFakeBotApi } from "../support/fake_bot_api.ts";
import { callTo, startTestApp } from "../support/app.ts";

const TOKEN = "admin-token-for-tests-0001";

Deno.test("e2e: an operator retries a user's dead /start through the API; the user gets one welcome", async () => {
  await using fake = startFakeBotApi();
  await using running = await startTestApp(fake, { ADMIN_API_TOKEN: TOKEN });
  const { app } = running;
  // The update a broken release gave up on, days ago, as the supervisor writes it.
  const update = fake.commandUpdate({ userId: 31, command: "start", languageCode: "en" });
  const tx = app.store.tx();
  const id = stageDeadLetter(tx, {
    actor: "u:31",
    user_id: 31,
    source: "tg",
    update_id: update.update_id,
    update: JSON.stringify(update),
    reason: "TURN_FAILED",
    error_code: "INTERNAL_ERROR",
    attempts: 5,
  }, app.clock.now() - 3 * 86_400_000);
  await commitTx(app.store, tx);

  const admin = (path: string, method = "GET") =>
    app.api.request(path, { method, headers: { Authorization: `Bearer ${TOKEN}` } });
  const listed = await (await admin("/api/v1/dead_letters?user_id=31")).json();
  assert.deepEqual(listed.data.letters.map((l: { id: string }) => l.id), [id]);

  const retried = await admin(`/api/v1/dead_letters/${id}/retry`, "POST");
  assert.equal(retried.status, 200);
  const welcome = await fake.waitFor(callTo("sendMessage", 31), {
    timeoutMs: 5000,
    includePast: true,
  });
  assert.match(String(welcome.params.text), /Hi/);

  const again = await admin(`/api/v1/dead_letters/${id}/retry`, "POST");
  assert.equal(again.status, 409);
  assert.equal((await again.json()).error_code, "DEAD_LETTER_ALREADY_RETRIED");
  // Telegram redelivering the id now is a duplicate too.
  fake.pushUpdate(update);
  fake.pushUpdate(fake.commandUpdate({ userId: 32, command: "start" }));
  await fake.waitFor(callTo("sendMessage", 32), { timeoutMs: 5000, includePast: true });
  await app.supervisor.whenIdle();
  assert.equal(fake.sentTexts(31).length, 1, fake.sentTexts(31).join("\n"));
  const empty = await (await admin("/api/v1/dead_letters")).json();
  assert.deepEqual(empty.data.letters, []);
});
