/**
 * Admin pages in a browser (docs/SECURITY.md "Admin pages"): the sign-in form posts the token
 * once to `POST /sign-in`, which opens a session in KV and gives the browser only its random id
 * (an HttpOnly, SameSite=Strict cookie, `Secure` over https, including behind a trusted proxy
 * that says so). Tools keep sending the bearer token. Wrong tokens, posted or sent as a bearer
 * to a page, count against the client's address in a sliding window like `/api/*` (the same
 * client address and window code): after {@linkcode SIGN_IN_FAILURES} even the right one is
 * refused until old failures leave the window. `?token=` is not accepted.
 *
 * @module
 */
import { getLogger } from "@logtape/logtape";
import { type Context, type MiddlewareHandler } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { type Clock } from "../../core/clock.ts";
import { AppError } from "../../core/errors.ts";
import { t } from "../../i18n/mod.ts";
import {
  ADMIN_SESSION_TTL_MS,
  closeSession,
  openSession,
  sessionValid,
} from "../../store/admin_sessions.ts";
import { type Store } from "../../store/kv.ts";
import { peek, reserveShared, type WindowSpec } from "../../store/quotas.ts";
import { clientIp, type ClientIpOptions, limitSubject } from "../client_ip.ts";
import { type ApiEnv } from "../env.ts";
import { sendError, setLimitHeaders } from "../respond.ts";
import { sendPage } from "../views/page.tsx";
import { SIGN_IN_POLICY, SignInPage } from "../views/sign_in.tsx";
import { bearerToken, constantTimeEqual } from "./tokens.ts";

/** The cookie holding a browser's session id. */
export const SESSION_COOKIE = "rvx_session";

/** The cookie that once held the raw admin token: cleared on sign-in, never read. */
const LEGACY_TOKEN_COOKIE = "rvx_admin";

/** Wrong tokens one client address may present to pages per window. */
export const SIGN_IN_FAILURES = { limit: 10, windowMs: 15 * 60_000 } as const;

/** The pages a sign-in may lead back to. */
const PAGES = ["/dashboard", "/playground"];

const log = getLogger(["rvx", "api", "sign_in"]);

/** Options of {@linkcode createPageAuth}. */
export interface PageAuthOptions {
  store: Store;
  clock: Clock;
  /** The admin token now (it can rotate while the process runs); null: admin is disabled. */
  currentToken(): Promise<string | null>;
  /** How the client address is found (`TRUST_PROXY`, `TRUSTED_PROXY_HOPS`). */
  clientIp: ClientIpOptions;
}

/** A presented token, judged. */
type TokenCheck =
  | { kind: "ok"; token: string }
  | { kind: "wrong" }
  | { kind: "limited"; retryAfterS: number }
  | { kind: "disabled" };

/** What pages and their routes are guarded by, and the sign-in and sign-out handlers. */
export interface PageAuth {
  /** Pages: bearer token or session, else the sign-in page (401). */
  page: MiddlewareHandler<ApiEnv>;
  /** JSON routes pages' scripts call: bearer token or session, else a 401 BotResponse. */
  pageApi: MiddlewareHandler<ApiEnv>;
  /** `POST /sign-in` (form: `token`, `next`). */
  signIn(c: Context<ApiEnv>): Promise<Response>;
  /** `POST /sign-out`. */
  signOut(c: Context<ApiEnv>): Promise<Response>;
}

/**
 * Whether the browser reached us over https: the URL says so, or a trusted proxy does
 * (`X-Forwarded-Proto`, its last entry being the nearest proxy's).
 *
 * @example
 * ```ts
 * setCookie(c, name, value, { secure: overHttps(c, config.trustProxy) });
 * ```
 */
export function overHttps(c: Context<ApiEnv>, trustProxy: boolean): boolean {
  if (new URL(c.req.url).protocol === "https:") return true;
  if (!trustProxy) return false;
  const proto = c.req.header("X-Forwarded-Proto")?.split(",").at(-1)?.trim().toLowerCase();
  return proto === "https";
}

/** Where a sign-in returns: one of the pages (with its query), else the dashboard. */
function safeNext(next: unknown): string {
  if (typeof next !== "string" || next.length > 512) return PAGES[0];
  try {
    const url = new URL(next, "http://rvx.invalid");
    if (url.origin === "http://rvx.invalid" && PAGES.includes(url.pathname)) {
      return url.pathname + url.search;
    }
  } catch {
    // Not a URL at all: back to the dashboard.
  }
  return PAGES[0];
}

/**
 * Builds the page guards and the sign-in handlers.
 *
 * @example
 * ```ts
 * const pages = createPageAuth({ store, clock, currentToken, clientIp: { trustProxy: false } });
 * ```
 */
