/**
 * The offline analyzer: the engine's answer of last resort. It reads facts out of the text with
 * the lexicon (assets, event kind, direction, stated price moves, question or news) and writes the
 * analysis from built-in texts. Deterministic, synchronous and network-free: the same request
 * always gives the same analysis, and no text can make it fail.
 *
 * @module
 */
import {
  ANALYSIS_LIMITS,
  ANALYSIS_MODES,
  type AnalysisContent,
  type AnalysisMode,
  type AnalysisRequest,
} from "../schema.ts";
import {
  type Amount,
  type AssetMention,
  BROAD_CONCEPTS,
  classifyEvent,
  type ConceptId,
  detectScript,
  type Direction,
  type EventKind,
  findAmounts,
  findAssetMentions,
  findConcepts,
  findPriceMoves,
  INJECTION_RE,
  looksLikeQuestion,
  type PriceMove,
  type Span,
  uniqueTickers,
} from "./offline_lexicon.ts";
import { scoreTone, type ToneSignal } from "./offline_tone.ts";
import {
  capitalize,
  type CoinCase,
  type ConceptTexts,
  formatAmount,
  formatList,
  formatNumber,
  formatPercent,
  type KindTexts,
  lowerFirst,
  OFFLINE_TEXTS,
  type OfflineTexts,
} from "../../i18n/analysis/mod.ts";
import { fill, type Lang } from "../../i18n/mod.ts";

export {
  type Amount,
  type ConceptId,
  type Direction,
  EVENT_KINDS,
  type EventKind,
  type PriceMove,
} from "./offline_lexicon.ts";

// === facts

/** Everything the analyzer read out of one text; the learning feature reuses it. */
export interface OfflineFacts {
  /** Uppercase tickers in order of first mention, at most 10. */
  assets: string[];
  /** What kind of event the text reports; also the topic tag of the matching lesson. */
  eventKind: EventKind;
  /** Likely market reaction the text describes. */
  direction: Direction;
  /** How clear the direction is, 0 (no signal) to 1 (unmistakable). */
  strength: number;
  /** Price moves stated in the text, in text order. */
  priceMoves: PriceMove[];
  /** Sums of money or coins stated in the text, in text order. */
  amounts: Amount[];
  /** Whether the text asks something rather than reports news. */
  isQuestion: boolean;
  /** `question` or `news`, as in the analysis. */
  kind: "news" | "question";
  /** Glossary concepts the text mentions, the most specific first. */
  concepts: ConceptId[];
  /** Language the text is written in (`lang` when the script tells nothing). */
  textLang: Lang;
  /** The text without HTML, markdown and links, as the facts were read from it. */
  cleanText: string;
  /** Sentences of `cleanText`. */
  sentences: string[];
  /** Keyword tone score before price moves were considered (negative is bearish). */
  toneScore: number;
  /** Whether the text carries instructions aimed at a language model. */
  hasInjection: boolean;
  /** @internal positions used to pick summary sentences */
  spans: FactSpans;
}

/** Where the facts were found in `cleanText`; used to rank sentences. */
export interface FactSpans {
  assets: AssetMention[];
  eventHits: Span[];
  tone: ToneSignal[];
}

/** Longest raw input looked at; the engine caps input at 4 KB, this guards direct callers. */
const MAX_RAW_CHARS = 24_000;
/** Longest cleaned text the lexicon runs over. */
const MAX_CLEAN_CHARS = 6_000;

/** Keyword score beyond which the text leans one way. */
const TONE_THRESHOLD = 0.9;
/** Price moves smaller than this are noise, not a direction. */
const MIN_MOVE_PERCENT = 0.5;

/**
 * Whether the offline analyzer reads a text as a question, by the same rule as
 * {@linkcode extractFacts} but without its asset, tone and event scans: the bot asks this before
 * every analysis to word its "thinking" placeholder, and the analysis itself may come from a
 * provider or the cache.
 *
 * @example
 * ```ts
 * isQuestionText("What is staking?"); // true
 * isQuestionText("SEC approves the spot Solana ETF."); // false
 * ```
 */
export function isQuestionText(text: string): boolean {
  const cleanText = cleanInput(text);
  return looksLikeQuestion(cleanText, splitSentences(cleanText));
}

/**
 * Reads the facts of a text: assets, event kind, direction and its strength, price moves,
 * amounts, question or news, glossary concepts.
 *
 * @param text raw user text (HTML and markdown are stripped here)
 * @param lang language to assume when the text's script tells nothing (emoji, numbers)
 * @returns the facts; never throws
 *
 * @example Read a headline
 * ```ts
 * const facts = extractFacts("SEC did not approve the Solana ETF; SOL fell 7%");
 * facts.assets; // ["SOL"]
 * facts.eventKind; // "etf"
 * facts.direction; // "bearish"
 * ```
 */
