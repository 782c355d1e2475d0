/**
 * Request id and start time for every request: the id is echoed from `X-Request-Id` when it is
 * sane, or generated, and returned in the same header.
 *
 * @module
 */
import { type MiddlewareHandler } from "hono";
import { type Clock } from "../../core/clock.ts";
import { randomId } from "../../core/ids.ts";
import { type ApiEnv } from "../env.ts";

const SANE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * @example
 * ```ts
 * app.use(requestContext(clock));
 * ```
 */
export function requestContext(clock: Clock): MiddlewareHandler<ApiEnv> {
  return async function requestContextMiddleware(c, next) {
    c.set("startedAt", clock.now());
    const incoming = c.req.header("X-Request-Id");
    const id = incoming && SANE_ID.test(incoming) ? incoming : randomId(12);
    c.set("requestId", id);
    c.header("X-Request-Id", id);
    await next();
  };
}
