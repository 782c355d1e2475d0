/**
 * The grammY bot factory: the turn middleware first, then the features in order.
 *
 * @module
 */
import { Bot, BotError, type Composer, type Transformer } from "grammy";
import { type UserFromGetMe } from "grammy/types";
import { type TurnHandler } from "../actors/turn.ts";
import { bindTurn, type BotContext, turnContext } from "./context.ts";

/** What {@linkcode createBot} is built from. */
export interface BotDeps {
  token: string;
  /** Bot API base URL (a local Bot API server or a fake). */
  apiRoot?: string;
  /** The bot's own user, from one `getMe` (cached in KV by the caller). */
  botInfo: UserFromGetMe;
  /** Feature composers, in order. */
  features?: Composer<BotContext>[];
  /** API transformers, outermost first (local mode, auto-retry). */
  transformers?: Transformer[];
}

/**
 * @example
 * ```ts
 * const bot = createBot({ token, botInfo, features: [startFeature] });
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
 * Runs turns through the bot: `bot.handleUpdate` with `ctx.turn` bound. A feature's error comes
 * out as itself (not wrapped), so the runtime reports its real code.
 *
 * @example
 * ```ts
 * const supervisor = new Supervisor({ handle: turnHandler(bot), ... });
 * ```
 */
export function turnHandler(bot: RvxBot): TurnHandler {
  return async function handleTurn(turn) {
    bindTurn(turn);
    try {
      await bot.handleUpdate(turn.update);
    } catch (err) {
      throw err instanceof BotError ? err.error : err;
    }
  };
}
