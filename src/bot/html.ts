/**
 * Telegram HTML: every user- or AI-provided string goes through `escapeHtml` (`src/core/html.ts`)
 * before it is put into a message; the terminal chat turns messages back into plain text.
 *
 * @module
 */

/** Telegram's HTML parse mode takes the same escaping as pages (numeric `&#39;` included). */
export { escapeHtml } from "../core/html.ts";

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', "#39": "'" };

/**
 * Turns a Telegram HTML message into plain text (tags dropped, entities decoded).
 *
 * @example
 * ```ts
 * htmlToPlain("<b>Hi</b> &amp; bye"); // "Hi & bye"
 * ```
 */
export function htmlToPlain(html: string): string {
  return html.replace(/<[^>]*>/g, "").replace(/&(amp|lt|gt|quot|#39);/g, (_, e) => ENTITIES[e]);
}

/**
 * Shortens text for a one-line preview, on a word boundary.
 *
 * @example
 * ```ts
 * preview("Bitcoin ETF approved by the SEC today", 20); // "Bitcoin ETF approved…"
 * ```
 */
export function preview(text: string, max: number): string {
  const flat = text.replace(/\s+/g, " ").trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max);
  const space = cut.lastIndexOf(" ");
  return `${space > max / 2 ? cut.slice(0, space) : cut}…`;
}
