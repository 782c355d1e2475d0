/**
 * The offline analyzer's lexicon: the matcher every word list runs through, assets, event kinds,
 * price moves, amounts, question cues and glossary concepts, in Russian and English (tone lives in
 * `offline_tone.ts`, the coins themselves in `offline_assets.ts`). Every pattern is compiled once
 * at module load; the matchers here only find things, `offline.ts` decides what they mean.
 *
 * Pattern notation used below: a space matches any run of whitespace and `*` matches the rest of a
 * word (Russian inflections, English suffixes). Everything else is plain regular expression.
 *
 * @module
 */
import { ASSET_DEFS } from "./offline_assets.ts";

/** Kinds of event the analyzer recognises; `general` when none fits. */
export const EVENT_KINDS = [
  "etf",
  "regulation",
  "hack",
  "outage",
  "listing",
  "partnership",
  "macro",
  "whale",
  "upgrade",
  "lawsuit",
  "stablecoin",
  "general",
] as const;
export type EventKind = typeof EVENT_KINDS[number];

/** Direction of the likely market reaction the text describes. */
export type Direction = "bullish" | "bearish" | "neutral";

/** Glossary concepts the answer mode can explain. */
export const CONCEPT_IDS = [
  "investing",
  "seed_phrase",
  "private_key",
  "wallet",
  "stablecoin",
  "defi",
  "staking",
  "etf",
  "halving",
  "gas_fee",
  "smart_contract",
  "nft",
  "dao",
  "layer2",
  "market_cap",
  "volatility",
  "scam",
  "mining",
  "fork",
  "whale",
  "airdrop",
  "altcoin",
  "exchange",
  "blockchain",
  "crypto",
] as const;
export type ConceptId = typeof CONCEPT_IDS[number];

/** A piece of text the lexicon matched, with its position in the cleaned text. */
export interface Span {
  start: number;
  end: number;
}

// === pattern helpers

// Speed matters: the analyzer has 2 ms for 4 KB. A regex scan of 4 KB costs about 10 µs whatever
// it holds, so one regex per word list (~150) would eat the budget, and the `i` flag and a
// lookbehind tried at every position each multiply that. So word lists are grouped into
// pattern sets matched together in one walk over the words (see `matchAllSets`), and the few
// regexes left run over a lower-cased copy of the text with the left boundary checked in code.

const RIGHT = "(?![\\p{L}\\p{N}_])";

function source(pattern: string): string {
  return pattern.replaceAll("*", "\\p{L}*").replaceAll(" ", "[\\s\\u00a0-]+");
}

/** Lower-cases the literal parts of a pattern, leaving escapes such as `\p{L}` or `\S` intact. */
function lowerLiterals(pattern: string): string {
  return pattern.split(/(\\[pP]\{[^}]*\}|\\.)/u)
    .map((part, i) => (i % 2 === 0 ? part.toLowerCase() : part))
    .join("");
}

let lastRaw = "";
let lastLower = "";

/**
 * The text lower-cased with every character keeping its length, so positions stay valid
 * ("İ" would otherwise grow). One entry is remembered: the matchers below run in turn over the
 * same text.
 */
function lowered(text: string): string {
  if (text === lastRaw) return lastLower;
  let lower = text.toLowerCase();
  if (lower.length !== text.length) {
    lower = Array.from(text, (ch) => {
      const l = ch.toLowerCase();
      return l.length === ch.length ? l : ch;
    }).join("");
  }
  lastRaw = text;
  lastLower = lower;
  return lower;
}

const WORD_CHAR_RE = /[\p{L}\p{N}_]/u;

function wordCharBefore(text: string, index: number, extra?: string): boolean {
  if (index <= 0) return false;
  const code = text.charCodeAt(index - 1);
  if (code < 0x80) {
    return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) ||
      (code >= 97 && code <= 122) || code === 95 || (extra?.includes(text[index - 1]) ?? false);
  }
  const ch = code >= 0xdc00 && code <= 0xdfff && index >= 2
    ? text.slice(index - 2, index)
    : text[index - 1];
  return WORD_CHAR_RE.test(ch) || (extra?.includes(ch) ?? false);
}

/** One group of a {@linkcode PatternSet}: alternatives in the notation above and what they mean. */
export interface SetEntry<T> {
  patterns: readonly string[];
  payload: T;
  caseSensitive?: boolean;
  /** A hyphen may follow only before a trading-pair suffix (`SOL-USD`, not `OP-ED`). */
  pairOnly?: boolean;
}

/**
 * Groups of alternatives matched together. Every alternative of every set is filed under the
 * first letters it needs, and one walk over the words of a text tries, at each word start, only
 * the alternatives filed under that word's letters. Most alternatives are plain words
 * (`bitcoin*`, `rate cut*`) and are compared as char codes, without a regex at all.
 */
export interface PatternSet<T> {
  id: number;
  payloads: T[];
}

/** A match of a {@linkcode PatternSet}. */
export interface SetMatch<T> extends Span {
  payload: T;
}

/** A word of a plain alternative: literal letters, then maybe `*` (more letters). */
interface Piece {
  codes: number[];
  rest: boolean;
}

interface Alternative {
  set: number;
  group: number;
  /** Unique over all sets: indexes the per-text bookkeeping arrays. */
  slot: number;
  /** Literal start of every match, as char codes: a cheap check before anything else runs. */
  prefix: number[];
  /**
   * The fourth char of the prefix, or -1. Alternatives are bucketed by their first three, so in
   * a crowded bucket ("про…", "con…") this one comparison turns most of them away.
   */
  fourth: number;
  /** Plain alternatives are compared piece by piece; the rest need their regex. */
  pieces: Piece[] | null;
  re: RegExp | null;
  notAfter?: string;
  pairOnly: boolean;
}

/**
 * Alternatives bucketed by a hash of their first three letters (or two, or one, for shorter
 * literal starts); a collision only costs a prefix check. Plain arrays, not maps: a lookup per
 * word start must cost nanoseconds.
 */
interface AltIndex {
  /** Alternatives whose literal start has three or more letters. */
  byThree: Array<Alternative[] | undefined>;
  byTwo: Array<Alternative[] | undefined>;
  byOne: Array<Alternative[] | undefined>;
  /** Alternatives without a literal start, tried at every word. */
  always: Alternative[];
  /** Whether any alternative is filed under two letters, and under one. */
  anyTwo: boolean;
  anyOne: boolean;
  /** First letters of alternatives that start in lower case (case-sensitive ones rarely do). */
  lowerStarts: Set<number>;
}

const TWO_BUCKETS = 1 << 13;

function bucketOfTwo(c0: number, c1: number): number {
  return (Math.imul(c0, 0x9e3779b1) ^ Math.imul(c1, 0x85ebca6b)) >>> 19;
}

function bucketOfThree(c0: number, c1: number, c2: number): number {
  return (Math.imul(c0, 0x9e3779b1) ^ Math.imul(c1, 0x85ebca6b) ^ Math.imul(c2, 0xc2b2ae35)) >>>
    19;
}

function emptyIndex(): AltIndex {
  return {
    byThree: new Array(TWO_BUCKETS).fill(undefined),
    byTwo: new Array(TWO_BUCKETS).fill(undefined),
    byOne: new Array(1024).fill(undefined),
    always: [],
    anyTwo: false,
    anyOne: false,
    lowerStarts: new Set(),
  };
}

const LOWER_INDEX = emptyIndex();
const WRITTEN_INDEX = emptyIndex();
let setCount = 0;
/** Each set's payloads, by set id: matches carry their payload, not a group number. */
const SET_PAYLOADS: unknown[][] = [];
let slotCount = 0;

export function patternSet<T>(
  entries: readonly SetEntry<T>[],
  notAfter?: string,
): PatternSet<T> {
  const id = setCount++;
  entries.forEach((entry, group) => {
    const index = entry.caseSensitive ? WRITTEN_INDEX : LOWER_INDEX;
    for (const written of entry.patterns.flatMap(expandLeadingGroup)) {
      const pattern = entry.caseSensitive ? written : lowerLiterals(written);
      // Regexes cost microseconds each when they run cold; most patterns are a few plain
      // spellings in disguise ("кошел[её]к*"), so they are spelled out and compared directly.
      const variants = plainVariants(pattern);
      for (const variant of variants ?? [pattern]) {
        const alt: Alternative = {
          set: id,
          group,
          slot: slotCount + group,
          prefix: codesOf(
            variants ? variant.split(" ")[0].replace(/\*$/, "") : literalPrefix(variant),
          ),
          pieces: variants
            ? variant.split(" ").map((part) => ({
              codes: codesOf(part.replace(/\*$/, "")),
              rest: part.endsWith("*"),
            }))
            : null,
          fourth: -1,
          re: variants ? null : new RegExp(`(?:${source(variant)})${RIGHT}`, "uy"),
          notAfter,
          pairOnly: !!entry.pairOnly,
        };
        alt.fourth = alt.prefix.length > 3 ? alt.prefix[3] : -1;
        const first = alt.prefix.length > 0 ? String.fromCharCode(alt.prefix[0]) : "";
        if (first === first.toLowerCase()) index.lowerStarts.add(alt.prefix[0] ?? -1);
        if (alt.prefix.length >= 3) {
          pushTo(index.byThree, bucketOfThree(alt.prefix[0], alt.prefix[1], alt.prefix[2]), alt);
        } else if (alt.prefix.length === 2) {
          pushTo(index.byTwo, bucketOfTwo(alt.prefix[0], alt.prefix[1]), alt);
          index.anyTwo = true;
        } else if (alt.prefix.length === 1) {
          pushTo(index.byOne, alt.prefix[0] & 1023, alt);
          index.anyOne = true;
        } else {
          index.always.push(alt);
        }
      }
    }
  });
  slotCount += entries.length;
  const payloads = entries.map((e) => e.payload);
  SET_PAYLOADS[id] = payloads;
  return { id, payloads };
}

