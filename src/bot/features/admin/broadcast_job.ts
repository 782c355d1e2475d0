/**
 * The broadcast job: one admin text to every active, non-banned, non-local user, within
 * Telegram's limits (at most 30 messages a second overall and one a second per chat, see
 * https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this).
 *
 * How a batch works. Nothing is sent inside a KV transaction: a batch launches at most
 * `batchSize` send attempts, waits for their answers, and only then stages each finished
 * recipient's sent mark, the listing cursor, the recipients still to retry and the recent answer
 * times into the batch tx, which the job runner commits under the job's lease together with the
 * job record. Pacing uses the injected clock: an attempt counts from when it is sent until a
 * second after its answer (Telegram saw it in between), at most `perSecond` of them at a time,
 * so Telegram never sees more than `perSecond` in a second whatever the network's latency.
 *
 * What follows from that:
 * - Graceful restart: the runner stops between batches, so every send made is committed with
 *   its mark and the cursor; the next process resumes after them and sends nobody twice. The
 *   recent answer times travel in the cursor, so the rate holds across the restart too.
 * - Crash: only the current batch is lost, so only its sends (at most `batchSize`, the ones in
 *   flight) can be repeated, and not before the lease lapses (far more than a second later).
 * - Restore: marks live outside the data generations, so a cursor rolled back by a restore
 *   skips everyone already marked.
 * - 429: that recipient is retried no sooner than `retry_after` (at least a second) after the
 *   answer; other recipients go on meanwhile. 403 (blocked, deactivated): the profile is marked
 *   inactive and counted as blocked. 5xx: retried twice. Anything else, including a network
 *   failure or timeout (where delivery is unknown), counts as failed rather than risk a double.
 *
 * @module
 */
import { type Api, GrammyError } from "grammy";
import { type JobHandler } from "../../../actors/jobs.ts";
import { type Clock } from "../../../core/clock.ts";
import { type Tx } from "../../../core/tx.ts";
import * as audit from "../../../store/audit.ts";
import { listRecipients, type SendOutcome, stageSentMark } from "../../../store/broadcast.ts";
import { type JobRecord } from "../../../store/jobs.ts";
import { type Store } from "../../../store/kv.ts";
import * as profiles from "../../../store/profiles.ts";

/** The job kind that sends a broadcast. */
export const BROADCAST_JOB = "broadcast";

/** grammY's npm build types signals with a shim; the platform's signal is what it really uses. */
type ApiSignal = Parameters<Api["sendMessage"]>[3];

/** What a finished broadcast reports (the job's `result`). */
export interface BroadcastResult {
  sent: number;
  failed: number;
  blocked: number;
}

/** A recipient waiting for another attempt. */
interface Retry {
  userId: number;
  /** Attempts made so far. */
  attempts: number;
  /** Not before this time (epoch ms). */
  notBefore: number;
}

/** Where a broadcast stands (the job's cursor). */
export interface BroadcastCursor extends BroadcastResult {
  /** The last user id taken from the listing (null: none yet). */
  after: number | null;
  /** Every user after `after` has been looked at. */
  exhausted: boolean;
  retries: Retry[];
  /** Answer times of the latest attempts (epoch ms), so the rate holds across batches. */
  recent: number[];
}

/** What {@linkcode broadcastJob} is built from. */
export interface BroadcastJobDeps {
  store: Store;
  clock: Clock;
  /** A Bot API client without automatic retries: the job paces and retries on its own. */
  api: Api;
  /** Messages per second overall. @default 30 */
  perSecond?: number;
  /** Send attempts per batch (each batch commits its marks and cursor). @default perSecond */
  batchSize?: number;
}

/**
 * An attempt counts against the rate from when it is sent until a second after its answer:
 * Telegram saw it at some moment in between, so the next attempt it sees is at least a second
 * later whatever the network's latency. A retry likewise waits from the answer.
 */
