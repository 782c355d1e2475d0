/**
 * Admin commands (`ADMIN_USER_IDS`, README "Commands"): `/admin` (figures from counters), `/ban`,
 * `/unban`, `/tier`, `/clear_cache` (a job) and `/broadcast` (confirmed with buttons, then a job:
 * see `broadcast_job.ts`; the jobs are in `jobs.ts`). Anyone else gets a polite refusal. Every use, refused or not, stages an
 * audit row (action, command, parameters, result) into the turn.
 *
 * @module
 */
import { Composer } from "grammy";
import { type InlineKeyboardMarkup } from "grammy/types";
import { randomId } from "../../../core/ids.ts";
import { type AuditEntry } from "../../../core/sinks.ts";
import { type Lang, t } from "../../../i18n/mod.ts";
import { activeUsers } from "../../../store/activity.ts";
import * as audit from "../../../store/audit.ts";
import * as counters from "../../../store/counters.ts";
import { BACKUP_JOB } from "../../../store/backups.ts";
import { createJob } from "../../../store/jobs.ts";
import * as profiles from "../../../store/profiles.ts";
import { BANNED_COUNTER } from "../../../store/profiles.ts";
import { isAdminUser } from "../../admins.ts";
import { callbackKind, text, yesNo } from "../../callback_kind.ts";
import { type BotContext } from "../../context.ts";
import { defineFeature } from "../../feature.ts";
import { type BotServices } from "../../services.ts";
import { answerStale } from "../../show.ts";
import { sessionSlice } from "../../session_slice.ts";
import { BROADCAST_JOB } from "./broadcast_job.ts";
import { ADMIN_JOBS, CLEAR_CACHE_JOB } from "./jobs.ts";

/** The admin commands; everyone else is refused them. */
export const ADMIN_COMMANDS = [
  "admin",
  "ban",
  "unban",
  "tier",
  "clear_cache",
  "broadcast",
  "backup",
] as const;

/** The gauge of banned users, kept by `/ban` and `/unban`. */
export { BANNED_COUNTER };

/** Telegram's longest message. */
const MAX_MESSAGE = 4096;
/** The longest broadcast text shown again in the confirmation. */
const MAX_PREVIEW = 3500;
/** How long a broadcast's Send button stays valid. */
const CONFIRM_TTL_MS = 15 * 60_000;
/** Send/cancel of one broadcast, tied to it by a nonce: `bc:<nonce>:yes`. */
const broadcastButton = callbackKind("bc", { nonce: text("[A-Za-z0-9_-]{8}"), confirm: yesNo() });

/** The broadcast waiting for the admin's Send. */
const pendingBroadcast = sessionSlice<{ text: string; nonce: string; at: number } | null>({
  key: "broadcast",
  initial: () => null,
  valid: (v): v is { text: string; nonce: string; at: number } | null =>
    v === null || (typeof v === "object" && typeof (v as { nonce?: unknown }).nonce === "string"),
  // The Send button stays valid this long.
  expiry: { afterMs: CONFIRM_TTL_MS, at: (v) => v?.at ?? null },
});

function broadcastKeyboard(lang: Lang, nonce: string): InlineKeyboardMarkup {
  return {
    inline_keyboard: [[
      {
        text: t(lang, "admin_broadcast_yes"),
        callback_data: broadcastButton.pack({ nonce, confirm: true }),
      },
      {
        text: t(lang, "admin_broadcast_no"),
        callback_data: broadcastButton.pack({ nonce, confirm: false }),
      },
    ]],
  };
}

/** A Telegram user id (positive; ids fit in 52 bits). */
const USER_ID = "(\\d{1,16})";

/** The audit entry of an admin action in this turn. */
function adminEntry(
  ctx: BotContext,
  entry: Pick<AuditEntry, "action" | "status" | "result" | "parameters">,
): AuditEntry {
  return {
    user_id: ctx.turn.userId,
    username: ctx.from?.username ?? null,
    command: ctx.message?.text ?? ctx.callbackQuery?.data ?? null,
    ...entry,
  };
}

