/**
 * Simulated Telegram traffic for the system tests: a {@linkcode Courier} that posts updates to
 * the running bot's webhook over a bounded number of connections and, like Telegram, keeps
 * redelivering an update until it gets a 200 (across a kill and restart), and a
 * {@linkcode ChatUser} that reads the chat as the fake Bot API shows it (the bot's messages and
 * their inline keyboards, edits applied) and presses the buttons a person would press.
 *
 * @module
 */
import { type Message, type Update } from "grammy/types";
import { type FakeBotApi } from "../support/fake_bot_api.ts";
import { type BotProcess, SECRET } from "./support.ts";

/** Posts one body to a webhook with the secret; 0 when no answer came (refused, reset, timeout). */
export async function post(url: string, body: unknown, timeoutMs = 30_000): Promise<number> {
  try {
    const res = await fetch(url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-telegram-bot-api-secret-token": SECRET,
      },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    await res.body?.cancel();
    return res.status;
  } catch {
    return 0;
  }
}

/** At most `n` holders at a time, served in arrival order. */
export class Semaphore {
  #free: number;
  #waiting: (() => void)[] = [];

  constructor(n: number) {
    this.#free = n;
  }

  async acquire(): Promise<void> {
    if (this.#free > 0) {
      this.#free--;
      return;
    }
    await new Promise<void>((resolve) => this.#waiting.push(resolve));
  }

  release(): void {
    const next = this.#waiting.shift();
    if (next) next();
    else this.#free++;
  }
}

/** What happened to one update, as Telegram would know it. */
export interface Delivery {
  update: Update;
  /** Every HTTP status it got, in order (0: no answer). */
  statuses: number[];
  /** Got a 200 from the first process (before the kill). */
  ackedBeforeKill: boolean;
}

/**
 * Telegram's side of the webhook: posts each update until it is answered 200. While the bot is
 * down (between {@linkcode Courier.down} and {@linkcode Courier.up}) deliveries wait; an update
 * that got no answer from a bot being killed is delivered again once the new one is up.
 */
export class Courier {
  readonly deliveries = new Map<number, Delivery>();
  /** Answers other than 200 from a live bot, and failures to reach a live bot. */
  readonly problems: string[] = [];
  /** 200 answers so far. */
  answered = 0;
  /** Called after each 200. */
  onAnswered: (answered: number) => void = () => {};

  #bot: BotProcess | null;
  #gate: Promise<void> = Promise.resolve();
  #open: () => void = () => {};
  #killed = false;
  #connections: Semaphore;

  constructor(bot: BotProcess, connections: number) {
    this.#bot = bot;
    this.#connections = new Semaphore(connections);
  }

  /** True once {@linkcode Courier.down} was called (the first process is being killed). */
  get killed(): boolean {
    return this.#killed;
  }

  /** Marks the bot as going away: new deliveries wait until {@linkcode Courier.up}. */
  down(): void {
    if (this.#bot === null) return;
    this.#bot = null;
    this.#killed = true;
    this.#gate = new Promise((resolve) => this.#open = resolve);
  }

  /** The new process is up: waiting deliveries go to it. */
  up(bot: BotProcess): void {
    this.#bot = bot;
    this.#open();
  }

  /** Delivers until a 200; resolves then. Records every status. */
  async deliver(update: Update): Promise<void> {
    let delivery = this.deliveries.get(update.update_id);
    if (!delivery) {
      delivery = { update, statuses: [], ackedBeforeKill: false };
      this.deliveries.set(update.update_id, delivery);
    }
    for (let attempt = 1;; attempt++) {
      while (this.#bot === null) await this.#gate;
      const bot = this.#bot;
      await this.#connections.acquire();
      let status: number;
      try {
        status = await post(bot.hook, update);
      } finally {
        this.#connections.release();
      }
      delivery.statuses.push(status);
      if (status === 200) {
        if (!this.#killed) delivery.ackedBeforeKill = true;
        this.answered++;
        this.onAnswered(this.answered);
        return;
      }
      // No answer from a process being killed: Telegram tries again later.
      if (status === 0 && this.#bot !== bot) continue;
      this.problems.push(`update ${update.update_id} → ${status} (attempt ${attempt})`);
      if (attempt >= 5) throw new Error(`update ${update.update_id} never got a 200`);
      await new Promise((r) => setTimeout(r, 200 * attempt));
    }
  }
}

/** The callback data of every inline button of a message. */
export function buttonData(message: Message): string[] {
  const markup = (message as Message.TextMessage).reply_markup;
  return (markup?.inline_keyboard ?? []).flat().flatMap((b) =>
    "callback_data" in b && typeof b.callback_data === "string" ? [b.callback_data] : []
  );
}

/** One user in a private chat with the bot. */
export class ChatUser {
  constructor(
    readonly fake: FakeBotApi,
    readonly courier: Courier,
    readonly userId: number,
    readonly waitMs = 180_000,
  ) {}

  /** Sends a text (or `/command`) and returns once Telegram got its 200. */
  async send(text: string): Promise<Update> {
    const update = this.fake.textUpdate({ userId: this.userId, text });
    await this.courier.deliver(update);
    return update;
  }

  /**
   * Presses a button of one of the bot's messages and returns its `answerCallbackQuery` (the
   * toast text, `""` for none) once the bot answered it.
   */
  async press(message: Message, data: string): Promise<string> {
    const update = this.fake.callbackUpdate({
      userId: this.userId,
      data,
      messageId: message.message_id,
    });
    const id = update.callback_query!.id;
    const answered = this.fake.waitFor(
      (c) =>
        c.method === "answerCallbackQuery" && c.params.callback_query_id === id &&
        c.response?.ok === true,
      { timeoutMs: this.waitMs },
    );
    answered.catch(() => {}); // Awaited below; keeps an early rejection from going unhandled.
    await this.courier.deliver(update);
    const call = await answered.catch((err) => {
      throw new Error(`user ${this.userId}: press "${data}" was not answered: ${err.message}`);
    });
    return typeof call.params.text === "string" ? call.params.text : "";
  }

  /** The bot's messages in this chat as they stand now (edits applied), oldest first. */
  botMessages(): Message[] {
    return this.fake.messages(this.userId).filter((m) => m.from?.is_bot === true);
  }

  /**
   * Waits for the newest bot message (as it stands now) that matches; re-checks whenever the bot
   * sends or edits something in this chat.
   */
  async waitMessage(what: string, match: (m: Message) => boolean): Promise<Message> {
    const deadline = Date.now() + this.waitMs;
    const chatId = this.userId;
    while (true) {
      // Registered before looking, so a message that lands after the look wakes us.
      const changed = this.fake.waitFor(
        (c) =>
          (c.method === "sendMessage" || c.method === "editMessageText") &&
          Number(c.params.chat_id) === chatId,
        { timeoutMs: 1000 },
      ).catch(() => undefined);
      const found = this.botMessages().findLast(match);
      if (found) return found;
      if (Date.now() > deadline) {
        throw new Error(`user ${chatId}: no ${what} after ${this.waitMs} ms`);
      }
      await changed;
    }
  }
}
