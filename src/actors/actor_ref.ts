/**
 * Who an update belongs to: the actor it is queued and run under, and back from an actor's name
 * to the user it stands for.
 *
 * @module
 */
import { type Update } from "grammy/types";
import { type UpdateSource } from "./inbox.ts";

/** Who an update belongs to. */
export interface ActorRef {
  /** `u:<user id>`, `c:<chat id>` (channel posts), `local:<n>`, or `system`. */
  actor: string;
  userId: number | null;
  chatId: number | null;
  /** The sender's Telegram language, if any. */
  languageCode?: string;
}

/** Telegram-shaped ids of local users live above every real Telegram id (< 2^52). */
export const LOCAL_ID_BASE = 8_000_000_000_000_000;

/**
 * Resolves the actor of an update: the sender's user id; the chat id for channel posts; a
 * "system" actor for neither. Local users get their own namespace.
 *
 * @example
 * ```ts
 * resolveActor({ update_id: 1, message: { from: { id: 42 }, chat: { id: 42 } } } as Update, "tg").actor; // "u:42"
 * ```
 */
export function resolveActor(update: Update, source: UpdateSource): ActorRef {
  for (const [field, value] of Object.entries(update)) {
    if (field === "update_id" || typeof value !== "object" || value === null) continue;
    const payload = value as {
      from?: { id?: unknown; language_code?: unknown };
      chat?: { id?: unknown; type?: unknown };
      message?: { chat?: { id?: unknown } };
      user?: { id?: unknown };
    };
    const userId = safeId(payload.from?.id) ?? safeId(payload.user?.id);
    const chatId = safeId(payload.chat?.id) ?? safeId(payload.message?.chat?.id);
    if (userId !== null) {
      const actor = source === "local" ? `local:${userId - LOCAL_ID_BASE}` : `u:${userId}`;
      const code = payload.from?.language_code;
      return { actor, userId, chatId, languageCode: typeof code === "string" ? code : undefined };
    }
    if (chatId !== null) return { actor: `c:${chatId}`, userId: null, chatId };
  }
  return { actor: "system", userId: null, chatId: null };
}

/**
 * The user an actor name stands for: the id {@linkcode resolveActor} found in its updates, or
 * null for chats and the system actor.
 *
 * @example
 * ```ts
 * actorUserId("u:42"); // 42
 * ```
 */
export function actorUserId(actor: string): number | null {
  const [space, id] = actor.split(":");
  const n = Number(id);
  if (!Number.isSafeInteger(n)) return null;
  if (space === "u") return n;
  return space === "local" ? LOCAL_ID_BASE + n : null;
}

function safeId(value: unknown): number | null {
  return typeof value === "number" && Number.isSafeInteger(value) ? value : null;
}
