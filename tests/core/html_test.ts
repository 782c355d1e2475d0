import assert from "node:assert/strict";
import { html } from "hono/html";
import { escapeHtml as botEscapeHtml } from "../../src/bot/html.ts";
import { escapeHtml } from "../../src/core/html.ts";

Deno.test("html: the escaper escapes all five characters, the apostrophe included", () => {
  assert.equal(
    escapeHtml(`<a href="x" title='y'>&</a>`),
    "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;",
  );
  assert.equal(escapeHtml("plain text"), "plain text");
  assert.equal(escapeHtml(""), "");
});

Deno.test("html: Telegram messages and pages share the one escaper", async () => {
  assert.equal(botEscapeHtml, escapeHtml);
  const text = `O'Brien <b>"&"</b>`;
  assert.equal(String(await html`${text}`), escapeHtml(text));
});
