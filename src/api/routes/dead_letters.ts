/**
 * `/api/v1/dead_letters`: list, show, retry and discard dead letters, one at a time or by filter
 * (docs/OPERATIONS.md, "Dead letters"). Every action is audited with the caller's address.
 *
 * @module
 */
import { type Context } from "hono";
import { z } from "@hono/zod-openapi";
import {
  type BulkOutcome,
  type DeadLetterAction,
  type DeadLetterRefused,
  refusal,
  refusalMessage,
  settleDeadLetter,
  settleMatching,
} from "../../actors/dead_letters.ts";
import { type Clock } from "../../core/clock.ts";
import {
  DEAD_LETTER_ID,
  getDeadLetter,
  queryDeadLetters,
  summarise,
  updateText,
} from "../../store/dead_letters.ts";
import { type Store } from "../../store/kv.ts";
import { type ApiEnv } from "../env.ts";
import { addRoute, type ApiRouter, createRouter, type Guard } from "../openapi.ts";
import { sendError, sendOk } from "../respond.ts";

/** What the dead-letter routes use. */
export interface DeadLettersDeps {
  store: Store;
  clock: Clock;
  guard: Guard;
  /** `DEAD_LETTER_RETENTION_DAYS`. */
  retentionDays: number;
  /** Wakes this process's actor for a retried update (else the minute inbox sweep finds it). */
  scheduleActor?: (actor: string, updateId: number) => void;
}

const DAY_MS = 86_400_000;
/** Letters one bulk call acts on at most; the answer's `more` says to call again. */
export const BULK_MAX = 1000;

const UserIdSchema = z.coerce.number({ error: "must be a whole number" })
  .int({ error: "must be a whole number" })
  .min(-Number.MAX_SAFE_INTEGER, { error: "is out of range" })
  .max(Number.MAX_SAFE_INTEGER, { error: "is out of range" });
const ErrorCodeSchema = z.string({ error: "must be given once" })
  .regex(/^[A-Z0-9_]{1,100}$/, { error: "must be 1–100 of A-Z0-9_" });

/** The list's query string. */
export const DeadLetterQuerySchema = z.object({
  user_id: UserIdSchema.optional().openapi({ description: "Only this user's letters" }),
  error_code: ErrorCodeSchema.optional()
    .openapi({ description: "Only letters with this error code", example: "TURN_FAILED" }),
  cursor: z.string({ error: "must be given once" })
    .regex(DEAD_LETTER_ID, { error: "must be a next_cursor from a previous page" })
    .optional().openapi({ description: "The previous page's `next_cursor`" }),
  limit: z.coerce.number({ error: "must be a whole number from 1 to 200" })
    .int({ error: "must be a whole number from 1 to 200" })
    .min(1, { error: "must be a whole number from 1 to 200" })
    .max(200, { error: "must be a whole number from 1 to 200" })
    .default(50),
});

/** The body of a bulk retry or discard. */
export const DeadLetterFilterSchema = z.object({
  user_id: z.number({ error: "must be a whole number" }).int({ error: "must be a whole number" })
    .optional().openapi({ description: "Only this user's letters" }),
  error_code: ErrorCodeSchema.optional()
    .openapi({ description: "Only letters with this error code", example: "PROVIDER_TIMEOUT" }),
  all: z.literal(true, { error: "must be true to act on every letter" }).optional()
    .openapi({ description: "Required (true) when neither user_id nor error_code is given" }),
  max: z.number({ error: "must be a whole number from 1 to 1000" })
    .int({ error: "must be a whole number from 1 to 1000" })
    .min(1, { error: "must be a whole number from 1 to 1000" })
    .max(BULK_MAX, { error: "must be a whole number from 1 to 1000" })
    .default(500).openapi({ description: "Letters acted on at most by this call" }),
}).strict().superRefine((body, ctx) => {
  if (body.user_id === undefined && body.error_code === undefined && body.all !== true) {
    ctx.addIssue({
      code: "custom",
      path: ["all"],
      message: "must be true when neither user_id nor error_code is given",
    });
  }
}).openapi("DeadLetterFilter");

