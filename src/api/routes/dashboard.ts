/**
 * `GET /dashboard` (admin page): the sections of `views/dashboard/` over this process's
 * sources, rendered on the server.
 *
 * @module
 */
import { z } from "@hono/zod-openapi";
import {
  DASHBOARD_RANGES,
  type DashboardRange,
  type DashboardSources,
} from "../views/dashboard/context.ts";
import { deadLetterView, DeadLetterViewQuerySchema } from "../views/dashboard/dead_letters.tsx";
import { DASHBOARD_POLICY, DashboardPage } from "../views/dashboard/page.tsx";
import { sendPage } from "../views/page.tsx";
import { addRoute, type ApiRouter, createRouter, type Guard } from "../openapi.ts";

/** What the dashboard reads, and its guard. */
export interface DashboardDeps extends DashboardSources {
  /** The page guard (`auth.page`). */
  guard: Guard;
}

/**
 * @example
 * ```ts
 * app.route("/", dashboardRoutes({ store, clock, health, engine, guard: auth.page }));
 * ```
 */
export function dashboardRoutes(deps: DashboardDeps): ApiRouter {
  const router = createRouter();
  const { guard: _guard, ...sources } = deps;
  addRoute(router, deps.clock, {
    method: "get",
    path: "/dashboard",
    operationId: "dashboardPage",
    tags: ["admin"],
    summary: "The operator's dashboard (HTML): charts, providers, cron runs, backups, health",
    description: "Takes the bearer token, or a browser session from `POST /sign-in`; " +
      "without either answers 401 with the sign-in form.",
    guard: deps.guard,
    query: z.object({
      range: z.enum(Object.keys(DASHBOARD_RANGES) as [DashboardRange, ...DashboardRange[]])
        .default("6h"),
      ...DeadLetterViewQuerySchema,
    }),
    success: { kind: "text", mediaType: "text/html", description: "The dashboard page" },
  }, async (c, { query }) => {
    const ctx = {
      ...sources,
      now: deps.clock.now(),
      range: query.range,
      deadLetterView: deadLetterView(query),
    };
    return await sendPage(c, await DashboardPage({ ctx }), DASHBOARD_POLICY);
  });
  return router;
}
