/**
 * The command list shown by Telegram, per language.
 *
 * @module
 */
import { type Api } from "grammy";
import { type BotCommand } from "grammy/types";
import { type Lang, LANGUAGES, type MessageKey, t } from "../i18n/mod.ts";

/** Commands in menu order; each has a `command_<name>` description in i18n. */
export const COMMANDS = [
  "start",
  "help",
  "menu",
  "ask",
  "learn",
  "quiz",
  "profile",
  "leaderboard",
  "history",
  "bookmarks",
  "stats",
  "limits",
  "export",
  "language",
  "forget",
] as const;

/**
 * Other names a command answers to, for habits from other bots. They stay out of Telegram's
 * command menu (one entry per command there); `/help` shows them.
 */
export const COMMAND_ALIASES = {
  leaderboard: ["top"],
  language: ["lang"],
  profile: ["me"],
} as const satisfies Partial<Record<typeof COMMANDS[number], readonly string[]>>;

/**
 * A command's name and its aliases, for `composer.command(...)`.
 *
 * @example
 * ```ts
 * feature.command(commandNames("leaderboard"), showLeaderboard); // /leaderboard and /top
 * ```
 */
export function commandNames(name: keyof typeof COMMAND_ALIASES): string[] {
  return [name, ...COMMAND_ALIASES[name]];
}

/** The command list in one language. */
export function commandList(lang: Lang, names: readonly string[] = COMMANDS): BotCommand[] {
  return names.map((command) => ({
    command,
    description: t(lang, `command_${command}` as Extract<MessageKey, `command_${string}`>),
  }));
}

/**
 * Registers the commands for each language and as the default.
 *
 * @example
 * ```ts
 * await registerCommands(bot.api, "ru");
 * ```
 */
export async function registerCommands(
  api: Api,
  defaultLang: Lang,
  names: readonly string[] = COMMANDS,
): Promise<void> {
  for (const lang of LANGUAGES) {
    await api.setMyCommands(commandList(lang, names), { language_code: lang });
  }
  await api.setMyCommands(commandList(defaultLang, names));
}
