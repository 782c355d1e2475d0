/**
 * `/glossary`: the crypto terms a beginner meets, from `learning/glossary.json` (ru and en, with
 * aliases, each linked to the lesson that covers it). `/glossary` lists them a page at a time;
 * `/glossary <term>` finds one by name or alias in either language and explains it, with
 * "next" (the button carries the next term, so it works after the session expired) and the
 * related lesson (a link the learning feature provides). No match offers the closest terms.
 * The last term viewed is this feature's session slice: `/glossary` opens on its page.
 *
 * This is the walk-through of docs/ARCHITECTURE.md, "How to add a feature".
 *
 * @module
 */
import { Composer } from "grammy";
import { type InlineKeyboardButton, type InlineKeyboardMarkup } from "grammy/types";
import { z } from "zod";
import { type Lang, LANGUAGES, t } from "../../i18n/mod.ts";
import content from "../../learning/glossary.json" with { type: "json" };
import { callbackKind, int, text } from "../callback_kind.ts";
import { type BotContext } from "../context.ts";
import { defineFeature, type FeatureCommand } from "../feature.ts";
import { escapeHtml } from "../html.ts";
import { type BotServices } from "../services.ts";
import { sessionSlice } from "../session_slice.ts";
import { answerStale, showHtml } from "../show.ts";

const GLOSSARY: FeatureCommand = { name: "glossary", description: "command_glossary" };

/** Terms on one page of the list. */
export const GLOSSARY_PAGE_SIZE = 8;
/** Closest terms offered when nothing matches. */
const CLOSEST = 3;
/** The most edits per character of the longer name for a name to count as close. */
const MAX_SCORE = 0.5;

const Entry = z.object({
  term: z.string().min(1).max(60),
  aliases: z.array(z.string().min(1).max(60)),
  text: z.string().min(40).max(600),
});
const Term = z.object({
  id: z.string().regex(/^[a-z0-9_]{1,30}$/),
  lesson: z.string().min(1),
  en: Entry,
  ru: Entry,
});
export type GlossaryTerm = z.infer<typeof Term>;

/** The terms in list order; a broken file stops the start, naming the field. */
export const GLOSSARY_TERMS: readonly GlossaryTerm[] = z.object({ terms: z.array(Term).min(40) })
  .parse(content).terms;

/** Lower case, `ё` as `е`, punctuation and hyphens as single spaces. */
function normalize(name: string): string {
  return name.toLowerCase().replaceAll("ё", "е").replace(/[^\p{L}\p{N}]+/gu, " ").trim();
}

/** Every name and alias in both languages, normalised, to its term; a name claimed twice fails. */
const BY_NAME = new Map<string, GlossaryTerm>();
for (const term of GLOSSARY_TERMS) {
  for (const name of LANGUAGES.flatMap((l) => [term[l].term, ...term[l].aliases])) {
    const key = normalize(name);
    const owner = BY_NAME.get(key);
    if (owner && owner !== term) {
      throw new Error(
        `Cannot load the glossary: "${name}" names both "${owner.id}" and "${term.id}"`,
      );
    }
    BY_NAME.set(key, term);
  }
}

function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    row = next;
  }
  return row[b.length];
}

/**
 * The term a query names (by name or alias, either language), else the closest ones: names
 * that contain the query or that it contains, then by edit distance.
 *
 * @example
 * ```ts
 * findTerm("Сид-фраза").term?.id; // "seed_phrase"
 * findTerm("stakin").closest[0].id; // "staking"
 * ```
 */
export function findTerm(query: string): { term?: GlossaryTerm; closest: GlossaryTerm[] } {
  const q = normalize(query);
  const exact = BY_NAME.get(q);
  if (exact) return { term: exact, closest: [] };
  const best = new Map<GlossaryTerm, number>();
  for (const [name, term] of BY_NAME) {
    const longer = Math.max(q.length, name.length);
    let score: number;
    if (name.includes(q) || (q.includes(name) && name.length >= 3)) score = 0;
    // The distance is at least the difference in length: past the cutoff without computing it,
    // so a pasted paragraph costs a comparison per name, not a table of its length times each.
    else if (Math.abs(q.length - name.length) > MAX_SCORE * longer) continue;
    else score = editDistance(q, name) / longer;
    if (score <= MAX_SCORE && score < (best.get(term) ?? Infinity)) best.set(term, score);
  }
  const closest = [...best].sort((a, b) => a[1] - b[1]).slice(0, CLOSEST).map(([term]) => term);
  return { closest };
}

// === Buttons and state

/** A term: `gt:<id>` (the "next" and "closest" buttons carry the term itself). */
const termButton = callbackKind("gt", { id: text("[a-z0-9_]{1,30}") });
/** A page of the list: `gp:<page>`. */
const pageButton = callbackKind("gp", { page: int(2) });

/** The last term viewed: `/glossary` opens on its page. */
const lastTerm = sessionSlice<string | null>({
  key: "glossary",
  initial: () => null,
  valid: (v): v is string | null => v === null || typeof v === "string",
});

function termLink(term: GlossaryTerm, lang: Lang, label = term[lang].term): InlineKeyboardButton {
  return { text: label, callback_data: termButton.pack({ id: term.id }) };
}

