/**
 * The dashboard and the playground in headless Chromium (`../shared/notes/browser-testing.md`):
 * puppeteer-core over a pipe, Debian's /usr/bin/chromium, every host but 127.0.0.1 unresolvable.
 * Screenshots go to `tests/browser/artifacts/` (ignored by git).
 */
import assert from "node:assert/strict";
import puppeteer, { type Browser, type Page } from "puppeteer-core";
import { composeApp } from "../../src/compose.ts";
import { createConfig } from "../../src/config.ts";
import { type Clock, systemClock } from "../../src/core/clock.ts";
import { metricsRollupCron } from "../../src/jobs/metrics.ts";

const CHROMIUM = "/usr/bin/chromium";
const TOKEN = "browser-test-token-0123456789";
const ARTIFACTS = new URL("./artifacts/", import.meta.url);
const NEWS = "Bitcoin ETF inflows hit a record $1.2B as BTC price rallied 8% to a new all-time " +
  "high after the SEC approved options trading on spot bitcoin funds.";

/** A clock fixed at one time (the rollup files its point under that minute). */
function clockAt(at: number): Clock {
  return { ...systemClock, now: () => at };
}

/** Waits until `expression` (evaluated in the page) is truthy. */
async function until(page: Page, expression: string, what: string): Promise<void> {
  try {
    await page.waitForFunction(expression, { timeout: 15_000, polling: 100 });
  } catch (err) {
    await page.screenshot({ path: new URL(`failed.png`, ARTIFACTS).pathname, fullPage: true });
    throw new Error(`Waiting for ${what} failed: ${(err as Error).message}`);
  }
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
  ignore: !(await Deno.stat(CHROMIUM).then(() => true, () => false)),
}, async (t) => {
  await Deno.mkdir(ARTIFACTS, { recursive: true });
  const dir = await Deno.makeTempDir({ prefix: "rvx-browser-" });
  const config = createConfig({
    KV_PATH: `${dir}/rvx.kv`,
    ADMIN_API_TOKEN: TOKEN,
    FLOOD_COOLDOWN_SECONDS: "0",
    DEFAULT_LANGUAGE: "en",
  });
  const app = await composeApp(config);
  await app.start();
  const { api } = app;
  const server = Deno.serve(
    { port: 0, hostname: "127.0.0.1", onListen: () => {} },
    (req, info) => api.fetch(req, { remoteAddr: info.remoteAddr }),
  );
  const origin = `http://127.0.0.1:${server.addr.port}`;
  let browser: Browser | null = null;
  try {
    browser = await puppeteer.launch({
      executablePath: CHROMIUM,
      pipe: true,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--disable-component-update",
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
      ],
    });
    const page = await browser.newPage();
    const problems: string[] = [];
    const requested: string[] = [];
    page.on("console", (msg) => {
      if (msg.type() === "error") problems.push(`console: ${msg.text()}`);
    });
    page.on("pageerror", (err) => problems.push(`page error: ${String(err)}`));
    page.on("request", (req) => requested.push(req.url()));
    page.on("requestfailed", (req) => {
      // A long poll cut short by navigation is not a failure of the page.
      if (!req.url().includes("/playground/messages")) {
        problems.push(`request failed: ${req.url()} ${req.failure()?.errorText}`);
      }
    });

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
      const res = await page.goto(`${origin}/dashboard`);
      assert.equal(res?.status(), 401);
      await page.type("#token", TOKEN);
      await Promise.all([page.waitForNavigation(), page.click("button[type=submit]")]);
      assert.equal(new URL(page.url()).pathname, "/dashboard");
      assert.equal(new URL(page.url()).search, "");
      await until(page, `document.querySelector("#health") !== null`, "the dashboard");
      // The 401 before signing in was expected.
      problems.length = 0;
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

    await t.step("no console errors, no request leaving 127.0.0.1", () => {
      assert.deepEqual(problems, []);
      const foreign = requested.filter((url) => new URL(url).hostname !== "127.0.0.1");
      assert.deepEqual(foreign, []);
      assert.ok(requested.length > 5);
    });
  } finally {
    await browser?.close();
    await server.shutdown();
    await app.stop();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
});
