/**
 * `POST /api/v1/analyze`: the analysis engine behind an API key and its daily quota.
 *
 * @module
 */
import { z } from "@hono/zod-openapi";
import { type AnalysisEngine, OFFLINE_SOURCE } from "../../analysis/engine.ts";
import { ANALYSIS_MODES, AnalysisSchema } from "../../analysis/schema.ts";
import { type Clock } from "../../core/clock.ts";
import { type Lang, LANGUAGES, t } from "../../i18n/mod.ts";
import { type Store } from "../../store/kv.ts";
import { DAY_MS, reserveShared } from "../../store/quotas.ts";
import { addRoute, type ApiRouter, createRouter, type Guard } from "../openapi.ts";
import { sendError, sendOk, sendWarning, setLimitHeaders } from "../respond.ts";

/** What the analyze route needs. */
export interface AnalyzeDeps {
  store: Store;
  clock: Clock;
  engine: Pick<AnalysisEngine, "analyze" | "providerStatus">;
  guard: Guard;
  /** `API_KEY_DAILY_LIMIT`: analyses per key per rolling 24 h. */
  dailyLimit: number;
  /** The language when the request names none. */
  defaultLang: Lang;
}

/** The request body. */
export const AnalyzeBodySchema = z.object({
  text: z.string({ error: "must be a string" })
    .min(10, { error: "must be at least 10 characters" })
    .max(4096, { error: "must be at most 4096 characters" })
    .openapi({ example: "SEC approves spot Ethereum ETFs; ETH jumps 6% in an hour." }),
  lang: z.enum(LANGUAGES, { error: "must be ru or en" }).optional()
    .openapi({ description: "The language of the analysis (default: `DEFAULT_LANGUAGE`)" }),
  mode: z.enum(ANALYSIS_MODES, { error: `must be one of ${ANALYSIS_MODES.join(", ")}` })
    .optional().openapi({ description: "The explanation style (default: `default`)" }),
}).openapi("AnalyzeRequest");

// Built by plain zod before the OpenAPI extension loaded: documented inline, not as a named component.
const AnalysisData = AnalysisSchema;

/**
 * @example
 * ```ts
 * app.route("/", analyzeRoutes({ store, clock, engine, guard: auth.apiKey, dailyLimit: 1000, defaultLang: "ru" }));
 * ```
 */
export function analyzeRoutes(deps: AnalyzeDeps): ApiRouter {
  const router = createRouter();
  const { store, clock, engine } = deps;
  addRoute(router, clock, {
    method: "post",
    path: "/api/v1/analyze",
    operationId: "analyzeText",
    tags: ["analysis"],
    summary: "Analyse a crypto news text",
    description: "Uses one of the key's daily analyses (`API_KEY_DAILY_LIMIT` per rolling 24 h). " +
      'When every AI provider failed, the offline analysis is returned with `status: "warning"` ' +
      'and `error_code: "ANALYSIS_OFFLINE"`.',
    guard: deps.guard,
    body: AnalyzeBodySchema,
    success: { kind: "json", data: AnalysisData },
  }, async (c, { body }) => {
    const now = clock.now();
    const quota = await reserveShared(store, {
      scope: "api_key",
      id: c.get("apiKeyId")!,
      limit: deps.dailyLimit,
      windowMs: DAY_MS,
    }, now);
    if (!quota.allowed) {
      const seconds = setLimitHeaders(c, quota, now, true);
      return sendError(
        c,
        clock,
        429,
        "RATE_LIMIT_ERROR",
        t(c.get("lang"), "api_key_quota", { limit: quota.limit, seconds }),
        { scope: "api_key", limit: quota.limit, retry_after_s: seconds },
      );
    }
    // Bounded by ANALYSIS_DEADLINE_MS; not tied to the request's signal, which Deno.serve
    // aborts after every response (legacy behaviour) and warns about.
    const analysis = await engine.analyze({
      text: body.text,
      lang: body.lang ?? deps.defaultLang,
      mode: body.mode ?? "default",
    });
    const providersFailed = analysis.source === OFFLINE_SOURCE &&
      engine.providerStatus().length > 0;
    if (providersFailed) {
      return sendWarning(
        c,
        clock,
        analysis,
        t(c.get("lang"), "api_analysis_offline"),
        "ANALYSIS_OFFLINE",
      );
    }
    return sendOk(c, clock, analysis);
  });
  return router;
}
