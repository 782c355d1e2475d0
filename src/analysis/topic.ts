/**
 * An analysis's topic when nobody named it: the kind of event the offline analyzer's fact
 * extraction finds in the text. Used once per analysis (provider replies without a valid topic,
 * cache entries written before topics existed), never again when the card is shown.
 *
 * @module
 */
import { extractFacts } from "./providers/offline.ts";
import { ANALYSIS_TOPICS, type AnalysisRequest, type AnalysisTopic } from "./schema.ts";

/**
 * A topic named in a provider's reply, if it is one of ours.
 *
 * @example
 * ```ts
 * namedTopic(" ETF "); // "etf"
 * namedTopic("memes"); // undefined
 * ```
 */
export function namedTopic(value: unknown): AnalysisTopic | undefined {
  const word = typeof value === "string" ? value.trim().toLowerCase() : "";
  return (ANALYSIS_TOPICS as readonly string[]).includes(word) ? word as AnalysisTopic : undefined;
}

/**
 * The topic of a text, from its facts.
 *
 * @example
 * ```ts
 * topicOfText({ text: "SEC approves a spot ETH ETF", lang: "en" }); // "etf"
 * ```
 */
export function topicOfText(request: Pick<AnalysisRequest, "text" | "lang">): AnalysisTopic {
  return extractFacts(request.text, request.lang).eventKind;
}
