/**
 * The `/playground` page: a chat with the bot in local mode. The page is static HTML plus one
 * script (`/playground/app.js`, same origin, so the CSP allows no inline script); messages come
 * from `/playground/messages` as JSON with their HTML already reduced to Telegram's safe subset
 * here, on the server.
 *
 * @module
 */
import { type InlineKeyboardMarkup } from "grammy/types";
import { type LocalMessage } from "../../bot/transport/local.ts";
import { escapeHtml } from "./dashboard.ts";

/** The page's CSP: its own script and styles, requests to itself only. */
export const PLAYGROUND_CSP =
  "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; connect-src 'self'; img-src data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

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
};

const ENTITY = /^&(?:amp|lt|gt|quot|apos|#\d{1,7}|#x[0-9a-f]{1,6});/i;

function attribute(attrs: string, name: string): string | null {
  const match = new RegExp(`\\b${name}\\s*=\\s*("([^"]*)"|'([^']*)'|([^\\s>]+))`, "i").exec(attrs);
  return match ? (match[2] ?? match[3] ?? match[4] ?? "") : null;
}

function decodeEntities(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-f]+);/gi, (_, e: string) => {
    const named: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };
    if (named[e.toLowerCase()]) return named[e.toLowerCase()];
    const code = e[1] === "x" || e[1] === "X" ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
    return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : "";
  });
}

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
  const tag = SIMPLE_TAGS[name];
  return tag ? `<${tag}>` : null;
}

/**
 * A bot message as safe HTML: with `parse_mode` HTML, only Telegram's tags survive (without
 * attributes, except a checked `href`); anything else is escaped text.
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
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch === "<") {
      const match = /^<(\/?)([a-z][a-z0-9-]*)([^<>]*)>/i.exec(text.slice(i, i + 2048));
      if (match) {
        const closing = match[1] === "/";
        const name = match[2].toLowerCase();
        const html = closing ? null : openTag(name, match[3]);
        const tag = name === "a"
          ? "a"
          : name === "span" || name === "tg-spoiler"
          ? "span"
          : SIMPLE_TAGS[name];
        if (closing && tag && open.lastIndexOf(tag) >= 0) {
          // Close everything opened after it, so the result is always well nested.
          while (open.length > 0) {
            const top = open.pop()!;
            out += `</${top}>`;
            if (top === tag) break;
          }
        } else if (!closing && html) {
          out += html;
          open.push(tag!);
        } else if (!tag) {
          out += escapeHtml(match[0]);
        }
        i += match[0].length;
        continue;
      }
      out += "&lt;";
    } else if (ch === "&") {
      const entity = ENTITY.exec(text.slice(i, i + 12));
      if (entity) {
        out += entity[0];
        i += entity[0].length;
        continue;
      }
      out += "&amp;";
    } else if (ch === ">") {
      out += "&gt;";
    } else if (ch === '"') {
      out += "&quot;";
    } else {
      out += ch;
    }
    i++;
  }
  while (open.length > 0) out += `</${open.pop()}>`;
  return out;
}

/** A button as the page shows it. */
export interface PlaygroundButton {
  text: string;
  /** Pressing sends this callback data. */
  data: string | null;
  /** Opens this address instead. */
  url: string | null;
}

/** A message as `/playground/messages` returns it. */
export interface PlaygroundMessage {
  message_id: number;
  from_bot: boolean;
  /** Safe HTML (see {@linkcode telegramHtml}). */
  html: string;
  /** The text with tags as sent (for tests and copying). */
  text: string;
  keyboard: PlaygroundButton[][];
  date: number;
  edited: boolean;
  /** The change count when the message last changed. */
  rev: number;
}

function keyboardOf(markup: InlineKeyboardMarkup | null): PlaygroundButton[][] {
  return (markup?.inline_keyboard ?? []).map((row) =>
    row.map((button) => ({
      text: button.text,
      data: "callback_data" in button ? button.callback_data ?? null : null,
      url: "url" in button && /^(https?:|tg:)/i.test(button.url ?? "") ? button.url! : null,
    }))
  );
}

/**
 * A local message as the page receives it.
 *
 * @example
 * ```ts
 * local.messages(chatId).map((m) => playgroundMessage(m, revs.get(m.message_id) ?? 0));
 * ```
 */
export function playgroundMessage(message: LocalMessage, rev: number): PlaygroundMessage {
  return {
    message_id: message.message_id,
    from_bot: message.from_bot,
    html: telegramHtml(message.text, message.from_bot ? message.parse_mode : null),
    text: message.text,
    keyboard: keyboardOf(message.reply_markup),
    date: message.date,
    edited: message.edited,
    rev,
  };
}

