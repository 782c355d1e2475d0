/**
 * The offline analyzer's texts in Russian and English (`en.ts`, `ru.ts`, shaped by `types.ts`)
 * and the formatters for percents, sums and lists it writes them with. Placeholders are
 * `{name}`, filled by the one template filler every text goes through (`fill` in `../mod.ts`).
 *
 * @module
 */
import { type Lang } from "../mod.ts";
import { EN_ANALYSIS_TEXTS } from "./en.ts";
import { RU_ANALYSIS_TEXTS } from "./ru.ts";
import { type OfflineTexts } from "./types.ts";

export type { CoinCase, ConceptTexts, KindTexts, OfflineTexts, PhraseTexts } from "./types.ts";

/**
 * Texts per language.
 *
 * @example The Russian explanation of a hack
 * ```ts
 * OFFLINE_TEXTS.ru.kinds.hack.explain; // "Взлом (эксплойт) — это когда злоумышленники …"
 * ```
 */
export const OFFLINE_TEXTS: Readonly<Record<Lang, OfflineTexts>> = {
  en: EN_ANALYSIS_TEXTS,
  ru: RU_ANALYSIS_TEXTS,
};

// === formatters

/**
 * Formats an unsigned or signed percent the way each language writes it: "5.5%" and "+5.5%"
 * in English, "5,5 %" and "+5,5 %" in Russian (with a real minus sign for negatives).
 *
 * @example Percents in both languages
 * ```ts
 * formatPercent(-3.5, "ru", true); // "−3,5 %"
 * formatPercent(12, "en"); // "12%"
 * ```
 */
export function formatPercent(value: number, lang: Lang, signed = false): string {
  const abs = formatNumber(Math.abs(value), lang, 1);
  const sign = signed ? (value > 0 ? "+" : value < 0 ? "−" : "") : "";
  return lang === "ru" ? `${sign}${abs}\u00a0%` : `${sign}${abs}%`;
}

/**
 * Formats a number with the language's separators: "12,000.5" in English, "12 000,5" in Russian.
 *
 * @example Thousands and decimals
 * ```ts
 * formatNumber(12000.5, "ru", 1); // "12 000,5"
 * ```
 */
export function formatNumber(value: number, lang: Lang, maxDecimals = 2): string {
  const factor = 10 ** maxDecimals;
  const rounded = Math.round(value * factor) / factor;
  const [int, frac] = Math.abs(rounded).toFixed(maxDecimals).split(".");
  const group = lang === "ru" ? "\u00a0" : ",";
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, group);
  const trimmed = frac?.replace(/0+$/, "") ?? "";
  const sign = rounded < 0 ? "−" : "";
  return `${sign}${grouped}${trimmed ? (lang === "ru" ? "," : ".") + trimmed : ""}`;
}

const SCALES_EN = [[1e12, "trillion"], [1e9, "billion"], [1e6, "million"]] as const;
const SCALES_RU = [[1e12, "трлн"], [1e9, "млрд"], [1e6, "млн"]] as const;

/**
 * Formats a sum: "$150 million" or "150 млн $" for money, "12,000 BTC" or "12 000 BTC" for coins.
 *
 * @param unit `usd`, `eur`, `rub` or a ticker
 * @example Money and coins
 * ```ts
 * formatAmount(150e6, "usd", "en"); // "$150 million"
 * formatAmount(12000, "BTC", "ru"); // "12 000 BTC"
 * ```
 */
export function formatAmount(value: number, unit: string, lang: Lang): string {
  const scales = lang === "ru" ? SCALES_RU : SCALES_EN;
  let number = formatNumber(value, lang, 2);
  for (const [size, word] of scales) {
    if (value >= size) {
      number = `${formatNumber(value / size, lang, 2)} ${word}`;
      break;
    }
  }
  if (unit === "usd") return lang === "ru" ? `${number} $` : `$${number}`;
  if (unit === "eur") return lang === "ru" ? `${number} €` : `€${number}`;
  if (unit === "rub") return lang === "ru" ? `${number} ₽` : `${number} roubles`;
  return `${number} ${unit}`;
}

/**
 * Joins items as a sentence list: "BTC, ETH and SOL" / "BTC, ETH и SOL".
 *
 * @example A list of tickers
 * ```ts
 * formatList(["BTC", "ETH", "SOL"], "en"); // "BTC, ETH and SOL"
 * ```
 */
export function formatList(items: readonly string[], lang: Lang): string {
  if (items.length <= 1) return items[0] ?? "";
  const and = OFFLINE_TEXTS[lang].phrases.list.and;
  return `${items.slice(0, -1).join(", ")} ${and} ${items.at(-1)}`;
}

/**
 * Upper-cases the first letter, for a note that starts a sentence.
 *
 * @example
 * ```ts
 * capitalize("sharp swings are likely."); // "Sharp swings are likely."
 * ```
 */
export function capitalize(text: string): string {
  return text.length === 0 ? text : text[0].toUpperCase() + text.slice(1);
}

/**
 * Lower-cases the first letter of a sentence placed after a colon, leaving abbreviations
 * ("ETF", "SEC") as they are.
 *
 * @example
 * ```ts
 * lowerFirst("Keep savings in your own wallet."); // "keep savings in your own wallet."
 * lowerFirst("ETF flows matter."); // "ETF flows matter."
 * ```
 */
export function lowerFirst(text: string): string {
  if (text.length < 2 || text[1] !== text[1].toLowerCase() || PROPER_NOUN_RE.test(text)) {
    return text;
  }
  return text[0].toLowerCase() + text.slice(1);
}

/** Names that open some texts above and keep their capital after a colon. */
const PROPER_NOUN_RE =
  /^(?:Bitcoin|Ethereum|Solana|Cardano|Polygon|Arbitrum|Optimism|Base|Binance|Coinbase|Tether|Circle|Ripple|Toncoin|Dencun|MiCA|Bybit)(?![\p{L}])/u;
