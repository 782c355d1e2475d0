/**
 * The bot's context type: grammY's context plus the turn the actor runtime runs it in.
 *
 * @module
 */
import { Context, type Middleware } from "grammy";
import { type Update } from "grammy/types";
import { type Turn } from "../actors/turn.ts";
import { AppError } from "../core/errors.ts";
import { type UserAccount, type UserProgress } from "../store/profiles.ts";

/** What the first middleware adds: the turn (`ctx.turn`, docs/ARCHITECTURE.md). */
export interface TurnFlavor {
  turn: Turn;
}

/** What the profile middleware adds: the sender's account, and their progress on demand. */
export interface UserFlavor {
  /** The sender's profile and admin flags (null for updates without a user). */
  user: UserAccount | null;
  /**
   * The sender's XP, level and totals, read once per turn by the first feature that asks (zero
   * for a user without an account). Features that award XP add it here for later steps.
   */
  progress(): Promise<UserProgress>;
}

/** The context every feature receives. */
export type BotContext = Context & TurnFlavor & UserFlavor;

/** Turns by their update object: `bot.handleUpdate` stays unchanged and still finds its turn. */
const turns = new WeakMap<Update, Turn>();

/**
 * Makes a turn findable by the bot's first middleware while its update is handled.
 *
 * @example
 * ```ts
 * bindTurn(turn);
 * await bot.handleUpdate(turn.update);
 * ```
 */
export function bindTurn(turn: Turn): void {
  turns.set(turn.update, turn);
}

/**
 * The first middleware: puts the turn on `ctx.turn`. An update handled outside the runtime has
 * no turn, and nothing may stage writes without one.
 *
 * @example
 * ```ts
 * bot.use(turnContext());
 * ```
 */
export function turnContext(): Middleware<BotContext> {
  return async function turnContextMiddleware(ctx, next) {
    const turn = turns.get(ctx.update);
    if (!turn) {
      throw new AppError("Cannot handle an update outside a turn: no ctx.turn", {
        code: "NO_TURN",
        level: "critical",
      });
    }
    ctx.turn = turn;
    await next();
  };
}
