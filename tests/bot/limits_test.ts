import assert from "node:assert/strict";
import { type Lang } from "../../src/i18n/mod.ts";
import { startLocalChat } from "../support/local_chat.ts";

const MINUTE = 60_000;
const NEWS =
  "The SEC approved a spot Bitcoin ETF on Wednesday; BTC rose 6% as inflows reached $1B.";

/** A local chat on an injected clock, after the user's only analysis of the day. */
async function afterOneAnalysis(at: number, lang: Lang) {
  const chat = await startLocalChat({ at, lang, env: { MAX_REQUESTS_PER_DAY: "1" } });
  await chat.send(NEWS);
  return chat;
}

Deno.test("limits: a reset tomorrow says tomorrow; after midnight the same reset is today", async () => {
  // The daily window is rolling: an analysis at 23:50 UTC frees up at 23:50 the next day.
  await using bot = await afterOneAnalysis(Date.UTC(2026, 0, 5, 23, 50), "en");
  assert.match(
    await bot.send("/limits"),
    /1 of 1 used, 0 left \(next frees up tomorrow at 23:50 UTC\)/,
  );
  assert.match(
    await bot.send(NEWS),
    /You've used your 1 analysis for today\. The next one frees up tomorrow at 23:50 UTC\./,
  );
  await bot.clock.advance(15 * MINUTE);
  assert.match(await bot.send("/limits"), /\(next frees up at 23:50 UTC\)/);
});

Deno.test("limits: in Russian, «завтра в 01:30 UTC»", async () => {
  await using bot = await afterOneAnalysis(Date.UTC(2026, 0, 5, 1, 30), "ru");
  assert.match(await bot.send("/limits"), /\(следующий освободится завтра в 01:30 UTC\)/);
  assert.match(await bot.send(NEWS), /Следующий освободится завтра в 01:30 UTC\./);
});
