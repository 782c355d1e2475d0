/**
 * Dead-letter operations at outage scale, part of the `ops` group: 5 000 letters of 500 users
 * (a bad hour) on file KV, written as the supervisor writes them.
 *
 * - `dead_letter_page_ms`: the median time of one 50-letter page for one error code, newest
 *   first (index list, then the records and their settlements 5 at a time).
 * - `dead_letters_bulk_retry_per_s`: letters re-queued per second by one bulk retry of 1 000
 *   (up to 25 per commit, each with its audit row and inbox entry: what `POST
 *   /api/v1/dead_letters/retry` does).
 *
 * @module
 */
import { settleMatching } from "../src/actors/dead_letters.ts";
import { queryDeadLetters, stageDeadLetter } from "../src/store/dead_letters.ts";
import { commitTx, openStore } from "../src/store/kv.ts";
import { runMigrations } from "../src/store/schema_upgrade.ts";
import { progress, round } from "./support.ts";

const LETTERS = 5_000;
const USERS = 500;
const BULK = 1_000;
const PAGES = 21;
const RETENTION_MS = 30 * 86_400_000;

/**
 * Seeds the letters on a KV file in `dir` and times a page and a bulk retry.
 *
 * @example
 * ```ts
 * const figures = await measureDeadLetters(dir);
 * ```
 */
export async function measureDeadLetters(dir: string): Promise<Record<string, number>> {
  const store = await openStore(`${dir}/dead_letters.kv`);
  try {
    await runMigrations(store);
    progress(`ops: seeding ${LETTERS} dead letters`);
    const start = Date.now() - 3_600_000;
    for (let i = 0; i < LETTERS; i += 50) {
      const tx = store.tx();
      for (let j = i; j < i + 50; j++) {
        const user = 1_000 + (j % USERS);
        const update = {
          update_id: 10_000 + j,
          message: {
            message_id: j,
            date: 1_767_225_600,
            chat: { id: user, type: "private", first_name: "U" },
            from: { id: user, is_bot: false, first_name: "U" },
            text: `Bitcoin ETF inflows reached a record while the market waited (${j}).`,
          },
        };
        stageDeadLetter(tx, {
          actor: `u:${user}`,
          user_id: user,
          source: "tg",
          update_id: update.update_id,
          update: JSON.stringify(update),
          reason: "TURN_FAILED",
          error_code: j % 4 === 0 ? "FEATURE_BUG" : "PROVIDER_DOWN",
          attempts: 5,
        }, start + j * 500);
      }
      await commitTx(store, tx);
    }
    const now = Date.now();
    progress("ops: dead-letter pages");
    const times: number[] = [];
    for (let i = 0; i < PAGES; i++) {
      const began = performance.now();
      const page = await queryDeadLetters(store, {
        errorCode: "PROVIDER_DOWN",
        limit: 50,
        now,
        retentionMs: RETENTION_MS,
      });
      times.push(performance.now() - began);
      if (page.letters.length !== 50) throw new Error("dead-letter bench: a short page");
    }
    times.sort((a, b) => a - b);
    progress(`ops: bulk retry of ${BULK} dead letters`);
    const began = performance.now();
    const bulk = await settleMatching(store, "retry", { errorCode: "PROVIDER_DOWN" }, {
      now,
      retentionMs: RETENTION_MS,
      by: { via: "bench" },
      max: BULK,
    });
    const seconds = (performance.now() - began) / 1000;
    if (bulk.done !== BULK) throw new Error(`dead-letter bench: retried ${bulk.done} of ${BULK}`);
    return {
      dead_letter_page_ms: round(times[Math.floor(PAGES / 2)], 2),
      dead_letters_bulk_retry_per_s: Math.round(bulk.done / seconds),
    };
  } finally {
    store.close();
  }
}
