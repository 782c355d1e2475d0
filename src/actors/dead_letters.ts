/**
 * What operators do with dead letters (the API, the dashboard and `deno task deadletters` all
 * come here): retry one — its update goes back into its actor's inbox exactly once, in
 * `update_id` order with the user's other queued updates — or discard it; or either for every
 * letter matching a filter. Each action commits with its audit row (docs/OPERATIONS.md, "Dead
 * letters").
 *
 * A retry is queued flagged `requeued` on purpose: a dead-lettered id is listed among its
 * actor's finished updates, and its turn would otherwise take it for a redelivery and skip it
 * (docs/ARCHITECTURE.md, "Deduplication"). What makes the retry happen once is the letter
 * itself: the commit checks the record unchanged and its settlement absent, and replaces the
 * record by a settlement.
 *
 * @module
 */
import { getLogger } from "@logtape/logtape";
import { type Tx } from "../core/tx.ts";
import { type Update } from "grammy/types";
import { type Lang, t } from "../i18n/mod.ts";
import * as audit from "../store/audit.ts";
import * as counters from "../store/counters.ts";
import {
  type DeadLetter,
  type DeadLetterLookup,
  getDeadLetter,
  queryDeadLetters,
  type Settlement,
  stageSettlement,
  updateText,
} from "../store/dead_letters.ts";
import { runtimeKeys } from "../store/keys.ts";
import { commitTx, type Store } from "../store/kv.ts";
import { type InboxAppend, stageInboxEntry, type UpdateSource, validateUpdate } from "./inbox.ts";

/** Who acts, for the audit row. */
export interface DeadLetterOperator {
  /** `api`, `dashboard` or `cli`. */
  via: string;
  ip?: string | null;
}

/** What every action needs. */
export interface DeadLetterActionOptions {
  now: number;
  /** `DEAD_LETTER_RETENTION_DAYS` in ms: older letters count as gone. */
  retentionMs: number;
  by: DeadLetterOperator;
  /** Told about an actor whose inbox got a retried update (this process's supervisor). */
  onQueued?: (actor: string, updateId: number) => void;
}

/** The action an operator takes. */
export type DeadLetterAction = "retry" | "discard";

/** Why an action on one letter changed nothing. */
export type DeadLetterRefusal =
  /** Never existed, erased, or past retention. */
  | { code: "DEAD_LETTER_NOT_FOUND" }
  | { code: "DEAD_LETTER_DISCARDED"; settlement: Settlement }
  | { code: "DEAD_LETTER_ALREADY_RETRIED"; settlement: Settlement }
  /** The update id is in its actor's inbox already. */
  | { code: "DEAD_LETTER_ALREADY_QUEUED" }
  /** The stored update is not a whole update (a letter kept before updates were stored whole). */
  | { code: "DEAD_LETTER_UNREADABLE" };

/** How one action ended. */
export type DeadLetterOutcome =
  | { ok: true; letter: DeadLetter }
  | ({ ok: false; id: string } & DeadLetterRefusal);

const log = getLogger(["rvx", "actors", "dead_letters"]);
/** Re-reads when the record changed between the read and the commit (never in practice). */
const ATTEMPTS = 5;

/**
 * Retries (re-queues) or discards one dead letter. Nothing changes when it answers `ok: false`.
 *
 * @example
 * ```ts
 * const outcome = await settleDeadLetter(store, "retry", id, { now, retentionMs, by: { via: "cli" } });
 * if (!outcome.ok) console.log(outcome.code);
 * ```
 */
export async function settleDeadLetter(
  store: Store,
  action: DeadLetterAction,
  id: string,
  options: DeadLetterActionOptions,
): Promise<DeadLetterOutcome> {
  const { now, retentionMs } = options;
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const found = await getDeadLetter(store, id, { now, retentionMs });
    if (found.status !== "live") return refusal(id, found);
    const tx = store.tx();
    const refused = await stageAction(store, tx, action, found, options);
    if (refused?.code === "DEAD_LETTER_ALREADY_QUEUED") {
      // Most likely a retry that committed since this one read the letter.
      const current = await getDeadLetter(store, id, { now, retentionMs });
      return current.status === "live" ? refused : refusal(id, current);
    }
    if (refused) return refused;
    if (await commitTx(store, tx) === null) continue;
    acted(action, [found.letter], options);
    return { ok: true, letter: found.letter };
  }
  // Every attempt lost a race: someone else settled it, or the inbox got the id meanwhile.
  const again = await getDeadLetter(store, id, { now, retentionMs });
  return again.status === "live"
    ? { ok: false, id, code: "DEAD_LETTER_ALREADY_QUEUED" }
    : refusal(id, again);
}

