/**
 * The last composer: an unknown command gets a hint, any other message a short explanation, and
 * a stray or stale button a polite answer (never a second effect).
 *
 * @module
 */
import { Composer } from "grammy";
import { t } from "../../i18n/mod.ts";
import { type BotContext } from "../context.ts";
import { defineFeature } from "../feature.ts";
import { answerStale } from "../show.ts";

/**
 * @example
 * ```ts
 * bot.use(unhandledFeature());
 * ```
 */
function unhandledComposer(): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  const privateChats = feature.chatType("private");
  privateChats.on("message:text", (ctx) =>
    ctx.reply(
      t(
        ctx.turn.lang,
        ctx.message.text.startsWith("/") ? "unknown_command" : "unsupported_message",
      ),
    ));
  privateChats.on("message", (ctx) => ctx.reply(t(ctx.turn.lang, "unsupported_message")));
  feature.on("callback_query", answerStale);
  return feature;
}

/** The last feature: anything no other feature answered. */
export const unhandledFeature = defineFeature({ name: "unhandled", composer: unhandledComposer });
