/**
 * The admin API token when `ADMIN_API_TOKEN` is unset: generated once, kept in KV under a meta
 * key (outside generations: never backed up or restored), so every process on the same KV shares
 * it. On Deno Deploy nothing is generated: admin routes stay disabled until the setting exists.
 *
 * @module
 */
import { type Config } from "../config.ts";
import { randomId } from "../core/ids.ts";
import { metaKeys } from "./keys.ts";
import { closeAllSessions } from "./admin_sessions.ts";
import { record as recordAudit } from "./audit.ts";
import { atomicCommit, commitTx, type Store } from "./kv.ts";

/** What {@linkcode ensureAdminToken} found. */
export interface AdminTokenResult {
  /** The token admin routes accept; null when they are disabled (Deploy without the setting). */
  token: string | null;
  /** True only for the process that created it: that one prints it, once. */
  generated: boolean;
  source: "config" | "kv" | "disabled";
}

/** A fresh generated token (43 URL-safe characters after the prefix: 256 random bits). */
function newAdminToken(): string {
  return `rvx_admin_${randomId(32)}`;
}

/**
 * The admin token: the setting when present; else (locally) the one in KV, created on first use.
 *
 * @example
 * ```ts
 * const admin = await ensureAdminToken(store, config);
 * if (admin.generated) printOnTerminal(admin.token);
 * ```
 */
export async function ensureAdminToken(
  store: Store,
  config: Pick<Config, "adminApiToken" | "onDeploy">,
): Promise<AdminTokenResult> {
  if (config.adminApiToken) {
    return { token: config.adminApiToken, generated: false, source: "config" };
  }
  if (config.onDeploy) return { token: null, generated: false, source: "disabled" };
  for (let attempt = 0; attempt < 5; attempt++) {
    const entry = await store.kv.get<string>(metaKeys.adminToken);
    if (typeof entry.value === "string") {
      return { token: entry.value, generated: false, source: "kv" };
    }
    const token = newAdminToken();
    const result = await atomicCommit(
      store,
      (op) => op.check(entry).set(metaKeys.adminToken, token),
    );
    if (result.ok) return { token, generated: true, source: "kv" };
  }
  throw new Error("Cannot create the admin token: the KV record kept changing");
}

/**
 * The generated admin token stored in KV, or null when none was generated.
 *
 * @example
 * ```ts
 * const token = await readAdminToken(store);
 * ```
 */
export async function readAdminToken(store: Store): Promise<string | null> {
  const entry = await store.kv.get<string>(metaKeys.adminToken);
  return typeof entry.value === "string" ? entry.value : null;
}

/**
 * Replaces the generated admin token with a new one and ends every browser session: from the
 * next request on, every process refuses the old token (they read the generated token from KV
 * on each check). Audited as `admin_token_rotated`. Only for the generated token:
 * `ADMIN_API_TOKEN` rotates by changing the setting.
 *
 * @example
 * ```ts
 * const { token, sessionsEnded } = await rotateAdminToken(store, Date.now());
 * ```
 */
export async function rotateAdminToken(
  store: Store,
  now: number,
): Promise<{ token: string; sessionsEnded: number }> {
  const token = newAdminToken();
  const result = await atomicCommit(store, (op) => op.set(metaKeys.adminToken, token));
  if (!result.ok) throw new Error("Cannot rotate the admin token: the commit was refused");
  const sessionsEnded = await closeAllSessions(store);
  const tx = store.tx();
  recordAudit(tx, {
    action: "admin_token_rotated",
    command: "cli",
    parameters: { sessions_ended: sessionsEnded },
    status: "ok",
  }, now);
  await commitTx(store, tx);
  return { token, sessionsEnded };
}
