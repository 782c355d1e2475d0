/**
 * Local mode (docs/ARCHITECTURE.md): the same bot, with an API transformer that answers Bot API calls
 * in-process with Telegram-shaped results and hands sent and edited messages to a local UI
 * (terminal chat, playground, benchmarks). Local users talk through `ingest` and the
 * supervisor like everyone else, in their own actor namespace and update-id sequence.
 *
 * @module
 */
import { type Transformer } from "grammy";
import { type CallbackQuery, type Message, type Update, type UserFromGetMe } from "grammy/types";
import { LOCAL_ID_BASE } from "../../actors/actor_ref.ts";
import { type Inbox, type IngestResult } from "../../actors/inbox.ts";
import { type Clock } from "../../core/clock.ts";
import { GroupCommitter } from "../../store/committer.ts";
import { runtimeKeys } from "../../store/keys.ts";
import { type Store } from "../../store/kv.ts";
import {
  changeLocalChat,
  emptyLocalChat,
  type LocalChat,
  type LocalMessage,
  readLocalChat,
  trimLocalChat,
} from "../../store/local_chats.ts";
import { Sequence } from "../../store/sequences.ts";

export type { LocalChat, LocalMessage } from "../../store/local_chats.ts";

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
  /** Chats kept in memory (least recently used go). @default 1000 */
  maxChats?: number;
  /**
   * Keeps transcripts in this KV as well (`store/local_chats.ts`), so a process other than the
   * one that ran the turn can show them (the playground on Deno Deploy); message ids then come
   * from KV too. Without it transcripts live in this process only (benchmarks, unit tests).
   */
  store?: Store;
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
  /** This process's copy of each chat (in shared mode, as last written or read from KV). */
  #chats = new Map<number, LocalChat>();
  /** In shared mode, the versionstamp of each copy this process wrote (`changeLocalChat`). */
  #written = new Map<number, string>();
  #listeners = new Map<number, Set<Listener>>();
  /** Transcript writes in shared mode: many local users' chats share a commit. */
  readonly #committer: GroupCommitter | null;

  constructor(options: LocalApiOptions) {
    this.#options = options;
    this.#committer = options.store ? new GroupCommitter(options.store) : null;
  }

  /** The transformer to install on the bot's API. */
  get transformer(): Transformer {
    return async (prev, method, payload, signal) => {
      const chatId = (payload as { chat_id?: unknown }).chat_id;
      if (!this.#options.exclusive && !isLocalChat(chatId) && !this.#isLocalCallback(payload)) {
        return await prev(method, payload, signal);
      }
      // deno-lint-ignore no-explicit-any
      return { ok: true, result: await this.#answer(method, payload as any) as any };
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

  /** The chat as this process last saw it (edits applied), oldest first. */
  messages(chatId: number): LocalMessage[] {
    return (this.#chats.get(chatId)?.messages ?? []).map(({ rev: _, ...message }) => message);
  }

  /** The chat's whole transcript as it stands, from KV in shared mode (any process's changes). */
  async transcript(chatId: number): Promise<LocalChat> {
    if (!this.#options.store) return structuredClone(this.#chats.get(chatId) ?? emptyLocalChat());
    const chat = await readLocalChat(this.#options.store, chatId);
    this.#remember(chatId, chat);
    return chat;
  }

  /** A new message id in a chat, in this process's copy (unit tests that build updates by hand). */
  nextMessageId(chatId: number): number {
    return this.#chat(chatId).next_id++;
  }

  /**
   * Records a message the local user sent, so the transcript shows both sides; until the bot
   * answers, the chat counts it as pending.
   *
   * @returns its message id.
   */
  async addUserMessage(chatId: number, text: string): Promise<number> {
    const date = Math.floor(this.#options.clock.now() / 1000);
    return await this.#change(chatId, (chat) => {
      const message = {
        message_id: chat.next_id++,
        chat_id: chatId,
        from_bot: false,
        text,
        parse_mode: null,
        reply_markup: null,
        date,
        edited: false,
        rev: ++chat.rev,
      };
      chat.messages.push(message);
      chat.pending++;
      return message.message_id;
    });
  }

  /** Counts a button press as pending until the bot answers. */
  async addPending(chatId: number): Promise<void> {
    await this.#change(chatId, (chat) => void chat.pending++);
  }

  #isLocalCallback(payload: unknown): boolean {
    return typeof (payload as { callback_query_id?: unknown }).callback_query_id === "string" &&
      (payload as { callback_query_id: string }).callback_query_id.startsWith("local-");
  }

  #chat(chatId: number): LocalChat {
    const chat = this.#chats.get(chatId) ?? emptyLocalChat();
    this.#remember(chatId, chat);
    return chat;
  }

  /** Keeps `chat` as this process's copy, most recently used last. */
  #remember(chatId: number, chat: LocalChat): void {
    this.#chats.delete(chatId);
    this.#written.delete(chatId);
    this.#chats.set(chatId, chat);
    if (this.#chats.size > (this.#options.maxChats ?? 1000)) {
      const oldest = this.#chats.keys().next().value!;
      this.#chats.delete(oldest);
      this.#written.delete(oldest);
    }
  }

  /** Applies `change` to the chat: in KV (then kept as this process's copy) or in memory. */
  async #change<T>(chatId: number, change: (chat: LocalChat) => T): Promise<T> {
    const store = this.#options.store;
    if (!store) {
      const chat = this.#chat(chatId);
      const result = change(chat);
      trimLocalChat(chat);
      return result;
    }
    const committer = this.#committer!;
    const versionstamp = this.#written.get(chatId);
    const copy = this.#chats.get(chatId);
    // Changed in place by the first try: dropped until the change is written.
    this.#written.delete(chatId);
    this.#chats.delete(chatId);
    const { chat, versionstamp: written, result } = await changeLocalChat(
      store,
      chatId,
      change,
      (tx) => committer.submit(tx),
      versionstamp !== undefined && copy ? { chat: copy, versionstamp } : undefined,
    );
    this.#remember(chatId, chat);
    this.#written.set(chatId, written);
    return result;
  }

  #emit(chatId: number | null, event: LocalEvent): void {
    if (chatId === null) return;
    for (const listener of this.#listeners.get(chatId) ?? []) listener(event);
  }

  // deno-lint-ignore no-explicit-any
  async #answer(method: string, payload: Record<string, any>): Promise<unknown> {
    const now = Math.floor(this.#options.clock.now() / 1000);
    const chatId = typeof payload.chat_id === "number" ? payload.chat_id : null;
    switch (method) {
      case "getMe":
        return this.#options.botInfo;
      case "sendMessage": {
        const message = await this.#change(chatId ?? 0, (chat) => {
          const sent = {
            message_id: chat.next_id++,
            chat_id: chatId ?? 0,
            from_bot: true,
            text: String(payload.text ?? ""),
            parse_mode: payload.parse_mode ?? null,
            reply_markup: payload.reply_markup ?? null,
            date: now,
            edited: false,
            rev: ++chat.rev,
          };
          chat.messages.push(sent);
          chat.pending = 0;
          return sent;
        });
        const { rev: _, ...shown } = message;
        this.#emit(chatId, { kind: "message", message: shown });
        return this.#telegramMessage(shown);
      }
      case "editMessageText":
      case "editMessageReplyMarkup": {
        const edited = await this.#change(chatId ?? 0, (chat) => {
          const existing = chat.messages.find((m) => m.message_id === payload.message_id);
          if (!existing) return null;
          if (method === "editMessageText") {
            existing.text = String(payload.text ?? "");
            existing.parse_mode = payload.parse_mode ?? null;
          }
          existing.reply_markup = payload.reply_markup ?? null;
          existing.edited = true;
          existing.rev = ++chat.rev;
          chat.pending = 0;
          return { ...existing };
        });
        if (!edited) return true;
        const { rev: _, ...shown } = edited;
        this.#emit(chatId, { kind: "edit", message: shown });
        return this.#telegramMessage(shown);
      }
      case "deleteMessage": {
        await this.#change(chatId ?? 0, (chat) => {
          chat.messages = chat.messages.filter((m) => m.message_id !== payload.message_id);
          chat.rev++;
          chat.pending = 0;
        });
        this.#emit(chatId, { kind: "delete", chatId: chatId ?? 0, messageId: payload.message_id });
        return true;
      }
      case "answerCallbackQuery": {
        const id = String(payload.callback_query_id ?? "");
        const target = Number(id.split("-")[1]);
        if (!Number.isFinite(target)) return true;
        const text = payload.text ?? null;
        await this.#change(target, (chat) => void chat.notices.push({ rev: ++chat.rev, text }));
        this.#emit(target, { kind: "callback_answer", chatId: target, text });
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
    const messageId = await this.deps.api.addUserMessage(user.id, text);
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
    const message = (await this.deps.api.transcript(user.id)).messages
      .find((m) => m.message_id === messageId);
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
    // Pending before the ingest: a direct turn may answer before the ingest returns.
    await this.deps.api.addPending(user.id);
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