export function extractFacts(text: string, lang: Lang = "en"): OfflineFacts {
  const cleanText = cleanInput(text);
  const sentences = splitSentences(cleanText);
  const headlineEnd = sentences.length > 0
    ? cleanText.indexOf(sentences[0]) + sentences[0].length
    : 0;
  const mentions = findAssetMentions(cleanText);
  const assets = uniqueTickers(mentions, ANALYSIS_LIMITS.maxAssets);
  const priceMoves = findPriceMoves(cleanText, mentions);
  const amounts = findAmounts(cleanText);
  const isQuestion = looksLikeQuestion(cleanText, sentences);
  const event = classifyEvent(cleanText, headlineEnd, assets);
  const tone = scoreTone(cleanText, mentions);
  const concepts = findConcepts(cleanText);
  const script = detectScript(cleanText);
  const { direction, strength } = decideDirection(tone.score, priceMoves, isQuestion);
  return {
    assets,
    eventKind: event.kind,
    direction,
    strength,
    priceMoves,
    amounts,
    isQuestion,
    kind: isQuestion ? "question" : "news",
    concepts,
    textLang: script === "other" ? lang : script,
    cleanText,
    sentences,
    toneScore: tone.score,
    hasInjection: INJECTION_RE.test(cleanText),
    spans: { assets: mentions, eventHits: event.hits, tone: tone.signals },
  };
}

/**
 * Stated price moves decide; keywords only when no move is stated. A question's keywords are the
 * asker's words, not news ("should I buy"), so a question leans only on stated moves.
 */
function decideDirection(
  toneScore: number,
  moves: readonly PriceMove[],
  isQuestion: boolean,
): { direction: Direction; strength: number } {
  const lead = leadMove(moves);
  if (lead && movesDisagree(moves)) {
    // "Bitcoin rose 2% while ether slipped 3%": no side wins.
    return { direction: "neutral", strength: 0.3 };
  }
  if (lead) {
    const size = Math.min(1, Math.abs(lead.percent) / 15);
    const agrees = Math.sign(toneScore) === Math.sign(lead.percent);
    const strength = clamp01(0.45 + 0.4 * size + (agrees ? 0.1 : 0));
    return { direction: lead.percent > 0 ? "bullish" : "bearish", strength };
  }
  if (isQuestion || Math.abs(toneScore) < TONE_THRESHOLD) {
    return { direction: "neutral", strength: clamp01(Math.abs(toneScore) / 4) };
  }
  const strength = clamp01(1 - Math.exp(-Math.abs(toneScore) / 3.5));
  return { direction: toneScore > 0 ? "bullish" : "bearish", strength };
}

/** The first stated moves of two different coins go opposite ways. */
function movesDisagree(moves: readonly PriceMove[]): boolean {
  const firstByAsset = new Map<string, number>();
  for (const m of moves) {
    if (m.asset && Math.abs(m.percent) >= MIN_MOVE_PERCENT && !firstByAsset.has(m.asset)) {
      firstByAsset.set(m.asset, Math.sign(m.percent));
    }
  }
  const signs = new Set(firstByAsset.values());
  return signs.size > 1;
}

function clamp01(value: number): number {
  return Math.max(0, Math.min(1, Math.round(value * 100) / 100));
}

// === cleaning

