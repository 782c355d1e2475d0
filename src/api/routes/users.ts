/**
 * `GET /api/v1/users/{id}`: one user's profile, usage and quota.
 *
 * @module
 */
import { z } from "@hono/zod-openapi";
import { type Config } from "../../config.ts";
import { type Clock } from "../../core/clock.ts";
import { t } from "../../i18n/mod.ts";
import { type Store } from "../../store/kv.ts";
import * as profiles from "../../store/profiles.ts";
import { dailyAnalysisLimit, DAY_MS, peek, type WindowSpec } from "../../store/quotas.ts";
import { addRoute, type ApiRouter, createRouter, type Guard } from "../openapi.ts";
import { sendError, sendOk } from "../respond.ts";

/** What the users route reads. */
export interface UsersDeps {
  store: Store;
  clock: Clock;
  guard: Guard;
  config: Pick<Config, "maxRequestsPerDay" | "adminUserIds" | "aiRateLimit">;
}

const WindowSchema = z.object({
  limit: z.number().int().nullable().openapi({ description: "null: unlimited" }),
  used: z.number().int(),
  remaining: z.number().int().nullable(),
  reset_at: z.string().nullable().openapi({
    description: "when a slot frees up; null while slots are free",
  }),
});

const UserSchema = z.object({
  profile: z.object({
    id: z.number().int(),
    username: z.string().nullable(),
    first_name: z.string().nullable(),
    language: z.string(),
    local: z.boolean(),
    active: z.boolean(),
    blocked: z.boolean(),
    tier: z.enum(["free", "pro"]),
    banned: z.boolean(),
    ban_reason: z.string().nullable(),
    admin: z.boolean(),
    xp: z.number().int(),
    level: z.number().int(),
    badges: z.array(z.string()),
    created_at: z.string(),
    last_seen_at: z.string(),
  }),
  usage: z.object({
    totals: z.record(z.string(), z.number().int()),
    ai_window: WindowSchema,
  }),
  quota: WindowSchema,
}).openapi("User");

const ParamsSchema = z.object({
  id: z.coerce.number({ error: "must be a positive integer" })
    .int({ error: "must be a positive integer" })
    .min(1, { error: "must be a positive integer" })
    .max(Number.MAX_SAFE_INTEGER, { error: "is too large" })
    .openapi({ param: { name: "id", in: "path" }, example: 123456789 }),
});

type WindowView = z.infer<typeof WindowSchema>;

/** Where a window stands; `used` is counted even when the limit is unlimited. */
async function windowOf(
  store: Store,
  spec: Omit<WindowSpec, "limit">,
  limit: number,
  now: number,
): Promise<WindowView> {
  if (!Number.isFinite(limit)) {
    const counted = await peek(store, { ...spec, limit: Number.MAX_SAFE_INTEGER }, now);
    const used = Number.MAX_SAFE_INTEGER - counted.remaining;
    return { limit: null, used, remaining: null, reset_at: null };
  }
  const decision = await peek(store, { ...spec, limit }, now);
  return {
    limit,
    used: limit - decision.remaining,
    remaining: decision.remaining,
    reset_at: decision.remaining === 0 ? new Date(decision.resetAt).toISOString() : null,
  };
}

/**
 * @example
 * ```ts
 * app.route("/", usersRoutes({ store, clock, guard: auth.admin, config }));
 * ```
 */
export function usersRoutes(deps: UsersDeps): ApiRouter {
  const router = createRouter();
  const { store, clock, config } = deps;
  addRoute(router, clock, {
    method: "get",
    path: "/api/v1/users/{id}",
    operationId: "getUser",
    tags: ["admin"],
    summary: "One user's profile, usage and quota",
    guard: deps.guard,
    params: ParamsSchema,
    success: { kind: "json", data: UserSchema },
    errors: [404],
  }, async (c, { params }) => {
    const user = await profiles.get(store, params.id);
    if (!user) {
      return sendError(
        c,
        clock,
        404,
        "NOT_FOUND",
        t(c.get("lang"), "api_user_not_found", { id: params.id }),
      );
    }
    const now = clock.now();
    const admin = config.adminUserIds.includes(user.id);
    const id = String(user.id);
    const [quota, aiWindow] = await Promise.all([
      windowOf(
        store,
        { scope: "analyses", id, windowMs: DAY_MS },
        dailyAnalysisLimit(config.maxRequestsPerDay, user.tier, admin),
        now,
      ),
      windowOf(
        store,
        { scope: "ai", id, windowMs: config.aiRateLimit.windowSeconds * 1000 },
        config.aiRateLimit.requests,
        now,
      ),
    ]);
    return sendOk(c, clock, {
      profile: {
        id: user.id,
        username: user.username,
        first_name: user.first_name,
        language: user.language,
        local: user.local,
        active: user.active,
        blocked: user.blocked,
        tier: user.tier,
        banned: user.banned,
        ban_reason: user.ban_reason,
        admin,
        xp: user.xp,
        level: user.level,
        badges: user.badges,
        created_at: user.created_at,
        last_seen_at: user.last_seen_at,
      },
      usage: { totals: user.totals, ai_window: aiWindow },
      quota,
    });
  });
  return router;
}
