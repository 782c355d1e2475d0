/**
 * A fake Telegram Bot API server on 127.0.0.1 (Hono on `Deno.serve`) for end-to-end and system
 * tests. grammY talks to it over real HTTP when the bot is created with
 * `new Bot(token, { client: { apiRoot: fake.url } })`.
 *
 * It answers in the Bot API's shape with Telegram-shaped results (per-chat message ids, edits in
 * place, Telegram's error texts), queues updates for long polling, records every call, keeps
 * per-chat transcripts, injects faults (429, 500, 403, delays, hangs) and can play Telegram's side
 * of a webhook. See https://core.telegram.org/bots/api for the behaviour it imitates.
 *
 * @module
 */
import { Hono } from "hono";
import {
  type BotCommand,
  type Chat,
  type InlineKeyboardMarkup,
  type Message,
  type MessageEntity,
  type Update,
  type User,
  type UserFromGetMe,
} from "grammy/types";

// === Public types

/** Options for {@linkcode startFakeBotApi}. */
export interface FakeBotApiOptions {
  /**
   * The only token the server accepts; its digits before `:` are the bot's id.
   * @default "123456789:FAKE-bot-token_for-tests"
   */
  token?: string;
  /** The bot's username in `getMe` and in `from` of its messages. @default "rvx_test_bot" */
  username?: string;
  /** The bot's first name. @default "RVX Test Bot" */
  firstName?: string;
  /**
   * The longest a `getUpdates` call really waits, whatever its `timeout` asks for, so polling
   * tests stay fast. @default 1000
   */
  maxPollWaitMs?: number;
  /** Seed of the random source behind share-based faults, so runs repeat. @default 1 */
  seed?: number;
  /** The first automatic `update_id`. @default 1 */
  firstUpdateId?: number;
  /** Milliseconds since the epoch, for message dates and call times. @default Date.now */
  now?: () => number;
}

/** A Bot API answer as it goes over the wire. */
export type BotApiResponse =
  | { ok: true; result: unknown; description?: string }
  | {
    ok: false;
    error_code: number;
    description: string;
    parameters?: { retry_after?: number; migrate_to_chat_id?: number };
  };

/** One call as the server saw it. */
export interface RecordedCall {
  /** The Bot API method, e.g. `"sendMessage"`. */
  method: string;
  /** Query, JSON, form or multipart parameters, parsed; uploads become `UploadedFile`s. */
  params: Record<string, unknown>;
  /** When it arrived (ms since the epoch, from the `now` option). */
  time: number;
  /** The answer; absent while the call is held and when its connection was dropped. */
  response?: BotApiResponse;
}

/** An uploaded file as recorded in {@linkcode RecordedCall.params}. */
export interface UploadedFile {
  file_name: string;
  mime_type: string;
  file_size: number;
}

/** Which calls a fault applies to, and how often. */
export interface FaultScope {
  /** Method name(s) it applies to; every method when absent. */
  method?: string | string[];
  /** Applies to the next N matching calls only (with `share`: at most N times). */
  times?: number;
  /** Applies to this share (0–1) of matching calls, drawn from the seeded random source. */
  share?: number;
}

/** Fault injection, reached through {@linkcode FakeBotApi.faults}. */
export interface FakeBotApiFaults {
  /** Answers 429 `Too Many Requests: retry after N` with `parameters.retry_after` (default 1 s). */
  rateLimit(options?: FaultScope & { retryAfter?: number }): void;
  /** Answers 500 `Internal Server Error`. */
  serverError(options?: FaultScope): void;
  /** Waits `ms` before handling the call (a closing server or a leaving client ends the wait). */
  delay(ms: number, options?: FaultScope): void;
  /** Never answers; the connection drops when the server closes. */
  hang(options?: FaultScope): void;
  /** Drops the connection at once, unanswered and unhandled (the client sees a network error). */
  disconnect(options?: FaultScope): void;
  /** Answers 403 (`bot was blocked by the user`; kicked, for groups) to these `chat_id`s. */
  block(...chatIds: (number | string)[]): void;
  /** Lifts {@linkcode FakeBotApiFaults.block}. */
  unblock(...chatIds: (number | string)[]): void;
  /** Removes every fault, blocks included. */
  clear(): void;
}

/** Who sends a built update. */
export interface UpdateSenderOptions {
  /** The sending user's id; also the chat id unless `chatId` is given. */
  userId: number;
  /** The user's client language. @default "en" */
  languageCode?: string;
  /** The chat it happens in; negative ids are groups (≤ -10^12: supergroups). @default userId */
  chatId?: number;
  /** @default `User <userId>` */
  firstName?: string;
  username?: string;
  /** An explicit `update_id`, e.g. to redeliver one; automatic ids continue above it. */
  updateId?: number;
}

/** Options for {@linkcode FakeBotApi.textUpdate}. */
export interface TextUpdateOptions extends UpdateSenderOptions {
  text: string;
  /** Makes the message a reply to this message of the chat. */
  replyToMessageId?: number;
}

/** Options for {@linkcode FakeBotApi.commandUpdate}. */
export interface CommandUpdateOptions extends UpdateSenderOptions {
  /** With or without the leading `/`. */
  command: string;
  /** Text after the command, separated by a space. */
  args?: string;
}

/** Options for {@linkcode FakeBotApi.callbackUpdate}. */
export interface CallbackUpdateOptions extends UpdateSenderOptions {
  data: string;
  /** The message whose button was pressed. */
  messageId: number;
}

/** Options for {@linkcode FakeBotApi.channelPostUpdate}. */
export interface ChannelPostUpdateOptions {
  /** The channel's id (negative). */
  chatId: number;
  text: string;
  /** @default `Channel <chatId>` */
  title?: string;
  username?: string;
  updateId?: number;
}

/** The webhook as the bot last set it. */
export interface FakeWebhook {
  url: string;
  secretToken?: string;
  allowedUpdates?: string[];
  maxConnections?: number;
}

/** Options for {@linkcode FakeBotApi.waitFor}. */
export interface WaitForOptions {
  /** Rejects after this long. @default 2000 */
  timeoutMs?: number;
  /** Also matches calls recorded before `waitFor` was called. @default false */
  includePast?: boolean;
}

// === Constants