const DeadLetterSummarySchema = z.object({
  id: z.string().openapi({ description: "Time-ordered; each occurrence has its own" }),
  actor: z.string(),
  user_id: z.number().int().nullable(),
  source: z.string(),
  update_id: z.number().int(),
  update_type: z.string().openapi({ example: "message" }),
  reason: z.string().openapi({ example: "TURN_FAILED" }),
  error_code: z.string(),
  attempts: z.number().int(),
  at: z.string().openapi({ format: "date-time" }),
}).openapi("DeadLetterSummary");

const DeadLetterSchema = DeadLetterSummarySchema.extend({
  update: z.unknown().openapi({ description: "The Telegram update (text if it is not JSON)" }),
}).openapi("DeadLetter");

const DeadLetterPageSchema = z.object({
  letters: z.array(DeadLetterSummarySchema),
  count: z.number().int(),
  limit: z.number().int(),
  next_cursor: z.string().nullable()
    .openapi({ description: "Pass as `cursor` for the next page; null on the last" }),
});

const ActionResultSchema = z.object({
  action: z.enum(["retried", "discarded"]),
  letter: DeadLetterSummarySchema,
});

const BulkResultSchema = z.object({
  action: z.enum(["retried", "discarded"]),
  done: z.number().int(),
  skipped: z.array(z.object({ id: z.string(), code: z.string() })),
  more: z.boolean().openapi({ description: "More letters match: call again for the rest" }),
});

const IdParamsSchema = z.object({
  id: z.string().regex(DEAD_LETTER_ID, { error: "must be a dead letter id (20 of 0-9a-z)" })
    .openapi({ param: { name: "id", in: "path" }, example: "0mjuohs000001k05wzl8" }),
});

/** The HTTP status of an action that changed nothing: gone is 404, a state conflict 409. */
const REFUSAL_STATUS: Record<DeadLetterRefused["code"], 404 | 409> = {
  DEAD_LETTER_NOT_FOUND: 404,
  DEAD_LETTER_DISCARDED: 404,
  DEAD_LETTER_ALREADY_RETRIED: 409,
  DEAD_LETTER_ALREADY_QUEUED: 409,
  DEAD_LETTER_UNREADABLE: 409,
};

function sendRefusal(c: Context<ApiEnv>, clock: Clock, refused: DeadLetterRefused): Response {
  return sendError(
    c,
    clock,
    REFUSAL_STATUS[refused.code],
    refused.code,
    refusalMessage(c.get("lang"), refused),
    { id: refused.id },
  );
}

/**
 * @example
 * ```ts
 * app.route("/", deadLettersRoutes({ store, clock, guard: auth.admin, retentionDays: 30 }));
 * ```
 */