const STYLE = `
*{box-sizing:border-box}
html,body{height:100%}
body{margin:0;font:15px/1.45 system-ui,sans-serif;color:#1d2330;background:#dfe6ee;display:flex;flex-direction:column}
header{display:flex;flex-wrap:wrap;gap:.4rem 1rem;align-items:center;padding:.5rem .9rem;background:#1d2330;color:#fff}
header h1{font-size:1.1rem;margin:0}header a{color:#cfe0ff}header .who{font-size:12px;color:#b9c3d3}
header button{font:inherit;font-size:13px;padding:.15rem .6rem;border-radius:6px;border:1px solid #5a6477;background:#2a3242;color:#fff;cursor:pointer}
#log{flex:1;overflow-y:auto;padding:.8rem;display:flex;flex-direction:column;gap:.5rem}
.msg{max-width:min(36rem,92%);padding:.45rem .7rem;border-radius:10px;background:#fff;white-space:pre-wrap;word-wrap:break-word;box-shadow:0 1px 1px rgba(0,0,0,.08)}
.msg.user{align-self:flex-end;background:#d9f2c9}
.msg.bot{align-self:flex-start}
.msg .meta{font-size:11px;color:#7a8496;text-align:right;margin-top:.15rem}
.msg pre{background:#f0f3f7;padding:.4rem;border-radius:6px;overflow-x:auto;white-space:pre-wrap}
.msg code{font:13px ui-monospace,monospace;background:#f0f3f7;border-radius:3px;padding:0 2px}
.msg blockquote{margin:.2rem 0;padding-left:.6rem;border-left:3px solid #6a9ad8}
.tg-spoiler{background:#c5ccd6;color:transparent;border-radius:3px}.tg-spoiler:hover{color:inherit;background:none}
.kb{display:flex;flex-direction:column;gap:.25rem;margin-top:.4rem}
.kb .row{display:flex;gap:.25rem}
.kb button,.kb a{flex:1;font:inherit;font-size:14px;padding:.35rem .4rem;border:0;border-radius:6px;background:#e8eef6;color:#23569b;cursor:pointer;text-align:center;text-decoration:none;white-space:normal}
.kb button:hover{background:#d6e2f2}.kb button:disabled{opacity:.5;cursor:wait}
.empty{color:#5b6578;text-align:center;margin:auto;max-width:26rem}
#toast{position:fixed;left:50%;top:3.5rem;transform:translateX(-50%);background:rgba(20,24,30,.88);color:#fff;padding:.4rem .8rem;border-radius:8px;font-size:14px;display:none;max-width:90%}
#status{font-size:12px;color:#5b6578;padding:0 .9rem;min-height:1.2em}
form{display:flex;gap:.4rem;padding:.5rem .8rem .8rem;background:#dfe6ee}
textarea{flex:1;font:inherit;padding:.5rem;border-radius:8px;border:1px solid #b9c3d3;resize:vertical;min-height:2.6rem;max-height:12rem}
form button{font:inherit;padding:.5rem 1rem;border-radius:8px;border:0;background:#2f6fd0;color:#fff;cursor:pointer}
@media (prefers-color-scheme:dark){body,form{background:#101317;color:#e3e7ee}.msg{background:#1f252e}.msg.user{background:#24462f}
.msg pre,.msg code{background:#14181e}.kb button,.kb a{background:#263142;color:#a9c8f5}textarea{background:#181c22;color:#e3e7ee;border-color:#2c333d}}
`;

/**
 * Renders the page for a local user.
 *
 * @example
 * ```ts
 * c.header("Content-Security-Policy", PLAYGROUND_CSP);
 * return c.html(renderPlayground({ userId: 8_000_000_000_000_001 }));
 * ```
 */
