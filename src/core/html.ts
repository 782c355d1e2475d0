/**
 * The one HTML escaper: text put into HTML (pages, Telegram messages in HTML parse mode) goes
 * through it. It is Hono's own (the one `hono/jsx` applies to every interpolation on our pages),
 * so a page and a hand-built string escape alike: `&`, `<`, `>`, `"` and `'` (as `&#39;`, a
 * numeric entity Telegram accepts too).
 *
 * @module
 */
import { escapeToBuffer } from "hono/utils/html";

/**
 * Escapes text for HTML element content and quoted attribute values.
 *
 * @example
 * ```ts
 * escapeHtml(`<b>"BTC"</b> & 'co'`); // "&lt;b&gt;&quot;BTC&quot;&lt;/b&gt; &amp; &#39;co&#39;"
 * ```
 */
export function escapeHtml(text: string): string {
  const buffer: [string] = [""];
  escapeToBuffer(text, buffer);
  return buffer[0];
}