const WINDOW_MS = 1000;
/** 429 answers per recipient before it counts as failed. */
const MAX_RATE_LIMITED = 10;
/** 5xx answers per recipient before it counts as failed. */
const MAX_SERVER_ERRORS = 3;
/** Recipients waiting for a retry before new ones wait too. */
const MAX_WAITING = 100;
/** An attempt not answered by then counts as failed. */
const SEND_TIMEOUT_MS = 15_000;
/** The longest a batch waits for a retry before it returns (and the runner renews its lease). */
const MAX_IDLE_MS = 5000;
/** Profiles looked at per listing. */
const SCAN = 100;
/** Listings per batch at most. */
const MAX_PAGES = 20;

/** At most `limit` attempts in flight or answered within the last {@linkcode WINDOW_MS}. */
class SendWindow {
  #answered: number[];
  #inFlight = 0;

  constructor(readonly limit: number, answered: number[]) {
    this.#answered = [...answered].sort((a, b) => a - b);
  }

  /** How long until one more attempt fits: 0 now, null once an attempt in flight is answered. */
  waitMs(now: number): number | null {
    this.#answered = this.#answered.filter((at) => at > now - WINDOW_MS);
    const over = this.#inFlight + this.#answered.length - this.limit;
    if (over < 0) return 0;
    // The (over + 1) oldest answers must age out; without enough of them, an answer must come.
    return over < this.#answered.length ? this.#answered[over] + WINDOW_MS - now : null;
  }

  sent(): void {
    this.#inFlight++;
  }

  answered(at: number): void {
    this.#inFlight--;
    this.#answered.push(at);
    this.#answered.sort((a, b) => a - b);
  }

  /** The answer times that still count at `now`. */
  recent(now: number): number[] {
    return this.#answered.filter((at) => at > now - WINDOW_MS);
  }
}

type Attempt =
  | { kind: SendOutcome }
  | { kind: "retry"; afterMs: number };

/** Sorts a send error into what to do next. */
function judge(err: unknown, attempts: number): Attempt {
  if (!(err instanceof GrammyError)) return { kind: "failed" };
  if (err.error_code === 403) return { kind: "blocked" };
  if (err.error_code === 429 && attempts < MAX_RATE_LIMITED) {
    return { kind: "retry", afterMs: Math.max(1, err.parameters.retry_after ?? 1) * 1000 };
  }
  if (err.error_code >= 500 && attempts < MAX_SERVER_ERRORS) {
    return { kind: "retry", afterMs: 1000 * 2 ** (attempts - 1) };
  }
  return { kind: "failed" };
}

function cursorOf(job: JobRecord): BroadcastCursor {
  const saved = job.cursor as Partial<BroadcastCursor> | null;
  return {
    after: saved?.after ?? null,
    exhausted: saved?.exhausted ?? false,
    retries: saved?.retries ?? [],
    recent: saved?.recent ?? [],
    sent: saved?.sent ?? 0,
    failed: saved?.failed ?? 0,
    blocked: saved?.blocked ?? 0,
  };
}

/**
 * The broadcast job handler (see the module doc for its batches and their guarantees).
 *
 * @example
 * ```ts
 * const api = new Api(token, { apiRoot }); // no retries: the job paces itself
 * new JobRunner({ handlers: { [BROADCAST_JOB]: broadcastJob({ store, clock, api }) }, ... });
 * ```
 */