const DEFAULT_TOKEN = "123456789:FAKE-bot-token_for-tests";
/** Telegram leaves these out unless `allowed_updates` names them. */
const OPT_IN_UPDATE_TYPES = new Set(["chat_member", "message_reaction", "message_reaction_count"]);
const MEDIA_METHODS: Record<string, string> = {
  sendPhoto: "photo",
  sendDocument: "document",
  sendVideo: "video",
  sendAudio: "audio",
  sendVoice: "voice",
  sendAnimation: "animation",
  sendSticker: "sticker",
  sendVideoNote: "video_note",
};
const NUMERIC_PARAMS = new Set(["offset", "limit", "timeout", "max_connections", "cache_time"]);
const TEXT_PARAMS = new Set(["text", "caption", "question", "explanation", "description"]);
const WEBHOOK_CONFLICT =
  "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first";
const POLL_CONFLICT =
  "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running";
const NOT_MODIFIED =
  "Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message";

// === Internal types

type HoldEnd = "elapsed" | "closed" | "update" | "conflict" | "webhook";

interface Hold {
  wake(reason: HoldEnd): void;
}

interface QueuedUpdate {
  update: Update;
  delivered: boolean;
  /** Pushed with an id not above all earlier ones (a redelivery): confirmed once delivered. */
  outOfOrder: boolean;
}

interface ChatState {
  chat: Chat;
  nextMessageId: number;
  messages: Map<number, Message>;
  sent: string[];
}

interface FaultRule {
  kind: "rateLimit" | "serverError" | "disconnect" | "delay" | "hang";
  methods?: Set<string>;
  remaining?: number;
  share?: number;
  retryAfter: number;
  ms: number;
}

interface PickedFault {
  error?: BotApiResponse;
  delayMs: number;
  hang: boolean;
  disconnect: boolean;
}

interface Waiter {
  match: (call: RecordedCall) => boolean;
  resolve: (call: RecordedCall) => void;
  reject: (error: Error) => void;
}

/** Marks a call whose connection is dropped instead of answered. */
const DROP = Symbol("drop");
type Reply = BotApiResponse | typeof DROP;

// === The server

/**
 * Starts a fake Bot API server on a free port of 127.0.0.1. Close it with `await fake.close()` or
 * `await using`.
 *
 * @param options Token, bot identity, poll cap, fault seed and clock.
 * @returns The running fake; `fake.url` is the `apiRoot` for grammY.
 *
 * @example A bot that answers a command over long polling
 * ```ts
 * await using fake = startFakeBotApi();
 * const bot = new Bot(fake.token, { client: { apiRoot: fake.url } });
 * bot.command("start", (ctx) => ctx.reply("Hi"));
 * const running = bot.start();
 * fake.pushUpdate(fake.commandUpdate({ userId: 42, command: "start" }));
 * await fake.waitFor("sendMessage");
 * await bot.stop();
 * await running;
 * ```
 */
export function startFakeBotApi(options: FakeBotApiOptions = {}): FakeBotApi {
  return new FakeBotApi(options);
}

/** The fake server; create it with {@linkcode startFakeBotApi}. */
export class FakeBotApi implements AsyncDisposable {
  /** The `apiRoot` to give grammY (no trailing slash). */
  readonly url: string;
  /** The token the server accepts. */
  readonly token: string;
  /** The bot as `getMe` returns it. */
  readonly me: UserFromGetMe;
  /** Fault injection; faults apply to calls that arrive after they are set. */
  readonly faults: FakeBotApiFaults;

  #server: Deno.HttpServer<Deno.NetAddr>;
  #now: () => number;
  #maxPollWaitMs: number;
  #random: () => number;
  #calls: RecordedCall[] = [];
  #waiters = new Set<Waiter>();
  #holds = new Set<Hold>();
  #poll: Hold | undefined;
  #queue: QueuedUpdate[] = [];
  #highestPushedId = 0;
  #nextUpdateId: number;
  #allowedUpdates: string[] = [];
  #webhook: FakeWebhook | undefined;
  #chats = new Map<string, ChatState>();
  #users = new Map<number, User>();
  #commands = new Map<string, BotCommand[]>();
  #rules: FaultRule[] = [];
  #blocked = new Set<string>();
  #fileCount = 0;
  #callbackCount = 0;
  #deliveries = new Set<AbortController>();
  #closed = false;

