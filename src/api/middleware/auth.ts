/**
 * Who may call what: the admin token (constant-time comparison of SHA-256 digests) for admin
 * routes, an API key (checked against KV on every request, so revoking works at once in every
 * process) for `/api/v1/analyze`. Pages (`/dashboard`, `/playground`) also take the admin token
 * once as `?token=` and keep it in an HttpOnly, SameSite=Strict cookie (docs/OPERATIONS.md, "HTTP API").
 *
 * @module
 */
import { createHash, timingSafeEqual } from "node:crypto";
import { type Context, type MiddlewareHandler } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { type Clock } from "../../core/clock.ts";
import { t } from "../../i18n/mod.ts";
import * as apiKeys from "../../store/api_keys.ts";
import { type Store } from "../../store/kv.ts";
import { type ApiEnv } from "../env.ts";
import { type Guard } from "../openapi.ts";
import { sendError } from "../respond.ts";
import { sendPage } from "../views/page.tsx";
import { SIGN_IN_POLICY, SignInPage } from "../views/sign_in.tsx";

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
  /**
   * Admin pages: the bearer token, the page cookie, or `?token=` (which sets the cookie and
   * redirects to the address without it); otherwise 401 with a token form.
   */
  page: Guard;
  /** What pages' scripts call (under `/playground/`): bearer or cookie; 401 as a BotResponse. */
  pageApi: Guard;
}

/** The cookie that keeps the admin token for pages. */
export const PAGE_COOKIE = "rvx_admin";

const BEARER = /^Bearer +([\x21-\x7e]{1,512})\s*$/i;

/** The bearer token of a request, if it sent one. */
export function bearerToken(c: Context<ApiEnv>): string | null {
  const header = c.req.header("Authorization");
  return header ? BEARER.exec(header)?.[1] ?? null : null;
}

function digest(value: string): Uint8Array {
  return createHash("sha256").update(value).digest();
}

/**
 * Compares two secrets in time that does not depend on where they differ (both are hashed first,
 * so their lengths do not leak either). Synchronous: WebCrypto's digest is a round trip to a
 * worker thread: 3 % of the CPU under webhook load, and a wait on every request.
 *
 * @example
 * ```ts
 * constantTimeEqual(presented, expected); // true or false
 * ```
 */
export function constantTimeEqual(a: string, b: string): boolean {
  return timingSafeEqual(digest(a), digest(b));
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

  function isAdmin(token: string): boolean {
    return adminToken !== null && constantTimeEqual(token, adminToken);
  }

  const admin: MiddlewareHandler<ApiEnv> = async function adminAuth(c, next) {
    const lang = c.get("lang");
    if (adminToken === null) {
      return sendError(c, clock, 503, "UNAVAILABLE", t(lang, "api_admin_disabled"));
    }
    const token = bearerToken(c);
    if (token === null) return unauthorized(c, t(lang, "api_admin_required"));
    if (isAdmin(token)) return await next();
    if (await apiKeys.verify(store, token)) {
      return sendError(c, clock, 403, "FORBIDDEN", t(lang, "api_key_not_admin"));
    }
    return unauthorized(c, t(lang, "api_admin_required"));
  };

  /** The admin token presented by header or page cookie, if it is the right one. */
  function pageToken(c: Context<ApiEnv>): boolean {
    const token = bearerToken(c) ?? getCookie(c, PAGE_COOKIE) ?? null;
    return token !== null && isAdmin(token);
  }

  const page: MiddlewareHandler<ApiEnv> = async function pageAuth(c, next) {
    if (adminToken === null) {
      return tokenForm(c, t(c.get("lang"), "api_admin_disabled"), false, 503);
    }
    const url = new URL(c.req.url);
    const query = url.searchParams.get("token");
    if (query !== null) {
      if (!isAdmin(query)) {
        return tokenForm(c, t(c.get("lang"), "api_admin_required"), true, 401);
      }
      setCookie(c, PAGE_COOKIE, query, {
        httpOnly: true,
        sameSite: "Strict",
        path: "/",
        secure: url.protocol === "https:",
        maxAge: PAGE_COOKIE_MAX_AGE_S,
      });
      url.searchParams.delete("token");
      // The token leaves the address bar and the history at once.
      return c.redirect(url.pathname + url.search, 303);
    }
    if (pageToken(c)) return await next();
    c.header("WWW-Authenticate", 'Bearer realm="rvx"');
    return tokenForm(c, t(c.get("lang"), "api_admin_required"), false, 401);
  };

  const pageApi: MiddlewareHandler<ApiEnv> = async function pageApiAuth(c, next) {
    const lang = c.get("lang");
    if (adminToken === null) {
      return sendError(c, clock, 503, "UNAVAILABLE", t(lang, "api_admin_disabled"));
    }
    if (pageToken(c)) return await next();
    return unauthorized(c, t(lang, "api_admin_required"));
  };

  const apiKey: MiddlewareHandler<ApiEnv> = async function apiKeyAuth(c, next) {
    const lang = c.get("lang");
    const token = bearerToken(c);
    if (token === null) return unauthorized(c, t(lang, "api_key_required"));
    const record = await apiKeys.verify(store, token);
    if (!record) {
      if (isAdmin(token)) {
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
    page: { scheme: "adminToken", middleware: page },
    pageApi: { scheme: "adminToken", middleware: pageApi },
  };
}

/** How long the page cookie lasts (seconds). */
const PAGE_COOKIE_MAX_AGE_S = 30 * 86_400;

/** The 401 page: a form that sends the token once as `?token=` to the same page. */
function tokenForm(
  c: Context<ApiEnv>,
  message: string,
  failed: boolean,
  status: 401 | 503,
): Response | Promise<Response> {
  const action = new URL(c.req.url).pathname;
  return sendPage(c, SignInPage({ action, message, failed }), SIGN_IN_POLICY, status);
}
