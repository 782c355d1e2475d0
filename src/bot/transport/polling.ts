/**
 * Long polling: our own `getUpdates` loop. The offset moves past a batch only after `ingest`
 * resolved, so an update Telegram handed us is never confirmed before it is durable. Errors back
 * off (1 s doubling to 5 s, so polling resumes within seconds of Telegram answering again, or
 * Telegram's `retry_after`); 401 and 409 stop the loop.
 *
 * @module
 */
import { type Api, GrammyError } from "grammy";
import { getLogger } from "@logtape/logtape";
import { type Inbox } from "../../actors/inbox.ts";
import { type Clock } from "../../core/clock.ts";
import { backoffDelay } from "../../core/retry.ts";
import { SchemaFenceError } from "../../store/schema_fence.ts";

/** The update kinds the bot handles (also sent with `setWebhook`). */
export const ALLOWED_UPDATES = [
  "message",
  "edited_message",
  "callback_query",
  "my_chat_member",
] as const;

/** Options of {@linkcode startPolling}. */
export interface PollingOptions {
  api: Api;
  inbox: Inbox;
  clock: Clock;
  /** Long-poll timeout in seconds. @default 30 */
  timeoutSeconds?: number;
}

/** A running polling loop. */
export interface Polling {
  /** Stops the loop (aborting the long poll in flight) and waits for it. */
  stop(): Promise<void>;
  /** Resolves when the loop ends (stopped, or a fatal error). */
  finished: Promise<void>;
}

const log = getLogger(["rvx", "bot", "polling"]);

/**
 * Starts polling after removing any webhook (Telegram refuses `getUpdates` while one is set).
 *
 * @example
 * ```ts
 * const polling = startPolling({ api: bot.api, inbox, clock });
 * Deno.addSignalListener("SIGTERM", () => polling.stop());
 * ```
 */
export function startPolling(options: PollingOptions): Polling {
  const controller = new AbortController();
  const finished = pollLoop(options, controller.signal);
  return {
    finished,
    stop: async () => {
      controller.abort();
      await finished;
    },
  };
}

/** grammY's npm build types signals with a shim; the platform's signal is what it really uses. */
type ApiSignal = Parameters<Api["getUpdates"]>[1];

async function pollLoop(options: PollingOptions, signal: AbortSignal): Promise<void> {
  const { api, inbox, clock } = options;
  const apiSignal = signal as unknown as ApiSignal;
  const timeout = options.timeoutSeconds ?? 30;
  let offset = 0;
  let failures = 0;
  try {
    await api.deleteWebhook({}, apiSignal);
  } catch (err) {
    if (signal.aborted) return;
    log.warn("deleteWebhook failed: {reason}", { reason: String(err) });
  }
  while (!signal.aborted) {
    try {
      const updates = await api.getUpdates(
        { offset, timeout, allowed_updates: [...ALLOWED_UPDATES] },
        apiSignal,
      );
      if (updates.length > 0) {
        const results = await inbox.ingest(updates, "tg");
        const rejected = results.filter((r) => r.status === "rejected").length;
        if (rejected > 0) log.warn("Skipped {rejected} malformed updates", { rejected });
        offset = Math.max(...updates.map((u) => u.update_id)) + 1;
      }
      failures = 0;
    } catch (err) {
      if (signal.aborted) return;
      if (err instanceof SchemaFenceError && err.code === "SCHEMA_CHANGED") {
        // A newer version migrated the KV and polls now; the fence logged why (nothing of this
        // batch was confirmed to Telegram).
        log.warn("Polling stopped: {code}", { code: err.code });
        return;
      }
      if (err instanceof GrammyError && (err.error_code === 401 || err.error_code === 409)) {
        log.fatal("Polling stopped: Telegram answered {code} {description}", {
          code: err.error_code,
          description: err.description,
        });
        return;
      }
      failures++;
      const retryAfter = err instanceof GrammyError ? err.parameters.retry_after : undefined;
      const delay = retryAfter !== undefined
        ? retryAfter * 1000
        : backoffDelay(failures, { baseMs: 1000, maxMs: 5_000 });
      log.warn("Polling failed ({failures} in a row), retrying in {delay} ms: {reason}", {
        failures,
        delay,
        reason: err instanceof Error ? err.message : String(err),
      });
      try {
        await clock.sleep(delay, signal);
      } catch {
        return;
      }
    }
  }
}