export function deadLettersRoutes(deps: DeadLettersDeps): ApiRouter {
  const router = createRouter();
  const { store, clock, guard } = deps;
  const retentionMs = deps.retentionDays * DAY_MS;
  const actionOptions = (c: Context<ApiEnv>) => ({
    now: clock.now(),
    retentionMs,
    by: { via: "api", ip: c.get("clientIp") ?? null },
    onQueued: deps.scheduleActor,
  });

  addRoute(router, clock, {
    method: "get",
    path: "/api/v1/dead_letters",
    operationId: "listDeadLetters",
    tags: ["admin"],
    summary: "Dead letters, newest first, paged",
    description: "Updates given up on after `TURN_MAX_ATTEMPTS` (or that could not commit), " +
      "kept `DEAD_LETTER_RETENTION_DAYS`. Filter by `user_id` and `error_code`; page with " +
      "`cursor` = the previous page's `next_cursor`.",
    guard,
    query: DeadLetterQuerySchema,
    success: { kind: "json", data: DeadLetterPageSchema },
  }, async (c, { query }) => {
    const page = await queryDeadLetters(store, {
      userId: query.user_id,
      errorCode: query.error_code,
      cursor: query.cursor,
      limit: query.limit,
      now: clock.now(),
      retentionMs,
    });
    const letters = page.letters.map(summarise);
    return sendOk(c, clock, {
      letters,
      count: letters.length,
      limit: query.limit,
      next_cursor: page.next_cursor,
    });
  });

  addRoute(router, clock, {
    method: "get",
    path: "/api/v1/dead_letters/{id}",
    operationId: "getDeadLetter",
    tags: ["admin"],
    summary: "One dead letter with its update",
    description: "The update, the error code, the attempts and when it was given up on. " +
      "404 `DEAD_LETTER_NOT_FOUND` or `DEAD_LETTER_DISCARDED`; 409 " +
      "`DEAD_LETTER_ALREADY_RETRIED` for one that was retried.",
    guard,
    params: IdParamsSchema,
    success: { kind: "json", data: DeadLetterSchema },
    errors: [404, 409],
  }, async (c, { params }) => {
    const found = await getDeadLetter(store, params.id, { now: clock.now(), retentionMs });
    if (found.status !== "live") {
      return sendRefusal(c, clock, refusal(params.id, found));
    }
    const text = await updateText(store, found.letter);
    let update: unknown = text;
    try {
      update = JSON.parse(text);
    } catch { /* a letter kept with a capped text: shown as text */ }
    return sendOk(c, clock, { ...summarise(found.letter), update });
  });

  const single = (action: DeadLetterAction) => async (c: Context<ApiEnv>, id: string) => {
    const outcome = await settleDeadLetter(store, action, id, actionOptions(c));
    if (!outcome.ok) return sendRefusal(c, clock, outcome);
    return sendOk(c, clock, {
      action: action === "retry" ? "retried" : "discarded",
      letter: summarise(outcome.letter),
    });
  };
  const retryOne = single("retry");
  const discardOne = single("discard");

  addRoute(router, clock, {
    method: "post",
    path: "/api/v1/dead_letters/{id}/retry",
    operationId: "retryDeadLetter",
    tags: ["admin"],
    summary: "Retry a dead letter: its update is queued again, once",
    description: "The update goes back into its user's inbox and runs in `update_id` order " +
      "with that user's other queued updates. 404 `DEAD_LETTER_NOT_FOUND` or " +
      "`DEAD_LETTER_DISCARDED`; 409 `DEAD_LETTER_ALREADY_RETRIED`, " +
      "`DEAD_LETTER_ALREADY_QUEUED` or `DEAD_LETTER_UNREADABLE`; nothing changes then.",
    guard,
    params: IdParamsSchema,
    success: { kind: "json", data: ActionResultSchema },
    errors: [404, 409],
  }, (c, { params }) => retryOne(c, params.id));

  addRoute(router, clock, {
    method: "delete",
    path: "/api/v1/dead_letters/{id}",
    operationId: "discardDeadLetter",
    tags: ["admin"],
    summary: "Discard a dead letter",
    description: "404 `DEAD_LETTER_NOT_FOUND` or `DEAD_LETTER_DISCARDED`; 409 " +
      "`DEAD_LETTER_ALREADY_RETRIED`; nothing changes then.",
    guard,
    params: IdParamsSchema,
    success: { kind: "json", data: ActionResultSchema },
    errors: [404, 409],
  }, (c, { params }) => discardOne(c, params.id));

  for (const action of ["retry", "discard"] as const) {
    addRoute(router, clock, {
      method: "post",
      path: `/api/v1/dead_letters/${action}`,
      operationId: action === "retry" ? "retryDeadLetters" : "discardDeadLetters",
      tags: ["admin"],
      summary: action === "retry"
        ? "Retry every dead letter matching a filter (after an outage)"
        : "Discard every dead letter matching a filter",
      description: "Acts on at most `max` letters, newest first, each with its own audit row; " +
        "`more: true` means more match: call again. Letters that cannot be acted on are listed " +
        "in `skipped` with their code.",
      guard,
      body: DeadLetterFilterSchema,
      success: { kind: "json", data: BulkResultSchema },
    }, async (c, { body }) => {
      const outcome: BulkOutcome = await settleMatching(
        store,
        action,
        { userId: body.user_id, errorCode: body.error_code },
        { ...actionOptions(c), max: body.max },
      );
      return sendOk(c, clock, { action: action === "retry" ? "retried" : "discarded", ...outcome });
    });
  }
  return router;
}
