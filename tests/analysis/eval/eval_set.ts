/**
 * The labelled evaluation set (README.md beside this file) and how an analyzer is scored on it:
 * `asset_f1` (micro-averaged over every ticker of every item), `direction_acc` (news items only)
 * and `kind_acc` (every item). The bench (`deno task bench analysis`) and the regression test
 * (`tests/analysis/eval_test.ts`) both score through here, so they cannot disagree.
 *
 * @module
 */

/** One labelled text, as a line of a `.jsonl` file here. */
export interface EvalItem {
  id: string;
  lang: "ru" | "en";
  kind: "news" | "question";
  /** For news; `null` for questions (a question has no market direction to read). */
  direction: "bullish" | "bearish" | "neutral" | null;
  /** Uppercase tickers of every crypto asset the text names, in any order. */
  assets: string[];
  text: string;
  /** Which part of the set the item is in (from its file name). */
  split: "tune" | "heldout";
}

/** What an analyzer says about one text, in the set's terms. */
export interface EvalAnswer {
  assets: readonly string[];
  direction: "bullish" | "bearish" | "neutral";
  kind: "news" | "question";
}

/** The three figures of one analyzer on one part of the set. */
export interface EvalFigures {
  asset_f1: number;
  direction_acc: number;
  kind_acc: number;
}

/** One item an analyzer got wrong, with how wrong (for the worst-miss notes). */
export interface EvalMiss {
  id: string;
  split: EvalItem["split"];
  /** Asset tickers missed or invented, a wrong direction (opposite counts 2), a wrong kind. */
  weight: number;
  expected: Pick<EvalItem, "assets" | "direction" | "kind">;
  actual: EvalAnswer;
  text: string;
}

/** Scores of one analyzer on the whole set and on the held-out part, with its misses. */
export interface EvalReport {
  all: EvalFigures;
  heldout: EvalFigures;
  misses: EvalMiss[];
}

const FILES = [
  "tune_en.jsonl",
  "tune_ru.jsonl",
  "tune_was_heldout_en.jsonl",
  "tune_was_heldout_ru.jsonl",
  "heldout_en.jsonl",
  "heldout_ru.jsonl",
] as const;

/**
 * Reads every item of the set.
 *
 * @returns the items of all four files, tune first; throws on a malformed line, naming it
 * @example
 * ```ts
 * const items = await loadEvalSet();
 * items.filter((item) => item.split === "heldout").length; // about 30 % of the set
 * ```
 */
export async function loadEvalSet(): Promise<EvalItem[]> {
  const items: EvalItem[] = [];
  for (const file of FILES) {
    const split = file.startsWith("heldout") ? "heldout" : "tune";
    const text = await Deno.readTextFile(new URL(file, import.meta.url));
    text.split("\n").forEach((line, index) => {
      if (line.trim() === "") return;
      const item = { ...JSON.parse(line), split } as EvalItem;
      const problem = itemProblem(item);
      if (problem) throw new SyntaxError(`Cannot read ${file}:${index + 1}: ${problem}`);
      items.push(item);
    });
  }
  return items;
}

function itemProblem(item: EvalItem): string | null {
  if (typeof item.id !== "string" || typeof item.text !== "string") return "id and text required";
  if (item.lang !== "ru" && item.lang !== "en") return `lang "${item.lang}" is not ru or en`;
  if (item.kind !== "news" && item.kind !== "question") return `kind "${item.kind}" is unknown`;
  const directions = ["bullish", "bearish", "neutral"];
  if (item.kind === "news" && !directions.includes(item.direction as string)) {
    return `news needs a direction, got "${item.direction}"`;
  }
  if (item.kind === "question" && item.direction !== null) return "a question has direction null";
  if (!Array.isArray(item.assets) || item.assets.some((a) => !/^[A-Z0-9]{2,10}$/.test(a))) {
    return "assets must be uppercase tickers";
  }
  return null;
}

/**
 * Runs `analyze` over `items` and scores it.
 *
 * @param items the set (or any part of it)
 * @param analyze what is measured: our offline analyzer or the baseline scan
 * @returns figures on all items and on the held-out ones, and every miss, worst first
 * @example
 * ```ts
 * const report = scoreEvalSet(await loadEvalSet(), (item) => answerOf(item));
 * report.heldout.asset_f1; // 0…1
 * ```
 */
export function scoreEvalSet(
  items: readonly EvalItem[],
  analyze: (item: EvalItem) => EvalAnswer,
): EvalReport {
  const answers = items.map((item) => ({ item, answer: analyze(item) }));
  const misses = answers.map(({ item, answer }) => missOf(item, answer))
    .filter((miss): miss is EvalMiss => miss !== null)
    .sort((a, b) => b.weight - a.weight || a.id.localeCompare(b.id));
  return {
    all: figuresOf(answers),
    heldout: figuresOf(answers.filter(({ item }) => item.split === "heldout")),
    misses,
  };
}

interface Answered {
  item: EvalItem;
  answer: EvalAnswer;
}

function figuresOf(answers: readonly Answered[]): EvalFigures {
  let truePositives = 0;
  let wrong = 0;
  let news = 0;
  let directionRight = 0;
  let kindRight = 0;
  for (const { item, answer } of answers) {
    const { found, missed, invented } = compareAssets(item.assets, answer.assets);
    truePositives += found;
    wrong += missed + invented;
    if (item.kind === "news") {
      news++;
      if (answer.direction === item.direction) directionRight++;
    }
    if (answer.kind === item.kind) kindRight++;
  }
  return {
    asset_f1: ratio(2 * truePositives, 2 * truePositives + wrong),
    direction_acc: ratio(directionRight, news),
    kind_acc: ratio(kindRight, answers.length),
  };
}

function compareAssets(
  expected: readonly string[],
  actual: readonly string[],
): { found: number; missed: number; invented: number } {
  const want = new Set(expected);
  const got = new Set(actual);
  const found = [...got].filter((ticker) => want.has(ticker)).length;
  return { found, missed: want.size - found, invented: got.size - found };
}

/** An empty part scores 1: nothing to get wrong. */
function ratio(numerator: number, denominator: number): number {
  return denominator === 0 ? 1 : Math.round((numerator / denominator) * 10_000) / 10_000;
}

function missOf(item: EvalItem, answer: EvalAnswer): EvalMiss | null {
  const { missed, invented } = compareAssets(item.assets, answer.assets);
  let weight = missed + invented;
  if (item.kind === "news" && answer.direction !== item.direction) {
    const opposite = answer.direction !== "neutral" && item.direction !== "neutral";
    weight += opposite ? 2 : 1;
  }
  if (answer.kind !== item.kind) weight += 1;
  if (weight === 0) return null;
  return {
    id: item.id,
    split: item.split,
    weight,
    expected: { assets: item.assets, direction: item.direction, kind: item.kind },
    actual: answer,
    text: item.text,
  };
}