function pushTo(buckets: Array<Alternative[] | undefined>, key: number, alt: Alternative): void {
  const list = buckets[key];
  if (list) list.push(alt);
  else buckets[key] = [alt];
}

/** `(?:moved|sent) x` becomes `moved x` and `sent x`, so each gets a literal start. */
function expandLeadingGroup(pattern: string): string[] {
  if (!pattern.startsWith("(?:")) return [pattern];
  let depth = 0;
  let close = -1;
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === "\\") i++;
    else if (ch === "(") depth++;
    else if (ch === ")" && --depth === 0) {
      close = i;
      break;
    }
  }
  const inner = pattern.slice(3, close);
  const rest = pattern.slice(close + 1);
  if (close < 0 || /^[?*+{]/.test(rest) || /[()]/.test(inner)) return [pattern];
  return inner.split("|").map((alt) => alt + rest);
}

const MAX_VARIANTS = 48;

/**
 * Spells a pattern out as plain alternatives (letters, spaces and a final `*` per word) when it
 * uses nothing but character lists (`[её]`), optional characters (`-?`) and non-nested groups
 * (`(?:a|b)`, `(?:a|b)?`); null when it needs a real regex (`\d`, `\p{L}+`, …).
 */
function plainVariants(pattern: string): string[] | null {
  let variants = [""];
  let i = 0;
  while (i < pattern.length) {
    let options: string[];
    const ch = pattern[i];
    if (ch === "[") {
      const close = pattern.indexOf("]", i);
      const inner = pattern.slice(i + 1, close);
      if (close < 0 || /[\\^-]/.test(inner)) return null;
      options = [...inner];
      i = close + 1;
    } else if (pattern.startsWith("(?:", i)) {
      const close = pattern.indexOf(")", i);
      const inner = pattern.slice(i + 3, close);
      if (close < 0 || /[()[\]\\?*+{}.]/.test(inner)) return null;
      options = inner.split("|");
      i = close + 1;
    } else if (ch === "\\" && pattern[i + 1] === ".") {
      options = ["."];
      i += 2;
    } else if (/[\p{L}\p{N}_'’ -]/u.test(ch) || (ch === "*" && isWordEnd(pattern, i + 1))) {
      options = [ch];
      i++;
    } else {
      return null;
    }
    if (pattern[i] === "?") {
      options = [...options, ""];
      i++;
    }
    variants = variants.flatMap((v) => options.map((o) => v + o));
    if (variants.length > MAX_VARIANTS) return null;
  }
  return variants.every((v) => v.length > 0 && !/^ | $| {2}|\*[^ ]/.test(v)) ? variants : null;
}

function isWordEnd(pattern: string, at: number): boolean {
  return at >= pattern.length || pattern[at] === " ";
}

/** The letters every match starts with: up to the first regex syntax, minus an optional last one. */
function literalPrefix(pattern: string): string {
  const run = /^[\p{L}\p{N}_'’-]*/u.exec(pattern)?.[0] ?? "";
  const next = pattern[run.length];
  return next === "?" || next === "*" || next === "+" || next === "{" ? run.slice(0, -1) : run;
}

function codesOf(text: string): number[] {
  return Array.from({ length: text.length }, (_, i) => text.charCodeAt(i));
}

const LETTER_RE = /\p{L}/u;
const NUMBER_RE = /\p{N}/u;
const SPACE_RE = /\s/u;

// Character classes of a scanned text, one byte per UTF-16 unit.
export const WORD = 1;
const LETTER = 2;
/** `[\s\u00a0-]`: what joins the words of a phrase. */
const JOINER = 4;

/**
 * A text prepared for matching: its char codes as written and lower-cased, and each unit's class.
 * Typed arrays keep the hot loops monomorphic; `charCodeAt` over mixed one- and two-byte strings
 * (English and Russian texts) is several times slower.
 */
export interface Scan {
  text: string;
  lower: string;
  codes: Uint16Array;
  lowerCodes: Uint16Array;
  flags: Uint8Array;
  /** Where each word starts. */
  starts: Int32Array;
}

let lastScan: Scan | null = null;

/** Prepares a text once; remembered for the last text, as the finders run over it in turn. */
export function scan(text: string): Scan {
  if (lastScan?.text === text) return lastScan;
  lastScan = scanText(text);
  return lastScan;
}

// Reused between texts (only the last scan is ever live): fresh typed arrays per text would
// cost allocations and garbage collections at every call.
let codesBuffer = new Uint16Array(8192);
let lowerBuffer = new Uint16Array(8192);
let flagsBuffer = new Uint8Array(8192);
let startsBuffer = new Int32Array(8192);

function scanText(text: string): Scan {
  const lower = lowered(text);
  const n = text.length;
  if (n > codesBuffer.length) {
    codesBuffer = new Uint16Array(n);
    lowerBuffer = new Uint16Array(n);
    flagsBuffer = new Uint8Array(n);
    startsBuffer = new Int32Array(n);
  }
  const codes = codesBuffer.subarray(0, n);
  const lowerCodes = lowerBuffer.subarray(0, n);
  const flags = flagsBuffer.subarray(0, n);
  for (let i = 0; i < n; i++) {
    const code = text.charCodeAt(i);
    codes[i] = code;
    lowerCodes[i] = lower.charCodeAt(i);
    if (BLOCK_READY[code >> 8] === 0) fillBlock(code >> 8);
    flags[i] = CHAR_CLASS[code];
  }
  // Letters outside the BMP (rare) come as surrogate pairs, which the table leaves at 0.
  for (let i = 0; i + 1 < n; i++) {
    if ((codes[i] & 0xfc00) === 0xd800) {
      const f = classOf(text.slice(i, i + 2));
      flags[i] = f;
      flags[i + 1] = f;
      i++;
    }
  }
  let count = 0;
  for (let i = 0; i < n; i++) {
    if (flags[i] & WORD && (i === 0 || !(flags[i - 1] & WORD))) startsBuffer[count++] = i;
  }
  return { text, lower, codes, lowerCodes, flags, starts: startsBuffer.subarray(0, count) };
}

/**
 * Class of every BMP character, filled a 256-character block at a time on first use: the scan
 * loop then reads a table instead of testing Unicode properties.
 */
const CHAR_CLASS = new Uint8Array(0x10000);
const BLOCK_READY = new Uint8Array(0x100);

function fillBlock(block: number): void {
  for (let code = block << 8; code < (block + 1) << 8; code++) {
    const isSurrogate = code >= 0xd800 && code <= 0xdfff;
    CHAR_CLASS[code] = isSurrogate ? 0 : classOf(String.fromCharCode(code));
  }
  BLOCK_READY[block] = 1;
}

function classOf(ch: string): number {
  if (ch === "_") return WORD;
  if (ch === "-") return JOINER;
  if (LETTER_RE.test(ch)) return WORD | LETTER;
  if (NUMBER_RE.test(ch)) return WORD;
  return SPACE_RE.test(ch) ? JOINER : 0;
}

/** Trading-pair suffixes allowed after a hyphen (`SOL-USD`); other hyphenations (`OP-ED`) are words. */
const PAIR_SUFFIX_RE = /^(?:USDT|USDC|USD|EUR|BTC|ETH|PERP)(?![\p{L}\p{N}])/u;

/** After a risky ticker a hyphen may only lead to a pair suffix: `SOL-USD` yes, `OP-ED` no. */
function pairTailOk(sc: Scan, end: number): boolean {
  if (sc.codes[end] !== 45 || !(sc.flags[end + 1] & LETTER)) return true;
  return PAIR_SUFFIX_RE.test(sc.text.slice(end + 1, end + 8));
}

function hasCodesAt(codes: Uint16Array, prefix: readonly number[], at: number): boolean {
  if (at + prefix.length > codes.length) return false;
  for (let i = 0; i < prefix.length; i++) {
    if (codes[at + i] !== prefix[i]) return false;
  }
  return true;
}

/** Matches a plain alternative at `start`; returns its end or -1. */
function matchPieces(
  pieces: readonly Piece[],
  codes: Uint16Array,
  flags: Uint8Array,
  start: number,
): number {
  const n = codes.length;
  let i = start;
  for (let k = 0; k < pieces.length; k++) {
    const piece = pieces[k];
    if (!hasCodesAt(codes, piece.codes, i)) return -1;
    i += piece.codes.length;
    if (piece.rest) { while (i < n && flags[i] & LETTER) i++; }
    if (k < pieces.length - 1) {
      const from = i;
      while (i < n && flags[i] & JOINER) i++;
      if (i === from) return -1;
    }
  }
  return i < n && flags[i] & WORD ? -1 : i;
}

let matchedText: string | null = null;
/** Per-group bookkeeping of {@linkcode matchAllSets}, sized once all sets are built. */
let reachBuffer = new Int32Array(0);
let foundBuffer = new Int32Array(0);
let matchedSets: SetMatch<unknown>[][] = [];

/**
 * Every set's matches in a text, in one walk over its words. Remembered for the last text: the
 * finders below run over the same text in turn.
 */
function matchAllSets(text: string): SetMatch<unknown>[][] {
  if (text === matchedText) return matchedSets;
  if (reachBuffer.length !== slotCount) {
    reachBuffer = new Int32Array(slotCount);
    foundBuffer = new Int32Array(slotCount);
  }
  const perSet: SetMatch<unknown>[][] = Array.from({ length: setCount }, () => []);
  const sc = scan(text);
  const { flags } = sc;
  // Like one regex per group: a group's matches don't overlap; the longest wins at one start.
  const reach = reachBuffer.fill(0);
  const found = foundBuffer.fill(0);
  // A counter, not `touched.length = 0`: truncating would drop the backing store every word.
  const touched: Alternative[] = [];
  let touchedCount = 0;
  const tryList = (
    list: readonly Alternative[] | undefined,
    codes: Uint16Array,
    subject: string,
    s: number,
  ) => {
    if (list === undefined) return;
    for (let k = 0; k < list.length; k++) {
      const alt = list[k];
      if (alt.fourth >= 0 && codes[s + 3] !== alt.fourth) continue;
      if (reach[alt.slot] > s || !hasCodesAt(codes, alt.prefix, s)) continue;
      if (alt.notAfter && s > 0 && alt.notAfter.includes(subject[s - 1])) continue;
      let end: number;
      if (alt.pieces) {
        end = matchPieces(alt.pieces, codes, flags, s);
      } else {
        const re = alt.re as RegExp;
        re.lastIndex = s;
        const m = re.exec(subject);
        end = m === null || m[0].length === 0 ? -1 : s + m[0].length;
      }
      if (end > 0 && alt.pairOnly && !pairTailOk(sc, end)) end = -1;
      if (end > found[alt.slot]) {
        if (found[alt.slot] === 0) touched[touchedCount++] = alt;
        found[alt.slot] = end;
      }
    }
  };
  const { codes, lowerCodes } = sc;
  const n = codes.length;
  const tryIndex = (index: AltIndex, cs: Uint16Array, subject: string, s: number) => {
    const c0 = cs[s];
    const c1 = s + 1 < n ? cs[s + 1] : 0;
    tryList(index.byThree[bucketOfThree(c0, c1, s + 2 < n ? cs[s + 2] : 0)], cs, subject, s);
    if (index.anyTwo) tryList(index.byTwo[bucketOfTwo(c0, c1)], cs, subject, s);
    if (index.anyOne) tryList(index.byOne[c0 & 1023], cs, subject, s);
    if (index.always.length > 0) tryList(index.always, cs, subject, s);
  };
  const { starts } = sc;
  for (let w = 0; w < starts.length; w++) {
    const s = starts[w];
    tryIndex(LOWER_INDEX, lowerCodes, sc.lower, s);
    // Most words start in lower case, and case-sensitive words mostly start with a capital.
    if (
      codes[s] !== lowerCodes[s] || WRITTEN_INDEX.always.length > 0 ||
      WRITTEN_INDEX.lowerStarts.has(codes[s])
    ) {
      tryIndex(WRITTEN_INDEX, codes, text, s);
    }
    if (touchedCount === 0) continue;
    for (let k = 0; k < touchedCount; k++) {
      const alt = touched[k];
      const end = found[alt.slot];
      found[alt.slot] = 0;
      reach[alt.slot] = end;
      perSet[alt.set].push({ start: s, end, payload: SET_PAYLOADS[alt.set][alt.group] });
    }
    touchedCount = 0;
  }
  matchedText = text;
  matchedSets = perSet;
  return perSet;
}

/** A set's matches in text order. Shared with the cache: read, never change. */
export function setMatches<T>(set: PatternSet<T>, text: string): readonly SetMatch<T>[] {
  return matchAllSets(text)[set.id] as SetMatch<T>[];
}

function hasSetMatch(set: PatternSet<unknown>, text: string): boolean {
  return matchAllSets(text)[set.id].length > 0;
}

// === assets

interface AssetPayload {
  ticker: string;
  /** Counts only when the text is about crypto (the word has an everyday meaning too). */
  needsContext: boolean;
  /** Counts only with a trading word or another coin right beside it ("staking ton"). */
  needsCue: boolean;
  /** A name that is also a trading venue: "on Curve" is the place, not the coin. */
  venue?: boolean;
}

/** Tickers and other symbols, as written; a `$` before one makes it a cashtag instead. */
const ASSET_SYMBOLS = patternSet<AssetPayload>(
  ASSET_DEFS.map((def) => ({
    patterns: [def.ticker, ...(def.symbols ?? [])],
    payload: { ticker: def.ticker, needsContext: !!def.risky, needsCue: !!def.strict },
    caseSensitive: true,
    pairOnly: !!def.risky,
  })),
  "$",
);

/** Names, multi-word ones first so "Bitcoin Cash" wins over "Bitcoin". */
const ASSET_NAMES = patternSet<AssetPayload>(
  ASSET_DEFS.flatMap((def): SetEntry<AssetPayload>[] => {
    const entries = (names: string[] | undefined, how: NameHow) =>
      (names ?? []).map((name) => ({
        patterns: [name],
        payload: {
          ticker: def.ticker,
          needsContext: how.context,
          needsCue: how.cue,
          venue: def.venue,
        },
        caseSensitive: how.asWritten,
      }));
    return [
      ...entries(def.names, { context: false, cue: false, asWritten: false }),
      ...entries(def.proper, { context: false, cue: false, asWritten: true }),
      ...entries(def.contextual, { context: true, cue: false, asWritten: true }),
      ...entries(def.nicks, { context: true, cue: false, asWritten: false }),
      ...entries(def.slang, { context: true, cue: true, asWritten: false }),
    ];
  }).sort((a, b) => wordCount(b.patterns[0]) - wordCount(a.patterns[0])),
);

/** How much evidence a kind of name needs, and whether it is matched only as written. */
interface NameHow {
  context: boolean;
  cue: boolean;
  asWritten: boolean;
}

function wordCount(pattern: string): number {
  return pattern.split(" ").length;
}

const SYMBOL_TO_TICKER: ReadonlyMap<string, string> = new Map(
  ASSET_DEFS.flatMap((d): Array<[string, string]> => [
    [d.ticker, d.ticker],
    ...(d.symbols ?? []).map((s): [string, string] => [s, d.ticker]),
  ]),
);

const CASHTAG_RE = /(?<![\p{L}\p{N}_])\$([A-Za-z]{2,6})(?![\p{L}\p{N}_])/gu;

/** "эфир" is Ether, but also "on air": these neighbours mean broadcasting. */
const ETHER_RU = patternSet([{
  patterns: ["эфир", "эфира", "эфиру", "эфиром", "эфире"],
  payload: true,
}]);
const ETHER_RU_BROADCAST_BEFORE = /(?:прям\p{L}*|в|во|из|радио|теле)\s+$/iu;
const ETHER_RU_BROADCAST_AFTER =
  /^\s+(?:телеканал\p{L}*|канал\p{L}*|радио\p{L}*|передач\p{L}*|программ\p{L}*|шоу|трансляци\p{L}*|студи\p{L}*)/iu;
/**
 * Trade and price words: right next to "эфир", "ton" or "link" they make the word the coin,
 * whatever the rest of the text says ("staking ton", "слил эфира", "bought link at 25").
 */
const TRADE_CUES = patternSet([{
  payload: true,
  patterns: [
    "куп*",
    "покуп*",
    "докуп*",
    "прода*",
    "продав*",
    "курс*",
    "цен[аеуыо]*",
    "стоимост*",
    "подорожа*",
    "подешеве*",
    "влож*",
    "стейк*",
    "застейк*",
    "максимум*",
    "минимум*",
    "вырос*",
    "упал*",
    "рост*",
    "падени*",
    "обновил*",
    "слил*",
    "слив*",
    "скинул*",
    "памп*",
    "дамп*",
    "улет*",
    "перев[её]*",
    "перевест*",
    "вывест*",
    "вывод*",
    "держ*",
    "холд*",
    "разлок*",
    "сети",
    "сеть",
    "лонг*",
    "шорт*",
    "pump*",
    "dump*",
    "moon*",
    "ripping",
    "rip",
    "rally*",
    "bought",
    "buy*",
    "sell*",
    "sold",
    "hold*",
    "hodl*",
    "stak*",
    "price*",
    "perp*",
    "futures",
    "longs",
    "shorts",
    "bags",
    "trading",
    "traded",
    "swap*",
    "bridge*",
    "unlock*",
    "chart*",
    "network",
    "chain",
    "ecosystem",
    "holders",
    "ETF*",
    "ATH",
    "usdt",
    "usd",
    "peg",
    "depeg*",
    "fund*",
    "фонд*",
    "fee*",
    "комисси*",
    "gas",
    "газ",
    "volume*",
    "объ[её]м*",
    "боковик*",
    "break* out",
    "breakout*",
    "flat",
    "stuck",
    "send*",
    "sent",
    "отправ*",
    "losses",
    "gains",
    "burn*",
    "сжига*",
    "fall*",
    "rise*",
    "rose",
    "drop*",
    "jump*",
    "surg*",
    "soar*",
    "slid*",
    "slump*",
    "tumbl*",
    "plung*",
    "scam*",
    "скам*",
    "меняю",
    "меняет",
    "поменя*",
    "обменя*",
    "sideways",
    "болта*",
    "топч*",
    "underperform*",
    "отста*",
    "dollar*",
    "доллар*",
    "пада*",
    "раст[её]т",
    "дорожа*",
    "дешеве*",
  ],
}]);

/**
 * Where "ton", "link" or "sol" is the everyday word: the word before or after it says so ("a ton
 * of", "the link in bio", "в тон"). Checked in code for the few slang candidates, so the walk over
 * every word does not try phrases that start with "a" or "в".
 */
const EVERYDAY_AROUND: Readonly<Record<string, { before: RegExp; after: RegExp }>> = {
  ton: { before: /(?:a|one|metric|per)\s+$/i, after: /^(?:s\b|\s+of\b)/i },
  тон: { before: /(?:^|\s)(?:в|во)\s+$/i, after: /^\s+(?:разговора|заявлени|голоса)/i },
  тона: { before: /(?:^|\s)(?:в|во)\s+$/i, after: /^\s+(?:разговора|заявлени|голоса)/i },
  link: {
    before: /(?:a|the|this|that|your|my)\s+$/i,
    after: /^(?:s\b|\s+(?:in|to|below|above)\b)/i,
  },
  dot: { before: /polka\s+$/i, after: /^\s+com\b/i },
  sol: { before: /(?:^|\s)el\s+$/i, after: /^\s+y\b/i },
};

function everydayWord(text: string, start: number, end: number): boolean {
  const around = EVERYDAY_AROUND[text.slice(start, end).toLowerCase()];
  if (!around) return false;
  return around.before.test(text.slice(Math.max(0, start - 8), start)) ||
    around.after.test(text.slice(end, end + 14));
}

/** What joins two coins in a list: "avax or dot", "сол и биток", "ETH/BTC", "eth vs sol". */
const COORDINATION_RE = /^[\s,/&+]*(?:(?:and|or|vs\.?|versus|и|или|либо|а|против)[\s,]+)?$/iu;

const CRYPTO_CONTEXT = patternSet([{
  payload: true,
  patterns: [
    "crypto*",
    "крипт*",
    "token*",
    "токен*",
    "coin*",
    "монет*",
    "blockchain*",
    "блокчейн*",
    "defi",
    "nft*",
    "web3",
    "stablecoin*",
    "стейблкоин*",
    "altcoin*",
    "альткоин*",
    "memecoin*",
    "мемкоин*",
    "бирж*",
    "wallet*",
    "кошел*",
    "кошельк*",
    "mining",
    "майнинг*",
    "staking",
    "стейкинг*",
    "validator*",
    "валидатор*",
    "mainnet",
    "testnet",
    "on-chain",
    "onchain",
    "ончейн*",
    "airdrop*",
    "satoshi*",
    "dex",
    "cex",
    "layer 2",
    "L2",
    "TVL",
    "market cap",
    "капитализаци*",
    "trading pair*",
    "торгов* пар*",
    "listing*",
    "листинг*",
    "delist*",
    "делистинг*",
  ],
}]);

/** Crypto exchanges and venues: naming one makes the text about crypto. */
const VENUE_CONTEXT = patternSet([{
  caseSensitive: true,
  payload: true,
  patterns: [
    "Binance",
    "Coinbase",
    "Kraken",
    "Bybit",
    "OKX",
    "Bitfinex",
    "KuCoin",
    "Gate\\.io",
    "Upbit",
    "Bitget",
    "HTX",
    "Robinhood",
    "Uniswap",
    "MetaMask",
  ],
}]);

/** Shouting headlines make every word look like a ticker. */
function isShouting(text: string): boolean {
  const { codes, lowerCodes, flags } = scan(text);
  const end = Math.min(codes.length, 2000);
  let capitals = 0;
  let letters = 0;
  for (let i = 0; i < end; i++) {
    if (!(flags[i] & LETTER)) continue;
    letters++;
    if (codes[i] !== lowerCodes[i]) capitals++;
  }
  return letters >= 20 && capitals / letters > 0.7;
}

/** One asset mention. */
export interface AssetMention extends Span {
  ticker: string;
}

interface Candidate extends AssetMention {
  needsContext: boolean;
  needsCue: boolean;
  venue?: boolean;
}

/** What puts a venue's name in place: "on Curve", "через Uniswap". */
const VENUE_BEFORE_RE = /(?:^|[^\p{L}])(?:on|at|via|through|from|на|в|во|через|с)\s+$/iu;

/**
 * Finds assets by ticker, cashtag and name (Russian and English, with inflections), resolving
 * overlaps in favour of the longer name (`Bitcoin Cash` is BCH, not BTC).
 *
 * @returns every accepted mention in text order
 *
 * @example Names, inflections and tickers
 * ```ts
 * findAssetMentions("Биткоина стало меньше, ETH растёт").map((m) => m.ticker); // ["BTC", "ETH"]
 * ```
 */
export function findAssetMentions(text: string): AssetMention[] {
  const candidates: Candidate[] = [];
  for (const set of [ASSET_SYMBOLS, ASSET_NAMES]) {
    for (const m of setMatches(set, text)) {
      if (m.payload.venue && VENUE_BEFORE_RE.test(text.slice(Math.max(0, m.start - 10), m.start))) {
        continue;
      }
      candidates.push({ start: m.start, end: m.end, ...m.payload });
    }
  }
  CASHTAG_RE.lastIndex = 0;
  for (const m of text.matchAll(CASHTAG_RE)) {
    const ticker = SYMBOL_TO_TICKER.get(m[1].toUpperCase());
    if (ticker) {
      candidates.push({
        ticker,
        start: m.index,
        end: m.index + m[0].length,
        needsContext: false,
        needsCue: false,
      });
    }
  }
  const cues = mergeByStart(setMatches(TRADE_CUES, text), setMatches(CRYPTO_CONTEXT, text));
  for (const { start, end } of setMatches(ETHER_RU, text)) {
    const before = text.slice(Math.max(0, start - 24), start);
    const after = text.slice(end, end + 30);
    // "в эфире телеканала" is on air whatever is near; "в эфире" alone needs a trading word.
    const onAir = ETHER_RU_BROADCAST_AFTER.test(after);
    if (!onAir && cueNear(text, cues, start, end)) {
      candidates.push({ ticker: "ETH", start, end, needsContext: false, needsCue: false });
    } else {
      const broadcast = onAir || ETHER_RU_BROADCAST_BEFORE.test(before);
      // On air unless another coin stands beside it ("$100 млн в эфире и USDT").
      candidates.push({ ticker: "ETH", start, end, needsContext: true, needsCue: broadcast });
    }
  }
  candidates.sort((a, b) =>
    a.start - b.start || (b.end - b.start) - (a.end - a.start) ||
    Number(a.needsContext) - Number(b.needsContext)
  );
  const kept: Candidate[] = [];
  let reach = -1;
  for (const c of candidates) {
    if (c.start < reach) continue;
    kept.push(c);
    reach = c.end;
  }
  let shouting: boolean | null = null;
  const isShoutedTicker = (c: Candidate) =>
    isTickerForm(text, c) && (shouting ??= isShouting(text));
  const firm = kept.some((c) => !c.needsContext);
  const context = firm || hasSetMatch(CRYPTO_CONTEXT, text) || hasSetMatch(VENUE_CONTEXT, text);
  const accepted = kept.map((c) =>
    !c.needsCue && (
      !c.needsContext || (context && !isShoutedTicker(c)) ||
      (isTickerForm(text, c) && TICKER_PRICE_AFTER_RE.test(text.slice(c.end, c.end + 40))) ||
      (!isShoutedTicker(c) && cueNear(text, cues, c.start, c.end))
    )
  );
  const coordinated = (i: number, j: number) =>
    j >= 0 && j < kept.length &&
    COORDINATION_RE.test(text.slice(kept[Math.min(i, j)].end, kept[Math.max(i, j)].start));
  // Cue-needing words: a trading word beside them, or a coin in the same list ("сол или эфир":
  // two coin words side by side vouch for each other unless both are everyday words). Twice, so
  // a list of several ("сол, тон и биток") is read whole.
  for (let round = 0; round < 2; round++) {
    kept.forEach((c, i) => {
      if (accepted[i] || isShoutedTicker(c)) return;
      if (c.needsCue && everydayWord(text, c.start, c.end)) return;
      const beside = (j: number) =>
        coordinated(i, j) && (accepted[j] || !(c.needsCue && kept[j].needsCue));
      accepted[i] = (c.needsCue && cueNear(text, cues, c.start, c.end)) || beside(i - 1) ||
        beside(i + 1);
    });
  }
  return kept.filter((_, i) => accepted[i]).map(({ ticker, start, end }) => ({
    ticker,
    start,
    end,
  }));
}

/** Two lists of spans in text order, merged in text order. */
function mergeByStart(a: readonly Span[], b: readonly Span[]): Span[] {
  if (b.length === 0) return a as Span[];
  if (a.length === 0) return b as Span[];
  const out: Span[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && a[i].start <= b[j].start)) out.push(a[i++]);
    else out.push(b[j++]);
  }
  return out;
}