export function renderPlayground(options: { userId: number }): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>RVX playground</title>
<link rel="icon" href="data:,">
<style>${STYLE}</style>
<script src="/playground/app.js" defer></script>
</head>
<body>
<header><h1>RVX playground</h1><span class="who">local user <code id="user">${options.userId}</code></span>
<button type="button" id="new-user" title="Start over as a new local user">New user</button>
<a href="/dashboard">Dashboard</a></header>
<div id="log" aria-live="polite"><p class="empty" id="empty">This chat talks to the real bot in local mode, as a test user of its own. Send <code>/start</code>, a crypto news text, or a question.</p></div>
<div id="status"></div>
<div id="toast" role="status"></div>
<form id="composer" autocomplete="off">
<textarea id="text" name="text" rows="2" maxlength="4096" placeholder="Message (Enter sends, Shift+Enter for a new line)" required></textarea>
<button type="submit" id="send">Send</button>
</form>
</body>
</html>
`;
}

/** The page's script (served as `/playground/app.js`). */
export const PLAYGROUND_SCRIPT = `"use strict";
(() => {
  const log = document.getElementById("log");
  const form = document.getElementById("composer");
  const input = document.getElementById("text");
  const status = document.getElementById("status");
  const toast = document.getElementById("toast");
  const shown = new Map();
  let rev = 0;
  let noticeRev = 0;
  let polling = false;
  let toastTimer = 0;
  let epoch = 0;
  let controller = new AbortController();

  function showToast(text) {
    toast.textContent = text;
    toast.style.display = "block";
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => { toast.style.display = "none"; }, 3000);
  }

  async function call(path, body, signal) {
    const res = await fetch(path, {
      signal,
      method: body ? "POST" : "GET",
      headers: body ? { "Content-Type": "application/json" } : {},
      body: body ? JSON.stringify(body) : undefined,
      credentials: "same-origin",
    });
    const json = await res.json().catch(() => null);
    if (!res.ok || !json || !json.success) {
      throw new Error((json && json.error) || ("HTTP " + res.status));
    }
    return json.data;
  }

  function render(m) {
    const el = document.createElement("div");
    el.className = "msg " + (m.from_bot ? "bot" : "user");
    el.dataset.id = String(m.message_id);
    el.dataset.rev = String(m.rev);
    const body = document.createElement("div");
    body.className = "body";
    body.innerHTML = m.html;
    el.appendChild(body);
    if (m.keyboard.length > 0) {
      const kb = document.createElement("div");
      kb.className = "kb";
      for (const row of m.keyboard) {
        const r = document.createElement("div");
        r.className = "row";
        for (const b of row) {
          let node;
          if (b.data !== null) {
            node = document.createElement("button");
            node.type = "button";
            node.addEventListener("click", () => press(m.message_id, b.data, node));
          } else if (b.url !== null) {
            node = document.createElement("a");
            node.href = b.url;
            node.target = "_blank";
            node.rel = "noopener noreferrer";
          } else {
            node = document.createElement("button");
            node.disabled = true;
          }
          node.textContent = b.text;
          r.appendChild(node);
        }
        kb.appendChild(r);
      }
      el.appendChild(kb);
    }
    const meta = document.createElement("div");
    meta.className = "meta";
    meta.textContent = new Date(m.date * 1000).toLocaleTimeString() + (m.edited ? " · edited" : "");
    el.appendChild(meta);
    return el;
  }

  function apply(data) {
    const atBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 60;
    const seen = new Set();
    let previous = null;
    for (const m of data.messages) {
      seen.add(m.message_id);
      const old = shown.get(m.message_id);
      let el = old;
      if (!old || old.dataset.rev !== String(m.rev)) {
        el = render(m);
        if (old) old.replaceWith(el); else if (previous) previous.after(el); else log.prepend(el);
        shown.set(m.message_id, el);
      }
      previous = el;
    }
    for (const [id, el] of shown) {
      if (!seen.has(id)) { el.remove(); shown.delete(id); }
    }
    const empty = document.getElementById("empty");
    if (empty) empty.style.display = shown.size > 0 ? "none" : "";
    for (const n of data.notices) {
      if (n.rev > noticeRev && n.text) showToast(n.text);
    }
    if (data.notices.length > 0) noticeRev = Math.max(noticeRev, ...data.notices.map((n) => n.rev));
    rev = data.rev;
    if (atBottom) log.scrollTop = log.scrollHeight;
  }

  async function poll() {
    if (polling) return;
    polling = true;
    for (;;) {
      const mine = epoch;
      try {
        const data = await call(
          "/playground/messages?since=" + rev + "&wait=20000",
          null,
          controller.signal,
        );
        if (mine !== epoch) continue;
        apply(data);
        status.textContent = data.pending > 0 ? "The bot is answering…" : "";
      } catch (err) {
        if (mine !== epoch) continue;
        status.textContent = "Connection problem: " + err.message + " (retrying)";
        await new Promise((r) => setTimeout(r, 2000));
      }
    }
  }

  async function press(messageId, data, node) {
    node.disabled = true;
    try {
      await call("/playground/press", { message_id: messageId, data });
      status.textContent = "The bot is answering…";
    } catch (err) {
      showToast(err.message);
    } finally {
      node.disabled = false;
    }
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    input.value = "";
    try {
      await call("/playground/send", { text });
      status.textContent = "The bot is answering…";
    } catch (err) {
      input.value = text;
      showToast(err.message);
    }
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  document.getElementById("new-user").addEventListener("click", async () => {
    const data = await call("/playground/user", {});
    epoch++;
    controller.abort();
    controller = new AbortController();
    document.getElementById("user").textContent = String(data.user_id);
    for (const el of shown.values()) el.remove();
    shown.clear();
    rev = 0;
    noticeRev = 0;
  });
  poll();
})();
`;