export function broadcastJob(deps: BroadcastJobDeps): JobHandler {
  const { store, clock, api } = deps;
  const perSecond = deps.perSecond ?? 30;
  const batchSize = deps.batchSize ?? perSecond;
  if (!(perSecond >= 1) || !(batchSize >= 1)) {
    throw new RangeError(
      `Cannot create the broadcast job: perSecond ${perSecond} and batchSize ${batchSize} must be at least 1`,
    );
  }

  /** One attempt at one recipient; never rejects. */
  async function attempt(chatId: number, text: string, attempts: number): Promise<Attempt> {
    const abort = new AbortController();
    const timer = clock.setTimeout(() => abort.abort(), SEND_TIMEOUT_MS);
    try {
      await api.sendMessage(chatId, text, {}, abort.signal as unknown as ApiSignal);
      return { kind: "sent" };
    } catch (err) {
      return judge(err, attempts);
    } finally {
      timer.cancel();
    }
  }

  return {
    async batch(job, tx) {
      const text = String(job.params.text);
      const cursor = cursorOf(job);
      const window = new SendWindow(perSecond, cursor.recent);
      const retries = [...cursor.retries];
      const finished: { userId: number; outcome: SendOutcome }[] = [];
      const inFlight = new Set<Promise<void>>();
      /** Eligible users of the current listing page not taken yet. */
      let queue: number[] = [];
      let pageLast: number | null = null;
      let pageExhausted = false;
      let pages = 0;
      let { after, exhausted } = cursor;
      let launched = 0;
      const startedAt = clock.now();

      while (launched < batchSize) {
        const now = clock.now();
        retries.sort((a, b) => a.notBefore - b.notBefore);
        let next: Retry | null = null;
        if (retries.length > 0 && retries[0].notBefore <= now) {
          next = retries.shift()!;
        } else if (retries.length < MAX_WAITING && !exhausted) {
          if (queue.length === 0) {
            // A long run of users nobody sends to: commit the progress now and then.
            if (pages++ >= MAX_PAGES) break;
            const page = await listRecipients(store, job.id, after, SCAN);
            if (page.userIds.length === 0) {
              after = page.lastScanned;
              exhausted = page.exhausted;
              continue;
            }
            queue = page.userIds;
            pageLast = page.lastScanned;
            pageExhausted = page.exhausted;
          }
          const userId = queue.shift()!;
          // The cursor passes the users the page skipped only once its last recipient is taken.
          if (queue.length === 0) {
            after = pageLast;
            exhausted = pageExhausted;
          } else {
            after = userId;
          }
          next = { userId, attempts: 0, notBefore: now };
        }
        if (!next) {
          if (retries.length === 0) break;
          // Commit what this batch did before waiting; an idle batch waits, but not for long, so
          // the runner gets to renew the job's lease (a 429 may ask for a long pause).
          if (launched > 0 || now - startedAt >= MAX_IDLE_MS) break;
          await clock.sleep(Math.min(retries[0].notBefore - now, MAX_IDLE_MS));
          continue;
        }
        for (let wait = window.waitMs(clock.now()); wait !== 0; wait = window.waitMs(clock.now())) {
          await (wait === null ? Promise.race(inFlight) : clock.sleep(wait));
        }
        window.sent();
        launched++;
        const recipient = next;
        const sending = attempt(recipient.userId, text, recipient.attempts + 1).then((result) => {
          const answeredAt = clock.now();
          window.answered(answeredAt);
          if (result.kind === "retry") {
            retries.push({
              userId: recipient.userId,
              attempts: recipient.attempts + 1,
              notBefore: answeredAt + Math.max(WINDOW_MS, result.afterMs),
            });
          } else {
            finished.push({ userId: recipient.userId, outcome: result.kind });
          }
        });
        inFlight.add(sending);
        void sending.finally(() => inFlight.delete(sending));
      }
      await Promise.all(inFlight);

      const now = clock.now();
      const counts: BroadcastResult = {
        sent: cursor.sent,
        failed: cursor.failed,
        blocked: cursor.blocked,
      };
      for (const { userId, outcome } of finished) {
        stageSentMark(tx, job.id, userId, outcome, now);
        counts[outcome]++;
      }
      await stageBlocked(
        store,
        tx,
        finished.filter((f) => f.outcome === "blocked").map((f) => f.userId),
      );
      const done = exhausted && retries.length === 0;
      const next: BroadcastCursor = {
        ...counts,
        after,
        exhausted,
        retries,
        recent: window.recent(now),
      };
      if (done) {
        audit.record(tx, {
          user_id: typeof job.params.admin_id === "number" ? job.params.admin_id : null,
          action: "admin.broadcast.done",
          parameters: { job_id: job.id },
          result: `sent ${counts.sent}, failed ${counts.failed}, blocked ${counts.blocked}`,
          status: "ok",
        }, now);
      }
      return {
        cursor: next,
        processed: finished.length,
        done,
        result: done ? { ...counts } : undefined,
      };
    },
  };
}

/** Marks users who blocked the bot as inactive (their own next message makes them active). */
async function stageBlocked(store: Store, tx: Tx, userIds: number[]): Promise<void> {
  const users = await Promise.all(userIds.map((id) => profiles.getAccount(store, id)));
  for (const user of users) {
    if (user) profiles.save(tx, { ...profiles.ownFields(user), active: false, blocked: true });
  }
}
