/**
 * A bot message's HTML as a page may show it: Telegram's parse-mode tags survive (without
 * attributes, except a checked link), everything else is text through the one escaper.
 *
 * @module
 */
import { escapeHtml } from "../../core/html.ts";

/** Tags Telegram's HTML allows, as the page renders them. */
const SIMPLE_TAGS: Record<string, string> = {
  b: "b",
  strong: "b",
  i: "i",
  em: "i",
  u: "u",
  ins: "u",
  s: "s",
  strike: "s",
  del: "s",
  code: "code",
  pre: "pre",
  blockquote: "blockquote",
  "tg-spoiler": "span",
  span: "span",
  a: "a",
};

/** A tag (attributes capped, so a stray `<` costs no more than a bounded look-ahead) or an entity. */
const TOKEN =
  /<(\/?)([a-z][a-z0-9-]*)([^<>]{0,2048})>|&(?:amp|lt|gt|quot|apos|#\d{1,7}|#x[0-9a-f]{1,6});/gi;

function attribute(attrs: string, name: string): string | null {
  const match = new RegExp(`\\b${name}\\s*=\\s*("([^"]*)"|'([^']*)'|([^\\s>]+))`, "i").exec(attrs);
  return match ? (match[2] ?? match[3] ?? match[4] ?? "") : null;
}

const NAMED: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

function decodeEntities(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-f]+);/gi, (_, e: string) => {
    if (NAMED[e.toLowerCase()]) return NAMED[e.toLowerCase()];
    const code = e[1] === "x" || e[1] === "X" ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
    return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : "";
  });
}

/** The opening tag as the page gets it, or null when Telegram would not take it. */
function openTag(name: string, attrs: string): string | null {
  if (name === "a") {
    const href = decodeEntities(attribute(attrs, "href") ?? "").trim();
    if (!/^(https?:|tg:|mailto:)/i.test(href)) return "<a>";
    return `<a href="${escapeHtml(href)}" rel="noopener noreferrer" target="_blank">`;
  }
  if (name === "span") {
    return attribute(attrs, "class") === "tg-spoiler" ? '<span class="tg-spoiler">' : null;
  }
  if (name === "tg-spoiler") return '<span class="tg-spoiler">';
  return `<${SIMPLE_TAGS[name]}>`;
}

/**
 * A bot message as safe HTML: with `parse_mode` HTML, only Telegram's tags survive, always well
 * nested; anything else is escaped text.
 *
 * @example
 * ```ts
 * telegramHtml("<b>Hi</b><script>x</script>", "HTML"); // "<b>Hi</b>&lt;script&gt;x&lt;/script&gt;"
 * ```
 */
export function telegramHtml(text: string, parseMode: string | null): string {
  if (parseMode?.toUpperCase() !== "HTML") return escapeHtml(text);
  let out = "";
  const open: string[] = [];
  let last = 0;
  for (const match of text.matchAll(TOKEN)) {
    out += escapeHtml(text.slice(last, match.index));
    last = match.index + match[0].length;
    if (match[2] === undefined) {
      out += match[0]; // A known entity stays as it is.
      continue;
    }
    const name = match[2].toLowerCase();
    const tag = SIMPLE_TAGS[name];
    if (!tag) {
      out += escapeHtml(match[0]);
    } else if (match[1] === "/") {
      if (open.lastIndexOf(tag) < 0) continue;
      // Close everything opened after it, so the result is always well nested.
      while (open.length > 0) {
        const top = open.pop()!;
        out += `</${top}>`;
        if (top === tag) break;
      }
    } else {
      const html = openTag(name, match[3]);
      if (html) {
        out += html;
        open.push(tag);
      }
    }
  }
  out += escapeHtml(text.slice(last));
  while (open.length > 0) out += `</${open.pop()}>`;
  return out;
}
