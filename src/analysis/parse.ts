/**
 * Turning a model's reply into an {@linkcode AnalysisContent}: find the JSON object in whatever
 * wrapping the model chose, then repair what can be repaired (lengths, tickers, label synonyms)
 * and reject what cannot. Nothing a provider says reaches a user without passing through here.
 *
 * @module
 */
import { capAtWord, cleanOutputText } from "./hygiene.ts";
import { t } from "../i18n/mod.ts";
import {
  ANALYSIS_LIMITS,
  type AnalysisContent,
  AnalysisContentSchema,
  type AnalysisRequest,
} from "./schema.ts";
import { namedTopic, topicOfText } from "./topic.ts";

/**
 * Finds the JSON object in a model reply: the whole reply, a ```json fence, `<json>` tags, or the
 * first balanced `{…}` in surrounding prose.
 *
 * @throws {SyntaxError} when no JSON object can be found.
 * @example
 * ```ts
 * extractJsonObject('Sure! ```json\n{"summary": "…"}\n``` Hope it helps'); // { summary: "…" }
 * ```
 */
export function extractJsonObject(raw: string): Record<string, unknown> {
  const text = raw.replace(/^\uFEFF/, "").trim();
  const candidates = [text];
  const fence = /```(?:json|JSON)?\s*\n?([\s\S]*?)```/.exec(text);
  if (fence) candidates.push(fence[1]);
  const tagged = /<json>([\s\S]*?)<\/json>/i.exec(text);
  if (tagged) candidates.push(tagged[1]);
  for (const candidate of candidates) {
    const parsed = tryParseObject(candidate.trim());
    if (parsed) return parsed;
  }
  for (const slice of balancedObjects(text)) {
    const parsed = tryParseObject(slice);
    if (parsed) return parsed;
  }
  throw new SyntaxError(
    `Cannot find a JSON object in the reply: ${JSON.stringify(text.slice(0, 80))}`,
  );
}

function tryParseObject(text: string): Record<string, unknown> | null {
  if (!text.startsWith("{")) return null;
  try {
    const value = JSON.parse(text);
    return isRecord(value) ? value : null;
  } catch {
    return null;
  }
}

/** Every top-level balanced `{…}` in order, aware of strings and escapes. */
function* balancedObjects(text: string): Generator<string> {
  let depth = 0;
  let start = -1;
  let inString = false;
  let escaped = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (escaped) escaped = false;
      else if (ch === "\\") escaped = true;
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"' && depth > 0) inString = true;
    else if (ch === "{") {
      if (depth === 0) start = i;
      depth++;
    } else if (ch === "}" && depth > 0) {
      depth--;
      if (depth === 0) yield text.slice(start, i + 1);
    }
  }
}

const SENTIMENT_WORDS: Record<string, AnalysisContent["sentiment"]["label"]> = {
  bullish: "bullish",
  bull: "bullish",
  positive: "bullish",
  up: "bullish",
  optimistic: "bullish",
  "бычий": "bullish",
  "бычье": "bullish",
  "бычья": "bullish",
  "позитивный": "bullish",
  "позитивное": "bullish",
  "положительный": "bullish",
  bearish: "bearish",
  bear: "bearish",
  negative: "bearish",
  down: "bearish",
  pessimistic: "bearish",
  "медвежий": "bearish",
  "медвежье": "bearish",
  "медвежья": "bearish",
  "негативный": "bearish",
  "негативное": "bearish",
  "отрицательный": "bearish",
  neutral: "neutral",
  mixed: "neutral",
  "нейтральный": "neutral",
  "нейтральное": "neutral",
  "смешанный": "neutral",
};

const RISK_WORDS: Record<string, AnalysisContent["risk"]> = {
  low: "low",
  "низкий": "low",
  medium: "medium",
  moderate: "medium",
  mid: "medium",
  "средний": "medium",
  "умеренный": "medium",
  high: "high",
  "very high": "high",
  "высокий": "high",
};

const HORIZON_WORDS: Record<string, AnalysisContent["horizon"]> = {
  day: "day",
  days: "day",
  hours: "day",
  "short": "day",
  "short-term": "day",
  "день": "day",
  week: "week",
  weeks: "week",
  "medium-term": "week",
  "неделя": "week",
  month: "month",
  months: "month",
  "long": "month",
  "long-term": "month",
  "месяц": "month",
};

/**
 * Repairs a parsed reply into valid content: texts cleaned of markdown and capped, impact points
 * cut to at most six (a lone multi-sentence point is split), tickers uppercased and deduplicated,
 * sentiment/risk/horizon synonyms mapped, confidence clamped (percentages scaled), `kind` taken
 * from the reply or inferred.
 *
 * @throws {TypeError} when the reply lacks a usable summary or two impact points.
 * @example
 * ```ts
 * const content = repairAnalysisContent(
 *   { summary: "**ETF** approved", impact_points: ["a", "b"], sentiment: "Positive", assets: ["$eth"] },
 *   { text: "SEC approves ETH ETF", lang: "en", mode: "default" },
 * );
 * content.assets; // ["ETH"]
 * ```
 */
