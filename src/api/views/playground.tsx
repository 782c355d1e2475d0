/**
 * The `/playground` page: a chat with the bot in local mode. The page is static markup plus its
 * script (`/assets/playground.js`, checked and linted like the rest: `src/api/views/browser/`);
 * messages come from `/playground/messages` as JSON, their HTML already reduced to Telegram's
 * safe subset on the server.
 *
 * @module
 */
import { type InlineKeyboardMarkup } from "grammy/types";
import { type LocalMessage } from "../../bot/transport/local.ts";
import { type Markup, Page, type PagePolicy } from "./page.tsx";
import { telegramHtml } from "./telegram_html.ts";

/** What the page may do: its own script, calls to its own routes, the sign-out form. */
export const PLAYGROUND_POLICY: PagePolicy = { script: true, connect: true, forms: true };

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
html,body{height:100%}
body{background:#dfe6ee;display:flex;flex-direction:column}
.top .who{font-size:12px;color:#d5dce8}
main{flex:1;display:flex;flex-direction:column;min-height:0}
#log{flex:1;overflow-y:auto;padding:.8rem;display:flex;flex-direction:column;gap:.5rem}
.msg{max-width:min(36rem,92%);padding:.45rem .7rem;border-radius:10px;background:#fff;white-space:pre-wrap;word-wrap:break-word;box-shadow:0 1px 1px rgba(0,0,0,.08)}
.msg.user{align-self:flex-end;background:#d9f2c9}
.msg.bot{align-self:flex-start}
.msg .meta{font-size:11px;color:#4f586a;text-align:right;margin-top:.15rem}
.msg pre{background:#f0f3f7;padding:.4rem;border-radius:6px;overflow-x:auto;white-space:pre-wrap}
.msg code{background:#f0f3f7;border-radius:3px;padding:0 2px}
.msg blockquote{margin:.2rem 0;padding-left:.6rem;border-left:3px solid #6a9ad8}
.tg-spoiler{background:#c5ccd6;color:transparent;border-radius:3px}.tg-spoiler:hover{color:inherit;background:none}
.kb{display:flex;flex-direction:column;gap:.25rem;margin-top:.4rem}
.kb .row{display:flex;gap:.25rem}
.kb button,.kb a{flex:1;font:inherit;font-size:14px;padding:.35rem .4rem;border:0;border-radius:6px;background:#e8eef6;color:#1f4f8f;cursor:pointer;text-align:center;text-decoration:none;white-space:normal}
.kb button:hover{background:#d6e2f2}.kb button:disabled{opacity:.6;cursor:wait}
.empty{color:#3f4859;text-align:center;margin:auto;max-width:26rem}
#toast{position:fixed;left:50%;top:3.5rem;transform:translateX(-50%);background:#14181e;color:#fff;padding:.4rem .8rem;border-radius:8px;font-size:14px;max-width:90%}
#status{font-size:12px;color:#3f4859;padding:0 .9rem;min-height:1.2em}
form{display:flex;gap:.4rem;padding:.5rem .8rem .8rem;background:#dfe6ee}
textarea{flex:1;font:inherit;padding:.5rem;border-radius:8px;border:1px solid #6f788a;resize:vertical;min-height:2.6rem;max-height:12rem}
form button{font:inherit;padding:.5rem 1rem;border-radius:8px;border:0;background:#2a5fb8;color:#fff;cursor:pointer}
@media (prefers-color-scheme:dark){body,form{background:#101317}.msg{background:#1f252e}.msg.user{background:#24462f}
.msg .meta{color:#aab3c2}.empty,#status{color:#c3cad6}
.msg pre,.msg code{background:#14181e}.kb button,.kb a{background:#263142;color:#b7d1f7}textarea{background:#181c22;color:#e3e7ee;border-color:#8a94a6}}
`;

/**
 * The page for a local user.
 *
 * @example
 * ```ts
 * return sendPage(c, PlaygroundPage({ userId: 8_000_000_000_000_001 }), PLAYGROUND_POLICY);
 * ```
 */
export function PlaygroundPage(props: { userId: number }): Markup {
  return (
    <Page
      title="RVX playground"
      heading="RVX playground"
      style={STYLE}
      script="playground.js"
      current="/playground"
      tools={
        <>
          <span class="who">
            local user <code id="user">{props.userId}</code>
          </span>
          <button type="button" id="new-user" title="Start over as a new local user">
            New user
          </button>
        </>
      }
    >
      <div id="log" role="log" aria-label="Chat with the bot" tabindex={0}>
        <p class="empty" id="empty">
          This chat talks to the real bot in local mode, as a test user of its own. Send{" "}
          <code>/start</code>, a crypto news text, or a question.
        </p>
      </div>
      <div id="status" role="status"></div>
      <div id="toast" role="status" hidden></div>
      <form id="composer" autocomplete="off">
        <label class="visually-hidden" for="text">Message</label>
        <textarea
          id="text"
          name="text"
          rows={2}
          maxlength={4096}
          placeholder="Message (Enter sends, Shift+Enter for a new line)"
          required
        >
        </textarea>
        <button type="submit" id="send">Send</button>
      </form>
    </Page>
  );
}
