/**
 * `GET /api/v1/stats`: `users_total` and the supervisor's figures (all from counters, no scans).
 *
 * @module
 */
import { z } from "@hono/zod-openapi";
import { type SupervisorStats } from "../../actors/supervisor.ts";
import { type Clock } from "../../core/clock.ts";
import * as counters from "../../store/counters.ts";
import { type Store } from "../../store/kv.ts";
import { addRoute, type ApiRouter, createRouter, type Guard } from "../openapi.ts";
import { sendOk } from "../respond.ts";

/** What the stats route reads. */
export interface StatsDeps {
  store: Store;
  clock: Clock;
  guard: Guard;
  /** The supervisor's `getStats()`; absent when no supervisor runs in this process. */
  stats?: () => Promise<SupervisorStats>;
}

const StatsSchema = z.object({
  users_total: z.number().int(),
  active_users: z.number().int().optional(),
  users_in_news: z.number().int().optional(),
  users_in_course: z.number().int().optional(),
  users_in_quiz: z.number().int().optional(),
  pending_feedback: z.number().int().optional(),
  resident_actors: z.number().int().optional(),
  inbox_depth: z.number().int().optional(),
  dead_letters: z.number().int().optional(),
})
  // Each feature's session gauge, by the name it declares (the four above are today's).
  .catchall(z.number().int())
  .openapi("Stats");

/**
 * @example
 * ```ts
 * app.route("/", statsRoutes({ store, clock, guard: auth.admin, stats: () => supervisor.getStats() }));
 * ```
 */
export function statsRoutes(deps: StatsDeps): ApiRouter {
  const router = createRouter();
  addRoute(router, deps.clock, {
    method: "get",
    path: "/api/v1/stats",
    operationId: "getStats",
    tags: ["admin"],
    summary: "Users total and the supervisor's figures",
    guard: deps.guard,
    success: { kind: "json", data: StatsSchema },
  }, async (c) => {
    const [usersTotal, supervisor] = await Promise.all([
      counters.get(deps.store, "users_total"),
      deps.stats?.(),
    ]);
    return sendOk(c, deps.clock, { users_total: Math.max(0, usersTotal), ...supervisor });
  });
  return router;
}
