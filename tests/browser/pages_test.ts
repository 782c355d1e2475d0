/**
 * The dashboard and the playground in headless Chromium (tests/browser/support.ts).
 */
import assert from "node:assert/strict";
import { type Page } from "puppeteer-core";
import { type Clock, systemClock } from "../../src/core/clock.ts";
import { metricsRollupCron } from "../../src/jobs/metrics.ts";
import { stageDeadLetter } from "../../src/store/dead_letters.ts";
import { commitTx } from "../../src/store/kv.ts";
import {
  ARTIFACTS,
  assertAccessible,
  RUN_BROWSER_TESTS,
  signIn,
  startRig,
  TOKEN,
  until,
} from "./support.ts";

const NEWS = "Bitcoin ETF inflows hit a record $1.2B as BTC price rallied 8% to a new all-time " +
  "high after the SEC approved options trading on spot bitcoin funds.";

/** A clock fixed at one time (the rollup files its point under that minute). */
function clockAt(at: number): Clock {
  return { ...systemClock, now: () => at };
}

const BOT_COUNT = `document.querySelectorAll("#log .msg.bot").length`;

/** Clicks the newest bot button whose text matches `pattern` (a RegExp source). */
async function clickButton(page: Page, pattern: string): Promise<void> {
  const clicked = await page.evaluate(`(() => {
    const buttons = [...document.querySelectorAll("#log .msg.bot .kb button")]
      .filter((b) => new RegExp(${JSON.stringify(pattern)}).test(b.textContent));
    const b = buttons.at(-1);
    if (!b) return false;
    b.click();
    return true;
  })()`);
  assert.ok(clicked, `a button matching /${pattern}/`);
}

