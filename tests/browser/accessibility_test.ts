/**
 * axe-core (WCAG 2 A/AA and best practices) on every page, in the light and the dark colour
 * scheme, with content in it: the sign-in form (and its "wrong token" state), the docs, the
 * dashboard with charts, tables and dead letters and auto-refresh on, the playground with a bot
 * message and its buttons.
 */
import assert from "node:assert/strict";
import { FakeClock, systemClock } from "../../src/core/clock.ts";
import { metricsRollupCron } from "../../src/jobs/metrics.ts";
import { deadLetterInput, seedDeadLetters } from "../support/dead_letters.ts";
import { assertAccessible, RUN_BROWSER_TESTS, signIn, startRig, until } from "./support.ts";

Deno.test({
  name: "accessibility: every page has no axe-core violation of any impact",
  ignore: !RUN_BROWSER_TESTS,
}, async (t) => {
  await using rig = await startRig();
  const { app, origin, page } = rig;

  await t.step("the sign-in page, and after a wrong token", async () => {
    await page.goto(`${origin}/dashboard`);
    await assertAccessible(page, "a11y-sign-in");
    await page.type("#token", "not-the-token-0123456789");
    await Promise.all([page.waitForNavigation(), page.click("button[type=submit]")]);
    assert.match(await page.evaluate(`document.body.textContent`) as string, /Wrong token/);
    await assertAccessible(page, "a11y-sign-in-failed");
  });

  await t.step("the API docs", async () => {
    const res = await page.goto(`${origin}/docs`);
    assert.equal(res?.status(), 200);
    await assertAccessible(page, "a11y-docs");
  });

  await signIn(rig);

  await t.step("the playground with a bot message and buttons", async () => {
    await page.goto(`${origin}/playground`);
    await page.type("#text", "/start");
    await page.click("#send");
    await until(page, `document.querySelector("#log .msg.bot .kb button") !== null`, "/start");
    await assertAccessible(page, "a11y-playground");
  });

  await t.step("the dashboard with charts, tables and dead letters, auto-refresh on", async () => {
    const clock = new FakeClock(systemClock.now() - 60_000);
    await seedDeadLetters(app.store, clock, [
      deadLetterInput(1, 8_000_000_000_000_001),
      deadLetterInput(2, 8_000_000_000_000_002, "PROVIDER_DOWN"),
    ]);
    const base = Math.floor(systemClock.now() / 60_000) * 60_000 - 3 * 60_000;
    for (let minute = 0; minute < 3; minute++) {
      await app.metrics.flush();
      await metricsRollupCron({
        store: app.store,
        clock: { ...systemClock, now: () => base + minute * 60_000 },
        cronEnabled: true,
        gauges: async () => ({ ...await app.supervisor.getStats() }),
      });
    }
    const res = await page.goto(`${origin}/dashboard`);
    assert.equal(res?.status(), 200);
    assert.ok(await page.$("#dead-letters table"), "the dead-letters table");
    await page.click("#auto-refresh");
    await assertAccessible(page, "a11y-dashboard");
  });

  await t.step("no console errors on the way", () => {
    assert.deepEqual(rig.problems, []);
  });
});
