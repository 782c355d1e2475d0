/**
 * The Hono app: request context first, then routes, then the BotResponse 404 and error handler.
 *
 * @module
 */
import { Hono } from "hono";
import { getLogger } from "@logtape/logtape";
import { type Clock } from "../core/clock.ts";
import { type ReportError } from "../core/report.ts";
import { type ApiEnv } from "./env.ts";
import { requestContext } from "./middleware/request_context.ts";
import { sendAppError, sendError } from "./respond.ts";
import { type HealthDeps, healthRoutes } from "./routes/health.ts";

/** Everything the API is built from. */
export interface ApiDeps extends HealthDeps {
  clock: Clock;
  reportError: ReportError;
}

const log = getLogger(["rvx", "api"]);

/**
 * Builds the API.
 *
 * @example
 * ```ts
 * const app = createApi(deps);
 * Deno.serve({ port: 8000 }, app.fetch);
 * ```
 */
export function createApi(deps: ApiDeps): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  app.use(requestContext(deps.clock));
  app.route("/", healthRoutes(deps));
  app.notFound((c) => sendError(c, deps.clock, 404, "NOT_FOUND", "Not found"));
  app.onError(async (err, c) => {
    const appError = await deps.reportError(err, `http ${c.req.method} ${c.req.routePath}`);
    log.debug("Request {requestId} failed with {code}", {
      requestId: c.get("requestId"),
      code: appError.code,
    });
    return sendAppError(c, deps.clock, appError);
  });
  return app;
}