Deno.test({
  name: "pages: the dashboard and the playground work in a real browser",
  ignore: !RUN_BROWSER_TESTS,
}, async (t) => {
  await using rig = await startRig();
  const { app, origin, page, problems, requested } = rig;
  const { api } = app;
  const base = Math.floor(Date.now() / 60_000) * 60_000 - 6 * 60_000;
  let minute = 0;
  const rollup = async (): Promise<void> => {
    await app.metrics.flush();
    const outcome = await metricsRollupCron({
      store: app.store,
      clock: clockAt(base + minute++ * 60_000),
      cronEnabled: true,
      gauges: async () => ({ ...await app.supervisor.getStats() }),
    });
    assert.equal(outcome.status, "ok");
  };

  await t.step("a page without the token shows the token form", async () => {
    await signIn(rig);
    assert.equal(new URL(page.url()).search, "");
    await until(page, `document.querySelector("#health") !== null`, "the dashboard");
  });

  await rollup();

  await t.step("playground: news, analysis card, 👎 re-explains, 📚 opens a lesson", async () => {
    const res = await page.goto(`${origin}/playground`);
    assert.equal(res?.status(), 200);
    await page.type("#text", NEWS);
    await page.click("#send");
    await until(
      page,
      `[...document.querySelectorAll("#log .msg.bot .kb button")].some((b) => b.textContent === "👎")`,
      "the analysis card",
    );
    const card = await page.evaluate(
      `document.querySelectorAll("#log .msg.bot")[${BOT_COUNT} - 1].querySelector(".body").innerHTML`,
    ) as string;
    assert.match(card, /<b>/, "the card keeps its formatting");
    await page.screenshot({ path: new URL("playground-card.png", ARTIFACTS).pathname });
    await rollup();

    const before = await page.evaluate(BOT_COUNT) as number;
    await clickButton(page, "^👎$");
    await until(page, `${BOT_COUNT} > ${before}`, "the re-explanation");
    await page.screenshot({ path: new URL("playground-reexplained.png", ARTIFACTS).pathname });

    const beforeLesson = await page.evaluate(BOT_COUNT) as number;
    await clickButton(page, "📚");
    await until(page, `${BOT_COUNT} > ${beforeLesson}`, "the lesson");
    await page.screenshot({
      path: new URL("playground-lesson.png", ARTIFACTS).pathname,
      fullPage: true,
    });
    await rollup();
  });

  // Some API traffic between rollups.
  for (let i = 0; i < 3; i++) {
    await api.request("/health");
    await api.request("/api/v1/stats", { headers: { Authorization: `Bearer ${TOKEN}` } });
    await api.request("/api/v1/stats");
    await rollup();
  }

  await t.step("dashboard: charts with data points, tables, phone layout", async () => {
    const res = await page.goto(`${origin}/dashboard`);
    assert.equal(res?.status(), 200);
    const points = await page.evaluate(
      `[...document.querySelectorAll("svg.plot")].map((s) => [s.closest("section").id, Number(s.dataset.points)])`,
    ) as [string, number][];
    const drawn = Object.fromEntries(points);
    assert.ok(drawn["chart-requests"] >= 4, JSON.stringify(drawn));
    assert.ok(drawn["chart-users"] >= 4, JSON.stringify(drawn));
    assert.ok(drawn["chart-turn-latency"] >= 1, JSON.stringify(drawn));
    const lines = await page.evaluate(`document.querySelectorAll("svg.plot polyline").length`);
    assert.ok((lines as number) > 0);
    await page.setViewport({ width: 1280, height: 900 });
    await page.screenshot({ path: new URL("dashboard.png", ARTIFACTS).pathname, fullPage: true });
    await page.setViewport({ width: 390, height: 844, isMobile: true });
    await page.reload();
    const overflow = await page.evaluate(
      `document.documentElement.scrollWidth - document.documentElement.clientWidth`,
    ) as number;
    assert.ok(overflow <= 1, `no sideways scrolling on a phone (${overflow}px)`);
    await page.screenshot({
      path: new URL("dashboard-phone.png", ARTIFACTS).pathname,
      fullPage: true,
    });
  });

  await t.step(
    "dashboard: auto-refresh is off until turned on, then updates in place",
    async () => {
      await page.setViewport({ width: 1280, height: 900 });
      await page.goto(`${origin}/dashboard`);
      assert.equal(await page.evaluate(`document.querySelector("#auto-refresh").checked`), false);
      const before = await page.evaluate(`document.querySelector(".points").textContent`);
      await page.evaluate(`window.notReloaded = true`);
      await rollup();
      await page.click("#auto-refresh");
      await until(
        page,
        `document.querySelector(".points").textContent !== ${JSON.stringify(before)}`,
        "the refreshed sections",
      );
      assert.equal(await page.evaluate(`window.notReloaded`), true);
      await page.reload();
      assert.equal(await page.evaluate(`document.querySelector("#auto-refresh").checked`), true);
      await page.click("#auto-refresh");
    },
  );

  await t.step(
    "dashboard: a dead letter's Retry button queues it and the card says so",
    async () => {
      const tx = app.store.tx();
      const id = stageDeadLetter(tx, {
        actor: "c:-100123",
        user_id: null,
        source: "tg",
        update_id: 990_001,
        update: JSON.stringify({
          update_id: 990_001,
          channel_post: { message_id: 1, date: 0, chat: { id: -100123, type: "channel" } },
        }),
        reason: "TURN_FAILED",
        error_code: "BROWSER_TEST",
        attempts: 5,
      }, Date.now());
      await commitTx(app.store, tx);
      await page.setViewport({ width: 1280, height: 900 });
      await page.goto(`${origin}/dashboard?dl_code=BROWSER_TEST`);
      await assertAccessible(page, "dashboard with a dead letter");
      await Promise.all([
        page.waitForNavigation(),
        page.click(`form[action="/dashboard/dead_letters/${id}/retry"] button`),
      ]);
      const notice = await page.evaluate(
        `document.querySelector("#dead-letters [role=status]")?.textContent ?? ""`,
      ) as string;
      assert.match(notice, new RegExp(`Dead letter ${id} was queued again`));
      const rows = await page.evaluate(
        `document.querySelectorAll("#dead-letters tbody tr").length`,
      );
      assert.equal(rows, 0);
      assert.equal(new URL(page.url()).hash, "#dead-letters");
    },
  );

  await t.step("no console errors, no request leaving 127.0.0.1", () => {
    assert.deepEqual(problems, []);
    const foreign = requested.filter((url) => new URL(url).hostname !== "127.0.0.1");
    assert.deepEqual(foreign, []);
    assert.ok(requested.length > 5);
  });

  await t.step("sign out: the session ends and the page asks to sign in again", async () => {
    await page.goto(`${origin}/dashboard`);
    await Promise.all([page.waitForNavigation(), page.click(".sign-out button")]);
    assert.ok(await page.$("form[action='/sign-in']"), "the sign-in form");
    const again = await page.goto(`${origin}/playground`);
    assert.equal(again?.status(), 401);
  });
});
