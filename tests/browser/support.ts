/**
 * Headless Chromium against the real app (docs/OPERATIONS.md "Pages"): puppeteer-core over a
 * pipe, Debian's /usr/bin/chromium, every host but 127.0.0.1 unresolvable; axe-core injected
 * into pages to check them. Screenshots go to `tests/browser/artifacts/` (ignored by git).
 *
 * @module
 */
import assert from "node:assert/strict";
import axe from "axe-core";
import puppeteer, { type Browser, type Page } from "puppeteer-core";
import { type App } from "../../src/compose.ts";
import { startLocalApp } from "../support/app.ts";

export const CHROMIUM = "/usr/bin/chromium";
export const TOKEN = "browser-test-token-0123456789";
export const ARTIFACTS = new URL("./artifacts/", import.meta.url);

/**
 * Whether the browser tests run: Chromium is installed (`apt-get install chromium`). Outside CI
 * they skip without it; in CI (`CI=true`, where `.ci/run` installs it) they run and fail, so a
 * missing browser can never leave the accessibility checks silently unrun.
 */
export const RUN_BROWSER_TESTS = Deno.env.get("CI") === "true" ||
  await Deno.stat(CHROMIUM).then(() => true, () => false);

/** The app served on 127.0.0.1 and a browser pointed at it. */
export interface BrowserRig extends AsyncDisposable {
  app: App;
  origin: string;
  browser: Browser;
  page: Page;
  /** Console errors, page errors and failed requests seen so far. */
  problems: string[];
  /** Every URL the page asked for. */
  requested: string[];
}

/**
 * Starts the app on a temp KV file and launches Chromium with one page.
 *
 * @example
 * ```ts
 * await using rig = await startRig();
 * await rig.page.goto(`${rig.origin}/docs`);
 * ```
 */
export async function startRig(): Promise<BrowserRig> {
  await Deno.mkdir(ARTIFACTS, { recursive: true });
  const local = await startLocalApp(TOKEN);
  const { app } = local;
  const server = Deno.serve(
    { port: 0, hostname: "127.0.0.1", onListen: () => {} },
    (req, info) => app.api.fetch(req, { remoteAddr: info.remoteAddr }),
  );
  let browser: Browser | null = null;
  async function close(): Promise<void> {
    await browser?.close();
    await server.shutdown();
    await local[Symbol.asyncDispose]();
  }
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
    return {
      app,
      origin: `http://127.0.0.1:${server.addr.port}`,
      browser,
      page,
      problems,
      requested,
      [Symbol.asyncDispose]: close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}

/** Waits until `expression` (evaluated in the page) is truthy; a screenshot if it never is. */
export async function until(page: Page, expression: string, what: string): Promise<void> {
  try {
    await page.waitForFunction(expression, { timeout: 15_000, polling: 100 });
  } catch (err) {
    await page.screenshot({ path: new URL(`failed.png`, ARTIFACTS).pathname, fullPage: true });
    throw new Error(`Waiting for ${what} failed: ${(err as Error).message}`);
  }
}

/** Signs the page in through the sign-in form a page answers with. */
export async function signIn(rig: BrowserRig, path = "/dashboard"): Promise<void> {
  const { page } = rig;
  const res = await page.goto(`${rig.origin}${path}`);
  assert.equal(res?.status(), 401);
  await page.type("#token", TOKEN);
  await Promise.all([page.waitForNavigation(), page.click("button[type=submit]")]);
  assert.equal(new URL(page.url()).pathname, path);
  // The 401 before signing in was expected.
  rig.problems.length = 0;
}

/** The rules: WCAG 2.0–2.2 A and AA, and axe's best practices. */
const AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"];

const AXE_SOURCE = (axe as unknown as { source: string }).source;

/**
 * Every axe-core violation on the page as it is now, of any impact, one line each
 * (`rule (impact): help — selectors`).
 *
 * @example
 * ```ts
 * assert.deepEqual(await axeViolations(page), []);
 * ```
 */
export async function axeViolations(page: Page): Promise<string[]> {
  // Evaluated over DevTools, so the page's CSP (no inline script) does not apply.
  await page.evaluate(AXE_SOURCE);
  const results = await page.evaluate(
    `axe.run(document, { runOnly: { type: "tag", values: ${JSON.stringify(AXE_TAGS)} } })`,
  ) as axe.AxeResults;
  return results.violations.map((v) =>
    `${v.id} (${v.impact}): ${v.help} — ${
      v.nodes.slice(0, 5).map((n) => n.target.join(" ")).join(", ")
    }${v.nodes.length > 5 ? ` and ${v.nodes.length - 5} more` : ""}`
  );
}

/**
 * Checks the page with axe in the light and the dark colour scheme, saving a screenshot of
 * each as `<name>-light.png` / `<name>-dark.png`.
 */
export async function assertAccessible(page: Page, name: string): Promise<void> {
  const found: string[] = [];
  for (const scheme of ["light", "dark"] as const) {
    await page.emulateMediaFeatures([{ name: "prefers-color-scheme", value: scheme }]);
    await page.screenshot({
      path: new URL(`${name}-${scheme}.png`, ARTIFACTS).pathname,
      fullPage: true,
    });
    found.push(...(await axeViolations(page)).map((v) => `${scheme}: ${v}`));
  }
  await page.emulateMediaFeatures([{ name: "prefers-color-scheme", value: "light" }]);
  assert.deepEqual(found, [], `axe-core violations on ${name}`);
}
