/**
 * The shape of the offline analyzer's texts in one language: what each kind of event means,
 * sentence frames the analyzer fills with facts, and the glossary behind answers. Placeholders
 * are `{name}`, filled by the one template filler (`fill` in `../mod.ts`).
 *
 * Tickers are indeclinable in Russian, so one `{assets}` fits every case; only the fallback for
 * "no coin named" needs a case of its own (`{assetsGen}`: "для крипторынка").
 *
 * @module
 */
import {
  type ConceptId,
  type Direction,
  type EventKind,
} from "../../analysis/providers/offline_lexicon.ts";

/** What the analyzer says about one kind of event. */
export interface KindTexts {
  /** The topic in two or three words, as in "questions about {topic}". */
  topic: string;
  /** Names the event type inside a sentence: "news about a crypto ETF". */
  about: string;
  /** What this type of event is, for answers and the plain-words mode. */
  explain: string;
  /** Why it matters for prices, per direction. */
  why: Record<Direction, string>;
  /** The same in words a first-time reader knows, per direction. */
  simple: Record<Direction, string>;
  /** What a stated sum means for this kind ({amount}). */
  amount: string;
  /** Practical advice for a beginner. */
  tips: readonly [string, string];
  analogy: string;
  example: string;
  /** What to verify before believing or acting on the news. */
  check: string;
  /** Guiding questions for the `questions` mode. */
  questions: readonly [string, string, string];
  /** Learning questions; one is picked per text. */
  learning: readonly [string, string];
}

/** One glossary entry. */
export interface ConceptTexts {
  term: string;
  definition: string;
  analogy: string;
  example: string;
  /** Key things to know. */
  points: readonly [string, string, string];
  /** A question that checks understanding. */
  learning: string;
}

/** Sentence frames and fixed phrases of one language. */
export interface PhraseTexts {
  /** Stands in for the asset list when no coin is named, in each grammatical case. */
  market: Record<"assets" | "assetsGen" | "assetsDat" | "assetsIns" | "assetsPre", string>;
  /**
   * The coin a text about one coin's product talks about when the text names none: `{coin}`,
   * `{coinGen}`, `{coinIns}` in learning questions and definitions ("an ETF on {coin}").
   */
  defaultCoin: Record<CoinCase, string>;
  /** Appended to the fact summary when coins are named. */
  assetsPart: string;
  /** How the keywords sound, for the "words vs price" note. */
  toneWord: Record<"bullish" | "bearish", string>;
  /** The answer when the glossary has nothing that fits. */
  unknownConcept: ConceptTexts;
  list: { and: string };
  direction: Record<Direction, string>;
  risk: Record<"low" | "medium" | "high", string>;
  riskNote: Record<"low" | "medium" | "high", string>;
  horizon: Record<"day" | "week" | "month", string>;
  horizonNote: Record<"day" | "week" | "month", string>;
  whyFrames: readonly string[];
  riskFrames: readonly string[];
  moveFrames: readonly string[];
  moveUp: string;
  moveDown: string;
  moveUpNoAsset: string;
  moveDownNoAsset: string;
  sizeNote: Record<"small" | "medium" | "large", string>;
  moveBeatsWords: string;
  negation: string;
  assetsLine: string;
  noAssets: string;
  injection: string;
  factSummary: string;
  factDirection: Record<Direction, string>;
  emptySummary: string;
  emptyPoints: readonly [string, string];
  emptyLearning: string;
  simpleLead: string;
  simpleWhat: string;
  simpleDo: string;
  simpleMove: string;
  examplesLead: string;
  examplePosition: string;
  stepsLead: string;
  steps: readonly [string, string, string, string, string];
  stepsNoAssets: string;
  stepsNoMove: string;
  analogyMap: string;
  analogyLimits: readonly string[];
  questionsLead: string;
  questionAsset: string;
  questionMove: string;
  answerKindLead: string;
  answerMove: string;
  answerMovePoints: readonly [string, string, string, string];
  answerMoveLearning: string;
  answerAssets: string;
  conceptSimple: string;
  conceptExampleMore: string;
  conceptStepsLead: string;
  conceptSteps: readonly [string, string, string, string];
  conceptQuestions: readonly [string, string, string];
  conceptAnalogyLimit: string;
}

/** Cases of the `{coin}` placeholders (a ticker is the same in all of them). */
export type CoinCase = "coin" | "coinGen" | "coinIns";

/** Everything of one language. */
export interface OfflineTexts {
  kinds: Record<EventKind, KindTexts>;
  concepts: Record<ConceptId, ConceptTexts>;
  phrases: PhraseTexts;
}
