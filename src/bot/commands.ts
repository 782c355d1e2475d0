/**
 * The command lists Telegram shows, per language, built from the features' declarations.
 *
 * @module
 */
import { type Api } from "grammy";
import { type Lang, LANGUAGES } from "../i18n/mod.ts";
import { FEATURES } from "./features/mod.ts";
import { FeatureRegistry } from "./registry.ts";

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
  registry: FeatureRegistry = new FeatureRegistry(FEATURES),
): Promise<void> {
  for (const lang of LANGUAGES) {
    await api.setMyCommands(registry.commandList(lang), { language_code: lang });
  }
  await api.setMyCommands(registry.commandList(defaultLang));
}
