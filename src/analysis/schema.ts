/**
 * The shape of an analysis: one schema that provider output, offline results, the cache
 * and the HTTP API all go through.
 *
 * @module
 */
import { z } from "zod";
import { type Lang } from "../i18n/mod.ts";
import { EVENT_KINDS } from "./providers/offline_lexicon.ts";

/** Explanation styles: `default` plus the five re-explanation styles and `answer` for questions. */
export const ANALYSIS_MODES = [
  "default",
  "simple",
  "examples",
  "steps",
  "analogy",
  "questions",
  "answer",
] as const;
export type AnalysisMode = typeof ANALYSIS_MODES[number];

/**
 * What an analysis is about: the kind of event a news text reports (the same tags lessons carry,
 * so the card's 📚 opens the lesson that fits). Providers are asked for it; the offline analyzer
 * and the parser of provider replies fill it from the text's facts when missing.
 */
export const ANALYSIS_TOPICS = EVENT_KINDS;
export type AnalysisTopic = typeof ANALYSIS_TOPICS[number];

/** Upper bounds that keep one analysis well under a KV value and a Telegram message. */
export const ANALYSIS_LIMITS = {
  summaryChars: 600,
  impactPointChars: 240,
  questionChars: 300,
  minImpactPoints: 2,
  maxImpactPoints: 6,
  maxAssets: 10,
} as const;

/** What the engine returns for one text. */
export const AnalysisSchema = z.object({
  summary: z.string().min(1).max(ANALYSIS_LIMITS.summaryChars),
  impact_points: z.array(z.string().min(1).max(ANALYSIS_LIMITS.impactPointChars))
    .min(ANALYSIS_LIMITS.minImpactPoints).max(ANALYSIS_LIMITS.maxImpactPoints),
  sentiment: z.object({
    label: z.enum(["bullish", "bearish", "neutral"]),
    confidence: z.number().min(0).max(1),
  }),
  risk: z.enum(["low", "medium", "high"]),
  horizon: z.enum(["day", "week", "month"]),
  assets: z.array(z.string().regex(/^[A-Z0-9]{2,10}$/)).max(ANALYSIS_LIMITS.maxAssets),
  learning_question: z.string().min(1).max(ANALYSIS_LIMITS.questionChars),
  kind: z.enum(["news", "question"]),
  /** Absent in analyses cached or stored before it existed. */
  topic: z.enum(ANALYSIS_TOPICS).optional(),
  source: z.string().min(1),
  cached: z.boolean(),
  latency_ms: z.number().min(0),
});
export type Analysis = z.infer<typeof AnalysisSchema>;

/** The part of an analysis a provider or the offline analyzer produces (the engine adds the rest). */
export const AnalysisContentSchema = AnalysisSchema.omit({
  source: true,
  cached: true,
  latency_ms: true,
});
export type AnalysisContent = z.infer<typeof AnalysisContentSchema>;

/** One request to the engine. */
export interface AnalysisRequest {
  text: string;
  /** The language the analysis is written in (the bot's languages). */
  lang: Lang;
  mode: AnalysisMode;
}