const PAGES = Math.ceil(GLOSSARY_TERMS.length / GLOSSARY_PAGE_SIZE);

function pageOf(term: GlossaryTerm): number {
  return Math.floor(GLOSSARY_TERMS.indexOf(term) / GLOSSARY_PAGE_SIZE);
}

// === Screens

async function showPage(ctx: BotContext, page: number, inPlace: boolean): Promise<void> {
  const { lang } = ctx.turn;
  const terms = GLOSSARY_TERMS.slice(page * GLOSSARY_PAGE_SIZE, (page + 1) * GLOSSARY_PAGE_SIZE);
  const rows: InlineKeyboardButton[][] = [];
  terms.forEach((term, i) =>
    i % 2 === 0 ? rows.push([termLink(term, lang)]) : rows.at(-1)!.push(termLink(term, lang))
  );
  const nav: InlineKeyboardButton[] = [];
  if (page > 0) nav.push({ text: "⬅️", callback_data: pageButton.pack({ page: page - 1 }) });
  if (page < PAGES - 1) {
    nav.push({ text: "➡️", callback_data: pageButton.pack({ page: page + 1 }) });
  }
  if (nav.length > 0) rows.push(nav);
  await showHtml(
    ctx,
    t(lang, "glossary_list", { page: page + 1, pages: PAGES, count: GLOSSARY_TERMS.length }),
    { inline_keyboard: rows },
    inPlace,
  );
}

async function showTerm(
  ctx: BotContext,
  services: BotServices,
  term: GlossaryTerm,
  inPlace: boolean,
): Promise<void> {
  const { lang } = ctx.turn;
  lastTerm.set(ctx.turn, term.id);
  const entry = term[lang];
  const other = LANGUAGES.filter((l) => l !== lang).map((l) => term[l].term)
    .filter((name) => name !== entry.term);
  const lines = [
    `📖 <b>${escapeHtml(entry.term)}</b>${
      other.length ? ` (${escapeHtml(other.join(", "))})` : ""
    }`,
    "",
    escapeHtml(entry.text),
  ];
  if (entry.aliases.length > 0) {
    lines.push("", t(lang, "glossary_aliases", { aliases: escapeHtml(entry.aliases.join(", ")) }));
  }
  const next = GLOSSARY_TERMS[(GLOSSARY_TERMS.indexOf(term) + 1) % GLOSSARY_TERMS.length];
  const lesson = services.catalog.lesson(term.lesson);
  const related = lesson
    ? services.hub.link("lesson", t(lang, "glossary_lesson", { title: lesson.title[lang] }), {
      lessonId: lesson.id,
    })
    : null;
  const markup: InlineKeyboardMarkup = {
    inline_keyboard: [
      [termLink(next, lang, t(lang, "glossary_next", { term: next[lang].term }))],
      ...(related ? [[related]] : []),
      [{ text: t(lang, "glossary_all"), callback_data: pageButton.pack({ page: pageOf(term) }) }],
    ],
  };
  await showHtml(ctx, lines.join("\n"), markup, inPlace);
}

function glossaryComposer(services: BotServices): Composer<BotContext> {
  for (const term of GLOSSARY_TERMS) {
    if (!services.catalog.lesson(term.lesson)) {
      throw new Error(`Cannot load the glossary: "${term.id}" links to no lesson "${term.lesson}"`);
    }
  }
  const feature = new Composer<BotContext>();

  feature.command(GLOSSARY.name, async (ctx) => {
    const { lang } = ctx.turn;
    const query = ctx.match.trim();
    if (!query) {
      const last = GLOSSARY_TERMS.find((term) => term.id === lastTerm.get(ctx.turn));
      return await showPage(ctx, last ? pageOf(last) : 0, false);
    }
    const found = findTerm(query);
    if (found.term) return await showTerm(ctx, services, found.term, false);
    const shown = escapeHtml(query.slice(0, 60));
    const reply = found.closest.length > 0
      ? t(lang, "glossary_closest", { query: shown })
      : t(lang, "glossary_none", { query: shown });
    await ctx.reply(reply, {
      parse_mode: "HTML",
      reply_markup: { inline_keyboard: found.closest.map((term) => [termLink(term, lang)]) },
    });
  });

  feature.callbackQuery(termButton.pattern, async (ctx) => {
    const id = termButton.parse(ctx.callbackQuery.data)?.id;
    const term = GLOSSARY_TERMS.find((candidate) => candidate.id === id);
    if (!term) return await answerStale(ctx);
    await ctx.answerCallbackQuery();
    await showTerm(ctx, services, term, true);
  });

  feature.callbackQuery(pageButton.pattern, async (ctx) => {
    const page = pageButton.parse(ctx.callbackQuery.data)?.page ?? PAGES;
    if (page >= PAGES) return await answerStale(ctx);
    await ctx.answerCallbackQuery();
    await showPage(ctx, page, true);
  });

  return feature;
}

/** `/glossary`, its buttons and the last term viewed. */
export const glossaryFeature = defineFeature({
  name: "glossary",
  commands: [GLOSSARY],
  callbacks: [termButton, pageButton],
  session: [lastTerm],
  composer: glossaryComposer,
});