/**
 * Stages one letter's action with its audit row. A letter that cannot be retried (no whole
 * update, or its id already queued) is answered with a refusal and nothing is staged.
 */
async function stageAction(
  store: Store,
  tx: Tx,
  action: DeadLetterAction,
  found: { letter: DeadLetter; versionstamp: string },
  options: DeadLetterActionOptions,
): Promise<DeadLetterRefused | null> {
  const { letter } = found;
  const { now, by } = options;
  let requeue: InboxAppend | null = null;
  if (action === "retry") {
    const json = await updateText(store, letter);
    const update = parseUpdate(json);
    if (!update) return { ok: false, id: letter.id, code: "DEAD_LETTER_UNREADABLE" };
    const inboxKey = runtimeKeys.inbox(letter.actor, letter.update_id);
    if ((await store.kv.get(inboxKey)).value !== null) {
      return { ok: false, id: letter.id, code: "DEAD_LETTER_ALREADY_QUEUED" };
    }
    tx.check(inboxKey, null);
    requeue = {
      update,
      json,
      source: letter.source as UpdateSource,
      actor: letter.actor,
      now,
      requeued: true,
    };
  }
  stageSettlement(
    tx,
    found,
    {
      action: action === "retry" ? "retried" : "discarded",
      at: new Date(now).toISOString(),
      via: by.via,
    },
    options.retentionMs,
    now,
  );
  if (requeue) stageInboxEntry(tx, requeue);
  counters.add(tx, action === "retry" ? "dead_letters_retried" : "dead_letters_discarded");
  audit.record(tx, {
    user_id: letter.user_id,
    action: action === "retry" ? "dead_letter_retry" : "dead_letter_discard",
    command: by.via,
    parameters: { id: letter.id, update_id: letter.update_id, error_code: letter.error_code },
    ip_address: by.ip ?? null,
    status: "ok",
  }, now);
  return null;
}

/** Logs committed actions and wakes the actors of re-queued updates. */
function acted(
  action: DeadLetterAction,
  letters: DeadLetter[],
  options: DeadLetterActionOptions,
): void {
  for (const letter of letters) {
    log.info("Dead letter {id} ({actor}, update {updateId}) {action} via {via}", {
      id: letter.id,
      actor: letter.actor,
      updateId: letter.update_id,
      action: action === "retry" ? "re-queued" : "discarded",
      via: options.by.via,
    });
    if (action === "retry") options.onQueued?.(letter.actor, letter.update_id);
  }
}

/** An action's answer that changed nothing. */
export type DeadLetterRefused = Exclude<DeadLetterOutcome, { ok: true }>;

/**
 * Why a letter that is not live cannot be acted on.
 *
 * @example
 * ```ts
 * if (found.status !== "live") return refusal(id, found);
 * ```
 */
export function refusal(
  id: string,
  found: Exclude<DeadLetterLookup, { status: "live" }>,
): DeadLetterRefused {
  if (found.status === "missing") return { ok: false, id, code: "DEAD_LETTER_NOT_FOUND" };
  const { settlement } = found;
  return settlement.action === "retried"
    ? { ok: false, id, code: "DEAD_LETTER_ALREADY_RETRIED", settlement }
    : { ok: false, id, code: "DEAD_LETTER_DISCARDED", settlement };
}

/**
 * What to tell the operator about an action that changed nothing, in their language.
 *
 * @example
 * ```ts
 * if (!outcome.ok) io.err(refusalMessage("en", outcome));
 * ```
 */