const BLOCK_TAG_RE = /<(script|style)\b[^>]*>[\s\S]*?<\/\1\s*>/gi;
const BREAK_TAG_RE = /<(?:br\s*\/?|\/(?:p|div|li|h[1-6]|tr|blockquote|pre))\s*>/gi;
const TAG_RE = /<\/?[a-z][^<>]*>|<!--[\s\S]*?-->/gi;
const ENTITY_RE =
  /&(?:#(\d{1,7})|#x([\da-f]{1,6})|(amp|lt|gt|quot|apos|nbsp|laquo|raquo|mdash|ndash|hellip));/gi;
const NAMED_ENTITIES: Readonly<Record<string, string>> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  nbsp: " ",
  laquo: "«",
  raquo: "»",
  mdash: "—",
  ndash: "–",
  hellip: "…",
};
const MD_IMAGE_RE = /!\[([^\]]*)\]\([^)]*\)/g;
const MD_LINK_RE = /\[([^\]]+)\]\([^)]*\)/g;
const URL_RE = /\b(?:https?:\/\/|www\.)\S+/gi;
const MD_EMPHASIS_RE = /(\*\*|__|~~|`+)/g;
/** Only text with combining marks can change under NFC (Latin and Cyrillic ones are enough). */
const COMBINING_RE = /[\u0300-\u036f\u0483-\u0489]/;
const MD_LINE_PREFIX_RE = /^[ \t]*(?:#{1,6}[ \t]+|>[ \t]?|[-*+•][ \t]+|\d{1,3}[.)][ \t]+)/gm;
/** Tabs become spaces and other control and invisible characters go; newlines end sentences. */
const CONTROL_RE =
  // deno-lint-ignore no-control-regex
  /[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2064\uFEFF]/g;

/** Strips HTML, markdown and links so sentences can be quoted and patterns see plain words. */
function cleanInput(raw: string): string {
  const text = raw.length > MAX_RAW_CHARS ? raw.slice(0, MAX_RAW_CHARS) : raw;
  // Each step runs only when its marker is present: most texts are plain.
  let plain = (COMBINING_RE.test(text) ? text.normalize("NFC") : text).replace(/\r\n?/g, "\n");
  if (plain.includes("<")) {
    plain = plain.replace(BLOCK_TAG_RE, " ").replace(BREAK_TAG_RE, "\n").replace(TAG_RE, " ");
  }
  if (plain.includes("&")) plain = plain.replace(ENTITY_RE, decodeEntity);
  if (plain.includes("](")) plain = plain.replace(MD_IMAGE_RE, "$1").replace(MD_LINK_RE, "$1");
  if (plain.includes("://") || plain.includes("www.")) plain = plain.replace(URL_RE, " ");
  plain = plain
    .replace(MD_EMPHASIS_RE, "")
    .replace(MD_LINE_PREFIX_RE, "")
    .replace(CONTROL_RE, " ")
    .replace(/[^\S \n]/g, " ")
    .replace(/ {2,}/g, " ")
    .replace(/ *\n[\n ]*/g, "\n")
    .trim();
  if (plain.length <= MAX_CLEAN_CHARS) return plain;
  const cut = plain.slice(0, MAX_CLEAN_CHARS);
  const lastStop = Math.max(cut.lastIndexOf(". "), cut.lastIndexOf("\n"));
  return (lastStop > MAX_CLEAN_CHARS / 2 ? cut.slice(0, lastStop + 1) : cut).trim();
}

function decodeEntity(whole: string, dec?: string, hex?: string, name?: string): string {
  if (name) return NAMED_ENTITIES[name.toLowerCase()] ?? whole;
  const code = dec ? Number(dec) : parseInt(hex ?? "", 16);
  if (!Number.isFinite(code) || code <= 0 || code > 0x10ffff || (code >= 0xd800 && code < 0xe000)) {
    return " ";
  }
  return String.fromCodePoint(code);
}

/** A stop with its closing quotes, then a space before a capital, digit or quote; or a newline. */
const SENTENCE_BREAK_RE =
  /([.!?…]["»”')\]]*)\s+(?=[\p{Lu}\p{N}"«“'(\[$€₽\p{Extended_Pictographic}])|\n+/gu;

function splitSentences(text: string): string[] {
  const out: string[] = [];
  let from = 0;
  SENTENCE_BREAK_RE.lastIndex = 0;
  for (let m = SENTENCE_BREAK_RE.exec(text); m !== null; m = SENTENCE_BREAK_RE.exec(text)) {
    const sentence = text.slice(from, m.index + (m[1]?.length ?? 0)).trim();
    if (sentence.length > 0) out.push(sentence);
    from = m.index + m[0].length;
  }
  const last = text.slice(from).trim();
  if (last.length > 0) out.push(last);
  return out;
}

// === analysis

type Risk = AnalysisContent["risk"];
type Horizon = AnalysisContent["horizon"];

/** What the mode builders share for one request. */
interface Context {
  facts: OfflineFacts;
  lang: Lang;
  texts: OfflineTexts;
  kind: KindTexts;
  seed: number;
  risk: Risk;
  horizon: Horizon;
  /** Asset list in every Russian case ("BTC и ETH" reads the same in all of them). */
  names: Record<AssetCase, string>;
  /** The one coin learning questions and definitions name ("an ETF on ETH"). */
  coin: Record<CoinCase, string>;
  lead: PriceMove | null;
}

type AssetCase = "assets" | "assetsGen" | "assetsDat" | "assetsIns" | "assetsPre";

/** The parts of an analysis a mode builder writes. */
interface Draft {
  summary: string;
  points: string[];
  learning: string;
}

const BASE_RISK: Readonly<Record<EventKind, Risk>> = {
  etf: "medium",
  regulation: "medium",
  hack: "high",
  outage: "medium",
  listing: "medium",
  partnership: "low",
  macro: "medium",
  whale: "medium",
  upgrade: "low",
  lawsuit: "medium",
  stablecoin: "medium",
  general: "low",
};

const BASE_HORIZON: Readonly<Record<EventKind, Horizon>> = {
  etf: "week",
  regulation: "month",
  hack: "day",
  outage: "day",
  listing: "day",
  partnership: "week",
  macro: "week",
  whale: "day",
  upgrade: "month",
  lawsuit: "week",
  stablecoin: "week",
  general: "day",
};

const RISK_LEVELS: readonly Risk[] = ["low", "medium", "high"];

/** Event kinds the glossary explains under a concept of its own. */
const KIND_CONCEPTS: Partial<Record<EventKind, ConceptId>> = {
  etf: "etf",
  stablecoin: "stablecoin",
  whale: "whale",
};

const STABLECOINS: ReadonlySet<string> = new Set(["USDT", "USDC", "DAI"]);

/** Concepts whose questions are about money at stake rather than how something works. */
const RISKY_CONCEPTS: ReadonlySet<ConceptId> = new Set(["investing", "scam", "volatility"]);

/**
 * Writes a complete analysis without any provider: summary, impact points, sentiment, risk,
 * horizon, assets and a learning question, in `request.lang` whatever the text's language, in
 * the style `request.mode` asks for. Deterministic: the same request gives the same analysis,
 * and phrasing varies between texts by a hash of the text, not by chance.
 *
 * @param request the text, the reply language and the explanation style
 * @returns content that passes `AnalysisContentSchema` for any text, empty included
 *
 * @example Analyse a headline offline
 * ```ts
 * const content = analyzeOffline({
 *   text: "Hackers drained $150 million from a bridge; ETH fell 4%",
 *   lang: "ru",
 *   mode: "default",
 * });
 * content.sentiment.label; // "bearish"
 * content.risk; // "high"
 * content.assets; // ["ETH"]
 * ```
 */
export function analyzeOffline(request: AnalysisRequest): AnalysisContent {
  const lang: Lang = request.lang === "ru" ? "ru" : "en";
  const mode: AnalysisMode = (ANALYSIS_MODES as readonly string[]).includes(request.mode)
    ? request.mode
    : "default";
  const facts = extractFacts(typeof request.text === "string" ? request.text : "", lang);
  const texts = OFFLINE_TEXTS[lang];
  const lead = leadMove(facts.priceMoves);
  const coin = coinNames(subjectAssets(facts), lead, texts);
  const ctx: Context = {
    facts,
    lang,
    texts,
    kind: fillAll(texts.kinds[facts.eventKind], coin),
    seed: hashText(facts.cleanText),
    risk: decideRisk(facts, lead),
    horizon: decideHorizon(facts, lead),
    names: assetNames(subjectAssets(facts), lang),
    coin,
    lead,
  };
  let draft: Draft;
  if (!/[\p{L}\p{N}]/u.test(facts.cleanText)) draft = emptyDraft(ctx);
  else if (facts.isQuestion || mode === "answer") draft = answerDraft(ctx, mode);
  else draft = newsDraft(ctx, mode);
  return finish(ctx, draft);
}

function finish(ctx: Context, draft: Draft): AnalysisContent {
  const { facts, texts } = ctx;
  const points: string[] = [];
  for (const raw of draft.points) {
    const point = truncate(tidy(raw), ANALYSIS_LIMITS.impactPointChars);
    if (point.length > 0 && !points.includes(point)) points.push(point);
    if (points.length === ANALYSIS_LIMITS.maxImpactPoints) break;
  }
  for (const filler of texts.phrases.emptyPoints) {
    if (points.length >= ANALYSIS_LIMITS.minImpactPoints) break;
    if (!points.includes(filler)) points.push(filler);
  }
  const summary = truncate(tidy(draft.summary), ANALYSIS_LIMITS.summaryChars) ||
    texts.phrases.emptySummary;
  const learning = truncate(tidy(draft.learning), ANALYSIS_LIMITS.questionChars) ||
    texts.phrases.emptyLearning;
  return {
    summary,
    impact_points: points,
    sentiment: { label: facts.direction, confidence: confidence(facts) },
    risk: ctx.risk,
    horizon: ctx.horizon,
    assets: facts.assets.filter((a) => /^[A-Z0-9]{2,10}$/.test(a))
      .slice(0, ANALYSIS_LIMITS.maxAssets),
    learning_question: learning,
    kind: facts.kind,
    topic: facts.eventKind,
  };
}

// === sentiment, risk and horizon

/** The move that decided the direction: the first one large enough to count. */
function leadMove(moves: readonly PriceMove[]): PriceMove | null {
  return moves.find((m) => Math.abs(m.percent) >= MIN_MOVE_PERCENT) ?? null;
}

/**
 * How sure the offline analyzer is of its label. It never claims certainty (a keyword reader can
 * miss sarcasm and context), and a neutral label is surer the fewer signals pull either way.
 */
function confidence(facts: OfflineFacts): number {
  if (facts.cleanText.length === 0) return 0.3;
  const value = facts.direction === "neutral"
    ? 0.6 - 0.3 * facts.strength
    : 0.45 + 0.45 * facts.strength;
  return Math.round(Math.max(0.05, Math.min(0.9, value)) * 100) / 100;
}

function decideRisk(facts: OfflineFacts, lead: PriceMove | null): Risk {
  if (facts.isQuestion) {
    return facts.concepts.some((c) => RISKY_CONCEPTS.has(c)) || lead ? "medium" : "low";
  }
  let level = RISK_LEVELS.indexOf(BASE_RISK[facts.eventKind]);
  if (facts.direction === "bearish" && facts.strength >= 0.6) level++;
  if (facts.eventKind === "stablecoin" && facts.direction === "bearish") level = 2;
  if (facts.direction === "bullish" && facts.eventKind === "hack") level--;
  const size = lead ? Math.abs(lead.percent) : 0;
  if (size >= 10) level = 2;
  else if (size >= 5) level = Math.max(level, 1);
  return RISK_LEVELS[Math.max(0, Math.min(2, level))];
}

function decideHorizon(facts: OfflineFacts, lead: PriceMove | null): Horizon {
  if (facts.isQuestion) return facts.concepts[0] === "investing" ? "month" : "week";
  const base = BASE_HORIZON[facts.eventKind];
  // A sharp stated move is being priced right now, whatever the kind of event.
  if (lead && Math.abs(lead.percent) >= 8 && base === "week") return "day";
  if (facts.eventKind === "general" && !lead && facts.direction === "neutral") return "week";
  return base;
}

// === news

function newsDraft(ctx: Context, mode: AnalysisMode): Draft {
  const core = newsSummary(ctx);
  switch (mode) {
    case "simple":
      return simpleDraft(ctx);
    case "examples":
      return examplesDraft(ctx, core);
    case "steps":
      return stepsDraft(ctx, core);
    case "analogy":
      return analogyDraft(ctx);
    case "questions":
      return questionsDraft(ctx, core);
    default:
      return defaultDraft(ctx, core);
  }
}

/** The text's own best sentences when it is in the reply language; otherwise one from facts. */
function newsSummary(ctx: Context): string {
  if (ctx.facts.textLang === ctx.lang) {
    const quoted = extractiveSummary(ctx.facts);
    if (quoted) return quoted;
  }
  return factSummary(ctx);
}

function factSummary(ctx: Context): string {
  const { phrases } = ctx.texts;
  const assetsPart = ctx.facts.assets.length > 0 ? fill(phrases.assetsPart, allAssets(ctx)) : "";
  const movePart = ctx.lead ? ` (${moveText(ctx, ctx.lead)})` : "";
  return fill(phrases.factSummary, { about: ctx.kind.about, assetsPart }) +
    fill(phrases.factDirection[ctx.facts.direction], { movePart });
}

/** A sentence worth quoting has some words in it, not only numbers and emoji. */
const MIN_LETTERS_RE = /(?:\p{L}[^\p{L}]*){8}/u;

interface Ranked {
  index: number;
  score: number;
  text: string;
}

/** Picks the one or two sentences that carry the most facts, in text order. */
function extractiveSummary(facts: OfflineFacts): string | null {
  const { sentences, cleanText, spans } = facts;
  const starts: number[] = [];
  let cursor = 0;
  for (const sentence of sentences) {
    const start = cleanText.indexOf(sentence, cursor);
    starts.push(start);
    if (start >= 0) cursor = start + sentence.length;
  }
  // Facts per sentence, counted in one pass over each list of spans.
  const count = sentences.length;
  const tickers = new Uint8Array(count);
  const events = new Uint8Array(count);
  const moves = new Uint8Array(count);
  const amounts = new Uint8Array(count);
  const tones = new Uint8Array(count);
  const sentenceOf = (at: number): number => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= at) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  for (let i = 0; i < spans.assets.length; i++) {
    const a = spans.assets[i];
    const at = sentenceOf(a.start);
    // A ticker counts once per sentence: look back over this sentence's earlier mentions.
    let seen = false;
    for (let j = i - 1; j >= 0 && sentenceOf(spans.assets[j].start) === at; j--) {
      if (spans.assets[j].ticker === a.ticker) seen = true;
    }
    if (!seen && tickers[at] < 255) tickers[at]++;
  }
  for (const h of spans.eventHits) events[sentenceOf(h.start)] = 1;
  for (const m of facts.priceMoves) moves[sentenceOf(m.start)] = 1;
  for (const m of facts.amounts) amounts[sentenceOf(m.start)] = 1;
  for (const t of spans.tone) {
    const at = sentenceOf(t.start);
    if (tones[at] < 255) tones[at]++;
  }
  const ranked: Ranked[] = [];
  for (let index = 0; index < count; index++) {
    const sentence = sentences[index];
    if (starts[index] < 0 || !MIN_LETTERS_RE.test(sentence)) continue;
    if (facts.hasInjection && INJECTION_RE.test(sentence)) continue;
    let score = index === 0 ? 2 : 0;
    score += Math.min(3, tickers[index]) * 1.5;
    score += events[index] * 2 + moves[index] * 2 + amounts[index];
    score += Math.min(2, tones[index]) * 0.5;
    if (sentence.length < 30) score -= 1.5;
    if (sentence.length > 320) score -= 1;
    if (sentence.endsWith("?")) score -= 1;
    ranked.push({ index, score, text: sentence });
  }
  if (ranked.length === 0) return null;
  const byScore = [...ranked].sort((a, b) => b.score - a.score || a.index - b.index);
  const chosen = [byScore[0]];
  const second = byScore[1];
  if (
    second && second.score >= 2 && second.score >= byScore[0].score * 0.45 &&
    byScore[0].text.length + second.text.length < ANALYSIS_LIMITS.summaryChars - 1
  ) {
    chosen.push(second);
  }
  return chosen.sort((a, b) => a.index - b.index).map((r) => r.text).join(" ");
}

function defaultDraft(ctx: Context, core: string): Draft {
  const { phrases } = ctx.texts;
  const { facts } = ctx;
  // Each candidate: [priority (lower first), position in the output, text].
  const candidates: Array<[number, number, string | null]> = [
    [0, 0, facts.hasInjection ? phrases.injection : null],
    [4, 1, facts.assets.length > 0 ? fill(phrases.assetsLine, allAssets(ctx)) : phrases.noAssets],
    [1, 2, ctx.lead ? movePoint(ctx, ctx.lead) : null],
    [5, 3, moveBeatsWords(ctx)],
    [2, 4, negationPoint(ctx)],
    [3, 5, amountPoint(ctx)],
    [1, 6, whyPoint(ctx)],
    [2, 7, riskPoint(ctx)],
    [6, 8, pick(ctx.kind.tips, ctx.seed, 3)],
  ];
  const points = candidates
    .filter((c): c is [number, number, string] => c[2] !== null)
    .sort((a, b) => a[0] - b[0] || a[1] - b[1])
    .slice(0, ANALYSIS_LIMITS.maxImpactPoints)
    .sort((a, b) => a[1] - b[1])
    .map((c) => c[2]);
  return { summary: core, points, learning: newsLearning(ctx) };
}

function simpleDraft(ctx: Context): Draft {
  const { phrases } = ctx.texts;
  const simple = fill(ctx.kind.simple[ctx.facts.direction], ctx.names);
  const points = [
    fill(phrases.simpleWhat, { about: ctx.kind.about }),
    ctx.lead ? fill(phrases.simpleMove, { move: moveText(ctx, ctx.lead) }) : null,
    fill(phrases.simpleDo, { tip: lowerFirst(pick(ctx.kind.tips, ctx.seed, 3)) }),
  ];
  return {
    summary: fill(phrases.simpleLead, { simple }),
    points: present(points),
    learning: newsLearning(ctx),
  };
}

function examplesDraft(ctx: Context, core: string): Draft {
  const { phrases } = ctx.texts;
  const points = [
    ctx.kind.example,
    ctx.lead ? positionExample(ctx, ctx.lead) : null,
    amountPoint(ctx),
    pick(ctx.kind.tips, ctx.seed, 3),
  ];
  return {
    summary: fill(phrases.examplesLead, { summary: core }),
    points: present(points),
    learning: newsLearning(ctx),
  };
}

function stepsDraft(ctx: Context, core: string): Draft {
  const { phrases } = ctx.texts;
  const values = {
    about: ctx.kind.about,
    assets: ctx.facts.assets.length > 0 ? ctx.names.assets : phrases.stepsNoAssets,
    move: ctx.lead ? moveText(ctx, ctx.lead) : phrases.stepsNoMove,
    check: ctx.kind.check,
    tip: lowerFirst(pick(ctx.kind.tips, ctx.seed, 3)),
  };
  return {
    summary: fill(phrases.stepsLead, { summary: core }),
    points: phrases.steps.map((step) => fill(step, values)),
    learning: newsLearning(ctx),
  };
}

function analogyDraft(ctx: Context): Draft {
  const { phrases } = ctx.texts;
  const points = [
    fill(phrases.analogyMap, { why: whyText(ctx) }),
    pick(phrases.analogyLimits, ctx.seed, 5),
    ctx.lead ? movePoint(ctx, ctx.lead) : null,
    riskPoint(ctx),
  ];
  return { summary: ctx.kind.analogy, points: present(points), learning: newsLearning(ctx) };
}

function questionsDraft(ctx: Context, core: string): Draft {
  const { phrases } = ctx.texts;
  const asset = ctx.lead?.asset ?? ctx.facts.assets[0];
  const points = [
    ...ctx.kind.questions,
    asset ? fill(phrases.questionAsset, { asset }) : null,
    ctx.lead && asset
      ? fill(phrases.questionMove, {
        asset,
        percent: formatPercent(ctx.lead.percent, ctx.lang, true),
      })
      : null,
  ];
  return {
    summary: fill(phrases.questionsLead, { summary: core }),
    points: present(points),
    learning: pick(ctx.kind.learning, ctx.seed, 7),
  };
}

function newsLearning(ctx: Context): string {
  return pick(ctx.kind.learning, ctx.seed, 6);
}

// === impact point builders

function whyText(ctx: Context): string {
  return fill(ctx.kind.why[ctx.facts.direction], ctx.names);
}

function whyPoint(ctx: Context): string {
  const frame = pick(ctx.texts.phrases.whyFrames, ctx.seed, 1);
  return fill(frame, { ...ctx.names, why: whyText(ctx) });
}

function riskPoint(ctx: Context): string {
  const { phrases } = ctx.texts;
  const frame = pick(phrases.riskFrames, ctx.seed, 2);
  return fill(frame, {
    risk: phrases.risk[ctx.risk],
    horizon: phrases.horizon[ctx.horizon],
    riskNote: phrases.riskNote[ctx.risk],
    riskNoteCap: capitalize(phrases.riskNote[ctx.risk]),
    horizonNote: phrases.horizonNote[ctx.horizon],
  });
}

function moveText(ctx: Context, move: PriceMove): string {
  const { phrases } = ctx.texts;
  const up = move.percent > 0;
  const percent = formatPercent(Math.abs(move.percent), ctx.lang);
  if (!move.asset) return fill(up ? phrases.moveUpNoAsset : phrases.moveDownNoAsset, { percent });
  return fill(up ? phrases.moveUp : phrases.moveDown, { asset: move.asset, percent });
}

function movePoint(ctx: Context, move: PriceMove): string {
  const { phrases } = ctx.texts;
  const size = Math.abs(move.percent);
  const note = phrases.sizeNote[size < 3 ? "small" : size < 10 ? "medium" : "large"];
  return fill(pick(phrases.moveFrames, ctx.seed, 4), {
    move: moveText(ctx, move),
    sizeNote: note,
    sizeNoteCap: capitalize(note),
  });
}

/** Says so when the words and the stated move disagree, so the label doesn't look like a slip. */
function moveBeatsWords(ctx: Context): string | null {
  const { facts, lead } = ctx;
  if (!lead || Math.abs(facts.toneScore) < TONE_THRESHOLD) return null;
  if (Math.sign(facts.toneScore) === Math.sign(lead.percent)) return null;
  const tone = ctx.texts.phrases.toneWord[facts.toneScore > 0 ? "bullish" : "bearish"];
  return fill(ctx.texts.phrases.moveBeatsWords, { tone });
}

/** "did not approve" reads better quoted whole than "not approve". */
const AUXILIARY_BEFORE_RE =
  /(?<![\p{L}])(?:did|does|do|will|would|could|can|has|have|had|is|are|was|were)\s+$/iu;

/** Quotes a negation that flipped a signal; only in the text's own language. */
function negationPoint(ctx: Context): string | null {
  const { facts } = ctx;
  if (facts.textLang !== ctx.lang) return null;
  const signal = facts.spans.tone.find((s) => s.negated);
  if (!signal) return null;
  const aux = AUXILIARY_BEFORE_RE.exec(
    facts.cleanText.slice(Math.max(0, signal.start - 12), signal.start),
  );
  const start = signal.start - (aux?.[0].length ?? 0);
  const phrase = facts.cleanText.slice(start, signal.end).replace(/\s+/g, " ").trim();
  if (phrase.length === 0 || phrase.length > 60) return null;
  return fill(ctx.texts.phrases.negation, { phrase });
}

function amountPoint(ctx: Context): string | null {
  const biggest = largestAmount(ctx.facts.amounts);
  if (!biggest) return null;
  return fill(ctx.kind.amount, { amount: formatAmount(biggest.value, biggest.unit, ctx.lang) });
}

function largestAmount(amounts: readonly Amount[]): Amount | null {
  let best: Amount | null = null;
  for (const a of amounts) {
    // Money beats coin counts: "$150 million" says more to a reader than "12,000 BTC".
    const weight = (x: Amount) => (x.unit === "usd" || x.unit === "eur" ? 1e3 : 1) * x.value;
    if (!best || weight(a) > weight(best)) best = a;
  }
  return best;
}

function positionExample(ctx: Context, move: PriceMove): string {
  const after = Math.max(0, 1000 * (1 + move.percent / 100));
  return fill(ctx.texts.phrases.examplePosition, {
    asset: move.asset ?? ctx.facts.assets[0] ?? ctx.names.assets,
    percent: formatPercent(move.percent, ctx.lang, true),
    after: formatNumber(after, ctx.lang, 0),
  });
}

// === answers

/** A glossary entry, or one made from an event kind, a stated move or nothing known. */
function answerDraft(ctx: Context, mode: AnalysisMode): Draft {
  const { facts, texts } = ctx;
  let entry: ConceptTexts;
  if (facts.isQuestion) {
    const concept = facts.concepts[0];
    // "Why do exchanges get hacked?" is about hacks, not about what an exchange is.
    const broad = concept !== undefined && BROAD_CONCEPTS.has(concept);
    if (ctx.lead) entry = moveEntry(ctx, ctx.lead);
    else if (concept && !(broad && facts.eventKind !== "general")) {
      entry = texts.concepts[concept];
    } else if (facts.eventKind !== "general") entry = kindEntry(ctx);
    else entry = texts.phrases.unknownConcept;
  } else {
    // News asked to be "answered": explain what the event is, through its concept when the
    // glossary has one under the same name (etf, stablecoin, whale).
    const kind = facts.eventKind;
    const concept = kind === "general" ? facts.concepts[0] : KIND_CONCEPTS[kind];
    entry = concept ? texts.concepts[concept] : kindEntry(ctx);
  }
  // Without an entry there is nothing to restyle: every mode gets the honest "not in my glossary".
  const style = entry === texts.phrases.unknownConcept ? "default" : mode;
  entry = fillAll(entry, ctx.coin);
  const { phrases } = texts;
  const short = firstSentence(entry.definition);
  const assetsLine = facts.assets.length > 0 ? fill(phrases.answerAssets, allAssets(ctx)) : null;
  switch (style) {
    case "simple":
      return {
        summary: fill(phrases.conceptSimple, { short: lowerFirst(short) }),
        points: present([entry.example, entry.points[0]]),
        learning: entry.learning,
      };
    case "examples":
      return {
        summary: entry.example,
        points: present([phrases.conceptExampleMore, entry.points[0], entry.points[1]]),
        learning: entry.learning,
      };
    case "steps":
      return {
        summary: fill(phrases.conceptStepsLead, { term: entry.term }),
        points: phrases.conceptSteps.map((step) =>
          fill(step, {
            short: lowerFirst(short),
            point: lowerFirst(entry.points[0]),
            point2: lowerFirst(entry.points[1]),
            example: lowerFirst(stripExampleLabel(entry.example)),
          })
        ),
        learning: entry.learning,
      };
    case "analogy":
      return {
        summary: entry.analogy,
        points: present([short, phrases.conceptAnalogyLimit, entry.points[0]]),
        learning: entry.learning,
      };
    case "questions":
      return {
        summary: fill(phrases.questionsLead, { summary: short }),
        points: phrases.conceptQuestions.map((q) => fill(q, { term: entry.term })),
        learning: entry.learning,
      };
    default:
      return {
        summary: entry.definition,
        points: present([...entry.points, entry.example, assetsLine]),
        learning: entry.learning,
      };
  }
}

function kindEntry(ctx: Context): ConceptTexts {
  const { kind } = ctx;
  return {
    term: kind.topic,
    definition: fill(ctx.texts.phrases.answerKindLead, { explain: lowerFirst(kind.explain) }),
    analogy: kind.analogy,
    example: kind.example,
    points: [
      capitalize(fill(kind.why.neutral, ctx.names)),
      capitalize(kind.check),
      kind.tips[0],
    ],
    learning: newsLearning(ctx),
  };
}

/**
 * Texts that talk about the text's coin ("an ETF on ETH", not on bitcoin): every `{coin}` in them
 * filled, other placeholders left for later.
 */
function fillAll<T>(texts: T, coin: Record<CoinCase, string>): T {
  // Most texts name no coin; walking them on every call would cost more than the analysis.
  if (!mentionsCoin(texts)) return texts;
  return fillEvery(texts, coin);
}

const COIN_PLACEHOLDER_USERS = new WeakMap<object, boolean>();

function mentionsCoin(texts: unknown): boolean {
  if (typeof texts === "string") return texts.includes("{coin");
  if (texts === null || typeof texts !== "object") return false;
  let known = COIN_PLACEHOLDER_USERS.get(texts);
  if (known === undefined) {
    known = JSON.stringify(texts).includes("{coin");
    COIN_PLACEHOLDER_USERS.set(texts, known);
  }
  return known;
}

function fillEvery<T>(texts: T, coin: Record<CoinCase, string>): T {
  if (typeof texts === "string") return fill(texts, coin) as T;
  if (Array.isArray(texts)) return texts.map((item) => fillEvery(item, coin)) as T;
  if (texts !== null && typeof texts === "object") {
    return Object.fromEntries(
      Object.entries(texts).map(([key, value]) => [key, fillEvery(value, coin)]),
    ) as T;
  }
  return texts;
}

function moveEntry(ctx: Context, move: PriceMove): ConceptTexts {
  const { phrases } = ctx.texts;
  const general = ctx.texts.kinds.general;
  return {
    term: general.topic,
    definition: fill(phrases.answerMove, { move: moveText(ctx, move) }),
    analogy: general.analogy,
    example: general.example,
    points: [phrases.answerMovePoints[0], phrases.answerMovePoints[1], phrases.answerMovePoints[2]],
    learning: phrases.answerMoveLearning,
  };
}

function emptyDraft(ctx: Context): Draft {
  const { phrases } = ctx.texts;
  return {
    summary: phrases.emptySummary,
    points: [...phrases.emptyPoints],
    learning: phrases.emptyLearning,
  };
}

// === helpers

/** Stablecoins caught up in other news are not what moves: "pushing USDT down" would mislead. */
function subjectAssets(facts: OfflineFacts): string[] {
  if (facts.eventKind === "stablecoin") return facts.assets;
  const volatile = facts.assets.filter((a) => !STABLECOINS.has(a));
  return volatile.length > 0 ? volatile : facts.assets;
}

function assetNames(assets: readonly string[], lang: Lang): Record<AssetCase, string> {
  const shown = assets.slice(0, 3);
  if (shown.length > 0) {
    const list = formatList(shown, lang);
    return { assets: list, assetsGen: list, assetsDat: list, assetsIns: list, assetsPre: list };
  }
  return { ...OFFLINE_TEXTS[lang].phrases.market };
}

/** The coin the story is about: the one whose move leads, else the first named; else the default. */
function coinNames(
  subjects: readonly string[],
  lead: PriceMove | null,
  texts: OfflineTexts,
): Record<CoinCase, string> {
  const coin = lead?.asset ?? subjects[0];
  return coin ? { coin, coinGen: coin, coinIns: coin } : { ...texts.phrases.defaultCoin };
}

function allAssets(ctx: Context): { assets: string } {
  return { assets: formatList(ctx.facts.assets.slice(0, 5), ctx.lang) };
}

function present(items: ReadonlyArray<string | null | undefined>): string[] {
  return items.filter((x): x is string => typeof x === "string" && x.length > 0);
}

/** FNV-1a: a stable 32-bit hash, so phrasing varies between texts but never between runs. */
function hashText(text: string): number {
  let hash = 0x811c9dc5 ^ text.length;
  // The opening is enough to tell texts apart; hashing 6 KB would cost more than it buys.
  const end = Math.min(text.length, 1024);
  for (let i = 0; i < end; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** One variant per text and slot; the salt keeps slots from all picking the same index. */
function pick<T>(variants: readonly T[], seed: number, salt: number): T {
  const mixed = Math.imul(seed ^ Math.imul(salt, 0x9e3779b1), 0x85ebca6b) >>> 0;
  return variants[((mixed ^ (mixed >>> 13)) >>> 0) % variants.length];
}

/** "Example: …" / "Пример: …" without the label, for frames that have their own. */
function stripExampleLabel(text: string): string {
  return text.replace(/^(?:Example|Пример):\s*/u, "");
}

function firstSentence(text: string): string {
  const match = /^.*?[.!?](?=\s|$)/su.exec(text);
  return match ? match[0] : text;
}

/** Collapses whitespace left by joining parts. */
function tidy(text: string): string {
  return text.replace(/\s+/g, " ").replace(/\s+([.,;:!?])/g, "$1").trim();
}

/** Cuts at a word boundary with an ellipsis; never splits a surrogate pair. */
function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(" ");
  if (space > max * 0.6) cut = cut.slice(0, space);
  const last = cut.charCodeAt(cut.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut = cut.slice(0, -1);
  return `${cut.replace(/[\s,;:—–-]+$/u, "")}…`;
}
