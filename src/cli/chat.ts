/**
 * `deno task chat`: talk to the bot in the terminal, no Telegram and no token. The real bot runs
 * in local mode (docs/ARCHITECTURE.md) on the configured KV; replies are shown as plain text, and inline
 * buttons are numbered: type the number to press one. Numbers are not reused within a session, so
 * a button keeps its number when later messages arrive (a lesson's [10] stays "Take the quiz" after
 * the badge message that follows it).
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

/** A button as shown, and what pressing it sends. */
interface ShownButton {
  messageId: number;
  label: string;
  data: string;
}

/**
 * Every button shown in this session, numbered from 1 in the order first shown. A button an edit
 * leaves as it was (same message, label and action) keeps its number; any other gets the next.
 */
class ButtonNumbers {
  #shown: ShownButton[] = [];
  #numbers = new Map<string, number>();

  numberOf(button: ShownButton): number {
    const key = JSON.stringify([button.messageId, button.label, button.data]);
    let number = this.#numbers.get(key);
    if (number === undefined) {
      number = this.#shown.push(button);
      this.#numbers.set(key, number);
    }
    return number;
  }

  /** The button typed as a number, if there is one. */
  pressed(text: string): ShownButton | undefined {
    return /^\d+$/.test(text) ? this.#shown[Number(text) - 1] : undefined;
  }
}

function show(message: LocalMessage, edited: boolean, buttons: ButtonNumbers): void {
  const prefix = edited ? "bot (edited)" : "bot";
  write(`\n${prefix}> ${htmlToPlain(message.text).replace(/\n/g, "\n     ")}\n`);
  for (const row of message.reply_markup?.inline_keyboard ?? []) {
    const labels = row.flatMap((button) => {
      if (!("callback_data" in button) || !button.callback_data) return [];
      const number = buttons.numberOf({
        messageId: message.message_id,
        label: button.text,
        data: button.callback_data,
      });
      return [`[${number}] ${button.text}`];
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
  const buttons = new ButtonNumbers();
  app.local.subscribe(user.id, (event: LocalEvent) => {
    if (event.kind === "message" || event.kind === "edit") {
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
      const pressed = buttons.pressed(text);
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
