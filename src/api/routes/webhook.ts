/**
 * `POST /telegram/webhook`: ingest only (docs/OPERATIONS.md, "HTTP API"). The secret header is checked in constant
 * time; the answer is 200 only once the update is durable in the inbox, 503 while KV is down, so
 * Telegram redelivers anything we did not keep.
 *
 * @module
 */
import { Hono } from "hono";
import { getLogger } from "@logtape/logtape";
import { type Inbox } from "../../actors/inbox.ts";
import { type Clock } from "../../core/clock.ts";
import { toAppError } from "../../core/errors.ts";
import { type ApiEnv } from "../env.ts";
import { constantTimeEqual } from "../middleware/tokens.ts";
import { sendError, sendOk } from "../respond.ts";

const log = getLogger(["rvx", "api", "webhook"]);

/** Largest webhook body accepted (docs/OPERATIONS.md, "HTTP API"). */
export const WEBHOOK_BODY_LIMIT = 102_400;

/** What the webhook route needs. */
export interface WebhookDeps {
  inbox: Inbox;
  /** `WEBHOOK_SECRET`: Telegram sends it as `X-Telegram-Bot-Api-Secret-Token`. */
  secret: string;
  clock: Clock;
}

/**
 * @example
 * ```ts
 * createApi({ ...deps, telegramWebhook: webhookRoutes({ inbox, secret, clock }) });
 * ```
 */
export function webhookRoutes(deps: WebhookDeps): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  app.post("/telegram/webhook", async (c) => {
    const { clock } = deps;
    const presented = c.req.header("X-Telegram-Bot-Api-Secret-Token") ?? "";
    if (!constantTimeEqual(presented, deps.secret)) {
      return sendError(c, clock, 401, "UNAUTHORIZED", "Missing or wrong secret token");
    }
    const declared = Number(c.req.header("Content-Length") ?? "0");
    if (declared > WEBHOOK_BODY_LIMIT) {
      return sendError(c, clock, 413, "PAYLOAD_TOO_LARGE", `Body over ${WEBHOOK_BODY_LIMIT} bytes`);
    }
    const raw = new Uint8Array(await c.req.arrayBuffer());
    if (raw.length > WEBHOOK_BODY_LIMIT) {
      return sendError(c, clock, 413, "PAYLOAD_TOO_LARGE", `Body over ${WEBHOOK_BODY_LIMIT} bytes`);
    }
    let body: unknown;
    try {
      body = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(raw));
    } catch {
      return sendError(c, clock, 400, "VALIDATION_ERROR_BODY", "Body must be JSON");
    }
    try {
      const [result] = await deps.inbox.ingest([body], "tg");
      if (result.status === "rejected") {
        return sendError(c, clock, 400, result.error.code, result.error.message);
      }
      return sendOk(c, clock, { status: result.status, update_id: result.updateId });
    } catch (err) {
      const appError = toAppError(err, { operation: "webhook.ingest" });
      const status = appError.name === "DatabaseError" ? 503 : 500;
      // Not acknowledged: Telegram delivers it again later. The update itself is not logged.
      log[status === 503 ? "warn" : "error"](
        "Webhook update {updateId} not accepted ({status}): {code}",
        {
          updateId: updateIdOf(body),
          status,
          code: appError.code,
          requestId: c.get("requestId"),
        },
      );
      return sendError(
        c,
        clock,
        status,
        status === 503 ? "UNAVAILABLE" : "INTERNAL_ERROR",
        status === 503 ? "Storage is unavailable; retry later" : "Internal error",
      );
    }
  });
  return app;
}

function updateIdOf(body: unknown): number | null {
  const id = (body as { update_id?: unknown } | null)?.update_id;
  return typeof id === "number" ? id : null;
}
