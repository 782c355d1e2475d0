/**
 * Admin sessions of browsers signed in to the pages (docs/SECURITY.md): the browser holds a
 * random id in a cookie; KV holds a record under the id's SHA-256 (a KV copy names no usable
 * cookie), outside the data generations (never backed up or restored), expiring on its own, so
 * every process on the same KV honours and forgets it alike. A record remembers a fingerprint
 * of the admin token it was opened with: once the token changes (rotated, or a new
 * `ADMIN_API_TOKEN`), the session is void.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { randomId } from "../core/ids.ts";
import { runtimeKeys } from "./keys.ts";
import { record as recordAudit } from "./audit.ts";
import { commitTx, type Store } from "./kv.ts";

/** How long a sign-in lasts. */
export const ADMIN_SESSION_TTL_MS = 12 * 3_600_000;

interface SessionRecord {
  created_at: number;
  expires_at: number;
  /** {@linkcode tokenFingerprint} of the admin token it was opened with. */
  token: string;
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/**
 * What a session remembers of the admin token: enough to tell a different token, nothing to
 * recover this one.
 *
 * @example
 * ```ts
 * tokenFingerprint("rvx_admin_…").length; // 32
 * ```
 */
export function tokenFingerprint(adminToken: string): string {
  return sha256(`rvx admin session\n${adminToken}`).slice(0, 32);
}

/**
 * Opens a session for the holder of `adminToken`, audited as `admin_sign_in` with the client's
 * address (one commit); returns the id the browser keeps.
 *
 * @example
 * ```ts
 * const id = await openSession(store, token, clock.now(), { ip: "203.0.113.7" });
 * ```
 */
export async function openSession(
  store: Store,
  adminToken: string,
  now: number,
  by: { ip: string | null },
): Promise<string> {
  const id = randomId(32);
  const record: SessionRecord = {
    created_at: now,
    expires_at: now + ADMIN_SESSION_TTL_MS,
    token: tokenFingerprint(adminToken),
  };
  const tx = store.tx();
  tx.set(runtimeKeys.adminSession(sha256(id)), record, { expireIn: ADMIN_SESSION_TTL_MS });
  recordAudit(
    tx,
    { action: "admin_sign_in", command: "page", ip_address: by.ip, status: "ok" },
    now,
  );
  await commitTx(store, tx);
  return id;
}

/**
 * Whether `id` names a live session opened with the current admin token.
 *
 * @example
 * ```ts
 * if (await sessionValid(store, cookie, currentToken, clock.now())) return next();
 * ```
 */
export async function sessionValid(
  store: Store,
  id: string,
  adminToken: string,
  now: number,
): Promise<boolean> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(id)) return false;
  const entry = await store.kv.get<SessionRecord>(runtimeKeys.adminSession(sha256(id)));
  const record = entry.value;
  // KV drops expired records lazily: the time is checked here too.
  return record !== null && record.expires_at > now &&
    record.token === tokenFingerprint(adminToken);
}

/**
 * Ends one session (signing out); unknown ids are ignored.
 *
 * @example
 * ```ts
 * await closeSession(store, cookie);
 * ```
 */
export async function closeSession(store: Store, id: string): Promise<void> {
  await store.kv.delete(runtimeKeys.adminSession(sha256(id)));
}

/**
 * Ends every session (after the admin token rotated); returns how many there were.
 *
 * @example
 * ```ts
 * const ended = await closeAllSessions(store);
 * ```
 */
export async function closeAllSessions(store: Store): Promise<number> {
  let count = 0;
  for await (const entry of store.kv.list({ prefix: runtimeKeys.adminSessionAll })) {
    await store.kv.delete(entry.key);
    count++;
  }
  return count;
}
