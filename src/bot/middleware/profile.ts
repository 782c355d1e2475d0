/**
 * Loads the sender's profile onto `ctx.user`, creating it on first contact and refreshing what
 * Telegram tells us (name, last seen) at most hourly, all staged into the turn.
 *
 * @module
 */
import { type Middleware } from "grammy";
import * as counters from "../../store/counters.ts";
import * as profiles from "../../store/profiles.ts";
import { type BotContext } from "../context.ts";
import { type BotServices } from "../services.ts";

const REFRESH_MS = 3_600_000;

/**
 * @example
 * ```ts
 * bot.use(profileMiddleware(services));
 * ```
 */
export function profileMiddleware(services: Pick<BotServices, "store">): Middleware<BotContext> {
  return async function profileMiddlewareHandler(ctx, next) {
    const from = ctx.from;
    const { turn } = ctx;
    if (!from || from.is_bot || turn.userId === null) {
      ctx.user = null;
      return await next();
    }
    const now = turn.clock.now();
    const existing = await profiles.get(services.store, from.id);
    if (!existing) {
      const profile = profiles.newProfile({
        id: from.id,
        language: turn.lang,
        username: from.username ?? null,
        first_name: from.first_name ?? null,
        local: turn.local,
      }, now);
      profiles.save(turn.tx, profile);
      counters.add(turn.tx, turn.local ? "local_users_total" : "users_total");
      ctx.user = profiles.toView(profile);
    } else {
      ctx.user = existing;
      const stale = now - Date.parse(existing.last_seen_at) > REFRESH_MS;
      const renamed = existing.username !== (from.username ?? null) ||
        existing.first_name !== (from.first_name ?? null);
      if (stale || renamed || !existing.active) {
        profiles.save(turn.tx, {
          ...profiles.ownFields(existing),
          username: from.username ?? null,
          first_name: from.first_name ?? null,
          active: true,
          blocked: false,
          last_seen_at: new Date(now).toISOString(),
        });
      }
    }
    await next();
  };
}
