/**
 * Local chats' transcripts (docs/OPERATIONS.md, "Pages"): the messages of a local user's chat with
 * the bot as it stands (edits applied), each with the change count at which it last changed, and
 * the toasts of button presses. Kept in KV so the process that runs a turn and the one a browser
 * polls need not be the same (Deno Deploy's instances, several processes on one KV). Runtime
 * state, not backed up; a chat unused for 30 days expires.
 *
 * @module
 */
import { type InlineKeyboardMarkup } from "grammy/types";
import { estimateBytes } from "../core/tx.ts";
import { runtimeKeys } from "./keys.ts";
import { commitTx, type StagedCommit, type Store } from "./kv.ts";

/** A message as a local UI shows it. */
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

/** One chat's transcript. */
export interface LocalChat {
  /** Change count: bumped by every message, edit, deletion and toast. */
  rev: number;
  /** The next message id (the user's messages and the bot's share the sequence). */
  next_id: number;
  /** Oldest first, each with the change count at which it last changed. */
  messages: (LocalMessage & { rev: number })[];
  /** Toasts of button presses (`answerCallbackQuery`), newest last. */
  notices: { rev: number; text: string | null }[];
  /** Sends and presses not yet followed by anything from the bot. */
  pending: number;
}

/** Messages kept per chat. */
export const LOCAL_CHAT_MESSAGES = 100;
const NOTICES_KEPT = 20;
/** Below KV's 64 KiB value limit, with room for the record's other fields. */
const MAX_RECORD_BYTES = 60_000;
const EXPIRE_MS = 30 * 86_400_000;

/** A chat nobody has written to. */
export function emptyLocalChat(): LocalChat {
  return { rev: 0, next_id: 1, messages: [], notices: [], pending: 0 };
}

/**
 * Reads a chat's transcript (empty when there is none).
 *
 * @example
 * ```ts
 * const chat = await readLocalChat(store, 8_000_000_000_000_001);
 * ```
 */
export async function readLocalChat(store: Store, chatId: number): Promise<LocalChat> {
  return (await store.kv.get<LocalChat>(runtimeKeys.localChat(chatId))).value ?? emptyLocalChat();
}

/** A chat as this process last wrote or read it, with the versionstamp it had then. */
export interface KnownLocalChat {
  chat: LocalChat;
  versionstamp: string;
}

/**
 * Changes a chat's transcript in KV: `change` edits a copy, which is trimmed to the bounds and
 * written if nobody changed the chat meanwhile (else read and changed again).
 *
 * @param commit how the write is committed: alone by default; a group committer lets the chats
 * of many local users share commits (the playground or the soak under load).
 * @param known the chat as this process last saw it: the first try changes it in place, without
 * reading (a transcript is up to ~60 KB to read and copy), and is checked against its
 * versionstamp. Its owner must drop it: changed in place, it is stale when the try fails.
 * @returns the chat as written, its versionstamp and what `change` returned.
 * @example
 * ```ts
 * const { result: id } = await changeLocalChat(store, chatId, (chat) => chat.next_id++);
 * ```
 */
export async function changeLocalChat<T>(
  store: Store,
  chatId: number,
  change: (chat: LocalChat) => T,
  commit: StagedCommit = commitAlone(store),
  known?: KnownLocalChat,
): Promise<{ chat: LocalChat; versionstamp: string; result: T }> {
  const key = runtimeKeys.localChat(chatId);
  for (let attempt = 1;; attempt++) {
    const entry = attempt === 1 && known
      ? { value: known.chat, versionstamp: known.versionstamp }
      : await store.kv.get<LocalChat>(key);
    // A read's value is a fresh copy already.
    const chat = entry.value ?? emptyLocalChat();
    const result = change(chat);
    const bytes = trimLocalChat(chat);
    const tx = store.tx().check(key, entry.versionstamp);
    const outcome = await commit(tx.set(key, chat, { expireIn: EXPIRE_MS, bytes }));
    if (outcome.ok) return { chat, versionstamp: outcome.versionstamp, result };
    if (attempt >= 50) {
      throw new Error(`Could not change local chat ${chatId}: too much contention`);
    }
  }
}

function commitAlone(store: Store): StagedCommit {
  return async (tx) => {
    const versionstamp = await commitTx(store, tx);
    return versionstamp === null ? { ok: false } : { ok: true, versionstamp };
  };
}

/**
 * Keeps a transcript within its bounds: the newest messages and notices that fit.
 *
 * @returns the transcript's estimated size in bytes, as trimmed.
 */
export function trimLocalChat(chat: LocalChat): number {
  if (chat.messages.length > LOCAL_CHAT_MESSAGES) {
    chat.messages.splice(0, chat.messages.length - LOCAL_CHAT_MESSAGES);
  }
  if (chat.notices.length > NOTICES_KEPT) {
    chat.notices.splice(0, chat.notices.length - NOTICES_KEPT);
  }
  let bytes = estimateBytes(chat);
  while (chat.messages.length > 1 && bytes > MAX_RECORD_BYTES) {
    chat.messages.shift();
    bytes = estimateBytes(chat);
  }
  return bytes;
}
