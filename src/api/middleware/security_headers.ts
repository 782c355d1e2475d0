/**
 * The security headers every answer carries (Hono's `secureHeaders`), with the API's own
 * Content-Security-Policy: nothing may load and nothing may frame it. Pages replace that policy
 * with theirs (`pageCsp` in `views/page.tsx`), so it is set only where a handler has not set one.
 * Both phases of a start use this one middleware (docs/SECURITY.md).
 *
 * @module
 */
import { type MiddlewareHandler } from "hono";
import { secureHeaders } from "hono/secure-headers";

/**
 * @example
 * ```ts
 * app.use(securityHeaders());
 * ```
 */
export function securityHeaders(): MiddlewareHandler {
  return secureHeaders({
    contentSecurityPolicy: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
    overwrite: false,
  });
}
