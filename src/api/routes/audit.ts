/**
 * `GET /api/v1/audit`: audit rows, newest first, filtered by user, action and time.
 *
 * @module
 */
import { z } from "@hono/zod-openapi";
import { type Clock } from "../../core/clock.ts";
import * as audit from "../../store/audit.ts";
import { type Store } from "../../store/kv.ts";
import { addRoute, type ApiRouter, createRouter, type Guard } from "../openapi.ts";
import { sendOk } from "../respond.ts";

/** What the audit route reads. */
export interface AuditDeps {
  store: Store;
  clock: Clock;
  guard: Guard;
}

/** The query string. */
export const AuditQuerySchema = z.object({
  user_id: z.coerce.number({ error: "must be a whole number" })
    .int({ error: "must be a whole number" })
    .min(-Number.MAX_SAFE_INTEGER, { error: "is out of range" })
    .max(Number.MAX_SAFE_INTEGER, { error: "is out of range" })
    .optional().openapi({ description: "Only this user's rows" }),
  action: z.string({ error: "must be given once" })
    .regex(/^[A-Za-z0-9_.:-]{1,100}$/, { error: "must be 1–100 of A-Za-z0-9_.:-" })
    .optional().openapi({ description: "Only rows of this action", example: "error" }),
  since: z.iso.datetime({ offset: true, error: "must be an ISO 8601 time" })
    .optional().openapi({ description: "Only rows at or after this time" }),
  limit: z.coerce.number({ error: "must be a whole number from 1 to 500" })
    .int({ error: "must be a whole number from 1 to 500" })
    .min(1, { error: "must be a whole number from 1 to 500" })
    .max(500, { error: "must be a whole number from 1 to 500" })
    .default(50),
});

const AuditRowSchema = z.object({
  id: z.string(),
  user_id: z.number().int().nullable(),
  username: z.string().nullable(),
  action: z.string(),
  command: z.string().nullable(),
  parameters: z.record(z.string(), z.unknown()).nullable(),
  result: z.string().nullable(),
  error_message: z.string().nullable(),
  ip_address: z.string().nullable(),
  client_version: z.string().nullable(),
  execution_time_ms: z.number().nullable(),
  status: z.enum(["ok", "error", "denied"]),
  timestamp: z.string(),
}).openapi("AuditRow");

const AuditListSchema = z.object({
  rows: z.array(AuditRowSchema),
  count: z.number().int(),
  limit: z.number().int(),
});

/**
 * @example
 * ```ts
 * app.route("/", auditRoutes({ store, clock, guard: auth.admin }));
 * ```
 */
export function auditRoutes(deps: AuditDeps): ApiRouter {
  const router = createRouter();
  addRoute(router, deps.clock, {
    method: "get",
    path: "/api/v1/audit",
    operationId: "listAuditRows",
    tags: ["admin"],
    summary: "Audit rows, newest first",
    guard: deps.guard,
    query: AuditQuerySchema,
    success: { kind: "json", data: AuditListSchema },
  }, async (c, { query }) => {
    const rows = await audit.query(deps.store, {
      userId: query.user_id,
      action: query.action,
      since: query.since === undefined ? undefined : Date.parse(query.since),
      limit: query.limit,
    });
    return sendOk(c, deps.clock, { rows, count: rows.length, limit: query.limit });
  });
  return router;
}