  /** Use {@linkcode startFakeBotApi}. */
  constructor(options: FakeBotApiOptions = {}) {
    const token = options.token ?? DEFAULT_TOKEN;
    if (!/^\d+:[\w-]+$/.test(token)) {
      throw new TypeError(
        `Cannot start the fake Bot API: token "${token}" is not "<digits>:<secret>"`,
      );
    }
    this.token = token;
    this.me = {
      id: Number(token.split(":")[0]),
      is_bot: true,
      first_name: options.firstName ?? "RVX Test Bot",
      username: options.username ?? "rvx_test_bot",
      can_join_groups: true,
      can_read_all_group_messages: false,
      supports_inline_queries: false,
      can_connect_to_business: false,
      has_main_web_app: false,
      has_topics_enabled: false,
      allows_users_to_create_topics: false,
      can_manage_bots: false,
      supports_join_request_queries: false,
    };
    this.#now = options.now ?? Date.now;
    this.#maxPollWaitMs = options.maxPollWaitMs ?? 1000;
    this.#random = seededRandom(options.seed ?? 1);
    this.#nextUpdateId = options.firstUpdateId ?? 1;
    this.faults = this.#createFaults();

    const app = new Hono();
    app.on(
      ["GET", "POST"],
      "/:bot/:method",
      (c) => this.#serve(c.req.raw, c.req.param("bot"), c.req.param("method")),
    );
    // grammY's `environment: "test"` puts `/test` between token and method.
    app.on(
      ["GET", "POST"],
      "/:bot/test/:method",
      (c) => this.#serve(c.req.raw, c.req.param("bot"), c.req.param("method")),
    );
    app.notFound(() => json({ ok: false, error_code: 404, description: "Not Found" }));
    this.#server = Deno.serve({
      hostname: "127.0.0.1",
      port: 0,
      onListen() {},
      // A dropped connection surfaces here; it is what the test asked for, so stay quiet.
      onError: () => new Response(null, { status: 500 }),
    }, app.fetch);
    this.url = `http://127.0.0.1:${this.#server.addr.port}`;
  }

  // === Inspecting calls and chats

  /**
   * Every call so far, in arrival order, optionally of one method.
   *
   * @example
   * ```ts
   * assert.equal(fake.calls("answerCallbackQuery").length, 1);
   * ```
   */
  calls(method?: string): RecordedCall[] {
    return method === undefined ? [...this.#calls] : this.#calls.filter((c) => c.method === method);
  }

  /**
   * The chat as a user sees it now: users' messages from the update builders and the bot's
   * messages, in order, edits applied, deleted ones gone. Telegram-shaped copies.
   *
   * @example
   * ```ts
   * const [reply] = fake.messages(42).filter((m) => m.from?.is_bot);
   * ```
   */
  messages(chatId: number | string): Message[] {
    const state = this.#findChat(chatId);
    return state ? structuredClone([...state.messages.values()]) : [];
  }

  /**
   * Texts the bot sent to the chat with `sendMessage`, in order and as sent (edits are in
   * {@linkcode FakeBotApi.messages}).
   */
  sentTexts(chatId: number | string): string[] {
    return [...(this.#findChat(chatId)?.sent ?? [])];
  }

  /** The commands last set with `setMyCommands` for this scope and language (`[]` when none). */
  commands(options: { scope?: { type: string }; languageCode?: string } = {}): BotCommand[] {
    return structuredClone(
      this.#commands.get(commandsKey(options.scope, options.languageCode)) ?? [],
    );
  }

  /** The webhook the bot set, or `undefined` while it polls. */
  get webhook(): FakeWebhook | undefined {
    return this.#webhook && structuredClone(this.#webhook);
  }

  /**
   * Resolves with the first call that matches, once its effect is visible (a sent message is in
   * {@linkcode FakeBotApi.messages}); held calls (long polls, delays, hangs) match on arrival.
   * Rejects after `timeoutMs`, naming the calls seen, or when the server closes.
   *
   * @param match A method name or a predicate over the call.
   * @example
   * ```ts
   * const call = await fake.waitFor((c) => c.method === "sendMessage" && c.params.chat_id === 42);
   * ```
   */
  waitFor(
    match: string | ((call: RecordedCall) => boolean),
    options: WaitForOptions = {},
  ): Promise<RecordedCall> {
    const predicate = typeof match === "string" ? (c: RecordedCall) => c.method === match : match;
    const { timeoutMs = 2000, includePast = false } = options;
    if (includePast) {
      const past = this.#calls.find(predicate);
      if (past) return Promise.resolve(past);
    }
    if (this.#closed) {
      return Promise.reject(new Error("Cannot wait for a call: the fake Bot API is closed"));
    }
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        match: predicate,
        resolve: (call) => {
          finish();
          resolve(call);
        },
        reject: (error) => {
          finish();
          reject(error);
        },
      };
      const timer = setTimeout(() => {
        const seen = this.#calls.slice(-10).map((c) => c.method).join(", ") || "none";
        waiter.reject(
          new Error(
            `Timed out after ${timeoutMs} ms waiting for a matching Bot API call: last calls were ${seen}`,
          ),
        );
      }, timeoutMs);
      const finish = () => {
        clearTimeout(timer);
        this.#waiters.delete(waiter);
      };
      this.#waiters.add(waiter);
    });
  }

  /**
   * Forgets calls, chats, queued updates, the webhook, commands and faults. Id counters keep
   * counting, so a bot that already confirmed updates still sees new ones.
   */
  reset(): void {
    this.#calls = [];
    this.#chats.clear();
    this.#users.clear();
    this.#queue = [];
    this.#webhook = undefined;
    this.#allowedUpdates = [];
    this.#commands.clear();
    this.faults.clear();
  }

  // === Updates

  /**
   * Queues an update for `getUpdates` and wakes a waiting long poll. Without `update_id` the next
   * automatic id is used. Re-pushing an id at or below one pushed before (a redelivery) is
   * delivered once whatever the bot's offset, since Telegram would never have confirmed it.
   * While a webhook is set, queued updates only count in `pending_update_count`; post them to the
   * bot with {@linkcode FakeBotApi.deliverWebhook}.
   *
   * @returns The queued update, with its id.
   * @example
   * ```ts
   * const update = fake.pushUpdate(fake.textUpdate({ userId: 42, text: "hello" }));
   * fake.pushUpdate(update); // redelivered
   * ```
   */
  pushUpdate(update: Update | Omit<Update, "update_id">): Update {
    const full: Update = "update_id" in update && typeof update.update_id === "number"
      ? update as Update
      : { ...update, update_id: this.#takeUpdateId() };
    this.#nextUpdateId = Math.max(this.#nextUpdateId, full.update_id + 1);
    const outOfOrder = full.update_id <= this.#highestPushedId;
    this.#highestPushedId = Math.max(this.#highestPushedId, full.update_id);
    this.#queue.push({ update: full, delivered: false, outOfOrder });
    this.#poll?.wake("update");
    return full;
  }

  /**
   * Builds a `message` update with a text from a user (bot commands in it get `bot_command`
   * entities, as Telegram adds them). The message joins the chat transcript now. Not queued: pass
   * it to {@linkcode FakeBotApi.pushUpdate} or {@linkcode FakeBotApi.deliverWebhook}.
   *
   * @example
   * ```ts
   * fake.pushUpdate(fake.textUpdate({ userId: 42, text: "BTC ETF approved", languageCode: "ru" }));
   * ```
   */
  textUpdate(options: TextUpdateOptions): Update {
    const from = this.#user(options);
    const state = this.#chatState(options.chatId ?? options.userId);
    const entities = commandEntities(options.text);
    const replyTo = options.replyToMessageId === undefined
      ? undefined
      : state.messages.get(options.replyToMessageId);
    const message: Message = {
      message_id: state.nextMessageId++,
      from,
      chat: state.chat,
      date: this.#unixNow(),
      text: options.text,
      ...(entities.length > 0 ? { entities } : {}),
      ...(replyTo ? { reply_to_message: withoutReply(replyTo) } : {}),
    };
    state.messages.set(message.message_id, message);
    return {
      update_id: this.#takeUpdateId(options.updateId),
      message: message as NonNullable<Update["message"]>,
    };
  }

  /**
   * Builds a `message` update with a bot command, e.g. `/start payload`.
   *
   * @example
   * ```ts
   * fake.pushUpdate(fake.commandUpdate({ userId: 42, command: "start", args: "ref_7" }));
   * ```
   */
  commandUpdate(options: CommandUpdateOptions): Update {
    const command = options.command.startsWith("/") ? options.command : `/${options.command}`;
    const text = options.args ? `${command} ${options.args}` : command;
    return this.textUpdate({ ...options, text });
  }

  /**
   * Builds a `callback_query` update for a button press on a message; the query carries the
   * message as it is now (an inaccessible stub when the chat has no such message).
   *
   * @example
   * ```ts
   * fake.pushUpdate(fake.callbackUpdate({ userId: 42, data: "lang:ru", messageId: 1 }));
   * ```
   */
  callbackUpdate(options: CallbackUpdateOptions): Update {
    const from = this.#user(options);
    const state = this.#chatState(options.chatId ?? options.userId);
    const current = state.messages.get(options.messageId);
    return {
      update_id: this.#takeUpdateId(options.updateId),
      callback_query: {
        id: String(4_000_000_000_000 + ++this.#callbackCount),
        from,
        message: current
          ? structuredClone(current)
          : { chat: state.chat, message_id: options.messageId, date: 0 },
        chat_instance: String(-Math.abs(state.chat.id) * 7 - 1),
        data: options.data,
      },
    };
  }

  /**
   * Builds a `channel_post` update; the channel is remembered, so the bot's posts there carry it.
   *
   * @example
   * ```ts
   * fake.pushUpdate(fake.channelPostUpdate({ chatId: -1001234567890, text: "News" }));
   * ```
   */
  channelPostUpdate(options: ChannelPostUpdateOptions): Update {
    const chat: Chat = {
      id: options.chatId,
      type: "channel",
      title: options.title ?? `Channel ${options.chatId}`,
      ...(options.username ? { username: options.username } : {}),
    };
    const state = this.#chatState(options.chatId);
    state.chat = chat;
    const message: Message = {
      message_id: state.nextMessageId++,
      sender_chat: chat,
      chat,
      date: this.#unixNow(),
      text: options.text,
    };
    state.messages.set(message.message_id, message);
    return {
      update_id: this.#takeUpdateId(options.updateId),
      channel_post: message as NonNullable<Update["channel_post"]>,
    };
  }

  // === Webhook client

  /**
   * Posts an update to a webhook the way Telegram does and returns the HTTP status.
   *
   * @param url Where to post.
   * @param update The update (built with the helpers or by hand).
   * @param secret The `X-Telegram-Bot-Api-Secret-Token` header: `undefined` sends the
   * `secret_token` from `setWebhook` (if any), `null` sends no header.
   * @example
   * ```ts
   * const update = fake.textUpdate({ userId: 1, text: "hi" });
   * assert.equal(await fake.deliverWebhook(hookUrl, update, "s3cret"), 200);
   * ```
   */
  async deliverWebhook(url: string, update: Update, secret?: string | null): Promise<number> {
    if (this.#closed) throw new Error("Cannot deliver a webhook: the fake Bot API is closed");
    const headers = new Headers({ "content-type": "application/json" });
    const token = secret === undefined ? this.#webhook?.secretToken : secret;
    if (token != null) headers.set("x-telegram-bot-api-secret-token", token);
    const controller = new AbortController();
    this.#deliveries.add(controller);
    try {
      const response = await fetch(url, {
        method: "POST",
        headers,
        body: JSON.stringify(update),
        signal: controller.signal,
      });
      // An unread body keeps the connection's resources open past the test.
      await response.body?.cancel();
      return response.status;
    } finally {
      this.#deliveries.delete(controller);
    }
  }

  // === Lifecycle

  /**
   * Drops held connections (long polls, hangs, delays), rejects pending `waitFor`s, aborts webhook
   * deliveries and stops the server. Safe to call twice.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const hold of [...this.#holds]) hold.wake("closed");
    for (const waiter of [...this.#waiters]) {
      waiter.reject(new Error("The fake Bot API closed before a matching call arrived"));
    }
    for (const controller of this.#deliveries) controller.abort();
    await this.#server.shutdown();
  }

  /** Same as {@linkcode FakeBotApi.close}, for `await using`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  // === Request handling

  async #serve(request: Request, botSegment: string, method: string): Promise<Response> {
    if (!botSegment.startsWith("bot")) {
      return json({ ok: false, error_code: 404, description: "Not Found" });
    }
    let params: Record<string, unknown> = {};
    let unreadable = false;
    try {
      params = await readParams(request);
    } catch {
      unreadable = true;
    }
    const call: RecordedCall = { method, params, time: this.#now() };
    this.#calls.push(call);
    if (botSegment.slice(3) !== this.token || unreadable) {
      call.response = botSegment.slice(3) !== this.token
        ? error(401, "Unauthorized")
        : error(400, "Bad Request: can't parse request body");
      this.#notify(call);
      return json(call.response);
    }
    const reply = await this.#answer(call);
    return reply === DROP ? droppedConnection() : json(reply);
  }

  /**
   * Applies faults, then the method, and tells waiters: held calls (long polls, delays, hangs) on
   * arrival, so a test can wait until a poll is in flight; others once their effect is visible.
   */
  async #answer(call: RecordedCall): Promise<Reply> {
    const fault = this.#pickFault(call.method);
    const held = fault.hang || fault.delayMs > 0 || call.method === "getUpdates";
    if (held) this.#notify(call);
    let reply: Reply;
    if (fault.hang) {
      await this.#hold(Infinity);
      reply = DROP;
    } else if (fault.delayMs > 0 && await this.#hold(fault.delayMs) !== "elapsed") {
      reply = DROP;
    } else if (this.#closed || fault.disconnect) {
      reply = DROP;
    } else {
      reply = fault.error ?? this.#blockedReply(call.params) ??
        (call.method === "getUpdates" ? await this.#getUpdates(call.params) : this.#dispatch(call));
    }
    if (reply !== DROP) call.response = reply;
    if (!held) this.#notify(call);
    return reply;
  }

  #dispatch(call: RecordedCall): BotApiResponse {
    const p = call.params;
    switch (call.method) {
      case "getMe":
        return ok(this.me);
      case "setWebhook":
        return this.#setWebhook(p);
      case "deleteWebhook":
        return this.#deleteWebhook(p);
      case "getWebhookInfo":
        return ok({
          url: this.#webhook?.url ?? "",
          has_custom_certificate: false,
          pending_update_count: this.#queue.length,
          ...(this.#webhook
            ? {
              max_connections: this.#webhook.maxConnections ?? 40,
              ip_address: "127.0.0.1",
              ...(this.#webhook.allowedUpdates
                ? { allowed_updates: this.#webhook.allowedUpdates }
                : {}),
            }
            : {}),
        });
      case "sendMessage":
        return this.#sendMessage(p);
      case "editMessageText":
        return this.#edit(p, "text");
      case "editMessageCaption":
        return this.#edit(p, "caption");
      case "editMessageReplyMarkup":
        return this.#edit(p, "markup");
      case "deleteMessage":
        return this.#deleteMessage(p);
      case "setMyCommands": {
        if (!Array.isArray(p.commands)) {
          return error(400, 'Bad Request: parameter "commands" is required');
        }
        this.#commands.set(
          commandsKey(p.scope, p.language_code),
          structuredClone(p.commands) as BotCommand[],
        );
        return ok(true);
      }
      case "getMyCommands":
        return ok(this.#commands.get(commandsKey(p.scope, p.language_code)) ?? []);
      case "deleteMyCommands":
        this.#commands.delete(commandsKey(p.scope, p.language_code));
        return ok(true);
      case "answerCallbackQuery":
      case "sendChatAction":
      case "close":
      case "logOut":
        return ok(true);
    }
    if (call.method in MEDIA_METHODS) return this.#sendMedia(call.method, p);
    // Unknown to the fake: succeed so features using other methods still run; it is recorded.
    return ok(true);
  }

  // === Long polling

  async #getUpdates(p: Record<string, unknown>): Promise<Reply> {
    // Telegram answers the older of two concurrent polls with a conflict.
    this.#poll?.wake("conflict");
    if (this.#webhook) return error(409, WEBHOOK_CONFLICT);
    if (Array.isArray(p.allowed_updates)) this.#allowedUpdates = p.allowed_updates.map(String);
    const offset = typeof p.offset === "number" ? p.offset : 0;
    const limit = Math.min(100, Math.max(1, typeof p.limit === "number" ? p.limit : 100));
    const timeoutMs = Math.min(
      Math.max(0, typeof p.timeout === "number" ? p.timeout * 1000 : 0),
      this.#maxPollWaitMs,
    );
    this.#confirm(offset);
    const deadline = performance.now() + timeoutMs;
    let batch = this.#take(limit);
    while (batch.length === 0 && performance.now() < deadline) {
      let registered: Hold | undefined;
      const end = await this.#hold(deadline - performance.now(), (hold) => {
        registered = hold;
        this.#poll = hold;
      });
      if (this.#poll === registered) this.#poll = undefined;
      if (end === "closed") return DROP;
      if (end === "conflict") return error(409, POLL_CONFLICT);
      if (end === "webhook") return error(409, WEBHOOK_CONFLICT);
      batch = this.#take(limit);
      if (end === "elapsed") break;
    }
    return ok(batch);
  }

  /** Forgets updates below `offset`, as Telegram does; a negative one keeps the last -offset. */
  #confirm(offset: number): void {
    if (offset < 0) {
      this.#queue = this.#queue.slice(offset);
    } else if (offset > 0) {
      this.#queue = this.#queue.filter((q) =>
        q.update.update_id >= offset || (q.outOfOrder && !q.delivered)
      );
    }
  }

  /**
   * The next batch. Unlike Telegram, which filters when an update is created, the type filter
   * applies at delivery, so a test sees the same result whether it pushed before or after the call.
   */
  #take(limit: number): Update[] {
    const wanted = this.#allowedUpdates;
    const allowed = (type: string) =>
      wanted.length === 0 ? !OPT_IN_UPDATE_TYPES.has(type) : wanted.includes(type);
    this.#queue = this.#queue.filter((q) => allowed(updateType(q.update)));
    const batch = this.#queue.slice(0, limit);
    for (const q of batch) q.delivered = true;
    return batch.map((q) => structuredClone(q.update));
  }

  // === Webhook settings

  #setWebhook(p: Record<string, unknown>): BotApiResponse {
    const url = typeof p.url === "string" ? p.url : "";
    if (url === "") return this.#deleteWebhook(p);
    if (p.drop_pending_updates === true) this.#queue = [];
    const allowed = Array.isArray(p.allowed_updates) ? p.allowed_updates.map(String) : undefined;
    if (allowed) this.#allowedUpdates = allowed;
    this.#webhook = {
      url,
      ...(typeof p.secret_token === "string" ? { secretToken: p.secret_token } : {}),
      ...(allowed ? { allowedUpdates: allowed } : {}),
      ...(typeof p.max_connections === "number" ? { maxConnections: p.max_connections } : {}),
    };
    this.#poll?.wake("webhook");
    return { ok: true, result: true, description: "Webhook was set" };
  }

  #deleteWebhook(p: Record<string, unknown>): BotApiResponse {
    if (p.drop_pending_updates === true) this.#queue = [];
    const had = this.#webhook !== undefined;
    this.#webhook = undefined;
    return {
      ok: true,
      result: true,
      description: had ? "Webhook was deleted" : "Webhook is already deleted",
    };
  }

  // === Messages

  #sendMessage(p: Record<string, unknown>): BotApiResponse {
    const state = this.#targetChat(p);
    if (!isChatState(state)) return state;
    if (typeof p.text !== "string" || p.text.trim() === "") {
      return error(400, "Bad Request: message text is empty");
    }
    if (p.text.length > 4096) return error(400, "Bad Request: message is too long");
    const htmlError = checkHtml(p);
    if (htmlError) return htmlError;
    const message = this.#botMessage(state, p, { text: p.text });
    state.sent.push(p.text);
    return ok(message);
  }

  #sendMedia(method: string, p: Record<string, unknown>): BotApiResponse {
    const state = this.#targetChat(p);
    if (!isChatState(state)) return state;
    const field = MEDIA_METHODS[method];
    const input = p[field];
    if (input === undefined || input === "") {
      return error(400, `Bad Request: there is no ${field} in the request`);
    }
    const file = this.#fileFor(input);
    const media: Record<string, unknown> = {
      photo: [{ ...file, width: 1280, height: 720 }],
      document: { ...file, file_name: fileName(input, "document.dat") },
      video: { ...file, width: 1280, height: 720, duration: 1 },
      audio: { ...file, duration: 1, file_name: fileName(input, "audio.mp3") },
      voice: { ...file, duration: 1 },
      animation: { ...file, width: 320, height: 240, duration: 1 },
      sticker: {
        ...file,
        type: "regular",
        width: 512,
        height: 512,
        is_animated: false,
        is_video: false,
      },
      video_note: { ...file, length: 240, duration: 1 },
    };
    const caption = typeof p.caption === "string" && p.caption !== "" ? { caption: p.caption } : {};
    return ok(this.#botMessage(state, p, { [field]: media[field], ...caption }));
  }

  #botMessage(state: ChatState, p: Record<string, unknown>, content: Partial<Message>): Message {
    const replyId = (p.reply_parameters as { message_id?: unknown } | undefined)?.message_id ??
      p.reply_to_message_id;
    const replyTo = typeof replyId === "number" ? state.messages.get(replyId) : undefined;
    const markup = inlineMarkup(p.reply_markup);
    const message: Message = {
      message_id: state.nextMessageId++,
      // Bots post in channels as the channel itself.
      ...(state.chat.type === "channel" ? { sender_chat: state.chat } : { from: this.#botUser() }),
      chat: state.chat,
      date: this.#unixNow(),
      ...(replyTo ? { reply_to_message: withoutReply(replyTo) } : {}),
      ...content,
      // Telegram echoes only inline keyboards back in the Message.
      ...(markup ? { reply_markup: markup } : {}),
    };
    state.messages.set(message.message_id, message);
    return structuredClone(message);
  }

  #edit(p: Record<string, unknown>, what: "text" | "caption" | "markup"): BotApiResponse {
    // Inline messages live in other chats; Telegram answers `true` for them.
    if (typeof p.inline_message_id === "string") return ok(true);
    const state = this.#targetChat(p);
    if (!isChatState(state)) return state;
    if (typeof p.message_id !== "number") {
      return error(400, "Bad Request: message identifier is not specified");
    }
    const current = state.messages.get(p.message_id);
    if (!current) return error(400, "Bad Request: message to edit not found");
    if (current.from?.id !== this.me.id && current.sender_chat === undefined) {
      return error(400, "Bad Request: message can't be edited");
    }
    // Leaving reply_markup out of an edit removes the inline keyboard, as on Telegram.
    const markup = inlineMarkup(p.reply_markup);
    const next: Message = { ...current };
    if (what === "text") {
      const htmlError = checkHtml(p);
      if (htmlError) return htmlError;
      if (typeof p.text !== "string" || p.text.trim() === "") {
        return error(400, "Bad Request: message text is empty");
      }
      if (current.text === undefined) {
        return error(400, "Bad Request: there is no text in the message to edit");
      }
      next.text = p.text;
    } else if (what === "caption") {
      if (current.text !== undefined) {
        return error(400, "Bad Request: there is no caption in the message to edit");
      }
      if (typeof p.caption === "string" && p.caption !== "") next.caption = p.caption;
      else delete next.caption;
    }
    if (markup) next.reply_markup = markup;
    else delete next.reply_markup;
    if (
      next.text === current.text && next.caption === current.caption &&
      sameJson(next.reply_markup, current.reply_markup)
    ) {
      return error(400, NOT_MODIFIED);
    }
    next.edit_date = this.#unixNow();
    state.messages.set(next.message_id, next);
    return ok(structuredClone(next));
  }

  #deleteMessage(p: Record<string, unknown>): BotApiResponse {
    const state = this.#targetChat(p);
    if (!isChatState(state)) return state;
    if (typeof p.message_id !== "number" || !state.messages.delete(p.message_id)) {
      return error(400, "Bad Request: message to delete not found");
    }
    return ok(true);
  }

  // === Chats and users

  #targetChat(p: Record<string, unknown>): ChatState | BotApiResponse {
    if (p.chat_id === undefined || p.chat_id === "") {
      return error(400, "Bad Request: chat_id is empty");
    }
    if (typeof p.chat_id !== "number" && typeof p.chat_id !== "string") {
      return error(400, "Bad Request: chat not found");
    }
    return this.#findChat(p.chat_id) ??
      (typeof p.chat_id === "number"
        ? this.#chatState(p.chat_id)
        : error(400, "Bad Request: chat not found"));
  }

  #findChat(chatId: number | string): ChatState | undefined {
    if (typeof chatId === "string" && chatId.startsWith("@")) {
      const name = chatId.slice(1).toLowerCase();
      return [...this.#chats.values()].find((s) =>
        "username" in s.chat && s.chat.username?.toLowerCase() === name
      );
    }
    return this.#chats.get(String(chatId));
  }

  #chatState(chatId: number): ChatState {
    let state = this.#chats.get(String(chatId));
    if (!state) {
      state = { chat: this.#newChat(chatId), nextMessageId: 1, messages: new Map(), sent: [] };
      this.#chats.set(String(chatId), state);
    }
    return state;
  }

  #newChat(id: number): Chat {
    if (id > 0) {
      const user = this.#users.get(id);
      return {
        id,
        type: "private",
        first_name: user?.first_name ?? `User ${id}`,
        ...(user?.username ? { username: user.username } : {}),
      };
    }
    return id <= -1_000_000_000_000
      ? { id, type: "supergroup", title: `Supergroup ${id}` }
      : { id, type: "group", title: `Group ${id}` };
  }

  #user(options: UpdateSenderOptions): User {
    const known = this.#users.get(options.userId);
    const user: User = {
      id: options.userId,
      is_bot: false,
      first_name: options.firstName ?? known?.first_name ?? `User ${options.userId}`,
      ...(options.username ?? known?.username
        ? { username: options.username ?? known?.username }
        : {}),
      language_code: options.languageCode ?? "en",
    };
    this.#users.set(user.id, user);
    return user;
  }

  #botUser(): User {
    return {
      id: this.me.id,
      is_bot: true,
      first_name: this.me.first_name,
      username: this.me.username,
    };
  }

  #fileFor(input: unknown): { file_id: string; file_unique_id: string; file_size?: number } {
    const n = ++this.#fileCount;
    // A file_id sent again names the same file; uploads and URLs get a new one.
    const reused = typeof input === "string" && !/^(https?|attach):/.test(input);
    const size = isUploadedFile(input) ? { file_size: input.file_size } : {};
    return {
      file_id: reused ? input : `FAKE-FILE-${n}`,
      file_unique_id: reused ? `U-${input.slice(0, 16)}` : `FAKE-UNIQUE-${n}`,
      ...size,
    };
  }

  #takeUpdateId(explicit?: number): number {
    if (explicit === undefined) return this.#nextUpdateId++;
    this.#nextUpdateId = Math.max(this.#nextUpdateId, explicit + 1);
    return explicit;
  }

  #unixNow(): number {
    return Math.floor(this.#now() / 1000);
  }

  // === Faults

  #createFaults(): FakeBotApiFaults {
    const add = (kind: FaultRule["kind"], scope: FaultScope, extra: Partial<FaultRule> = {}) => {
      if (scope.share !== undefined && !(scope.share >= 0 && scope.share <= 1)) {
        throw new RangeError(
          `Cannot add a ${kind} fault: share ${scope.share} is not between 0 and 1`,
        );
      }
      const methods = scope.method === undefined
        ? undefined
        : new Set(Array.isArray(scope.method) ? scope.method : [scope.method]);
      this.#rules.push({
        kind,
        methods,
        remaining: scope.times,
        share: scope.share,
        retryAfter: 1,
        ms: 0,
        ...extra,
      });
    };
    return {
      rateLimit: (options = {}) =>
        add("rateLimit", options, { retryAfter: options.retryAfter ?? 1 }),
      serverError: (options = {}) => add("serverError", options),
      delay: (ms, options = {}) => add("delay", options, { ms }),
      hang: (options = {}) => add("hang", options),
      disconnect: (options = {}) => add("disconnect", options),
      block: (...ids) => ids.forEach((id) => this.#blocked.add(String(id))),
      unblock: (...ids) => ids.forEach((id) => this.#blocked.delete(String(id))),
      clear: () => {
        this.#rules = [];
        this.#blocked.clear();
      },
    };
  }

  /** Decides this call's faults: matching rules are consulted in order; the first error wins. */
  #pickFault(method: string): PickedFault {
    const picked: PickedFault = { delayMs: 0, hang: false, disconnect: false };
    for (const rule of [...this.#rules]) {
      if (rule.methods && !rule.methods.has(method)) continue;
      const isError = rule.kind === "rateLimit" || rule.kind === "serverError";
      // An error rule that cannot apply is not consumed and draws no random number.
      if (isError && picked.error) continue;
      if (rule.share !== undefined && this.#random() >= rule.share) continue;
      if (rule.remaining !== undefined) {
        rule.remaining--;
        if (rule.remaining <= 0) this.#rules.splice(this.#rules.indexOf(rule), 1);
      }
      if (rule.kind === "rateLimit") {
        picked.error = {
          ok: false,
          error_code: 429,
          description: `Too Many Requests: retry after ${rule.retryAfter}`,
          parameters: { retry_after: rule.retryAfter },
        };
      } else if (rule.kind === "serverError") {
        picked.error = error(500, "Internal Server Error");
      } else if (rule.kind === "delay") {
        picked.delayMs += rule.ms;
      } else if (rule.kind === "disconnect") {
        picked.disconnect = true;
      } else {
        picked.hang = true;
      }
    }
    return picked;
  }

  #blockedReply(p: Record<string, unknown>): BotApiResponse | undefined {
    if (p.chat_id === undefined || !this.#blocked.has(String(p.chat_id))) return undefined;
    const id = Number(p.chat_id);
    if (!(id < 0)) return error(403, "Forbidden: bot was blocked by the user");
    return error(
      403,
      this.#findChat(id)?.chat.type === "channel"
        ? "Forbidden: bot is not a member of the channel chat"
        : id <= -1_000_000_000_000
        ? "Forbidden: bot was kicked from the supergroup chat"
        : "Forbidden: bot was kicked from the group chat",
    );
  }

  // === Holding and notifying

  /**
   * Waits up to `ms` (Infinity: until woken or closed); `onStart` receives the hold so others can
   * wake it. A client that leaves is not noticed: in Deno 2.9 merely reading `request.signal`
   * prints a legacy-abort warning, and a conflict, the timer or `close()` ends every hold anyway.
   */
  #hold(ms: number, onStart?: (hold: Hold) => void): Promise<HoldEnd> {
    if (this.#closed) return Promise.resolve("closed");
    return new Promise((resolve) => {
      let done = false;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const hold: Hold = {
        wake: (reason) => {
          if (done) return;
          done = true;
          clearTimeout(timer);
          this.#holds.delete(hold);
          resolve(reason);
        },
      };
      if (Number.isFinite(ms)) timer = setTimeout(() => hold.wake("elapsed"), Math.max(0, ms));
      this.#holds.add(hold);
      onStart?.(hold);
    });
  }

  #notify(call: RecordedCall): void {
    for (const waiter of [...this.#waiters]) {
      try {
        if (waiter.match(call)) waiter.resolve(call);
      } catch (cause) {
        waiter.reject(new Error("The waitFor predicate threw", { cause }));
      }
    }
  }
}

// === Helpers

function ok(result: unknown): BotApiResponse {
  return { ok: true, result };
}

function error(code: number, description: string): BotApiResponse {
  return { ok: false, error_code: code, description };
}

function json(body: BotApiResponse): Response {
  return Response.json(body, { status: body.ok ? 200 : body.error_code });
}

function isChatState(value: ChatState | BotApiResponse): value is ChatState {
  return "messages" in value;
}

/** A response whose body fails after the headers, which the client sees as a dropped connection. */
function droppedConnection(): Response {
  const body = new ReadableStream({
    start(controller) {
      controller.error(new Error("The fake Bot API dropped the connection"));
    },
  });
  return new Response(body, { headers: { "content-type": "application/json" } });
}

/** Parses query parameters and a JSON, urlencoded or multipart body into one object. */
async function readParams(request: Request): Promise<Record<string, unknown>> {
  const url = new URL(request.url);
  const params: Record<string, unknown> = {};
  for (const [key, value] of url.searchParams) params[key] = coerce(key, value);
  if (request.method !== "POST") return params;
  const type = request.headers.get("content-type") ?? "";
  if (type.includes("application/json")) {
    const text = await request.text();
    if (text.trim() !== "") {
      const body: unknown = JSON.parse(text);
      if (typeof body !== "object" || body === null || Array.isArray(body)) {
        throw new SyntaxError("Not an object");
      }
      Object.assign(params, body);
    }
  } else if (
    type.includes("multipart/form-data") || type.includes("application/x-www-form-urlencoded")
  ) {
    const files = new Map<string, UploadedFile>();
    for (const [key, value] of await request.formData()) {
      if (typeof value === "string") {
        params[key] = coerce(key, value);
      } else {
        files.set(key, { file_name: value.name, mime_type: value.type, file_size: value.size });
      }
    }
    const attached = new Set<string>();
    const resolve = (value: unknown): unknown => {
      if (typeof value === "string" && value.startsWith("attach://")) {
        const id = value.slice("attach://".length);
        attached.add(id);
        return files.get(id) ?? value;
      }
      if (Array.isArray(value)) return value.map(resolve);
      if (typeof value === "object" && value !== null) {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v)]));
      }
      return value;
    };
    for (const [key, value] of Object.entries(params)) params[key] = resolve(value);
    // A file part not referenced by attach:// is the parameter of that name.
    for (const [key, file] of files) if (!attached.has(key)) params[key] = file;
  } else {
    await request.body?.cancel();
  }
  return params;
}

