/**
 * The dashboard's dead-letters card: the newest letters (filtered by user and error code, paged),
 * each with Retry and Discard buttons, and buttons for every letter matching the filter. The
 * buttons are forms posting to `/dashboard/dead_letters/…`, which answer with a redirect back
 * here carrying the outcome's code (docs/OPERATIONS.md, "Dead letters").
 *
 * @module
 */
import { z } from "@hono/zod-openapi";
import { queryDeadLetters } from "../../../store/dead_letters.ts";
import { type Markup } from "../page.tsx";
import {
  type DashboardContext,
  type DashboardSection,
  DEAD_LETTER_NOTICES,
  type DeadLetterView,
} from "./context.ts";
import { Badge, Card, Empty, iso, Table } from "./parts.tsx";

/** Letters on one page of the card. */
const LETTERS_SHOWN = 20;
const DAY_MS = 86_400_000;
const CARD_ID = "dead-letters";

/** The card's part of the dashboard's query string (read by {@linkcode deadLetterView}). */
export const DeadLetterViewQuerySchema = {
  dl_user: z.string().optional().openapi({ description: "Dead letters: only this user's" }),
  dl_code: z.string().optional().openapi({ description: "Dead letters: only this error code" }),
  dl_cursor: z.string().optional().openapi({ description: "Dead letters: older than this id" }),
  dl_notice: z.string().optional()
    .openapi({ description: "Dead letters: the outcome of the last button pressed" }),
  dl_id: z.string().optional().openapi({ description: "Dead letters: the letter it concerns" }),
  dl_count: z.string().optional().openapi({ description: "Dead letters: how many it concerned" }),
};

const LETTER_ID = /^[0-9a-z]{20}$/;

/**
 * The card's state from the query string; a malformed value is ignored (a page is not refused
 * over a hand-edited address).
 *
 * @example
 * ```ts
 * const view = deadLetterView({ dl_code: "PROVIDER_DOWN" }); // { errorCode: "PROVIDER_DOWN" }
 * ```
 */
export function deadLetterView(query: Partial<Record<string, string>>): DeadLetterView {
  const view: DeadLetterView = {};
  if (/^-?\d{1,16}$/.test(query.dl_user ?? "")) view.userId = Number(query.dl_user);
  if (/^[A-Z0-9_]{1,100}$/.test(query.dl_code ?? "")) view.errorCode = query.dl_code;
  if (LETTER_ID.test(query.dl_cursor ?? "")) view.cursor = query.dl_cursor;
  const notice = DEAD_LETTER_NOTICES.find((n) => n === query.dl_notice);
  if (notice) view.notice = notice;
  if (LETTER_ID.test(query.dl_id ?? "")) view.id = query.dl_id;
  if (/^\d{1,7}$/.test(query.dl_count ?? "")) view.count = Number(query.dl_count);
  return view;
}

/**
 * The address of the dashboard showing the card with a filter and, after an action, a notice.
 *
 * @example
 * ```ts
 * c.redirect(deadLettersHref({ errorCode: "PROVIDER_DOWN", notice: "bulk_retried", count: 12 }), 303);
 * ```
 */
export function deadLettersHref(view: DeadLetterView): string {
  const params = new URLSearchParams();
  if (view.userId !== undefined) params.set("dl_user", String(view.userId));
  if (view.errorCode !== undefined) params.set("dl_code", view.errorCode);
  if (view.cursor !== undefined) params.set("dl_cursor", view.cursor);
  if (view.notice !== undefined) params.set("dl_notice", view.notice);
  if (view.id !== undefined) params.set("dl_id", view.id);
  if (view.count !== undefined) params.set("dl_count", String(view.count));
  const query = params.toString();
  return `/dashboard${query ? `?${query}` : ""}#${CARD_ID}`;
}

function noticeText(view: DeadLetterView): { tone: "ok" | "warn"; text: string } | null {
  const id = view.id ?? "?";
  switch (view.notice) {
    case undefined:
      return null;
    case "retried":
      return { tone: "ok", text: `Dead letter ${id} was queued again; it runs once, in order.` };
    case "discarded":
      return { tone: "ok", text: `Dead letter ${id} was discarded.` };
    case "bulk_retried":
      return { tone: "ok", text: `${view.count ?? 0} matching dead letters were queued again.` };
    case "bulk_discarded":
      return { tone: "ok", text: `${view.count ?? 0} matching dead letters were discarded.` };
    case "DEAD_LETTER_NOT_FOUND":
      return { tone: "warn", text: `Dead letter ${id} is gone (erased or past retention).` };
    case "DEAD_LETTER_DISCARDED":
      return { tone: "warn", text: `Dead letter ${id} was discarded already; nothing changed.` };
    case "DEAD_LETTER_ALREADY_RETRIED":
      return { tone: "warn", text: `Dead letter ${id} was retried already; nothing changed.` };
    case "DEAD_LETTER_ALREADY_QUEUED":
      return { tone: "warn", text: `The update of ${id} is queued already; nothing changed.` };
    case "DEAD_LETTER_UNREADABLE":
      return { tone: "warn", text: `Dead letter ${id} holds no whole update; discard it.` };
    case "invalid":
      return { tone: "warn", text: "That request was not understood; nothing changed." };
    case "unconfirmed":
      return {
        tone: "warn",
        text: "Tick the box to act on every matching letter; nothing changed.",
      };
  }
}

