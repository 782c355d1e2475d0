/**
 * Local mode (docs/ARCHITECTURE.md): the same bot, with an API transformer that answers Bot API calls
 * in-process with Telegram-shaped results and hands sent and edited messages to a local UI
 * (terminal chat, playground, benchmarks). Local users talk through `ingest` and the
 * supervisor like everyone else, in their own actor namespace and update-id sequence.
 *
 * @module
 */
import { type Transformer } from "grammy";
import {
  type CallbackQuery,
  type InlineKeyboardMarkup,
  type Message,
  type Update,
  type UserFromGetMe,
} from "grammy/types";
import { type Inbox, type IngestResult, LOCAL_ID_BASE } from "../../actors/inbox.ts";
import { type Clock } from "../../core/clock.ts";
import { runtimeKeys } from "../../store/keys.ts";
import { type Store } from "../../store/kv.ts";
import { Sequence } from "../../store/sequences.ts";

/** A message as the local UI shows it. */
export interface LocalMessage {
  message_id: number;
  chat_id: number;
  from_bot: boolean;
  text: string;
  /** `HTML` when the bot asked for it. */
  parse_mode: string | null;
  reply_markup: InlineKeyboardMarkup | null;
  /** Epoch seconds. */
  date: number;
  edited: boolean;
}

/** What the local UI is told. */
export type LocalEvent =
  | { kind: "message" | "edit"; message: LocalMessage }
  | { kind: "delete"; chatId: number; messageId: number }
  | { kind: "callback_answer"; chatId: number | null; text: string | null };

/** Options of {@linkcode LocalApi}. */
export interface LocalApiOptions {
  botInfo: UserFromGetMe;
  clock: Clock;
  /** No Telegram at all: every call is answered here (no token). */
  exclusive: boolean;
  /** Messages kept per chat for the UI. @default 100 */
  historyPerChat?: number;
  /** Chats kept in memory (least recently used go). @default 1000 */
  maxChats?: number;
}

/** Whether a chat id belongs to a local user. */
export function isLocalChat(chatId: unknown): boolean {
  return typeof chatId === "number" && chatId >= LOCAL_ID_BASE;
}

type Listener = (event: LocalEvent) => void;

/**
 * The in-process Bot API of local mode.
 *
 * @example
 * ```ts
 * const local = new LocalApi({ botInfo, clock, exclusive: true });
 * const bot = createBot({ token, botInfo, transformers: [local.transformer] });
 * local.subscribe(chatId, (event) => render(event));
 * ```
 */
export class LocalApi {
  readonly #options: LocalApiOptions;
  #chats = new Map<number, { nextId: number; messages: LocalMessage[] }>();
  #listeners = new Map<number, Set<Listener>>();

  constructor(options: LocalApiOptions) {
    this.#options = options;
  }

  /** The transformer to install on the bot's API. */
  get transformer(): Transformer {
    return (prev, method, payload, signal) => {
      const chatId = (payload as { chat_id?: unknown }).chat_id;
      if (!this.#options.exclusive && !isLocalChat(chatId) && !this.#isLocalCallback(payload)) {
        return prev(method, payload, signal);
      }
      // deno-lint-ignore no-explicit-any
      return Promise.resolve({ ok: true, result: this.#answer(method, payload as any) as any });
    };
  }

  /** Listens to one chat's events; returns the unsubscribe function. */
  subscribe(chatId: number, listener: Listener): () => void {
    const set = this.#listeners.get(chatId) ?? new Set();
    set.add(listener);
    this.#listeners.set(chatId, set);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.#listeners.delete(chatId);
    };
  }

  /** The chat as it stands (edits applied), oldest first. */
  messages(chatId: number): LocalMessage[] {
    return [...(this.#chats.get(chatId)?.messages ?? [])];
  }

  /** A new message id in a chat (user messages share the sequence with the bot's). */
  nextMessageId(chatId: number): number {
    return this.#chat(chatId).nextId++;
  }

  /** Records a message the local user sent, so the transcript shows both sides. */
  recordUserMessage(chatId: number, messageId: number, text: string): void {
    this.#store(chatId, {
      message_id: messageId,
      chat_id: chatId,
      from_bot: false,
      text,
      parse_mode: null,
      reply_markup: null,
      date: Math.floor(this.#options.clock.now() / 1000),
      edited: false,
    });
  }

  #isLocalCallback(payload: unknown): boolean {
    return typeof (payload as { callback_query_id?: unknown }).callback_query_id === "string" &&
      (payload as { callback_query_id: string }).callback_query_id.startsWith("local-");
  }

  #chat(chatId: number) {
    let chat = this.#chats.get(chatId);
    if (chat) {
      this.#chats.delete(chatId);
    } else {
      chat = { nextId: 1, messages: [] };
    }
    this.#chats.set(chatId, chat);
    if (this.#chats.size > (this.#options.maxChats ?? 1000)) {
      this.#chats.delete(this.#chats.keys().next().value!);
    }
    return chat;
  }

