/**
 * The bot's own user from one `getMe`, cached in KV so restarts and other processes skip the
 * call; a different token invalidates it.
 *
 * @module
 */
import { type UserFromGetMe } from "grammy/types";
import { metaKeys } from "./keys.ts";
import { atomicCommit, type Store } from "./kv.ts";

interface CachedBotInfo {
  tokenHash: string;
  info: UserFromGetMe;
}

async function hashToken(token: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(token));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * Returns the cached `getMe` for this token, or calls `getMe` once and caches it.
 *
 * @example
 * ```ts
 * const botInfo = await cachedBotInfo(store, token, () => api.getMe());
 * ```
 */
export async function cachedBotInfo(
  store: Store,
  token: string,
  getMe: () => Promise<UserFromGetMe>,
): Promise<UserFromGetMe> {
  const tokenHash = await hashToken(token);
  const cached = await store.kv.get<CachedBotInfo>(metaKeys.botInfo);
  if (cached.value?.tokenHash === tokenHash) return cached.value.info;
  const info = await getMe();
  await atomicCommit(store, (op) => op.set(metaKeys.botInfo, { tokenHash, info }));
  return info;
}