/** A button in a form of its own that posts to `action`, with hidden fields. */
function ActionButton(
  props: { action: string; label: string; title: string; fields?: Record<string, string> },
): Markup {
  return (
    <form method="post" action={props.action} class="inline">
      {Object.entries(props.fields ?? {}).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <button type="submit" title={props.title}>{props.label}</button>
    </form>
  );
}

/**
 * Retry all / Discard all for what the filter matches (`null`: every letter), behind a box the
 * browser requires ticked, so one stray click cannot act on hundreds of letters.
 */
function BulkForm(props: { filter: Record<string, string> | null }): Markup {
  const fields = props.filter ?? { all: "true" };
  return (
    <form method="post" action="/dashboard/dead_letters/retry" class="bulk">
      {Object.entries(fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <label>
        <input type="checkbox" name="confirm" value="yes" required />{" "}
        {props.filter ? "Every letter matching the filter" : "Every dead letter"}
      </label>{" "}
      <button type="submit" title="Queue every matching update again, once each">
        Retry all
      </button>{" "}
      <button
        type="submit"
        formaction="/dashboard/dead_letters/discard"
        title="Drop every matching dead letter"
      >
        Discard all
      </button>
    </form>
  );
}

function FilterForm(props: { view: DeadLetterView; range: string }): Markup {
  const { view } = props;
  return (
    <form method="get" action={`/dashboard#${CARD_ID}`} class="filters">
      <input type="hidden" name="range" value={props.range} />
      <label>
        User id <input name="dl_user" inputmode="numeric" size={12} value={view.userId ?? ""} />
      </label>
      <label>
        Error code <input name="dl_code" size={18} value={view.errorCode ?? ""} />
      </label>
      <button type="submit">Filter</button>
      {view.userId !== undefined || view.errorCode !== undefined
        ? <a href={deadLettersHref({})}>Clear</a>
        : null}
    </form>
  );
}

async function renderCard(ctx: DashboardContext): Promise<Markup> {
  const view = ctx.deadLetterView ?? {};
  if (!ctx.deadLetterRetentionDays) {
    return (
      <Card id={CARD_ID} title="Dead letters" wide>
        <Empty>Dead letters are not shown by this process.</Empty>
      </Card>
    );
  }
  const page = await queryDeadLetters(ctx.store, {
    userId: view.userId,
    errorCode: view.errorCode,
    cursor: view.cursor,
    limit: LETTERS_SHOWN,
    now: ctx.now,
    retentionMs: ctx.deadLetterRetentionDays * DAY_MS,
  });
  const notice = noticeText(view);
  const filter: Record<string, string> = {};
  if (view.userId !== undefined) filter.user_id = String(view.userId);
  if (view.errorCode !== undefined) filter.error_code = view.errorCode;
  const filtered = Object.keys(filter).length > 0;
  return (
    <Card id={CARD_ID} title="Dead letters" wide>
      {notice
        ? (
          <p role="status">
            <Badge tone={notice.tone}>{notice.tone === "ok" ? "done" : "refused"}</Badge>{" "}
            {notice.text}
          </p>
        )
        : null}
      <FilterForm view={view} range={ctx.range} />
      <Table
        label="Dead letters"
        head={["id", "at", "actor", "update", "error code", "attempts", "actions"]}
        rows={page.letters.map((l) => [
          <code key="id">{l.id}</code>,
          iso(Date.parse(l.at)),
          l.actor,
          `${l.update_id} (${l.update_type})`,
          <code key="code">{l.error_code}</code>,
          String(l.attempts),
          <span key="actions" class="actions">
            <ActionButton
              action={`/dashboard/dead_letters/${l.id}/retry`}
              label="Retry"
              title={`Queue update ${l.update_id} of ${l.actor} again, once`}
              fields={filter}
            />
            <ActionButton
              action={`/dashboard/dead_letters/${l.id}/discard`}
              label="Discard"
              title={`Drop dead letter ${l.id}`}
              fields={filter}
            />
          </span>,
        ])}
        empty={view.cursor
          ? "No older dead letters."
          : `No dead letters${filtered ? " match the filter" : ""}.`}
      />
      {page.next_cursor
        ? (
          <p>
            <a href={deadLettersHref({ ...view, notice: undefined, cursor: page.next_cursor })}>
              Older dead letters
            </a>
          </p>
        )
        : null}
      {page.letters.length > 0 ? <BulkForm filter={filtered ? filter : null} /> : null}
    </Card>
  );
}

/** Dead letters, with their actions. */
export const deadLettersSection: DashboardSection = {
  id: CARD_ID,
  title: "Dead letters",
  render: renderCard,
};

/** The card's styles (added to the page's). */
export const DEAD_LETTERS_STYLE = `
form.inline{display:inline;margin:0 .2rem 0 0}.actions{white-space:nowrap}
.filters{display:flex;flex-wrap:wrap;gap:.3rem .8rem;align-items:center;margin:0 0 .5rem;font-size:13px}
.bulk{font-size:13px;margin:.4rem 0 0}
`;
