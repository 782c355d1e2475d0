/**
 * `POST /api/v1/keys`, `GET /api/v1/keys`, `DELETE /api/v1/keys/{id}`: API keys, managed by
 * admins. The key is in `data.key` of the creation answer only.
 *
 * @module
 */
import { z } from "@hono/zod-openapi";
import { type Clock } from "../../core/clock.ts";
import { t } from "../../i18n/mod.ts";
import * as apiKeys from "../../store/api_keys.ts";
import { type Store } from "../../store/kv.ts";
import { addRoute, type ApiRouter, createRouter, type Guard } from "../openapi.ts";
import { sendError, sendOk } from "../respond.ts";

/** What the key routes use. */
export interface KeysDeps {
  store: Store;
  clock: Clock;
  guard: Guard;
}

/** The creation body. */
export const CreateKeyBodySchema = z.object({
  name: z.string({ error: "must be a string" }).trim()
    .min(1, { error: "must not be empty" })
    .max(64, { error: "must be at most 64 characters" })
    .openapi({ example: "ci" }),
  owner: z.string({ error: "must be a string" }).trim()
    .min(1, { error: "must not be empty" })
    .max(128, { error: "must be at most 128 characters" })
    .openapi({ example: "ops@example.com" }),
}).openapi("CreateKeyRequest");

const KeyViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  owner: z.string(),
  status: z.enum(["active", "revoked"]),
  created_at: z.string(),
  last_used_at: z.string().nullable(),
  request_count: z.number().int(),
  revoked_at: z.string().nullable(),
}).openapi("ApiKey");

const CreatedKeySchema = KeyViewSchema.extend({
  key: z.string().openapi({ description: "The key itself: shown in this answer only" }),
}).openapi("CreatedApiKey");

const KeyParamsSchema = z.object({
  id: z.string().regex(/^[0-9a-z]{20}$/, { error: "must be a key id (20 of 0-9a-z)" })
    .openapi({ param: { name: "id", in: "path" } }),
});

/**
 * @example
 * ```ts
 * app.route("/", keysRoutes({ store, clock, guard: auth.admin }));
 * ```
 */
export function keysRoutes(deps: KeysDeps): ApiRouter {
  const router = createRouter();
  const { store, clock, guard } = deps;
  addRoute(router, clock, {
    method: "post",
    path: "/api/v1/keys",
    operationId: "createApiKey",
    tags: ["admin"],
    summary: "Create an API key (shown once, in data.key)",
    guard,
    body: CreateKeyBodySchema,
    success: { kind: "json", data: CreatedKeySchema, status: 201 },
  }, async (c, { body }) => {
    const { key, view } = await apiKeys.create(store, body, clock.now(), {
      via: "api",
      ip: c.get("clientIp") ?? null,
    });
    c.header("Cache-Control", "no-store");
    return sendOk(c, clock, { ...view, key }, 201);
  });
  addRoute(router, clock, {
    method: "get",
    path: "/api/v1/keys",
    operationId: "listApiKeys",
    tags: ["admin"],
    summary: "List API keys (never the keys themselves)",
    guard,
    success: { kind: "json", data: z.object({ keys: z.array(KeyViewSchema) }) },
  }, async (c) => sendOk(c, clock, { keys: await apiKeys.list(store) }));
  addRoute(router, clock, {
    method: "delete",
    path: "/api/v1/keys/{id}",
    operationId: "revokeApiKey",
    tags: ["admin"],
    summary: "Revoke an API key (refused from the next request on, in every process)",
    guard,
    params: KeyParamsSchema,
    success: { kind: "json", data: KeyViewSchema },
    errors: [404],
  }, async (c, { params }) => {
    const view = await apiKeys.revoke(store, params.id, clock.now(), {
      via: "api",
      ip: c.get("clientIp") ?? null,
    });
    if (!view) {
      return sendError(
        c,
        clock,
        404,
        "NOT_FOUND",
        t(c.get("lang"), "api_key_not_found", { id: params.id }),
      );
    }
    return sendOk(c, clock, view);
  });
  return router;
}
