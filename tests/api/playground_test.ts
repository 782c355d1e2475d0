import assert from "node:assert/strict";
import { type PlaygroundMessage } from "../../src/api/views/playground.tsx";
import { telegramHtml } from "../../src/api/views/telegram_html.ts";
import { type App } from "../../src/compose.ts";
import { startLocalApp } from "../support/app.ts";

const TOKEN = "playground-test-token-0123456789";
const NEWS =
  "Bitcoin ETF inflows hit a record $1.2B as BTC price rallied 8% to a new all-time high " +
  "after the SEC approved options trading on spot bitcoin funds.";

/** The app in local exclusive mode (no BOT_TOKEN), pages mounted as `composeApp` does. */
async function startApp(
  env: Record<string, string> = {},
): Promise<{ app: App; api: App["api"] } & AsyncDisposable> {
  const local = await startLocalApp(TOKEN, env);
  return {
    app: local.app,
    api: local.app.api,
    [Symbol.asyncDispose]: () => local[Symbol.asyncDispose](),
  };
}

interface Transcript {
  user_id: number | null;
  rev: number;
  pending: number;
  messages: PlaygroundMessage[];
  notices: { rev: number; text: string | null }[];
}

/** A browser: the admin cookie plus whatever cookies the playground sets. */
class Browser {
  cookies = new Map<string, string>();
  constructor(readonly api: App["api"]) {}