/** Characters either side of a word in which a trading word, a number or a price counts as a cue. */
const CUE_REACH = 32;

/** A trading word, a number or a price right beside `[start, end)`, in the same clause. */
function cueNear(text: string, cues: readonly Span[], start: number, end: number) {
  const from = Math.max(0, start - CUE_REACH);
  const to = Math.min(text.length, end + CUE_REACH);
  // Cues come in text order: skip to the first that may reach `from` (a 4 KB text has hundreds).
  let low = 0;
  let high = cues.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (cues[mid].start < from - 40) low = mid + 1;
    else high = mid;
  }
  for (let i = low; i < cues.length; i++) {
    const cue = cues[i];
    if (cue.end <= from) continue;
    if (cue.start >= to) break;
    if (cue.start === start) continue;
    const between = cue.end <= start ? text.slice(cue.end, start) : text.slice(end, cue.start);
    if (!/[.!?;:\n]/.test(between)) return true;
  }
  return /(?:\d|\$)\s*(?:\p{L}{1,4}\.?\s+)?(?:в\s+|in\s+)?$/u.test(text.slice(from, start)) ||
    /^\s*(?:\(|(?:\p{L}+[\s,]+){0,2}(?:[+\-−–]?\d|\$))/u.test(text.slice(end, to));
}

