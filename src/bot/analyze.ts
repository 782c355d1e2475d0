/**
 * Running an analysis for a user inside their turn: the AI window decides whether providers may
 * be used, and a provider answer takes one slot of it (README "Commands").
 *
 * @module
 */
import { OFFLINE_SOURCE } from "../analysis/engine.ts";
import { type Analysis, type AnalysisMode } from "../analysis/schema.ts";
import {
  dailyAnalysisLimit,
  DAY_MS,
  peek,
  reserveInTurn,
  type WindowSpec,
} from "../store/quotas.ts";
import { type BotContext } from "./context.ts";
import { type BotServices } from "./services.ts";

/** The user's daily analysis window. */
export function analysisQuota(ctx: BotContext, services: BotServices): WindowSpec {
  const userId = ctx.turn.userId ?? 0;
  const isAdmin = services.config.adminUserIds.includes(userId);
  return {
    scope: "analyses",
    id: String(userId),
    limit: dailyAnalysisLimit(services.config.maxRequestsPerDay, ctx.user?.tier ?? "free", isAdmin),
    windowMs: DAY_MS,
  };
}

/** The user's provider-call window. */
export function aiWindow(ctx: BotContext, services: BotServices): WindowSpec {
  const { requests, windowSeconds } = services.config.aiRateLimit;
  return {
    scope: "ai",
    id: String(ctx.turn.userId ?? 0),
    limit: requests,
    windowMs: windowSeconds * 1000,
  };
}

/** An analysis and whether to say the built-in analyzer wrote it. */
export interface UserAnalysis {
  analysis: Analysis;
  /** Providers are configured but this answer did not come from one. */
  offlineNote: boolean;
}

/**
 * Analyses `text` in the user's language and mode, spending an AI-window slot only when a
 * provider actually answered.
 *
 * @example
 * ```ts
 * const { analysis, offlineNote } = await analyzeForUser(ctx, services, text, "default");
 * ```
 */
export async function analyzeForUser(
  ctx: BotContext,
  services: BotServices,
  text: string,
  mode: AnalysisMode,
): Promise<UserAnalysis> {
  const { turn } = ctx;
  const hasProviders = services.config.providers.length > 0;
  const window = aiWindow(ctx, services);
  const allowProviders = hasProviders &&
    (await peek(services.store, window, turn.clock.now())).allowed;
  const analysis = await services.engine.analyze({ text, lang: turn.lang, mode }, {
    allowProviders,
  });
  const fromProvider = analysis.source !== OFFLINE_SOURCE && !analysis.cached;
  if (fromProvider) await reserveInTurn(services.store, turn.tx, window, turn.clock.now());
  return { analysis, offlineNote: hasProviders && analysis.source === OFFLINE_SOURCE };
}