export function refusalMessage(lang: Lang, refused: DeadLetterRefused): string {
  const { id } = refused;
  switch (refused.code) {
    case "DEAD_LETTER_NOT_FOUND":
      return t(lang, "api_dead_letter_not_found", { id });
    case "DEAD_LETTER_DISCARDED":
      return t(lang, "api_dead_letter_discarded", { id, at: refused.settlement.at });
    case "DEAD_LETTER_ALREADY_RETRIED":
      return t(lang, "api_dead_letter_retried", { id, at: refused.settlement.at });
    case "DEAD_LETTER_ALREADY_QUEUED":
      return t(lang, "api_dead_letter_queued", { id });
    case "DEAD_LETTER_UNREADABLE":
      return t(lang, "api_dead_letter_unreadable", { id });
  }
}

function parseUpdate(json: string): Update | null {
  try {
    return validateUpdate(JSON.parse(json));
  } catch {
    return null;
  }
}

/** Which letters a bulk action takes. */
export interface DeadLetterFilter {
  userId?: number;
  errorCode?: string;
}

/** What a bulk action did. */
export interface BulkOutcome {
  /** Letters retried or discarded. */
  done: number;
  /** Letters that matched but were left as they were, with why. */
  skipped: { id: string; code: string }[];
  /** More letters match than `max`: run it again for the rest. */
  more: boolean;
}

/** Letters staged into one bulk commit at most (three checks each; KV allows 100). */
const BULK_BATCH = 25;
/** Bytes staged before a bulk commit is sent (KV allows 800 KiB; an inline letter is < 48 KB). */
const BULK_BATCH_BYTES = 400_000;

/**
 * Retries or discards every letter matching `filter` (after an outage), newest first, at most
 * `max` per call, each with its own audit row. Letters are committed up to 25 at a time; a batch
 * whose commit fails a check (a letter settled or queued meanwhile) is done again one letter at a
 * time, as are letters with a large update and those a batch cannot take, so each gets its own
 * answer.
 *
 * @example
 * ```ts
 * const { done, more } = await settleMatching(store, "retry", { errorCode: "TELEGRAM_UNAVAILABLE" }, { now, retentionMs, by, max: 500 });
 * ```
 */
export async function settleMatching(
  store: Store,
  action: DeadLetterAction,
  filter: DeadLetterFilter,
  options: DeadLetterActionOptions & { max: number },
): Promise<BulkOutcome> {
  const outcome: BulkOutcome = { done: 0, skipped: [], more: false };
  const one = async (id: string) => {
    const result = await settleDeadLetter(store, action, id, options);
    if (result.ok) outcome.done++;
    else outcome.skipped.push({ id, code: result.code });
  };
  let cursor: string | undefined;
  let seen = 0;
  while (seen < options.max) {
    const page = await queryDeadLetters(store, {
      ...filter,
      cursor,
      limit: Math.min(100, options.max - seen),
      now: options.now,
      retentionMs: options.retentionMs,
    });
    let tx = store.tx();
    let staged: DeadLetter[] = [];
    const alone: string[] = [];
    const flush = async () => {
      const letters = staged;
      staged = [];
      updates.clear();
      const batch = tx;
      tx = store.tx();
      if (letters.length === 0) return;
      if (await commitTx(store, batch) !== null) {
        outcome.done += letters.length;
        acted(action, letters, options);
      } else {
        for (const letter of letters) await one(letter.id);
      }
    };
    const updates = new Set<string>();
    for (const [i, letter] of page.letters.entries()) {
      // Two letters of one update in a batch would queue it twice: the second goes alone.
      const update = `${letter.actor} ${letter.update_id}`;
      if (letter.update_parts > 0 || updates.has(update)) {
        alone.push(letter.id);
        continue;
      }
      updates.add(update);
      const found = { letter, versionstamp: page.versionstamps[i] };
      if (await stageAction(store, tx, action, found, options)) alone.push(letter.id);
      else staged.push(letter);
      if (staged.length >= BULK_BATCH || tx.bytes >= BULK_BATCH_BYTES) await flush();
    }
    await flush();
    for (const id of alone) await one(id);
    seen += page.letters.length;
    if (page.next_cursor === null) return outcome;
    cursor = page.next_cursor;
  }
  const rest = await queryDeadLetters(store, {
    ...filter,
    cursor,
    limit: 1,
    now: options.now,
    retentionMs: options.retentionMs,
  });
  outcome.more = rest.letters.length > 0;
  return outcome;
}