/** Form and query values are strings; turn them back into what the JSON form would carry. */
function coerce(key: string, value: string): unknown {
  if (TEXT_PARAMS.has(key)) return value;
  if (/^[[{]/.test(value)) {
    try {
      return JSON.parse(value);
    } catch {
      return value;
    }
  }
  if (/^-?\d+$/.test(value) && (key.endsWith("_id") || NUMERIC_PARAMS.has(key))) {
    return Number(value);
  }
  if (
    (value === "true" || value === "false") &&
    /^(disable|protect|is|show|drop|has|allow|can|only)_/.test(key)
  ) {
    return value === "true";
  }
  return value;
}

/** `bot_command` entities, as Telegram marks `/command` and `/command@bot` words. */
function commandEntities(text: string): MessageEntity[] {
  const entities: MessageEntity[] = [];
  for (const match of text.matchAll(/(?<=^|\s)\/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?/g)) {
    entities.push({ type: "bot_command", offset: match.index, length: match[0].length });
  }
  return entities;
}

function inlineMarkup(value: unknown): InlineKeyboardMarkup | undefined {
  if (typeof value !== "object" || value === null || !("inline_keyboard" in value)) {
    return undefined;
  }
  const keyboard = (value as InlineKeyboardMarkup).inline_keyboard;
  return Array.isArray(keyboard) && keyboard.some((row) => row.length > 0)
    ? structuredClone(value as InlineKeyboardMarkup)
    : undefined;
}

/** Telegram nests a replied-to message one level deep only. */
function withoutReply(message: Message): NonNullable<Message["reply_to_message"]> {
  const { reply_to_message: _, ...rest } = message;
  return structuredClone(rest) as NonNullable<Message["reply_to_message"]>;
}

function updateType(update: Update): string {
  return Object.keys(update).find((key) => key !== "update_id") ?? "unknown";
}

function commandsKey(scope: unknown, languageCode: unknown): string {
  return `${stableJson(scope ?? { type: "default" })}|${
    typeof languageCode === "string" ? languageCode : ""
  }`;
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(",")}]`;
  if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value).sort(([a], [b]) => a.localeCompare(b));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

function sameJson(a: unknown, b: unknown): boolean {
  return stableJson(a) === stableJson(b);
}

function isUploadedFile(value: unknown): value is UploadedFile {
  return typeof value === "object" && value !== null && "file_name" in value &&
    "file_size" in value;
}

function fileName(input: unknown, fallback: string): string {
  return isUploadedFile(input) ? input.file_name : fallback;
}

/** mulberry32: small, seedable and good enough to spread faults evenly. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return function next() {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// === Telegram HTML

/** Tags Telegram's HTML parse mode accepts. */
const HTML_TAGS = new Set([
  "b",
  "strong",
  "i",
  "em",
  "u",
  "ins",
  "s",
  "strike",
  "del",
  "a",
  "code",
  "pre",
  "span",
  "tg-spoiler",
  "tg-emoji",
  "blockquote",
]);

/**
 * Rejects text Telegram could not parse as HTML (unknown or unbalanced tags, a bare `&` or `<`),
 * with Telegram's own error, so a test sees the bot's escaping fail as it would for real.
 */
function checkHtml(p: Record<string, unknown>): BotApiResponse | undefined {
  const text = p.text;
  if (String(p.parse_mode ?? "").toUpperCase() !== "HTML" || typeof text !== "string") return;
  const fail = (why: string) => error(400, `Bad Request: can't parse entities: ${why}`);
  const open: string[] = [];
  const token =
    /<(\/?)([a-zA-Z][\w-]*)((?:\s+[\w-]+(?:="[^"]*")?)*)\s*>|<|&(#\d+|#x[\da-fA-F]+|[a-zA-Z]+);|&/g;
  for (const match of text.matchAll(token)) {
    const [whole, closing, name, , entity] = match;
    if (whole === "<") return fail(`unexpected "<" at byte offset ${match.index}`);
    if (whole === "&") return fail(`unexpected "&" at byte offset ${match.index}`);
    if (entity !== undefined) {
      if (!entity.startsWith("#") && !["lt", "gt", "amp", "quot"].includes(entity)) {
        return fail(`unsupported entity "&${entity};"`);
      }
      continue;
    }
    const tag = name.toLowerCase();
    if (!HTML_TAGS.has(tag)) return fail(`unsupported start tag "${tag}"`);
    if (!closing) open.push(tag);
    else if (open.pop() !== tag) return fail(`unmatched end tag "${tag}"`);
  }
  if (open.length > 0) {
    return fail(`can't find end tag corresponding to start tag "${open.at(-1)}"`);
  }
}
