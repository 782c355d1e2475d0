/**
 * Who may call what: the admin token (constant-time comparison of SHA-256 digests) for admin
 * routes, an API key (checked against KV on every request, so revoking works at once in every
 * process) for `/api/v1/analyze`.
 *
 * @module
 */
import { type Context, type MiddlewareHandler } from "hono";
import { type Clock } from "../../core/clock.ts";
import { t } from "../../i18n/mod.ts";
import * as apiKeys from "../../store/api_keys.ts";
import { type Store } from "../../store/kv.ts";
import { type ApiEnv } from "../env.ts";
import { type Guard } from "../openapi.ts";
import { sendError } from "../respond.ts";

/** Options of {@linkcode createAuth}. */
export interface AuthOptions {
  store: Store;
  clock: Clock;
  /** The admin token; null disables admin routes (503 `UNAVAILABLE`). */
  adminToken: string | null;
}

/** The guards routes put in front of themselves. */
export interface Auth {
  admin: Guard;
  apiKey: Guard;
}

const BEARER = /^Bearer +([\x21-\x7e]{1,512})\s*$/i;
const encoder = new TextEncoder();

/** The bearer token of a request, if it sent one. */
export function bearerToken(c: Context<ApiEnv>): string | null {
  const header = c.req.header("Authorization");
  return header ? BEARER.exec(header)?.[1] ?? null : null;
}

async function digest(value: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(value)));
}

/**
 * Compares two secrets in time that does not depend on where they differ (both are hashed first,
 * so their lengths do not leak either).
 *
 * @example
 * ```ts
 * await constantTimeEqual(presented, expected); // true or false
 * ```
 */
export async function constantTimeEqual(a: string, b: string): Promise<boolean> {
  const [x, y] = await Promise.all([digest(a), digest(b)]);
  let diff = 0;
  for (let i = 0; i < x.length; i++) diff |= x[i] ^ y[i];
  return diff === 0;
}

/**
 * Builds the admin and API-key guards.
 *
 * @example
 * ```ts
 * const auth = createAuth({ store, clock, adminToken });
 * addRoute(router, clock, { ...spec, guard: auth.admin }, handler);
 * ```
 */
export function createAuth(options: AuthOptions): Auth {
  const { store, clock, adminToken } = options;

  function unauthorized(c: Context<ApiEnv>, message: string): Response {
    c.header("WWW-Authenticate", 'Bearer realm="rvx"');
    return sendError(c, clock, 401, "UNAUTHORIZED", message);
  }

  function isAdmin(token: string): Promise<boolean> {
    return adminToken === null ? Promise.resolve(false) : constantTimeEqual(token, adminToken);
  }

  const admin: MiddlewareHandler<ApiEnv> = async function adminAuth(c, next) {
    const lang = c.get("lang");
    if (adminToken === null) {
      return sendError(c, clock, 503, "UNAVAILABLE", t(lang, "api_admin_disabled"));
    }
    const token = bearerToken(c);
    if (token === null) return unauthorized(c, t(lang, "api_admin_required"));
    if (await isAdmin(token)) return await next();
    if (await apiKeys.verify(store, token)) {
      return sendError(c, clock, 403, "FORBIDDEN", t(lang, "api_key_not_admin"));
    }
    return unauthorized(c, t(lang, "api_admin_required"));
  };

  const apiKey: MiddlewareHandler<ApiEnv> = async function apiKeyAuth(c, next) {
    const lang = c.get("lang");
    const token = bearerToken(c);
    if (token === null) return unauthorized(c, t(lang, "api_key_required"));
    const record = await apiKeys.verify(store, token);
    if (!record) {
      if (await isAdmin(token)) {
        return sendError(c, clock, 403, "FORBIDDEN", t(lang, "api_admin_not_key"));
      }
      return unauthorized(c, t(lang, "api_key_required"));
    }
    c.set("apiKeyId", record.id);
    await apiKeys.touch(store, record.id, clock.now());
    await next();
  };

  return {
    admin: { scheme: "adminToken", middleware: admin },
    apiKey: { scheme: "apiKey", middleware: apiKey },
  };
}