export function createPageAuth(options: PageAuthOptions): PageAuth {
  const { store, clock } = options;

  function failures(c: Context<ApiEnv>): WindowSpec {
    return {
      scope: "sign_in",
      id: limitSubject(clientIp(c, options.clientIp)),
      ...SIGN_IN_FAILURES,
    };
  }

  /** Judges a token someone presented; a wrong one counts against their address. */
  async function check(c: Context<ApiEnv>, presented: string): Promise<TokenCheck> {
    const token = await options.currentToken();
    if (token === null) return { kind: "disabled" };
    const spec = failures(c);
    const now = clock.now();
    const window = await peek(store, spec, now);
    if (!window.allowed) {
      return { kind: "limited", retryAfterS: setLimitHeaders(c, window, now, true) };
    }
    if (constantTimeEqual(presented, token)) return { kind: "ok", token };
    try {
      await reserveShared(store, spec, now);
    } catch (err) {
      // While KV cannot count, the attempt is still refused: only the count is lost.
      if (!(err instanceof AppError)) throw err;
    }
    log.info("Admin page sign-in refused: {code}", {
      code: "SIGN_IN_FAILED",
      client: spec.id,
      requestId: c.get("requestId"),
    });
    return { kind: "wrong" };
  }

  async function hasSession(c: Context<ApiEnv>): Promise<boolean> {
    const id = getCookie(c, SESSION_COOKIE);
    if (!id) return false;
    const token = await options.currentToken();
    return token !== null && await sessionValid(store, id, token, clock.now());
  }

  /** The sign-in page, saying why it is shown. */
  function signInPage(
    c: Context<ApiEnv>,
    outcome: Exclude<TokenCheck, { kind: "ok" }> | { kind: "required" },
    next: string,
  ): Response | Promise<Response> {
    const lang = c.get("lang");
    if (outcome.kind === "disabled") {
      const message = t(lang, "api_admin_disabled");
      return sendPage(c, SignInPage({ message, next: null, failed: false }), SIGN_IN_POLICY, 503);
    }
    if (outcome.kind === "limited") {
      const message = t(lang, "page_sign_in_limited", { seconds: outcome.retryAfterS });
      return sendPage(c, SignInPage({ message, next, failed: true }), SIGN_IN_POLICY, 429);
    }
    const failed = outcome.kind === "wrong";
    const message = failed ? t(lang, "page_sign_in_wrong") : t(lang, "page_sign_in");
    c.header("WWW-Authenticate", 'Bearer realm="rvx"');
    return sendPage(c, SignInPage({ message, next, failed }), SIGN_IN_POLICY, 401);
  }

  const page: MiddlewareHandler<ApiEnv> = async function pageAuth(c, next) {
    const url = new URL(c.req.url);
    if (url.searchParams.has("token")) {
      // Not accepted: the address leaves history and logs; the page then asks to sign in.
      url.searchParams.delete("token");
      return c.redirect(url.pathname + url.search, 303);
    }
    const here = url.pathname + url.search;
    const bearer = bearerToken(c);
    if (bearer !== null) {
      const result = await check(c, bearer);
      if (result.kind === "ok") return await next();
      return await signInPage(c, result, here);
    }
    if (await hasSession(c)) return await next();
    const disabled = (await options.currentToken()) === null;
    return await signInPage(c, { kind: disabled ? "disabled" : "required" }, here);
  };

  const pageApi: MiddlewareHandler<ApiEnv> = async function pageApiAuth(c, next) {
    const lang = c.get("lang");
    const bearer = bearerToken(c);
    const result = bearer !== null ? await check(c, bearer) : null;
    if (result?.kind === "ok" || (result === null && await hasSession(c))) return await next();
    if (result?.kind === "limited") {
      return sendError(
        c,
        clock,
        429,
        "RATE_LIMIT_ERROR",
        t(lang, "page_sign_in_limited", {
          seconds: result.retryAfterS,
        }),
      );
    }
    if ((await options.currentToken()) === null) {
      return sendError(c, clock, 503, "UNAVAILABLE", t(lang, "api_admin_disabled"));
    }
    c.header("WWW-Authenticate", 'Bearer realm="rvx"');
    return sendError(c, clock, 401, "UNAUTHORIZED", t(lang, "api_admin_required"));
  };

  async function signIn(c: Context<ApiEnv>): Promise<Response> {
    const form = await c.req.parseBody().catch(() => ({} as Record<string, unknown>));
    const next = safeNext(form.next);
    const presented = typeof form.token === "string" ? form.token.trim() : "";
    const result = await check(c, presented);
    if (result.kind !== "ok") return await signInPage(c, result, next);
    const id = await openSession(store, result.token, clock.now(), {
      ip: clientIp(c, options.clientIp),
    });
    setCookie(c, SESSION_COOKIE, id, {
      httpOnly: true,
      sameSite: "Strict",
      path: "/",
      secure: overHttps(c, options.clientIp.trustProxy),
      maxAge: Math.floor(ADMIN_SESSION_TTL_MS / 1000),
    });
    deleteCookie(c, LEGACY_TOKEN_COOKIE, { path: "/" });
    c.header("Cache-Control", "no-store");
    return c.redirect(next, 303);
  }

  async function signOut(c: Context<ApiEnv>): Promise<Response> {
    const id = getCookie(c, SESSION_COOKIE);
    if (id) await closeSession(store, id);
    deleteCookie(c, SESSION_COOKIE, {
      path: "/",
      secure: overHttps(c, options.clientIp.trustProxy),
    });
    return c.redirect(PAGES[0], 303);
  }

  return { page, pageApi, signIn, signOut };
}
