/**
 * The grammY bot factory: the turn middleware first, then the features in order, the
 * "unhandled" composer last. Also the glue between bot and runtime: running a turn, telling a
 * user their update failed, and marking users who blocked the bot.
 *
 * @module
 */
import { Bot, BotError, GrammyError, type Middleware, type Transformer } from "grammy";
import { type UserFromGetMe } from "grammy/types";
import { type Turn, type TurnHandler } from "../actors/turn.ts";
import { type AppError } from "../core/errors.ts";
import { t } from "../i18n/mod.ts";
import { type Store } from "../store/kv.ts";
import * as profiles from "../store/profiles.ts";
import { bindTurn, type BotContext, turnContext } from "./context.ts";
import { profileMiddleware } from "./middleware/profile.ts";
import { type FeatureRegistry } from "./registry.ts";
import { type BotServices } from "./services.ts";

/** What {@linkcode createBot} is built from. */
export interface BotDeps {
  token: string;
  /** Bot API base URL (a local Bot API server or a fake). */
  apiRoot?: string;
  /** The bot's own user, from one `getMe` (cached in KV by the caller). */
  botInfo: UserFromGetMe;
  /** Middleware and feature composers, in order. */
  features?: Middleware<BotContext>[];
  /** API transformers, in the order installed (local mode, bounded retries). */
  transformers?: Transformer[];
}

/**
 * @example
 * ```ts
 * const bot = createBot({ token, botInfo, features: botFeatures(registry, services) });
 * ```
 */
export function createBot(deps: BotDeps): Bot<BotContext> {
  const bot = new Bot<BotContext>(deps.token, {
    botInfo: deps.botInfo,
    client: deps.apiRoot ? { apiRoot: deps.apiRoot } : undefined,
  });
  for (const transformer of deps.transformers ?? []) bot.api.config.use(transformer);
  bot.use(turnContext());
  for (const feature of deps.features ?? []) bot.use(feature);
  return bot;
}

/** The bot as the runtime sees it. */
export type RvxBot = ReturnType<typeof createBot>;

/**
 * The bot's middleware: the profile first, then the registry's (the menu and every feature, in
 * `features/mod.ts` order, "unhandled" last).
 *
 * @example
 * ```ts
 * createBot({ token, botInfo, features: botFeatures(registry, services) });
 * ```
 */
export function botFeatures(
  registry: FeatureRegistry,
  services: BotServices,
): Middleware<BotContext>[] {
  return [profileMiddleware(services), ...registry.middleware(services)];
}

/** Telegram's answer when a user blocked the bot or deleted their account. */
function isBlocked(err: unknown): boolean {
  return err instanceof GrammyError && err.error_code === 403;
}

/**
 * Runs turns through the bot: `bot.handleUpdate` with `ctx.turn` bound. A feature's error comes
 * out as itself (not wrapped), so the runtime reports its real code; a user who blocked the bot
 * is marked inactive instead of failing the turn.
 *
 * @example
 * ```ts
 * const supervisor = new Supervisor({ handle: turnHandler(bot, store), ... });
 * ```
 */
export function turnHandler(bot: RvxBot, store: Store): TurnHandler {
  return async function handleTurn(turn) {
    bindTurn(turn);
    try {
      await bot.handleUpdate(turn.update);
    } catch (err) {
      const cause = err instanceof BotError ? err.error : err;
      if (isBlocked(cause) && turn.userId !== null) {
        const user = await profiles.getAccount(store, turn.userId);
        if (user) {
          profiles.save(turn.tx, { ...profiles.ownFields(user), active: false, blocked: true });
        }
        return;
      }
      throw cause;
    }
  };
}

/**
 * Tells a user, in their language, that their update failed (the runtime calls it once, on the
 * first failure).
 *
 * @example
 * ```ts
 * new Supervisor({ onTurnFailed: failureNotice(bot), ... });
 * ```
 */
export function failureNotice(bot: RvxBot): (turn: Turn, error: AppError) => Promise<void> {
  return async function notifyFailure(turn, error) {
    if (turn.chatId === null) return;
    await bot.api.sendMessage(turn.chatId, t(turn.lang, error.userMessage));
  };
}
