/**
 * The Telegram side of webhook mode: pointing Telegram at our webhook route, and checking that it
 * points there. Setting it is `deno task setup`'s job (and `deno task start`'s outside Deno
 * Deploy); a Deploy instance only checks.
 *
 * @module
 */
import { type Api } from "grammy";
import { type Config } from "../../config.ts";
import { getLogger } from "../../log.ts";
import { ALLOWED_UPDATES } from "./polling.ts";

const log = getLogger(["rvx", "webhook"]);

/**
 * How many webhook connections Telegram may hold open at once. With turns inside the request (on
 * Deno Deploy by default) a request stays open while the user's turn runs, so Telegram gets the
 * most it allows and held requests leave room for new deliveries; otherwise its default.
 */
export function webhookMaxConnections(
  config: Pick<Config, "webhookTurnsInRequest">,
): number {
  return config.webhookTurnsInRequest ? 100 : 40;
}

/**
 * Points Telegram at `WEBHOOK_URL` with the secret, the update types the bot handles and the
 * connection limit.
 *
 * @example
 * ```ts
 * await setWebhook(bot.api, config);
 * ```
 */
export async function setWebhook(api: Api, config: Config): Promise<void> {
  await api.setWebhook(config.webhookUrl!, {
    secret_token: config.webhookSecret,
    allowed_updates: [...ALLOWED_UPDATES],
    max_connections: webhookMaxConnections(config),
  });
}

/**
 * Logs an error (with the command that fixes it) when Telegram does not deliver to
 * `WEBHOOK_URL`. Only the production timeline checks: a preview or branch shares the bot's token
 * but never its webhook. Never throws.
 *
 * @returns whether the webhook is as configured (undefined when not checked)
 */
export async function checkWebhook(api: Api, config: Config): Promise<boolean | undefined> {
  if (config.timeline !== undefined && config.timeline !== "production") {
    log.info("Timeline {timeline}: Telegram's webhook belongs to production; not checked", {
      timeline: config.timeline,
    });
    return undefined;
  }
  try {
    const info = await api.getWebhookInfo();
    if (info.url === config.webhookUrl) return true;
    log.error(
      "Telegram delivers updates to {actual}, not to {expected}: run `deno task setup` (code {code})",
      { actual: info.url || "nowhere", expected: config.webhookUrl, code: "WEBHOOK_MISSING" },
    );
    return false;
  } catch (err) {
    log.warn("Could not check Telegram's webhook: {reason}", { reason: String(err) });
    return undefined;
  }
}