export function repairAnalysisContent(value: unknown, request: AnalysisRequest): AnalysisContent {
  if (!isRecord(value)) throw new TypeError("Cannot repair analysis: reply is not an object");
  const summary = cleanOutputText(stringOf(value.summary), ANALYSIS_LIMITS.summaryChars);
  if (!summary) throw new TypeError("Cannot repair analysis: summary is missing");
  const impactPoints = repairImpactPoints(value.impact_points);
  if (impactPoints.length < ANALYSIS_LIMITS.minImpactPoints) {
    throw new TypeError(
      `Cannot repair analysis: ${impactPoints.length} impact points, at least ${ANALYSIS_LIMITS.minImpactPoints} needed`,
    );
  }
  const question = cleanOutputText(
    stringOf(value.learning_question),
    ANALYSIS_LIMITS.questionChars,
  );
  const content = {
    summary,
    impact_points: impactPoints,
    sentiment: repairSentiment(value.sentiment),
    risk: pick(RISK_WORDS, value.risk) ?? "medium",
    horizon: pick(HORIZON_WORDS, value.horizon) ?? "week",
    assets: repairAssets(value.assets),
    learning_question: question || t(request.lang, "analysis_fallback_question"),
    kind: repairKind(value.kind, request),
    topic: namedTopic(value.topic) ?? topicOfText(request),
  };
  const checked = AnalysisContentSchema.safeParse(content);
  if (!checked.success) {
    throw new TypeError(`Cannot repair analysis: ${checked.error.issues[0]?.message ?? "invalid"}`);
  }
  return checked.data;
}

function repairImpactPoints(value: unknown): string[] {
  let items: unknown[] = [];
  if (Array.isArray(value)) items = value;
  else if (typeof value === "string") items = value.split(/\n+/);
  let points = items
    .map((item) => isRecord(item) ? stringOf(item.text ?? item.point ?? item.description) : item)
    .map((item) => cleanOutputText(stringOf(item), ANALYSIS_LIMITS.impactPointChars * 4))
    .filter((point) => point.length > 0);
  // One long paragraph where a list was asked for: its sentences are the points.
  if (points.length === 1) points = splitSentences(points[0]);
  return [...new Set(points)]
    .slice(0, ANALYSIS_LIMITS.maxImpactPoints)
    .map((point) => capAtWord(point, ANALYSIS_LIMITS.impactPointChars));
}

function splitSentences(text: string): string[] {
  return text.split(/(?<=[.!?…])\s+(?=[\p{Lu}\p{N}"«])/u).map((s) => s.trim()).filter(Boolean);
}

function repairSentiment(value: unknown): AnalysisContent["sentiment"] {
  const record = isRecord(value) ? value : { label: value };
  const label = pick(SENTIMENT_WORDS, record.label ?? record.value ?? record.sentiment) ??
    "neutral";
  let confidence = typeof record.confidence === "string"
    ? Number.parseFloat(record.confidence)
    : Number(record.confidence ?? record.score);
  if (!Number.isFinite(confidence)) confidence = 0.5;
  // "80" or "80%" mean a percentage.
  if (confidence > 1 && confidence <= 100) confidence /= 100;
  return { label, confidence: Math.round(Math.min(1, Math.max(0, confidence)) * 100) / 100 };
}

function repairAssets(value: unknown): string[] {
  const items = Array.isArray(value)
    ? value
    : typeof value === "string"
    ? value.split(/[,;\s]+/)
    : [];
  const tickers = items
    .map((item) => isRecord(item) ? item.ticker ?? item.symbol : item)
    .filter((item): item is string => typeof item === "string")
    .map((item) => item.trim().replace(/^\$/, "").replace(/[-/](?:USDT?|USD|PERP)$/i, ""))
    .map((item) => item.toUpperCase())
    .filter((item) => /^[A-Z0-9]{2,10}$/.test(item) && /[A-Z]/.test(item));
  return [...new Set(tickers)].slice(0, ANALYSIS_LIMITS.maxAssets);
}

function repairKind(value: unknown, request: AnalysisRequest): AnalysisContent["kind"] {
  const word = stringOf(value).trim().toLowerCase();
  if (word === "news" || word === "новость") return "news";
  if (word === "question" || word === "вопрос") return "question";
  return request.mode === "answer" || /\?\s*$/.test(request.text) ? "question" : "news";
}

function pick<T>(words: Record<string, T>, value: unknown): T | undefined {
  const word = stringOf(value).trim().toLowerCase().replace(/[.!]+$/, "");
  return Object.hasOwn(words, word) ? words[word] : undefined;
}

function stringOf(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "number") return String(value);
  return "";
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
