/**
 * `deno task chat`: talk to the bot in the terminal, no Telegram and no token. The real bot runs
 * in local mode (docs/ARCHITECTURE.md) on the configured KV; replies are shown as plain text, and inline
 * buttons are numbered: type the number to press one.
 *
 * @module
 */
import { TextLineStream } from "./lines.ts";
import { loadConfig } from "../config.ts";
import { htmlToPlain } from "../bot/html.ts";
import { type LocalEvent, type LocalMessage } from "../bot/transport/local.ts";
import { composeApp } from "../compose.ts";
import { configureLogging } from "../log.ts";

const encoder = new TextEncoder();

function write(text: string): void {
  Deno.stdout.writeSync(encoder.encode(text));
}

/** Buttons of the latest messages, numbered from 1 in the order shown. */
type Buttons = { messageId: number; data: string }[];

function show(message: LocalMessage, edited: boolean, buttons: Buttons): void {
  const prefix = edited ? "bot (edited)" : "bot";
  write(`\n${prefix}> ${htmlToPlain(message.text).replace(/\n/g, "\n     ")}\n`);
  for (const row of message.reply_markup?.inline_keyboard ?? []) {
    const labels = row.flatMap((button) => {
      if (!("callback_data" in button) || !button.callback_data) return [];
      buttons.push({ messageId: message.message_id, data: button.callback_data });
      return [`[${buttons.length}] ${button.text}`];
    });
    if (labels.length > 0) write(`     ${labels.join("  ")}\n`);
  }
}

async function main(): Promise<void> {
  const config = await loadConfig();
  await configureLogging({ level: "error", format: config.logFormat });
  const app = await composeApp({ ...config, botToken: undefined, botMode: "off" });
  await app.start();
  const lang = config.defaultLanguage;
  const user = await app.localClient.newUser(Deno.env.get("USER") ?? "Local", lang);
  let buttons: Buttons = [];
  app.local.subscribe(user.id, (event: LocalEvent) => {
    if (event.kind === "message" || event.kind === "edit") {
      if (event.kind === "message") buttons = [];
      show(event.message, event.kind === "edit", buttons);
    } else if (event.kind === "callback_answer" && event.text) {
      write(`     (${event.text})\n`);
    }
  });
  write(
    "RVX Bot, local chat. Type a message (try /start), a number to press a button, /quit to leave.\n",
  );
  const interactive = Deno.stdin.isTerminal();
  if (interactive) write("you> ");
  for await (
    const line of Deno.stdin.readable.pipeThrough(new TextDecoderStream()).pipeThrough(
      new TextLineStream(),
    )
  ) {
    const text = line.trim();
    if (text === "/quit") break;
    if (text) {
      const pressed = /^\d+$/.test(text) ? buttons[Number(text) - 1] : undefined;
      if (pressed) await app.localClient.press(user, pressed.messageId, pressed.data);
      else await app.localClient.sendText(user, text);
      await app.supervisor.whenIdle();
    }
    if (interactive) write("you> ");
  }
  await app.supervisor.whenIdle();
  await app.jobs.runPending();
  await app.stop();
}

if (import.meta.main) await main();
