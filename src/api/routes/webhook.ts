/**
 * `POST /telegram/webhook` (docs/OPERATIONS.md, "HTTP API"). The secret header is checked in
 * constant time; the answer is 200 only once the update is durable in the inbox, 503 while KV is
 * down or its schema is not this code's (`SCHEMA_CHANGED`, `SCHEMA_BEHIND`), so Telegram
 * redelivers anything we did not keep. With turns in the request (Deno Deploy,
 * docs/DEPLOY.md) the answer waits, after ingest, until this update's turn is done or the
 * deadline passes: on Deploy only an open request keeps the instance alive.
 *
 * @module
 */
import { Hono } from "hono";
import { getLogger } from "@logtape/logtape";
import { type Inbox } from "../../actors/inbox.ts";
import { type Config } from "../../config.ts";
import { type Clock } from "../../core/clock.ts";
import { toAppError } from "../../core/errors.ts";
import { SchemaFenceError } from "../../store/schema_fence.ts";
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
  /** Run turns inside the request (`WEBHOOK_TURNS_IN_REQUEST`); absent: answer once durable. */
  turns?: WebhookTurns;
}

/** How the webhook waits for the turn of the update it ingested. */
export interface WebhookTurns {
  /** `WEBHOOK_TURN_DEADLINE_MS`, from the request's start. */
  deadlineMs: number;
  /** The supervisor, once this process has one (during a start it is still being built). */
  runtime: Promise<TurnSource>;
}

/** What tells the webhook that a turn is done: the supervisor. */
export interface TurnSource {
  /**
   * Resolves when the turn of `updateId` for `actor` is done in this process, or when `signal`
   * aborts; never rejects.
   */
  turnSettled(actor: string, updateId: number, signal: AbortSignal): Promise<void>;
  /** Whether that turn was done lately in this process. */
  isTurnSettled(actor: string, updateId: number): boolean;
}

/**
 * The webhook route the settings ask for (`BOT_MODE=webhook` with `WEBHOOK_SECRET`; turns in the
 * request with `WEBHOOK_TURNS_IN_REQUEST`), or none.
 *
 * @example
 * ```ts
 * const telegramWebhook = configuredWebhook(config, { inbox, clock, runtime });
 * ```
 */
export function configuredWebhook(
  config: Config,
  deps: { inbox: Inbox; clock: Clock; runtime: Promise<TurnSource> },
): Hono<ApiEnv> | undefined {
  if (config.botMode !== "webhook" || !config.webhookSecret) return undefined;
  return webhookRoutes({
    inbox: deps.inbox,
    secret: config.webhookSecret,
    clock: deps.clock,
    turns: config.webhookTurnsInRequest
      ? { deadlineMs: config.webhookTurnDeadlineMs, runtime: deps.runtime }
      : undefined,
  });
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
      if (result.status !== "queued" || !deps.turns) {
        return sendOk(c, clock, { status: result.status, update_id: result.updateId });
      }
      // Durable now: whatever happens to this request, the update is not lost.
      const turn = await awaitTurn(deps.turns, clock, result.actor, result.updateId, {
        startedAt: c.get("startedAt") ?? clock.now(),
        request: c.req.raw.signal,
      });
      return sendOk(c, clock, { status: result.status, update_id: result.updateId, turn });
    } catch (err) {
      if (err instanceof SchemaFenceError) {
        // The KV's schema is not this code's: a process of the right version takes it on
        // redelivery (docs/OPERATIONS.md, "Upgrading"). The fence logged why, once.
        c.header("Retry-After", "5");
        return sendError(c, clock, 503, err.code, err.message);
      }
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

/**
 * Waits for the turn until the deadline (counted from the request's start) or until the client
 * goes away: "done" when it was done in this process, else "pending" (the owner of the actor,
 * this process later or another, finishes it).
 */
async function awaitTurn(
  turns: WebhookTurns,
  clock: Clock,
  actor: string,
  updateId: number,
  { startedAt, request }: { startedAt: number; request: AbortSignal },
): Promise<"done" | "pending"> {
  const stop = new AbortController();
  const signal = AbortSignal.any([stop.signal, request]);
  const remaining = Math.max(0, startedAt + turns.deadlineMs - clock.now());
  let runtime: TurnSource | null = null;
  try {
    await Promise.race([
      turns.runtime.then((found) => {
        runtime = found;
        return found.turnSettled(actor, updateId, signal);
      }),
      clock.sleep(remaining, signal).catch(() => {}),
    ]);
  } finally {
    stop.abort();
  }
  return (runtime as TurnSource | null)?.isTurnSettled(actor, updateId) ? "done" : "pending";
}

function updateIdOf(body: unknown): number | null {
  const id = (body as { update_id?: unknown } | null)?.update_id;
  return typeof id === "number" ? id : null;
}