/** Stages the audit row of an admin action into the turn. */
function auditAdmin(
  ctx: BotContext,
  entry: Pick<AuditEntry, "action" | "status" | "result" | "parameters">,
): void {
  audit.record(ctx.turn.tx, adminEntry(ctx, entry), ctx.turn.clock.now());
}

/** Stages the row of a refused admin command, within the user's daily allowance of such rows. */
async function auditDenied(
  ctx: BotContext,
  store: BotServices["store"],
  entry: Pick<AuditEntry, "action" | "parameters">,
): Promise<void> {
  const { userId } = ctx.turn;
  const denied = adminEntry(ctx, { ...entry, status: "denied", result: "not an admin" });
  if (userId === null) return auditAdmin(ctx, denied);
  await audit.recordDenied(
    store,
    ctx.turn.tx,
    { ...denied, user_id: userId },
    ctx.turn.clock.now(),
  );
}

/** `ban` for `/ban@rvx_bot 42`. */
function commandOf(ctx: BotContext): string {
  return /^\/(\w+)/.exec(ctx.message?.text ?? "")?.[1].toLowerCase() ?? "unknown";
}

function percent(part: number, whole: number): string | null {
  return whole > 0 ? `${Math.round((part / whole) * 1000) / 10}%` : null;
}

function adminComposer(services: BotServices): Composer<BotContext> {
  const { config, store } = services;
  const feature = new Composer<BotContext>();
  const privateChats = feature.chatType("private");
  const isAdmin = (ctx: BotContext) => isAdminUser(config, ctx.turn.userId, ctx.turn.local);

  // === Everyone else: a polite refusal, audited as denied
  const others = privateChats.drop(isAdmin);
  others.command([...ADMIN_COMMANDS], async (ctx) => {
    await auditDenied(ctx, store, {
      action: `admin.${commandOf(ctx)}`,
      parameters: { args: ctx.match },
    });
    await ctx.reply(t(ctx.turn.lang, "admin_denied"));
  });
  others.callbackQuery(broadcastButton.pattern, async (ctx) => {
    await auditDenied(ctx, store, { action: "admin.broadcast" });
    await ctx.answerCallbackQuery({ text: t(ctx.turn.lang, "admin_denied") });
  });

  const admins = privateChats.filter(isAdmin);

  // === /admin: figures from counters
  admins.command("admin", async (ctx) => {
    const { lang, clock } = ctx.turn;
    const names = [
      "users_total",
      BANNED_COUNTER,
      "analyses_total",
      "questions_total",
      "errors_error",
      "errors_critical",
      "cache_hits",
      "cache_misses",
      "feedback_up",
      "feedback_down",
      "dead_letters",
    ] as const;
    const [values, active] = await Promise.all([
      counters.getMany(store, names),
      activeUsers(store, clock.now()),
    ]);
    const c = Object.fromEntries(names.map((name, i) => [name, Math.max(0, values[i])])) as Record<
      typeof names[number],
      number
    >;
    const figures = {
      users: c.users_total,
      active,
      banned: c[BANNED_COUNTER],
      analyses: c.analyses_total,
      questions: c.questions_total,
      errors: c.errors_error,
      critical: c.errors_critical,
      hit_rate: percent(c.cache_hits, c.cache_hits + c.cache_misses) ?? t(lang, "admin_none"),
      up: c.feedback_up,
      down: c.feedback_down,
      dead_letters: c.dead_letters,
    };
    auditAdmin(ctx, { action: "admin.stats", status: "ok", result: JSON.stringify(figures) });
    await ctx.reply(t(lang, "admin_stats", figures));
  });

  // === /ban <id> [reason], /unban <id>, /tier <id> <free|pro>
  admins.command("ban", async (ctx) => {
    const { lang, tx } = ctx.turn;
    const m = new RegExp(`^${USER_ID}(?:\\s+([\\s\\S]+))?$`).exec(ctx.match.trim());
    if (!m) {
      auditAdmin(ctx, { action: "admin.ban", status: "error", result: "usage" });
      return void await ctx.reply(t(lang, "admin_usage_ban"));
    }
    const id = Number(m[1]);
    const reason = m[2]?.trim().slice(0, 200) || null;
    const parameters = { target: id, reason };
    if (isAdminUser(config, id, false)) {
      auditAdmin(ctx, {
        action: "admin.ban",
        status: "error",
        result: "target is an admin",
        parameters,
      });
      return void await ctx.reply(t(lang, "admin_ban_admin", { id }));
    }
    const user = await profiles.getAccount(store, id);
    if (!user) {
      auditAdmin(ctx, { action: "admin.ban", status: "error", result: "no such user", parameters });
      return void await ctx.reply(t(lang, "admin_user_not_found", { id }));
    }
    profiles.setAdminFlags(
      tx,
      id,
      { tier: user.tier, banned: true, ban_reason: reason },
      ctx.turn.clock.now(),
    );
    if (!user.banned) counters.add(tx, BANNED_COUNTER);
    auditAdmin(ctx, {
      action: "admin.ban",
      status: "ok",
      result: user.banned ? "reason updated" : "banned",
      parameters,
    });
    await ctx.reply(t(lang, "admin_banned", { id, reason: reason ?? t(lang, "admin_no_reason") }));
  });

  admins.command("unban", async (ctx) => {
    const { lang, tx } = ctx.turn;
    const m = new RegExp(`^${USER_ID}$`).exec(ctx.match.trim());
    if (!m) {
      auditAdmin(ctx, { action: "admin.unban", status: "error", result: "usage" });
      return void await ctx.reply(t(lang, "admin_usage_unban"));
    }
    const id = Number(m[1]);
    const user = await profiles.getAccount(store, id);
    if (!user) {
      auditAdmin(ctx, {
        action: "admin.unban",
        status: "error",
        result: "no such user",
        parameters: { target: id },
      });
      return void await ctx.reply(t(lang, "admin_user_not_found", { id }));
    }
    if (user.banned) {
      profiles.setAdminFlags(
        tx,
        id,
        { tier: user.tier, banned: false, ban_reason: null },
        ctx.turn.clock.now(),
      );
      counters.add(tx, BANNED_COUNTER, -1);
    }
    auditAdmin(ctx, {
      action: "admin.unban",
      status: "ok",
      result: user.banned ? "unbanned" : "was not banned",
      parameters: { target: id },
    });
    await ctx.reply(t(lang, user.banned ? "admin_unbanned" : "admin_not_banned", { id }));
  });

  admins.command("tier", async (ctx) => {
    const { lang, tx } = ctx.turn;
    const m = new RegExp(`^${USER_ID}\\s+(free|pro)$`, "i").exec(ctx.match.trim());
    if (!m) {
      auditAdmin(ctx, { action: "admin.tier", status: "error", result: "usage" });
      return void await ctx.reply(t(lang, "admin_usage_tier"));
    }
    const id = Number(m[1]);
    const tier = m[2].toLowerCase() as "free" | "pro";
    const parameters = { target: id, tier };
    const user = await profiles.getAccount(store, id);
    if (!user) {
      auditAdmin(ctx, {
        action: "admin.tier",
        status: "error",
        result: "no such user",
        parameters,
      });
      return void await ctx.reply(t(lang, "admin_user_not_found", { id }));
    }
    profiles.setAdminFlags(tx, id, {
      tier,
      banned: user.banned,
      ban_reason: user.ban_reason,
    }, ctx.turn.clock.now());
    auditAdmin(ctx, {
      action: "admin.tier",
      status: "ok",
      result: `${user.tier} -> ${tier}`,
      parameters,
    });
    await ctx.reply(t(lang, "admin_tier_set", { id, tier }));
  });

  // === /clear_cache: a job; the admin is told when it is done
  admins.command("clear_cache", async (ctx) => {
    const { turn } = ctx;
    const job = createJob(turn.tx, {
      kind: CLEAR_CACHE_JOB,
      params: { admin_id: turn.userId },
      notify: { chatId: turn.chatId ?? turn.userId!, lang: turn.lang },
    }, turn.clock.now());
    auditAdmin(ctx, { action: "admin.clear_cache", status: "ok", result: `job ${job.id} queued` });
    await ctx.reply(t(turn.lang, "admin_cache_clearing"));
    services.kickJobs();
  });

  // === /backup: a job; the admin is told the backup's name when it is written
  admins.command("backup", async (ctx) => {
    const { turn } = ctx;
    const job = createJob(turn.tx, {
      kind: BACKUP_JOB,
      params: { userId: turn.userId },
      notify: { chatId: turn.chatId ?? turn.userId!, lang: turn.lang },
    }, turn.clock.now());
    auditAdmin(ctx, { action: "admin.backup", status: "ok", result: `job ${job.id} queued` });
    await ctx.reply(t(turn.lang, "admin_backup_started"));
    services.kickJobs();
  });

  // === /broadcast <text>: confirm first, then a job
  admins.command("broadcast", async (ctx) => {
    const { turn } = ctx;
    const text = ctx.match.trim();
    if (!text) {
      auditAdmin(ctx, { action: "admin.broadcast", status: "error", result: "usage" });
      return void await ctx.reply(t(turn.lang, "admin_usage_broadcast"));
    }
    if (text.length > MAX_MESSAGE) {
      auditAdmin(ctx, {
        action: "admin.broadcast",
        status: "error",
        result: "too long",
        parameters: { length: text.length },
      });
      return void await ctx.reply(
        t(turn.lang, "admin_broadcast_too_long", { length: text.length, limit: MAX_MESSAGE }),
      );
    }
    const nonce = randomId(6);
    pendingBroadcast.set(turn, { text, nonce, at: turn.clock.now() });
    auditAdmin(ctx, {
      action: "admin.broadcast",
      status: "ok",
      result: "confirmation asked",
      parameters: { length: text.length },
    });
    const preview = text.length > MAX_PREVIEW ? `${text.slice(0, MAX_PREVIEW)}…` : text;
    await ctx.reply(t(turn.lang, "admin_broadcast_confirm", { text: preview }), {
      reply_markup: broadcastKeyboard(turn.lang, nonce),
    });
  });

  admins.callbackQuery(broadcastButton.pattern, async (ctx) => {
    const { turn } = ctx;
    const action = broadcastButton.parse(ctx.callbackQuery.data);
    const pending = pendingBroadcast.get(turn);
    if (!action || pending?.nonce !== action.nonce) {
      return void await answerStale(ctx);
    }
    pendingBroadcast.set(turn, null);
    await ctx.answerCallbackQuery();
    const text = pending.text;
    if (!action.confirm) {
      auditAdmin(ctx, { action: "admin.broadcast", status: "ok", result: "cancelled" });
      return void await ctx.editMessageText(t(turn.lang, "admin_broadcast_cancelled"));
    }
    const job = createJob(turn.tx, {
      kind: BROADCAST_JOB,
      params: { text, admin_id: turn.userId },
      notify: { chatId: turn.chatId ?? turn.userId!, lang: turn.lang },
    }, ctx.turn.clock.now());
    auditAdmin(ctx, {
      action: "admin.broadcast",
      status: "ok",
      result: `job ${job.id} queued`,
      parameters: { length: text.length, text },
    });
    await ctx.editMessageText(t(turn.lang, "admin_broadcast_started"));
    services.kickJobs();
  });

  return feature;
}

/** The admin commands (kept off the command lists) and their jobs. */
export const adminFeature = defineFeature({
  name: "admin",
  commands: ADMIN_COMMANDS.map((name) => ({ name })),
  callbacks: [broadcastButton],
  session: [pendingBroadcast],
  jobs: ADMIN_JOBS,
  composer: adminComposer,
});