/** A ticker quoted with a price or a move ("SOL -3%", "DOGE jumps 15%") is the coin. */
const TICKER_PRICE_AFTER_RE =
  /^(?:[/-](?:USDT|USDC|USD))?:?\s{0,2}(?:[+\-−–]\s?\d|\d+(?:[.,]\d+)?\s?%|\$\s?\d|\(\s*[+\-−–]?\d+(?:[.,]\d+)?\s?%|\p{L}+\s+(?:by\s+|на\s+)?[+\-−–]?\d+(?:[.,]\d+)?\s?%)/u;

function isTickerForm(text: string, span: Span): boolean {
  return /^[A-Z0-9]+$/.test(text.slice(span.start, span.end));
}

/**
 * Tickers in order of first mention, without repeats, at most `max`.
 *
 * @example
 * ```ts
 * uniqueTickers(findAssetMentions("BTC, ETH, bitcoin"), 10); // ["BTC", "ETH"]
 * ```
 */
export function uniqueTickers(mentions: readonly AssetMention[], max: number): string[] {
  const out: string[] = [];
  for (const m of mentions) {
    if (!out.includes(m.ticker)) out.push(m.ticker);
    if (out.length >= max) break;
  }
  return out;
}

// === event kinds

interface KindPayload {
  kind: EventKind;
  weight: number;
  /** Position in the list, to cap how often one group counts. */
  id: number;
}

/** A ban is both a kind of event (regulation) and bad news. */
export const BAN_WORDS = ["ban", "bans", "banned", "banning", "запрет*", "запрещ*", "prohibit*"];

let kindIds = 0;

function kind(
  k: EventKind,
  weight: number,
  patterns: string[],
  caseSensitive = false,
): SetEntry<KindPayload> {
  return { patterns, payload: { kind: k, weight, id: kindIds++ }, caseSensitive };
}

const KIND_ENTRIES: readonly SetEntry<KindPayload>[] = [
  kind("etf", 3, ["ETF*", "ЕТФ"], true),
  kind("etf", 3, ["exchange traded fund*", "биржев* инвестицион* фонд*", "биржев* фонд*"]),
  kind("etf", 2, ["GBTC", "IBIT", "iShares"], true),
  kind("etf", 1, ["BlackRock", "Grayscale", "Fidelity", "VanEck", "ARK"], true),
  kind("etf", 1, ["net inflow*", "net outflow*", "чист* приток*", "чист* отток*"]),

  kind("regulation", 2, [
    "regulat*",
    "регулир*",
    "регулятор*",
    ...BAN_WORDS,
    "legaliz*",
    "legalis*",
    "легализ*",
    "legislat*",
    "законопроект*",
    "законодательств*",
    "crackdown",
    "Госдум*",
  ]),
  kind("regulation", 2, ["MiCA", "ЦБ", "Банк России", "Минфин*"], true),
  kind("regulation", 1.5, [
    "закон",
    "закона",
    "закону",
    "законом",
    "законе",
    "законы",
    "law",
    "laws",
    "licen[cs]e*",
    "лиценз*",
    "налог*",
    "tax",
    "taxes",
    "taxed",
    "taxation",
    "sanction*",
    "санкци*",
    "central bank*",
    "центробанк*",
    "rules",
  ]),
  kind("regulation", 1, [
    "bill",
    "compliance",
    "authorit*",
    "власт*",
    "government*",
    "правительств*",
    "framework",
    "правил(?:а|ам|ами|ах)?",
    "minister*",
    "министр*",
  ]),
  kind("regulation", 1, ["CFTC", "KYC", "AML"], true),
  kind("regulation", 0.5, ["SEC"], true),

  kind("hack", 3, [
    "hack",
    "hacks",
    "hacked",
    "hacker*",
    "hacking",
    "exploit*",
    "stole*",
    "stolen",
    "steal*",
    "взлом*",
    "взламыва*",
    "хакер*",
    "эксплойт*",
    "украл*",
    "украд*",
    "краж*",
    "похит*",
    "похищ*",
  ]),
  kind("hack", 2, [
    "drain*",
    "breach*",
    "attack*",
    "phishing",
    "compromised",
    "атак*",
    "фишинг*",
    "злоумышленник*",
    "rug pull*",
  ]),
  kind("hack", 1.5, ["vulnerab*", "уязвим*", "scam*", "мошенни*"]),

  kind("outage", 3, [
    "outage*",
    "downtime",
    "went down",
    "goes down",
    "is down",
    "сбо[йяюеи]*",
    "stopped producing blocks",
    "stop* block production",
    "остановил* производств* блоков",
    "перебо*",
  ]),
  kind("outage", 2, [
    "halt*",
    "недоступ*",
    "не работа*",
    "приостановил* вывод*",
    "suspend* withdrawal*",
    "paused withdrawal*",
    "disrupt*",
    "congest*",
    "degraded",
    "остановк* сети",
  ]),
  kind("outage", 1, ["maintenance", "технически* работ*", "offline", "не могли"]),

  kind("listing", 3, ["listing*", "delist*", "листинг*", "делистинг*", "will list", "to list"]),
  kind("listing", 2, [
    "lists",
    "listed",
    "trading pair*",
    "торгов* пар*",
    "снимет с торгов",
    "начн* торги",
    "торги начнутся",
    "adds support",
    "add* trading",
  ]),

  kind("partnership", 3, [
    "partnership*",
    "сотрудничеств*",
    "team* up",
    "принима* оплат*",
    "accept* bitcoin",
    "accept* crypto*",
  ]),
  kind("partnership", 2, [
    "partner*",
    "партн[её]р*",
    "collaborat*",
    "integrat*",
    "интегр*",
    "adopt*",
    "внедр*",
    "alliance",
  ]),
  kind("partnership", 1.5, ["соглашени*", "agreement*", "deal"]),
  kind("partnership", 1, ["joins", "joined", "оплат*", "payment*", "платеж*", "платёж*"]),
  kind("partnership", 1, ["Visa", "Mastercard", "PayPal", "Stripe"], true),

  kind("macro", 3, ["Fed", "FOMC", "ФРС", "ЕЦБ", "ECB", "CPI"], true),
  kind("macro", 3, [
    "federal reserve",
    "interest rate*",
    "rate cut*",
    "rate hike*",
    "ключев* ставк*",
    "процентн* ставк*",
    "inflation",
    "инфляци*",
    "recession*",
    "рецесси*",
  ]),
  kind("macro", 2, [
    "ставк*",
    "Powell",
    "Пауэлл*",
    "treasury yields",
    "yields",
    "jobs report",
    "payrolls",
    "nonfarm",
    "unemployment",
    "безработиц*",
    "tariff*",
    "пошлин*",
    "dollar index",
    "basis points",
    "базисн* пункт*",
    "денежно-кредитн*",
    "monetary",
  ]),
  kind("macro", 2, ["GDP", "ВВП", "DXY"], true),

  kind("whale", 3, [
    "whale*",
    "кит",
    "киты",
    "кита",
    "китов",
    "китам",
    "китами",
    "китах",
    "крупн* держател*",
    "large holder*",
    "whale alert",
  ]),
  kind("whale", 2, [
    "(?:moved|sent|transferred|shifted|перев[её]л*|отправил*|переместил*) (?:about |around |over |some |около |более |свыше )?\\d[\\d.,\\s]{0,12}(?: ?(?:k|тыс\\.?|million|млн))? (?:btc|eth|usdt|usdc|xrp|sol|doge|bnb|ton|trx|ada|shib)",
    "dormant",
    "спящ* кош*",
    "дремлющ*",
    "withdr* from exchange*",
    "вывел* с бирж*",
    "accumulat*",
    "накоплени*",
    "накаплива*",
  ]),
  kind("whale", 1, ["moved", "transferred", "перев[её]л*", "перевод*", "wallet*", "кошел*"]),

  kind("upgrade", 3, [
    "upgrade*",
    "апгрейд*",
    "hard fork*",
    "hardfork*",
    "хардфорк*",
    "форк*",
    "fork*",
    "halving*",
    "halvening",
    "халвинг*",
  ]),
  kind("upgrade", 2, [
    "обновлени*",
    "mainnet",
    "мейннет*",
    "testnet",
    "тестнет*",
    "основн* сет*",
    "EIP-\\d+",
    "BIP-?\\d+",
  ]),
  kind("upgrade", 1.5, ["Dencun", "Pectra", "Fusaka", "Shanghai", "Merge", "Chang"], true),
  kind("upgrade", 1, ["update*", "runtime", "activat*", "активирова*", "roadmap"]),

  kind("lawsuit", 3, [
    "lawsuit*",
    "sue",
    "sues",
    "sued",
    "suing",
    "class action",
    "indict*",
    "иск",
    "иска",
    "иском",
    "иски",
    "исков",
    "приговор*",
  ]),
  kind("lawsuit", 2, [
    "court*",
    "judge*",
    "ruling*",
    "verdict*",
    "trial",
    "plead*",
    "sentenced",
    "prosecut*",
    "department of justice",
    "суд",
    "суда",
    "суду",
    "судом",
    "суде",
    "суды",
    "судов",
    "судья",
    "судьи",
    "судебн*",
    "обвинени*",
    "обвини*",
    "Минюст*",
    "прокурор*",
    "апелляц*",
    "встал* на сторону",
    "оправда*",
  ]),
  kind("lawsuit", 2, ["DOJ"], true),
  kind("lawsuit", 1.5, [
    "charge*",
    "settle*",
    "appeal*",
    "alleg*",
    "fine",
    "fined",
    "штраф*",
    "арест*",
    "урегулир*",
    "laundering",
    "отмывани*",
  ]),

  kind("stablecoin", 3, [
    "stablecoin*",
    "стейблкоин*",
    "стейбл*",
    "de-?peg*",
    "отвяз*",
    "привязк*",
  ]),
  kind("stablecoin", 2, ["peg", "mint*", "эмисси*", "attestation*", "issuance"]),
  kind("stablecoin", 1, ["reserves", "резерв*", "issued", "выпустил*", "напечатал*"]),
];

const KIND_PATTERNS = patternSet(KIND_ENTRIES);

const KIND_PRIORITY: readonly EventKind[] = [
  "hack",
  "outage",
  "stablecoin",
  "etf",
  "lawsuit",
  "regulation",
  "listing",
  "whale",
  "upgrade",
  "macro",
  "partnership",
  "general",
];

const STABLECOIN_TICKERS: ReadonlySet<string> = new Set(["USDT", "USDC", "DAI"]);

/**
 * Scores each event kind by its keywords; the headline (first sentence) counts half as much again.
 *
 * @returns the winning kind (`general` below a minimal score) and its keyword hits
 *
 * @example
 * ```ts
 * classifyEvent("Hackers drained $150 million from a bridge", 42, []).kind; // "hack"
 * ```
 */
export function classifyEvent(
  text: string,
  headlineEnd: number,
  tickers: readonly string[],
): { kind: EventKind; hits: Span[] } {
  const scores = new Map<EventKind, number>();
  const hits = new Map<EventKind, Span[]>();
  const counts = new Map<number, number>();
  for (const { start, end, payload: p } of setMatches(KIND_PATTERNS, text)) {
    const count = counts.get(p.id) ?? 0;
    if (count >= 4) continue;
    counts.set(p.id, count + 1);
    const bonus = start < headlineEnd ? 1.5 : 1;
    scores.set(p.kind, (scores.get(p.kind) ?? 0) + p.weight * bonus);
    const list = hits.get(p.kind) ?? [];
    list.push({ start, end });
    hits.set(p.kind, list);
  }
  if (tickers.some((t) => STABLECOIN_TICKERS.has(t))) {
    scores.set("stablecoin", (scores.get("stablecoin") ?? 0) + 0.5);
  }
  let best: EventKind = "general";
  let bestScore = 1.9;
  for (const k of KIND_PRIORITY) {
    const s = scores.get(k) ?? 0;
    if (s > bestScore) {
      best = k;
      bestScore = s;
    }
  }
  return { kind: best, hits: hits.get(best) ?? [] };
}

// === price moves

/** Runs over the lower-cased text; what may precede a match is checked in code (cheaper). */
const PERCENT_RE =
  /(?:([+\-−–])\s?)?(\d{1,4}(?:[.,]\d{1,2})?)\s?(?:%|percent\b|per cent\b|процент\p{L}*)/gu;

function percentMatches(text: string): RegExpExecArray[] {
  const lower = lowered(text);
  const out: RegExpExecArray[] = [];
  PERCENT_RE.lastIndex = 0;
  for (let m = PERCENT_RE.exec(lower); m !== null; m = PERCENT_RE.exec(lower)) {
    const before = m.index > 0 ? lower[m.index - 1] : "";
    if (before === "." || before === "," || wordCharBefore(lower, m.index)) {
      PERCENT_RE.lastIndex = m.index + 1;
    } else {
      out.push(m);
    }
  }
  return out;
}
const UP_WORDS = [
  "rose",
  "rise*",
  "rising",
  "gain*",
  "jump*",
  "surg*",
  "soar*",
  "climb*",
  "rall[yi]*",
  "spik*",
  "up",
  "higher",
  "added",
  "advanc*",
  "increas*",
  "rebound*",
  "вырос*",
  "раст[её]т",
  "рост*",
  "подорожал*",
  "прибавил*",
  "взлетел*",
  "взлет*",
  "взлёт*",
  "pump*",
  "памп*",
  "подскочил*",
  "поднял*",
  "поднима*",
  "укрепил*",
  "увеличил*",
  "выше",
  "плюс",
  "вверх",
  "explod*",
  "взорвал*",
  "reclaim*",
];
const DOWN_WORDS = [
  "fell",
  "fall*",
  "drop*",
  "dip",
  "dips",
  "dipped",
  "slid*",
  "slip*",
  "lost",
  "lose*",
  "losing",
  "plung*",
  "plummet*",
  "tumbl*",
  "sank",
  "sink*",
  "crash*",
  "dump*",
  "down",
  "lower",
  "declin*",
  "decreas*",
  "shed*",
  "slump*",
  "упал*",
  "пада*",
  "падени*",
  "снизил*",
  "снижа*",
  "снижени*",
  "подешевел*",
  "потерял*",
  "обвалил*",
  "обвал*",
  "рухнул*",
  "опустил*",
  "просел*",
  "ниже",
  "минус",
  "вниз",
  "tank*",
];
/** Move verbs: +1 up, -1 down. */
const MOVE_VERBS = patternSet([
  { patterns: UP_WORDS, payload: 1 },
  { patterns: DOWN_WORDS, payload: -1 },
]);
/** Words that make a percentage a price (not a fee, a rate or a share of supply). */
const PRICE_WORDS = patternSet([{
  payload: true,
  patterns: [
    "price*",
    "цен*",
    "курс*",
    "стоимост*",
    "котировк*",
    "market cap*",
    "капитализаци*",
    "token*",
    "токен*",
    "coin*",
    "монет*",
    "подорожал*",
    "подешевел*",
    "rall[yi]*",
    "plung*",
    "market*",
    "рын*",
  ],
}]);
/** What moves that is not a price: "fees dropped 90%", "supply fell 3%", "доля выросла". */
const NON_PRICE_SUBJECTS = patternSet([{
  payload: true,
  patterns: [
    "fee*",
    "gas",
    "комисси*",
    "volume*",
    "объ[её]м*",
    "supply",
    "предложени*",
    "hashrate",
    "hash rate",
    "хешрейт*",
    "хэшрейт*",
    "difficulty",
    "сложност*",
    "dominance",
    "доминировани*",
    "yield*",
    "доходност*",
    "inflation",
    "инфляци*",
    "unemployment",
    "безработиц*",
    "share",
    "дол[яию]",
    "apy",
    "apr",
    "rates",
    "ставк*",
    "funding",
    "фандинг*",
  ],
}]);
/** A level, not a move: "rose to 3%", "вырос до 5%", "at 3.5%". */
const LEVEL_BEFORE_RE = /(?:^|[\s(])(?:to|at|of|from|до|от|с|в|на уровне|уровн\p{L}*)\s*$/iu;
const SIGN_BEFORE_RE = /(?:^|[\s(:])$/u;

/** A price move stated in the text. */
export interface PriceMove extends Span {
  /** Signed percent, e.g. -12 for "fell 12%". */
  percent: number;
  /** The asset the move belongs to, when one is named in the same sentence. */
  asset: string | null;
}

/**
 * Finds price moves stated as percentages: with a sign ("+8%", "-3,5%") or next to a move verb
 * ("fell 12%", "вырос на 5%", "a 7% drop"), in a clause that names an asset or a price.
 *
 * @example
 * ```ts
 * const text = "BTC fell 12% overnight";
 * findPriceMoves(text, findAssetMentions(text))[0].percent; // -12
 * ```
 */
export function findPriceMoves(text: string, mentions: readonly AssetMention[]): PriceMove[] {
  const moves: PriceMove[] = [];
  const verbs = setMatches(MOVE_VERBS, text);
  const priceWords = setMatches(PRICE_WORDS, text);
  const otherSubjects = setMatches(NON_PRICE_SUBJECTS, text);
  for (const m of percentMatches(text)) {
    const value = Number(m[2].replace(",", "."));
    if (!Number.isFinite(value) || value === 0 || value > 1000) continue;
    const clauseStart = lastClauseBreak(text, m.index);
    const numberStart = m.index + (m[1] ? m[0].indexOf(m[2]) : 0);
    const end = m.index + m[0].length;
    const hasAsset = mentions.some((a) => a.start >= clauseStart && a.start < m.index);
    const priceClause = hasAsset ||
      priceWords.some((w) => w.start >= clauseStart && w.end <= m.index);
    let sign = 0;
    if (m[1] && SIGN_BEFORE_RE.test(text.slice(Math.max(0, m.index - 1), m.index))) {
      sign = m[1] === "+" ? 1 : -1;
    } else {
      if (LEVEL_BEFORE_RE.test(text.slice(clauseStart, numberStart))) continue;
      if (!priceClause || movesOtherThing(text, otherSubjects, mentions, clauseStart, m.index)) {
        continue;
      }
      sign = lastVerbSign(verbs, clauseStart, m.index) || firstVerbSign(verbs, text, end);
    }
    if (sign === 0) continue;
    moves.push({
      start: m.index,
      end,
      percent: sign * value,
      asset: nearestAsset(mentions, text, m.index),
    });
  }
  return moves;
}

/** The clause's last subject before the number is a fee, a supply or a rate, not a coin. */
function movesOtherThing(
  text: string,
  subjects: readonly Span[],
  mentions: readonly Span[],
  from: number,
  to: number,
): boolean {
  let last = -1;
  for (const s of subjects) if (s.start >= from && s.end <= to) last = s.start;
  // A coin after the subject takes over unless it only says whose fees ("fees on Ethereum").
  return last >= 0 &&
    !mentions.some((a) =>
      a.start > last && a.start < to && !OF_BEFORE_RE.test(text.slice(last, a.start))
    );
}

const OF_BEFORE_RE = /(?:^|\s)(?:on|of|in|for|на|в|во|у|по)\s+$/iu;

/** Start of the clause `index` is in: after the last `.!?;:—–`, newline or ", " within 120 chars. */
function lastClauseBreak(text: string, index: number): number {
  const { codes, flags } = scan(text);
  const from = Math.max(0, index - 120);
  for (let i = index - 1; i >= from; i--) {
    const c = codes[i];
    if (
      c === 46 || c === 33 || c === 63 || c === 59 || c === 58 || c === 0x2014 || c === 0x2013 ||
      c === 10
    ) {
      return i + 1;
    }
    if (c === 44 && i + 1 < index && flags[i + 1] & JOINER && codes[i + 1] !== 45) return i + 2;
  }
  return from;
}

/** The last move verb in the clause before the number: "fell 12%", "вырос на 5%". */
function lastVerbSign(verbs: readonly SetMatch<number>[], from: number, to: number): number {
  let sign = 0;
  for (const v of verbs) {
    if (v.start >= from && v.end <= to) sign = v.payload;
  }
  return sign;
}

/** A verb right after the number, before any punctuation: "a 7% drop". */
function firstVerbSign(verbs: readonly SetMatch<number>[], text: string, from: number): number {
  const head = text.slice(from, from + 24);
  const stop = head.search(/[.,;:!?]/);
  const to = from + (stop < 0 ? head.length : stop);
  return verbs.find((v) => v.start >= from && v.end <= to)?.payload ?? 0;
}

function nearestAsset(
  mentions: readonly AssetMention[],
  text: string,
  index: number,
): string | null {
  const { codes, flags } = scan(text);
  const from = Math.max(0, index - 300);
  let sentenceStart = from;
  for (let i = index - 1; i >= from; i--) {
    const c = codes[i];
    const stop = (c === 46 || c === 33 || c === 63) && i + 1 < index && flags[i + 1] & JOINER &&
      codes[i + 1] !== 45;
    if (c === 10 || stop) {
      sentenceStart = i;
      break;
    }
  }
  let best: AssetMention | null = null;
  for (const a of mentions) {
    if (a.start >= sentenceStart && a.start < index) best = a;
  }
  return best?.ticker ?? null;
}

// === amounts

const NUMBER = "\\d{1,3}(?:[ \\u00a0\\u202f,]\\d{3})+(?:[.,]\\d+)?|\\d+(?:[.,]\\d+)?";
const SCALE =
  "million|mln|billion|bn|trillion|thousand|млн\\.?|млрд\\.?|трлн\\.?|тыс\\.?|тысяч\\p{L}*|миллион\\p{L}*|миллиард\\p{L}*|[mbk](?![\\p{L}])";
/**
 * Runs over the lower-cased text (a coin's capitals are checked in the text as written), and
 * "no letter or digit before a bare number" is checked in code: both far cheaper than `i` and a
 * lookbehind tried at every position.
 */
const MONEY_AFTER_SIGN_RE = new RegExp(
  `(?<cur>[$€₽])\\s?(?<n>${NUMBER})(?:\\s?(?<s>${SCALE}))?`,
  "uy",
);
const MONEY_AFTER_NUMBER_RE = new RegExp(
  `(?<n>${NUMBER})\\s?(?:(?<s>${SCALE})\\s?)?(?:(?<cur>\\$|€|₽|usd\\b|dollars?\\b|долл\\p{L}*|рубл\\p{L}*|руб\\.?|euros?\\b|евро)|(?<coin>[a-z]{2,5})(?![\\p{L}\\p{N}]))`,
  "uy",
);

/** A sum of money or coins stated in the text. */
export interface Amount extends Span {
  value: number;
  /** `usd`, `eur`, `rub` or a ticker. */
  unit: string;
}

/**
 * Finds sums of money ("$150 million", "305 млн долларов") and of coins ("12,000 BTC").
 *
 * @example
 * ```ts
 * findAmounts("Hackers stole $150 million")[0]; // { value: 150000000, unit: "usd", … }
 * ```
 */
export function findAmounts(text: string): Amount[] {
  const out: Amount[] = [];
  const { lower, codes, flags } = scan(text);
  let reach = 0;
  for (let i = 0; i < codes.length; i++) {
    // Only where a sum can start: a currency sign, or a number not glued to a word.
    const c = codes[i];
    const currency = c === 36 || c === 0x20ac || c === 0x20bd;
    const number = c >= 48 && c <= 57 && (i === 0 || !(flags[i - 1] & WORD));
    if (i < reach || !(currency || number)) continue;
    const re = currency ? MONEY_AFTER_SIGN_RE : MONEY_AFTER_NUMBER_RE;
    re.lastIndex = i;
    const m = re.exec(lower);
    if (m === null) continue;
    reach = i + m[0].length;
    const g = m.groups ?? {};
    const raw = g.n;
    const scaleWord = g.s;
    let unit: string;
    if (g.coin !== undefined) {
      const end = m.index + m[0].length;
      const written = text.slice(end - g.coin.length, end);
      const ticker = SYMBOL_TO_TICKER.get(written);
      if (!ticker) continue;
      unit = ticker;
    } else {
      unit = currencyUnit(g.cur ?? "");
    }
    const value = parseNumber(raw) * scale(scaleWord);
    if (!Number.isFinite(value) || value <= 0) continue;
    out.push({ start: m.index, end: m.index + m[0].length, value, unit });
  }
  return out;
}

function currencyUnit(symbol: string): string {
  const s = symbol.toLowerCase();
  if (s === "€" || s.startsWith("eur") || s === "евро") return "eur";
  if (s === "₽" || s.startsWith("руб") || s.startsWith("рубл")) return "rub";
  return "usd";
}

function parseNumber(raw: string): number {
  const compact = raw.replace(/[\s\u00a0\u202f]/g, "");
  if (/,\d{3}(?!\d)/.test(compact) && !/\.\d+,/.test(compact)) {
    return Number(compact.replace(/,/g, ""));
  }
  return Number(compact.replace(",", "."));
}

function scale(word: string | undefined): number {
  if (!word) return 1;
  const w = word.toLowerCase().replace(/\.$/, "");
  if (w === "k" || w.startsWith("тыс") || w === "thousand") return 1e3;
  if (
    w === "m" || w === "mln" || w.startsWith("million") || w === "млн" || w.startsWith("миллион")
  ) {
    return 1e6;
  }
  if (
    w === "b" || w === "bn" || w.startsWith("billion") || w === "млрд" || w.startsWith("миллиард")
  ) {
    return 1e9;
  }
  if (w.startsWith("trillion") || w === "трлн") return 1e12;
  return 1;
}

// === questions

const QUESTION_START_RE =
  /^(?:что|как|почему|зачем|когда|где|куда|кто|какой|какая|какое|какие|каким|сколько|стоит ли|можно ли|нужно ли|надо ли|правда ли|чем|в ч[её]м|объясни\p{L}*|расскажи\p{L}*|подскажи\p{L}*|what|how|why|when|where|who|which|should|can|could|is|are|do|does|did|will|would|explain|tell me)(?![\p{L}])/iu;
/** Openings that ask even without a question mark ("что такое стейкинг", "whats a rug pull"). */
const STRONG_QUESTION_START_RE =
  /^(?:что такое|что значит|что означает|в ч[её]м разница|чем|объясни\p{L}*|расскажи\p{L}*|как работает|как купить|как хранить|как выбрать|как \p{L}+(?:ть|ти|чь)(?:ся)?|что будет|what happens|what will happen|стоит ли|можно ли|зачем нуж\p{L}*|почему|what is|what are|what's|whats|what does|what do|explain|how do|how does|how to|how can|how much|how many|should i|why|tell me|help me understand|(?:could|can|would) you (?:please )?(?:explain|tell))(?![\p{L}])/iu;
/** Question words that also open news clauses ("Когда биткоин упал, …"): only in one short clause. */
const SHORT_QUESTION_START_RE =
  /^(?:когда|где|куда|сколько|кто|для чего|как(?:ой|ая|ое|ие|ов)|что(?! за)|как(?! (?:сообща|пишет|заявил))|which|where|who|whom|whose|what(?! an? )|how|thoughts on|(?:what|что) (?:do you|думаешь|думаете))(?![\p{L}])/iu;
/** "btc or eth for a 5 year hold": a short text that opens by weighing two things. */
const CHOICE_START_RE =
  /^[$\p{L}\p{N}]+\s+(?:or|или|vs\.?|versus|либо)\s+[$\p{L}\p{N}]+(?:[\s,?]|$)/iu;
/** Asks wherever it stands in a short text: "eth vs sol which is better", "… или нет". */
const QUESTION_ANYWHERE_RE =
  /(?:^|[\s,])(?:which (?:one )?is better|which one|good time to|(?:хорош\p{L}*|подходящ\p{L}*) (?:время|момент)|что лучше|кто лучше|что выбрать|у кого больше|или нет|or not|or nah|worth it|(?:имеет|есть) (?:ли )?смысл)(?:[\s,?!.]|$)/iu;
/** Words people start with before the question itself ("ok so what is…", "слушай, как…"). */
const LEAD_IN_RE =
  /^(?:(?:ok(?:ay)?|so|hey|hi|guys|bro|pls|please|well|а|ну|и|так|слушай|скажи(?:те)?|подскажи(?:те)?|ребят[аы]?)[\s,!]+)+/iu;
/** Yes/no openings ("Is Bitcoin a good investment", "Безопасно ли …"): a question when short. */
const YES_NO_START_RE =
  /^(?:(?:is|are|am|can|could|should|do|does|will|would)\s+\p{L}+|\p{L}+\s+ли)(?![\p{L}])/iu;
/** News openings that start with a question word ("Как сообщает CoinDesk, …"). */
const REPORTED_SPEECH_RE =
  /^(?:как (?:сообща\p{L}*|стало известно|пишет|пишут|заявил\p{L}*|отмеча\p{L}*|передает|передаёт|сказал\p{L}*)|what (?:happened|we know))/iu;

/** "Что такое DAO? 🤔" still ends with its question mark. */
function trimTrailingEmoji(text: string): string {
  let end = text.length;
  while (end > 0) {
    const code = text.charCodeAt(end - 1);
    if (code === 0x200d || code === 0xfe0f || code === 32 || code === 10) end--;
    else if (code >= 0xdc00 && code <= 0xdfff && end >= 2) {
      if (!/\p{Extended_Pictographic}/u.test(text.slice(end - 2, end))) break;
      end -= 2;
    } else if (code >= 0x2000 && /\p{Extended_Pictographic}/u.test(text[end - 1])) end--;
    else break;
  }
  return text.slice(0, end);
}

/** A price or a move stated as a figure: "108k", "+5%", "$3,000". */
const STATED_FIGURE_RE = /\d(?:[.,]\d+)?\s?(?:[kк%]|тыс)(?![\p{L}])|\$\s?\d/iu;

/** Whether a sentence, or a clause of it, opens like a question. */
function askedIn(sentence: string): boolean {
  return sentence.split(/[,;:—–]\s*/).some((clause) =>
    QUESTION_START_RE.test(clause.trim().replace(LEAD_IN_RE, "")) ||
    YES_NO_START_RE.test(clause.trim().replace(LEAD_IN_RE, ""))
  );
}

/**
 * Tells a question from news: a short text ending in "?", or a short text opening like a question.
 *
 * @example
 * ```ts
 * looksLikeQuestion("Что такое стейкинг", ["Что такое стейкинг"]); // true
 * ```
 */
export function looksLikeQuestion(text: string, sentences: readonly string[]): boolean {
  const trimmed = trimTrailingEmoji(text.trim());
  if (trimmed.length === 0 || REPORTED_SPEECH_RE.test(trimmed)) return false;
  const last = sentences.at(-1) ?? trimmed;
  if (trimmed.endsWith("?") && trimmed.length <= 600) {
    // "bitcoin ripping, 108k now, new ATH incoming??": news with a figure and no question word.
    if (STATED_FIGURE_RE.test(trimmed) && !sentences.some((s) => askedIn(s))) return false;
    return sentences.length <= 3 || QUESTION_START_RE.test(last.trim());
  }
  if (trimmed.length > 200 || sentences.length > 1) return false;
  const asked = trimmed.replace(LEAD_IN_RE, "");
  return STRONG_QUESTION_START_RE.test(asked) ||
    (asked.length <= 100 && !/[,;:]/.test(asked) && SHORT_QUESTION_START_RE.test(asked)) ||
    (asked.length <= 80 && !/[.;:]/.test(asked) && CHOICE_START_RE.test(asked)) ||
    (asked.length <= 150 && QUESTION_ANYWHERE_RE.test(asked)) ||
    (asked.length <= 120 && !asked.endsWith(".") && YES_NO_START_RE.test(asked));
}

// === glossary concepts

const CONCEPT_ENTRIES: ReadonlyArray<{ id: ConceptId; re: readonly string[] }> = [
  {
    id: "investing",
    re: [
      "should i (?:buy|sell|invest)",
      "good investment",
      "worth (?:buying|investing)",
      "хорош* инвестици*",
      "выгодн* вложени*",
      "is it (?:a good time|worth) (?:to )?(?:buy|invest)*",
      "when to buy",
      "how to invest",
      "стоит ли (?:по)?купа*",
      "стоит ли (?:купить|продать|продавать|вкладывать|инвестировать)",
      "стоит ли вклад*",
      "куда вложить",
      "как инвестировать",
      "когда покупать",
    ],
  },
  {
    id: "seed_phrase",
    re: [
      "seed phrase*",
      "seed",
      "сид фраз*",
      "сид",
      "мнемони*",
      "recovery phrase*",
      "фраз* восстановлени*",
      "секретн* фраз*",
    ],
  },
  {
    id: "private_key",
    re: ["private key*", "приватн* ключ*", "закрыт* ключ*", "секретн* ключ*"],
  },
  {
    id: "wallet",
    re: ["wallet*", "кошел[её]к*", "кошельк*", "кошелёк"],
  },
  { id: "stablecoin", re: ["stablecoin*", "stable coin*", "стейблкоин*", "стейбл*"] },
  {
    id: "defi",
    re: ["defi", "дефи", "decentrali[sz]ed financ*", "децентрализованн* финанс*"],
  },
  { id: "staking", re: ["staking", "stake", "стейкинг*", "стейк", "застейк*"] },
  { id: "etf", re: ["ETF*", "exchange traded fund*", "биржев* фонд*"] },
  { id: "halving", re: ["halving*", "halvening", "халвинг*"] },
  {
    id: "gas_fee",
    re: [
      "gas",
      "gas fee*",
      "gwei",
      "газ",
      "газа",
      "газом",
      "network fee*",
      "transaction fee*",
      "комисси* сети",
      "комисси* за транзакци*",
    ],
  },
  {
    id: "smart_contract",
    re: ["smart contract*", "смарт контракт*", "умн* контракт*"],
  },
  { id: "nft", re: ["nft*", "нфт", "non-fungible*", "невзаимозаменяем*"] },
  {
    id: "dao",
    re: [
      "dao",
      "дао",
      "decentrali[sz]ed autonomous organi[sz]ation*",
      "децентрализованн* автономн* организаци*",
    ],
  },
  {
    id: "layer2",
    re: [
      "layer2*",
      "layer 2*",
      "layer two",
      "l2",
      "rollup*",
      "роллап*",
      "втор* уров*",
      "втор* сло*",
    ],
  },
  { id: "market_cap", re: ["market cap*", "marketcap*", "капитализаци*"] },
  { id: "volatility", re: ["volatil*", "волатильн*"] },
  {
    id: "scam",
    re: [
      "scam*",
      "скам*",
      "rug pull*",
      "rugpull*",
      "рагпул*",
      "pump and dump",
      "ponzi",
      "пирамид*",
      "мошенни*",
      "развод*",
      "phishing",
      "фишинг*",
    ],
  },
  { id: "mining", re: ["mining", "miner*", "майнинг*", "майнер*", "proof of work"] },
  { id: "fork", re: ["fork*", "hard fork*", "форк*", "хардфорк*"] },
  { id: "whale", re: ["whale*", "кит", "киты", "китов", "китами"] },
  { id: "airdrop", re: ["airdrop*", "эйрдроп*", "аирдроп*", "эирдроп*"] },
  { id: "altcoin", re: ["altcoin*", "альткоин*", "альты"] },
  {
    id: "exchange",
    re: ["exchange", "exchanges", "бирж*", "cex", "dex", "crypto exchange*"],
  },
  {
    id: "blockchain",
    re: ["blockchain*", "блокчейн*", "distributed ledger*", "распредел[её]нн* реестр*"],
  },
  { id: "crypto", re: ["cryptocurrenc*", "криптовалют*", "crypto"] },
];

const CONCEPTS = patternSet(CONCEPT_ENTRIES.map((c) => ({ patterns: c.re, payload: c.id })));

/** Broad concepts lose to a specific one mentioned in the same text. */
export const BROAD_CONCEPTS: ReadonlySet<ConceptId> = new Set([
  "crypto",
  "blockchain",
  "exchange",
  "wallet",
]);

/**
 * Glossary concepts the text mentions, the most specific first, then in order of mention.
 *
 * @example
 * ```ts
 * findConcepts("Where do I keep my seed phrase, in a wallet?"); // ["seed_phrase", "wallet"]
 * ```
 */
export function findConcepts(text: string): ConceptId[] {
  const found: Array<{ id: ConceptId; at: number }> = [];
  for (const m of setMatches(CONCEPTS, text)) {
    if (!found.some((f) => f.id === m.payload)) found.push({ id: m.payload, at: m.start });
  }
  found.sort((a, b) =>
    Number(BROAD_CONCEPTS.has(a.id)) - Number(BROAD_CONCEPTS.has(b.id)) || a.at - b.at
  );
  return found.map((f) => f.id);
}

// === language

/**
 * The script the text is mostly written in. Latin brand names in a Russian text do not flip it.
 *
 * @example
 * ```ts
 * detectScript("Биткоин ETF одобрен"); // "ru"
 * ```
 */
export function detectScript(text: string): "ru" | "en" | "other" {
  let cyr = 0;
  let lat = 0;
  let other = 0;
  const end = Math.min(text.length, 2000);
  for (let i = 0; i < end; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) {
      if ((code >= 65 && code <= 90) || (code >= 97 && code <= 122)) lat++;
    } else if (code >= 0x400 && code <= 0x4ff) {
      cyr++;
    } else if (code < 0xd800 || code > 0xdfff ? LETTER_RE.test(text[i]) : false) {
      other++;
    }
  }
  if (cyr + lat < 3 || other > (cyr + lat) * 2) return "other";
  return cyr >= (cyr + lat) * 0.3 ? "ru" : "en";
}

/** Instructions aimed at a language model: never quoted back as a summary. */
export const INJECTION_RE =
  /ignore (?:all |any )?(?:the )?(?:previous|prior|above)|disregard (?:all |the )?(?:previous|prior|above)|system prompt|you are now|act as|jailbreak|игнорир\p{L}* (?:все |всё )?(?:предыдущ|прошл)\p{L}*|забудь (?:все |всё )?(?:предыдущ|инструкц)\p{L}*|системн\p{L}* (?:промпт|подсказк)\p{L}*|ты теперь/iu;
