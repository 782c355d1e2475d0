/**
 * Who may call what: the admin token (compared in constant time) for admin routes, an API key
 * (checked against KV on every request, so revoking works at once in every process) for
 * `/api/v1/analyze`, and for pages the admin token or a signed-in browser's session
 * (`page_auth.ts`). A generated admin token is read from KV on each check, so
 * `deno task apikey rotate-admin-token` takes effect in every process at once.
 *
 * @module
 */
import { type Context, type MiddlewareHandler } from "hono";
import { type Clock } from "../../core/clock.ts";
import { t } from "../../i18n/mod.ts";
import { readAdminToken } from "../../store/admin_token.ts";
import * as apiKeys from "../../store/api_keys.ts";
import { type Store } from "../../store/kv.ts";
import { type ClientIpOptions } from "../client_ip.ts";
import { type ApiEnv } from "../env.ts";
import { type Guard } from "../openapi.ts";
import { sendError } from "../respond.ts";
import { createPageAuth, type PageAuth } from "./page_auth.ts";
import { bearerToken, constantTimeEqual } from "./tokens.ts";

/** Options of {@linkcode createAuth}. */
export interface AuthOptions {
  store: Store;
  clock: Clock;
  /** The admin token; null disables admin routes (503 `UNAVAILABLE`). */
  adminToken: string | null;
  /**
   * The token is the generated one kept in KV: read it from KV on each check (it can rotate).
   * @default false
   */
  adminTokenInKv?: boolean;
  /** How the client address is found, for the sign-in limit. @default { trustProxy: false } */
  clientIp?: ClientIpOptions;
}

/** The guards routes put in front of themselves. */
export interface Auth {
  admin: Guard;
  apiKey: Guard;
  /** Admin pages: the bearer token or a session, otherwise the sign-in page (401). */
  page: Guard;
  /** What pages' scripts call: the bearer token or a session; 401 as a BotResponse. */
  pageApi: Guard;
  /** Sign-in and sign-out of pages. */
  pages: PageAuth;
}

/**
 * Builds the admin, API-key and page guards.
 *
 * @example
 * ```ts
 * const auth = createAuth({ store, clock, adminToken });
 * addRoute(router, clock, { ...spec, guard: auth.admin }, handler);
 * ```
 */
export function createAuth(options: AuthOptions): Auth {
  const { store, clock, adminToken } = options;

  function currentToken(): Promise<string | null> {
    if (adminToken === null || !options.adminTokenInKv) return Promise.resolve(adminToken);
    return readAdminToken(store);
  }

  function unauthorized(c: Context<ApiEnv>, message: string): Response {
    c.header("WWW-Authenticate", 'Bearer realm="rvx"');
    return sendError(c, clock, 401, "UNAUTHORIZED", message);
  }

  async function isAdmin(token: string): Promise<boolean> {
    const current = await currentToken();
    return current !== null && constantTimeEqual(token, current);
  }

  const admin: MiddlewareHandler<ApiEnv> = async function adminAuth(c, next) {
    const lang = c.get("lang");
    const current = await currentToken();
    if (current === null) {
      return sendError(c, clock, 503, "UNAVAILABLE", t(lang, "api_admin_disabled"));
    }
    const token = bearerToken(c);
    if (token === null) return unauthorized(c, t(lang, "api_admin_required"));
    if (constantTimeEqual(token, current)) return await next();
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

  const pages = createPageAuth({
    store,
    clock,
    currentToken,
    clientIp: options.clientIp ?? { trustProxy: false },
  });

  return {
    admin: { scheme: "adminToken", middleware: admin },
    apiKey: { scheme: "apiKey", middleware: apiKey },
    page: { scheme: "adminToken", middleware: pages.page },
    pageApi: { scheme: "adminToken", middleware: pages.pageApi },
    pages,
  };
}
