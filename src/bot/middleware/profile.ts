/**
 * Loads the sender's account onto `ctx.user` (from the runtime's read when it brought one for
 * this turn, else in one read of two keys), creating it on first contact and refreshing what
 * Telegram tells us (name, last seen) at most hourly, all staged into the turn; XP and totals
 * wait for a feature that asks (`ctx.progress()`). A banned user (not an admin) is refused
 * politely here, before any feature runs.
 *
 * @module
 */
import { getLogger } from "@logtape/logtape";
import { type Middleware } from "grammy";
import { t } from "../../i18n/mod.ts";
import { stageSeen } from "../../store/activity.ts";
import * as counters from "../../store/counters.ts";
import * as profiles from "../../store/profiles.ts";
import { type BotContext } from "../context.ts";
import { isAdminUser } from "../admins.ts";
import { type BotServices } from "../services.ts";
import { sessionSlice } from "../session_slice.ts";

const REFRESH_MS = 3_600_000;
/**
 * Local-mode users (terminal chat, playground) there can be; past it a new one is refused
 * politely and stores nothing (docs/SECURITY.md, "Storage bounds"). Counted from the shared
 * counter, so concurrent first messages of several new local users may pass it by a few.
 */
export const MAX_LOCAL_USERS = 1000;
const log = getLogger(["rvx", "bot", "profile"]);
/** A banned user who keeps writing is told at most this often (button presses always). */
const BANNED_NOTICE_MS = 60_000;

/** When a banned user was last told (a session slice of this middleware's). */
const bannedNoticeAt = sessionSlice<number>({
  key: "bannedNoticeAt",
  initial: () => 0,
  valid: (v): v is number => typeof v === "number",
  expiry: { afterMs: BANNED_NOTICE_MS, at: (v) => v },
});

/** Tells a banned user, politely, that the bot will not serve them. */
async function refuseBanned(ctx: BotContext): Promise<void> {
  const { turn } = ctx;
  const text = t(turn.lang, "banned_notice");
  if (ctx.callbackQuery) return void await ctx.answerCallbackQuery({ text, show_alert: true });
  if (!ctx.message || ctx.chat?.type !== "private") return;
  const now = turn.clock.now();
  if (bannedNoticeAt.get(turn) !== 0) return;
  bannedNoticeAt.set(turn, now);
  await ctx.reply(text);
}

/**
 * @example
 * ```ts
 * bot.use(profileMiddleware(services));
 * ```
 */
export function profileMiddleware(
  services: Pick<BotServices, "store" | "config">,
): Middleware<BotContext> {
  return async function profileMiddlewareHandler(ctx, next) {
    const from = ctx.from;
    const { turn } = ctx;
    if (!from || from.is_bot || turn.userId === null) {
      // Telegram always names a real sender in private chats and on button presses; without
      // one the update is malformed, and every feature there works for a user: skip it.
      if (ctx.chat?.type === "private" || ctx.callbackQuery) {
        log.debug("Update {updateId} skipped: no valid sender", { updateId: ctx.update.update_id });
        return;
      }
      ctx.user = null;
      ctx.progress = () => Promise.resolve(profiles.noProgress());
      return await next();
    }
    const now = turn.clock.now();
    const existing = turn.account?.userId === from.id
      ? profiles.accountFrom(turn.account.entries)
      : await profiles.getAccount(services.store, from.id);
    let progress: Promise<profiles.UserProgress> | undefined;
    ctx.progress = () =>
      progress ??= existing
        ? profiles.getProgress(services.store, from.id)
        : Promise.resolve(profiles.noProgress());
    if (!existing && turn.local) {
      const held = await counters.get(services.store, "local_users_total");
      if (held >= MAX_LOCAL_USERS) {
        log.warning("Local user {userId} refused: {held} local users exist (code {code})", {
          userId: from.id,
          held,
          code: "LOCAL_USERS_FULL",
        });
        if (ctx.callbackQuery) return void await ctx.answerCallbackQuery();
        return void await ctx.reply(t(turn.lang, "local_users_full", { max: MAX_LOCAL_USERS }));
      }
    }
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
      if (!turn.local) stageSeen(turn.tx, null, now);
      ctx.user = profiles.toAccount(profile);
    } else {
      ctx.user = existing;
      const stale = now - Date.parse(existing.last_seen_at) > REFRESH_MS;
      const renamed = existing.username !== (from.username ?? null) ||
        existing.first_name !== (from.first_name ?? null);
      if (stale || renamed || !existing.active) {
        const refreshed = {
          ...profiles.ownFields(existing),
          username: from.username ?? null,
          first_name: from.first_name ?? null,
          active: true,
          blocked: false,
          last_seen_at: new Date(now).toISOString(),
        };
        profiles.save(turn.tx, refreshed);
        // Features that save the profile later in this turn build on the refreshed fields.
        ctx.user = { ...existing, ...refreshed };
        if (!existing.local) stageSeen(turn.tx, Date.parse(existing.last_seen_at), now);
      }
    }
    if (ctx.user.banned && !isAdminUser(services.config, from.id, turn.local)) {
      return await refuseBanned(ctx);
    }
    await next();
  };
}
