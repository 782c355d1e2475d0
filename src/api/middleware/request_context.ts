/**
 * Request id, start time, message language and client address for every request: the id is
 * echoed from `X-Request-Id` when it is sane, or generated, and returned in the same header; the
 * client is what {@linkcode clientIp} finds, for limits, the access log and audit rows.
 *
 * @module
 */
import { type MiddlewareHandler } from "hono";
import { type Clock } from "../../core/clock.ts";
import { randomId } from "../../core/ids.ts";
import { type Lang, resolveLanguage } from "../../i18n/mod.ts";
import { clientIp, type ClientIpOptions } from "../client_ip.ts";
import { type ApiEnv } from "../env.ts";

const SANE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * The language of API messages: the first tag of `Accept-Language` (ru for Russian-speaking
 * languages, en for any other), or `fallback` without the header.
 *
 * @example
 * ```ts
 * acceptLanguage("ru-RU,ru;q=0.9,en;q=0.8", "en"); // "ru"
 * ```
 */
export function acceptLanguage(header: string | undefined, fallback: Lang): Lang {
  const first = header?.split(",")[0]?.split(";")[0]?.trim();
  if (!first || first === "*") return fallback;
  return resolveLanguage(first, fallback);
}

/** Options of {@linkcode requestContext}. */
export interface RequestContextOptions {
  /** How the client address is found (`TRUST_PROXY`, `TRUSTED_PROXY_HOPS`). */
  clientIp: ClientIpOptions;
  /** The language without `Accept-Language`. @default "en" */
  fallbackLang?: Lang;
}

/**
 * @example
 * ```ts
 * app.use(requestContext(clock, { clientIp: { trustProxy: false } }));
 * ```
 */
export function requestContext(
  clock: Clock,
  options: RequestContextOptions,
): MiddlewareHandler<ApiEnv> {
  const fallbackLang = options.fallbackLang ?? "en";
  return async function requestContextMiddleware(c, next) {
    c.set("startedAt", clock.now());
    c.set("clientIp", clientIp(c, options.clientIp));
    const incoming = c.req.header("X-Request-Id");
    const id = incoming && SANE_ID.test(incoming) ? incoming : randomId(12);
    c.set("requestId", id);
    c.set("lang", acceptLanguage(c.req.header("Accept-Language"), fallbackLang));
    c.header("X-Request-Id", id);
    await next();
  };
}