  #store(chatId: number, message: LocalMessage): void {
    const chat = this.#chat(chatId);
    chat.messages.push(message);
    const keep = this.#options.historyPerChat ?? 100;
    if (chat.messages.length > keep) chat.messages.splice(0, chat.messages.length - keep);
  }

  #emit(chatId: number | null, event: LocalEvent): void {
    if (chatId === null) return;
    for (const listener of this.#listeners.get(chatId) ?? []) listener(event);
  }

  // deno-lint-ignore no-explicit-any
  #answer(method: string, payload: Record<string, any>): unknown {
    const now = Math.floor(this.#options.clock.now() / 1000);
    const chatId = typeof payload.chat_id === "number" ? payload.chat_id : null;
    switch (method) {
      case "getMe":
        return this.#options.botInfo;
      case "sendMessage": {
        const message: LocalMessage = {
          message_id: this.nextMessageId(chatId ?? 0),
          chat_id: chatId ?? 0,
          from_bot: true,
          text: String(payload.text ?? ""),
          parse_mode: payload.parse_mode ?? null,
          reply_markup: payload.reply_markup ?? null,
          date: now,
          edited: false,
        };
        this.#store(message.chat_id, message);
        this.#emit(chatId, { kind: "message", message });
        return this.#telegramMessage(message);
      }
      case "editMessageText":
      case "editMessageReplyMarkup": {
        const existing = this.#chats.get(chatId ?? 0)?.messages.find((m) =>
          m.message_id === payload.message_id
        );
        if (!existing) return true;
        if (method === "editMessageText") {
          existing.text = String(payload.text ?? "");
          existing.parse_mode = payload.parse_mode ?? null;
        }
        existing.reply_markup = payload.reply_markup ?? null;
        existing.edited = true;
        this.#emit(chatId, { kind: "edit", message: { ...existing } });
        return this.#telegramMessage(existing);
      }
      case "deleteMessage": {
        const chat = this.#chats.get(chatId ?? 0);
        if (chat) chat.messages = chat.messages.filter((m) => m.message_id !== payload.message_id);
        this.#emit(chatId, { kind: "delete", chatId: chatId ?? 0, messageId: payload.message_id });
        return true;
      }
      case "answerCallbackQuery": {
        const id = String(payload.callback_query_id ?? "");
        const target = Number(id.split("-")[1]);
        this.#emit(Number.isFinite(target) ? target : null, {
          kind: "callback_answer",
          chatId: Number.isFinite(target) ? target : null,
          text: payload.text ?? null,
        });
        return true;
      }
      default:
        return true;
    }
  }

  #telegramMessage(message: LocalMessage): Message {
    return {
      message_id: message.message_id,
      date: message.date,
      chat: { id: message.chat_id, type: "private", first_name: "Local" },
      from: this.#options.botInfo,
      text: message.text,
      ...(message.edited ? { edit_date: message.date } : {}),
      ...(message.reply_markup ? { reply_markup: message.reply_markup } : {}),
    } as Message;
  }
}

/** A local user. */
export interface LocalUser {
  /** Telegram-shaped id (also the private chat id). */
  id: number;
  firstName: string;
  languageCode: string;
}

/**
 * Sends local users' messages and button presses through `ingest`, as Telegram would.
 *
 * @example
 * ```ts
 * const client = new LocalClient({ store, inbox, api: local, clock });
 * const user = await client.newUser("Ann", "en");
 * await client.sendText(user, "/start");
 * ```
 */
export class LocalClient {
  readonly #updateIds: Sequence;
  readonly #userNumbers: Sequence;

  constructor(
    readonly deps: { store: Store; inbox: Inbox; api: LocalApi; clock: Clock },
  ) {
    this.#updateIds = new Sequence(deps.store, runtimeKeys.localUpdateSeq, 100);
    this.#userNumbers = new Sequence(deps.store, runtimeKeys.localUserSeq, 1);
  }

  /** A new local user with a number of its own. */
  async newUser(firstName = "Local", languageCode = "en"): Promise<LocalUser> {
    return { id: LOCAL_ID_BASE + await this.#userNumbers.next(), firstName, languageCode };
  }

  /** A local user's text message (commands get their entity, as Telegram adds it). */
  async sendText(user: LocalUser, text: string): Promise<IngestResult> {
    const messageId = this.deps.api.nextMessageId(user.id);
    this.deps.api.recordUserMessage(user.id, messageId, text);
    const command = /^\/\w+/.exec(text);
    const update: Update = {
      update_id: await this.#updateIds.next(),
      message: {
        message_id: messageId,
        date: Math.floor(this.deps.clock.now() / 1000),
        chat: { id: user.id, type: "private", first_name: user.firstName },
        from: this.#from(user),
        text,
        ...(command
          ? { entities: [{ type: "bot_command", offset: 0, length: command[0].length }] }
          : {}),
      },
    } as Update;
    const [result] = await this.deps.inbox.ingest([update], "local");
    return result;
  }

  /** A local user's press of an inline button on one of the bot's messages. */
  async press(user: LocalUser, messageId: number, data: string): Promise<IngestResult> {
    const message = this.deps.api.messages(user.id).find((m) => m.message_id === messageId);
    const updateId = await this.#updateIds.next();
    const query: CallbackQuery = {
      id: `local-${user.id}-${updateId}`,
      from: this.#from(user),
      chat_instance: `local-${user.id}`,
      data,
      ...(message
        ? {
          message: {
            message_id: messageId,
            date: message.date,
            chat: { id: user.id, type: "private", first_name: user.firstName },
            text: message.text,
            ...(message.reply_markup ? { reply_markup: message.reply_markup } : {}),
          },
        }
        : {}),
    } as CallbackQuery;
    const [result] = await this.deps.inbox.ingest(
      [{ update_id: updateId, callback_query: query }],
      "local",
    );
    return result;
  }

  #from(user: LocalUser) {
    return {
      id: user.id,
      is_bot: false as const,
      first_name: user.firstName,
      language_code: user.languageCode,
    };
  }
}
