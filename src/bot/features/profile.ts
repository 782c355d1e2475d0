/**
 * `/profile` (XP, level and the way to the next, streak, badges, course progress) and
 * `/leaderboard` (week, month, all time: XP earned in the period, from the period counters of
 * `store/leaderboard.ts`, never by scanning users).
 *
 * @module
 */
import { Composer } from "grammy";
import { t } from "../../i18n/mod.ts";
import { BADGES, utcDay } from "../../learning/badges.ts";
import * as leaderboard from "../../store/leaderboard.ts";
import { LEADERBOARD_PERIODS, type LeaderboardPeriod } from "../../store/leaderboard.ts";
import * as learning from "../../store/learning.ts";
import { xpForLevel } from "../../store/profiles.ts";
import { type InlineKeyboardMarkup } from "grammy/types";
import { type Lang } from "../../i18n/mod.ts";
import { callbackKind, oneOf } from "../callback_kind.ts";
import { type BotContext } from "../context.ts";
import { commandNames, defineFeature, type FeatureCommand } from "../feature.ts";
import { escapeHtml } from "../html.ts";
import { type BotServices } from "../services.ts";
import { displayName, showHtml } from "../show.ts";

const PROFILE: FeatureCommand = {
  name: "profile",
  aliases: ["me"],
  description: "command_profile",
};
const LEADERBOARD: FeatureCommand = {
  name: "leaderboard",
  aliases: ["top"],
  description: "command_leaderboard",
};

/** The period switch under `/leaderboard`: `lb:week`, `lb:month`, `lb:all`. */
const periodButton = callbackKind("lb", { period: oneOf(LEADERBOARD_PERIODS) });

/** The period switch; the shown period is marked. */
function leaderboardKeyboard(lang: Lang, shown: LeaderboardPeriod): InlineKeyboardMarkup {
  return {
    inline_keyboard: [
      LEADERBOARD_PERIODS.map((period) => {
        const label = t(lang, `leaderboard_${period}` as const);
        return {
          text: period === shown ? `• ${label} •` : label,
          callback_data: periodButton.pack({ period }),
        };
      }),
    ],
  };
}

/** Places shown in a leaderboard. */
export const LEADERBOARD_SIZE = 10;

const BAR_CELLS = 10;
const DAY_MS = 86_400_000;
const MEDALS = ["🥇", "🥈", "🥉"];

function progressBar(done: number, of: number): string {
  const filled = of > 0 ? Math.min(BAR_CELLS, Math.floor((done * BAR_CELLS) / of)) : 0;
  return `${"▓".repeat(filled)}${"░".repeat(BAR_CELLS - filled)}`;
}

/** Replies with the user's profile. */
async function replyProfile(ctx: BotContext, services: BotServices): Promise<void> {
  const { turn, user } = ctx;
  if (!user || turn.userId === null) return;
  const { lang } = turn;
  const [progress, { xp, level }] = await Promise.all([
    learning.get(services.store, turn.userId),
    ctx.progress(),
  ]);
  const passed = new Set(progress.passed);
  const start = xpForLevel(level);
  const end = xpForLevel(level + 1);
  // A run counts while it can still go on: its last day is today or yesterday.
  const today = utcDay(turn.clock.now());
  const yesterday = utcDay(turn.clock.now() - DAY_MS);
  const { streak } = progress;
  const live = streak.lastDay === today || streak.lastDay === yesterday;
  const badges = BADGES.filter((b) => user.badges.includes(b))
    .map((b) => t(lang, `badge_${b}` as const));
  const courses = services.catalog.courses().map((course) => {
    const done = course.lessons.filter((l) => passed.has(l.id)).length;
    const mark = done === course.lessons.length ? "✅" : "▫️";
    return `${mark} ${
      t(lang, "profile_course_line", {
        title: escapeHtml(course.title[lang]),
        passed: done,
        total: course.lessons.length,
      })
    }`;
  });
  await ctx.reply(
    t(lang, "profile_text", {
      name: escapeHtml(displayName(user)),
      level,
      xp,
      next: level + 1,
      progress: xp - start,
      needed: end - start,
      bar: progressBar(xp - start, end - start),
      streak: live ? streak.current : 0,
      best: streak.best,
      badges: badges.length > 0 ? badges.join("\n") : t(lang, "profile_no_badges"),
      courses: courses.join("\n"),
    }),
    { parse_mode: "HTML" },
  );
}

async function showLeaderboard(
  ctx: BotContext,
  services: BotServices,
  period: LeaderboardPeriod,
  inPlace: boolean,
): Promise<void> {
  const { turn } = ctx;
  const { lang } = turn;
  const now = turn.clock.now();
  const standings = await leaderboard.top(services.store, period, now, LEADERBOARD_SIZE);
  const lines = [t(lang, `leaderboard_title_${period}` as const), ""];
  if (standings.length === 0) lines.push(t(lang, "leaderboard_empty"));
  for (const s of standings) {
    lines.push(`${MEDALS[s.rank - 1] ?? `${s.rank}.`} ${escapeHtml(s.name)}: ${s.xp} XP`);
  }
  lines.push("");
  if (turn.local) lines.push(t(lang, "leaderboard_local"));
  else if (turn.userId !== null) {
    const mine = standings.find((s) => s.userId === turn.userId);
    lines.push(
      mine
        ? t(lang, "leaderboard_you_rank", { rank: mine.rank, xp: mine.xp })
        : t(lang, "leaderboard_you", {
          xp: await leaderboard.xpIn(services.store, turn.userId, period, now),
        }),
    );
  }
  await showHtml(ctx, lines.join("\n").trim(), leaderboardKeyboard(lang, period), inPlace);
}

function profileComposer(services: BotServices): Composer<BotContext> {
  const feature = new Composer<BotContext>();

  feature.command(commandNames(PROFILE), (ctx) => replyProfile(ctx, services));

  feature.command(
    commandNames(LEADERBOARD),
    (ctx) => showLeaderboard(ctx, services, "week", false),
  );

  feature.callbackQuery(periodButton.pattern, async (ctx) => {
    const action = periodButton.parse(ctx.callbackQuery.data);
    await ctx.answerCallbackQuery();
    if (action) await showLeaderboard(ctx, services, action.period, true);
  });

  return feature;
}

/** `/profile`, `/leaderboard` and the profile menu item; owns the leaderboard rows. */
export const profileFeature = defineFeature({
  name: "profile",
  commands: [PROFILE, LEADERBOARD],
  callbacks: [periodButton],
  menu: [{ item: "profile", label: "menu_profile", order: 30, open: replyProfile }],
  records: [{
    family: "leaderboard",
    export: { omitted: "the XP in each period is the learning section's XP, counted by week" },
  }],
  composer: profileComposer,
});