  /** Signs in through the form, as a browser does. */
  static async signedIn(api: App["api"]): Promise<Browser> {
    const browser = new Browser(api);
    const res = await browser.request("/sign-in", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ token: TOKEN, next: "/playground" }).toString(),
    });
    assert.equal(res.status, 303);
    assert.ok(browser.cookies.has("rvx_session"));
    return browser;
  }

  async request(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    headers.set("Cookie", [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; "));
    const res = await this.api.request(path, { ...init, headers });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const [name, value] = pair.split("=");
      this.cookies.set(name, value);
    }
    return res;
  }

  async post(path: string, body: unknown): Promise<Response> {
    return await this.request(path, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
  }

  /** Polls until `done` holds for the transcript. */
  async waitFor(done: (t: Transcript) => boolean, what: string): Promise<Transcript> {
    const deadline = Date.now() + 15_000;
    let since = 0;
    let last: Transcript | null = null;
    while (Date.now() < deadline) {
      const res = await this.request(`/playground/messages?since=${since}&wait=2000`);
      assert.equal(res.status, 200);
      last = (await res.json()).data as Transcript;
      if (done(last)) return last;
      since = last.rev;
    }
    throw new Error(`Timed out waiting for ${what}: ${JSON.stringify(last?.messages.at(-1))}`);
  }
}

function botMessages(t: Transcript): PlaygroundMessage[] {
  return t.messages.filter((m) => m.from_bot);
}

function button(message: PlaygroundMessage, pattern: RegExp): string {
  for (const row of message.keyboard) {
    for (const b of row) if (pattern.test(b.text) && b.data) return b.data;
  }
  throw new Error(`No button ${pattern} in ${JSON.stringify(message.keyboard)}`);
}

Deno.test("playground: the page sets a local user cookie and needs the admin token", async () => {
  await using env = await startApp();
  const anonymous = await env.api.request("/playground");
  assert.equal(anonymous.status, 401);
  assert.match(await anonymous.text(), /<form/);
  const json = await env.api.request("/playground/messages");
  assert.equal(json.status, 401);
  assert.equal((await json.json()).error_code, "UNAUTHORIZED");

  const browser = await Browser.signedIn(env.api);
  const page = await browser.request("/playground");
  assert.equal(page.status, 200);
  const html = await page.text();
  assert.match(html, /<script type="module" src="\/assets\/playground\.js"/);
  assert.doesNotMatch(html, /https?:\/\//);
  assert.match(page.headers.get("Content-Security-Policy") ?? "", /script-src 'self'/);
  const cookie = browser.cookies.get("rvx_playground_user");
  assert.ok(cookie && /^8\d{15}\.(en|ru)$/.test(cookie), cookie);
  // The same browser keeps its user.
  await browser.request("/playground");
  assert.equal(browser.cookies.get("rvx_playground_user"), cookie);
  const script = await browser.request("/assets/playground.js");
  assert.equal(script.status, 200);
  assert.match(script.headers.get("Content-Type") ?? "", /javascript/);
  assert.match(await script.text(), /\/playground\/messages/);
  const again = await browser.request("/assets/playground.js", {
    headers: { "If-None-Match": script.headers.get("ETag") ?? "" },
  });
  assert.equal(again.status, 304);
  await again.body?.cancel();
  assert.equal((await browser.request("/assets/nothing.js")).status, 404);
});

Deno.test("playground: the user cookie is Secure behind a trusted proxy saying https", async () => {
  await using env = await startApp({ TRUST_PROXY: "true" });
  const userCookie = async (proto: string) => {
    const res = await env.api.request("/playground", {
      headers: {
        Authorization: `Bearer ${TOKEN}`,
        "X-Forwarded-Proto": proto,
        "X-Forwarded-For": "203.0.113.7",
      },
    });
    await res.body?.cancel();
    return res.headers.getSetCookie().find((c) => c.startsWith("rvx_playground_user="));
  };
  assert.match((await userCookie("https"))!, /Secure/);
  assert.doesNotMatch((await userCookie("http"))!, /Secure/);
});

Deno.test("playground: send and press go through the real bot, edits show in place", async () => {
  await using env = await startApp();
  const browser = await Browser.signedIn(env.api);
  await browser.request("/playground");

  const sent = await browser.post("/playground/send", { text: "/start" });
  assert.equal(sent.status, 200);
  const body = await sent.json();
  assert.equal(body.success, true);
  assert.equal(body.data.status, "queued");
  const started = await browser.waitFor((t) => botMessages(t).length > 0, "the /start reply");
  assert.equal(started.messages[0].from_bot, false);
  assert.equal(started.messages[0].text, "/start");

  await browser.post("/playground/send", { text: NEWS });
  const withCard = await browser.waitFor(
    (t) => botMessages(t).some((m) => m.keyboard.flat().some((b) => b.text === "👎")),
    "the analysis card",
  );
  const card = botMessages(withCard).find((m) => m.keyboard.flat().some((b) => b.text === "👎"))!;
  assert.match(card.html, /<b>/);
  const before = botMessages(withCard).length;

  const pressed = await browser.post("/playground/press", {
    message_id: card.message_id,
    data: button(card, /^👎$/),
  });
  assert.equal(pressed.status, 200);
  const after = await browser.waitFor(
    (t) =>
      botMessages(t).length > before ||
      t.messages.some((m) => m.message_id === card.message_id && m.rev > card.rev),
    "the re-explanation",
  );
  assert.ok(after.rev > withCard.rev);
});

Deno.test("playground: two app instances on one KV file show one transcript, whichever serves the send, the turn and the poll", async () => {
  await using first = await startApp();
  const kvPath = first.app.config.kvPath!;
  await using second = await startApp({ KV_PATH: kvPath });
  const onFirst = await Browser.signedIn(first.api);
  await onFirst.request("/playground");
  // The same browser (its session and playground user) reaching the other instance.
  const onSecond = new Browser(second.api);
  onSecond.cookies = onFirst.cookies;

  const sent = await onFirst.post("/playground/send", { text: "/start" });
  assert.equal(sent.status, 200);
  const seen = await onSecond.waitFor((t) => botMessages(t).length > 0, "the /start reply");
  assert.equal(seen.messages[0].text, "/start");
  assert.equal(seen.messages[0].from_bot, false);

  await onSecond.post("/playground/send", { text: "/help" });
  const both = await onFirst.waitFor(
    (t) => t.messages.some((m) => m.text === "/help") && botMessages(t).length > 1,
    "the /help reply, on the first instance",
  );
  const ids = both.messages.map((m) => m.message_id);
  assert.deepEqual(ids, [...new Set(ids)].sort((a, b) => a - b), "one message id sequence");
});

Deno.test("playground: bad input answers BotResponse validation errors", async () => {
  await using env = await startApp();
  const browser = await Browser.signedIn(env.api);
  const empty = await browser.post("/playground/send", { text: "  " });
  assert.equal(empty.status, 400);
  assert.equal((await empty.json()).error_code, "VALIDATION_ERROR_TEXT");
  const press = await browser.post("/playground/press", { message_id: "x", data: "" });
  assert.equal(press.status, 400);
});

Deno.test("playground: bot HTML keeps Telegram's tags only", () => {
  assert.equal(
    telegramHtml(
      '<b>Hi</b> <i>x</i> <script>alert(1)</script> <a href="javascript:x">y</a>',
      "HTML",
    ),
    "<b>Hi</b> <i>x</i> &lt;script&gt;alert(1)&lt;/script&gt; <a>y</a>",
  );
  assert.equal(
    telegramHtml('<a href="https://e.x/?a=1&amp;b=2" onclick="x">l</a>', "HTML"),
    '<a href="https://e.x/?a=1&amp;b=2" rel="noopener noreferrer" target="_blank">l</a>',
  );
  assert.equal(telegramHtml("<b>open", "HTML"), "<b>open</b>");
  assert.equal(telegramHtml("a < b & c", "HTML"), "a &lt; b &amp; c");
  assert.equal(telegramHtml("<b>raw</b>", null), "&lt;b&gt;raw&lt;/b&gt;");
  assert.equal(telegramHtml('<code class="language-ts">1</code>', "HTML"), "<code>1</code>");
  assert.equal(
    telegramHtml('<img src=x onerror="a">', "HTML"),
    "&lt;img src=x onerror=&quot;a&quot;&gt;",
  );
});
