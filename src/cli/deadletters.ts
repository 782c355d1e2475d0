/**
 * `deno task deadletters [list|show <id>|retry <id>|discard <id>]`: the dead-letter list on the
 * configured KV (`KV_PATH`, a file or a remote KV URL), the same records and actions as
 * `/api/v1/dead_letters` (docs/OPERATIONS.md, "Dead letters").
 *
 * ```
 * deno task deadletters list [--user <id>] [--code <ERROR_CODE>] [--limit <n>] [--cursor <id>]
 * deno task deadletters show <id>
 * deno task deadletters retry <id>      # or: retry --code <ERROR_CODE> [--user <id>] | --all
 * deno task deadletters discard <id>    # or: discard --code <ERROR_CODE> [--user <id>] | --all
 * ```
 *
 * @module
 */
import {
  type DeadLetterAction,
  type DeadLetterFilter,
  refusalMessage,
  settleDeadLetter,
  settleMatching,
} from "../actors/dead_letters.ts";
import { type Clock, systemClock } from "../core/clock.ts";
import {
  DEAD_LETTER_ID,
  getDeadLetter,
  queryDeadLetters,
  updateText,
} from "../store/dead_letters.ts";
import { type Store } from "../store/kv.ts";
import { pad } from "./columns.ts";
import { type CliIo, runCliTask } from "./main.ts";

const USAGE = [
  "Usage: deno task deadletters <command>",
  "  list [--user <id>] [--code <ERROR_CODE>] [--limit <n>] [--cursor <id>]",
  "                     dead letters, newest first (default command)",
  "  show <id>          one letter with its update",
  "  retry <id>         queue its update again, once",
  "  discard <id>       drop it",
  "  retry|discard --code <ERROR_CODE> [--user <id>] | --user <id> | --all",
  "                     every matching letter (after an outage)",
].join("\n");

const DAY_MS = 86_400_000;
/** Letters per bulk call; the task calls again until none are left. */
const BULK_STEP = 500;

/** What the task needs. */
export interface DeadLettersCliDeps {
  store: Store;
  clock: Clock;
  io: CliIo;
  /** `DEAD_LETTER_RETENTION_DAYS`. */
  retentionDays: number;
}

class UsageError extends Error {}

/** Parses `--name value` options; anything else is a positional argument. */
function parseArgs(args: string[]): { positional: string[]; options: Map<string, string> } {
  const positional: string[] = [];
  const options = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (!arg.startsWith("--")) {
      positional.push(arg);
      continue;
    }
    const name = arg.slice(2);
    if (name === "all") {
      options.set(name, "true");
      continue;
    }
    if (!["user", "code", "limit", "cursor"].includes(name)) {
      throw new UsageError(`Unknown option "${arg}"`);
    }
    const value = args[++i];
    if (value === undefined) throw new UsageError(`${arg} needs a value`);
    options.set(name, value);
  }
  return { positional, options };
}

function filterOf(options: Map<string, string>): DeadLetterFilter {
  const filter: DeadLetterFilter = {};
  const user = options.get("user");
  if (user !== undefined) {
    if (!/^-?\d{1,16}$/.test(user)) throw new UsageError("--user needs a numeric user id");
    filter.userId = Number(user);
  }
  const code = options.get("code");
  if (code !== undefined) {
    if (!/^[A-Z0-9_]{1,100}$/.test(code)) {
      throw new UsageError("--code needs an error code (A-Z0-9_)");
    }
    filter.errorCode = code;
  }
  return filter;
}

/**
 * Runs one command against a store.
 *
 * @returns the exit code: 0 done, 1 not found or refused, 2 usage error.
 * @example
 * ```ts
 * const code = await runDeadLettersCli(["list"], { store, clock: systemClock, io, retentionDays: 30 });
 * ```
 */
export async function runDeadLettersCli(args: string[], deps: DeadLettersCliDeps): Promise<number> {
  try {
    return await run(args, deps);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    deps.io.err(err.message);
    deps.io.err(USAGE);
    return 2;
  }
}

async function run(args: string[], deps: DeadLettersCliDeps): Promise<number> {
  const { store, clock, io } = deps;
  const retentionMs = deps.retentionDays * DAY_MS;
  const [command = "list", ...rest] = args;
  const { positional, options } = parseArgs(rest);
  switch (command) {
    case "list": {
      if (positional.length > 0) throw new UsageError("list takes options only");
      const limit = Number(options.get("limit") ?? 50);
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
        throw new UsageError("--limit needs a whole number from 1 to 1000");
      }
      const cursor = options.get("cursor");
      if (cursor !== undefined && !DEAD_LETTER_ID.test(cursor)) {
        throw new UsageError("--cursor needs a letter id (the last line of a previous list)");
      }
      const page = await queryDeadLetters(store, {
        ...filterOf(options),
        cursor,
        limit,
        now: clock.now(),
        retentionMs,
      });
      if (page.letters.length === 0) {
        io.out(cursor ? "No more dead letters." : "No dead letters.");
        return 0;
      }
      io.out(
        `${pad("id", 22)}${pad("at (UTC)", 21)}${pad("actor", 18)}${pad("update", 12)}` +
          `${pad("type", 16)}${pad("error code", 24)}attempts`,
      );
      for (const l of page.letters) {
        io.out(
          `${pad(l.id, 22)}${pad(l.at.slice(0, 19).replace("T", " "), 21)}${pad(l.actor, 18)}` +
            `${pad(String(l.update_id), 12)}${pad(l.update_type, 16)}${pad(l.error_code, 24)}` +
            `${l.attempts}`,
        );
      }
      if (page.next_cursor) {
        io.out(`More: deno task deadletters list --cursor ${page.next_cursor} (same filters)`);
      }
      return 0;
    }
    case "show": {
      const id = oneId(command, positional, options);
      const found = await getDeadLetter(store, id, { now: clock.now(), retentionMs });
      if (found.status !== "live") {
        const settled = found.status === "settled" ? found.settlement : null;
        io.err(
          settled
            ? `Dead letter ${id} was ${settled.action} at ${settled.at} (via ${settled.via})`
            : `No dead letter with id ${id} (never was one, erased, or past retention)`,
        );
        return 1;
      }
      const { update, update_parts: _parts, ...fields } = found.letter;
      for (const [name, value] of Object.entries(fields)) io.out(`${pad(name, 12)}${value}`);
      const text = update || await updateText(store, found.letter);
      let pretty = text;
      try {
        pretty = JSON.stringify(JSON.parse(text), null, 2);
      } catch { /* shown as stored */ }
      io.out("update:");
      for (const line of pretty.split("\n")) io.out(`  ${line}`);
      return 0;
    }
    case "retry":
    case "discard": {
      const action: DeadLetterAction = command;
      const by = { via: "cli" };
      if (positional.length === 0) return await bulk(action, options, deps);
      const id = oneId(command, positional, options);
      const outcome = await settleDeadLetter(store, action, id, {
        now: clock.now(),
        retentionMs,
        by,
      });
      if (!outcome.ok) {
        io.err(`${refusalMessage("en", outcome)} (${outcome.code})`);
        return 1;
      }
      const l = outcome.letter;
      io.out(
        action === "retry"
          ? `Re-queued update ${l.update_id} of ${l.actor} (dead letter ${id}). A running bot ` +
            "picks it up within a minute (its inbox sweep), or at once on the user's next update."
          : `Discarded dead letter ${id} (update ${l.update_id} of ${l.actor}).`,
      );
      return 0;
    }
    default:
      throw new UsageError(`Unknown command "${command}"`);
  }
}

function oneId(command: string, positional: string[], options: Map<string, string>): string {
  if (positional.length !== 1 || options.size > 0) {
    throw new UsageError(`${command} needs one dead letter <id> (see deno task deadletters list)`);
  }
  const [id] = positional;
  if (!DEAD_LETTER_ID.test(id)) throw new UsageError(`"${id}" is not a dead letter id`);
  return id;
}

async function bulk(
  action: DeadLetterAction,
  options: Map<string, string>,
  deps: DeadLettersCliDeps,
): Promise<number> {
  const { store, clock, io } = deps;
  const filter = filterOf(options);
  if (filter.userId === undefined && filter.errorCode === undefined && !options.has("all")) {
    throw new UsageError(`${action} needs an <id>, --code, --user, or --all`);
  }
  let done = 0;
  const skipped = new Map<string, string>();
  while (true) {
    const step = await settleMatching(store, action, filter, {
      now: clock.now(),
      retentionMs: deps.retentionDays * DAY_MS,
      by: { via: "cli" },
      max: BULK_STEP,
    });
    done += step.done;
    for (const s of step.skipped) skipped.set(s.id, s.code);
    io.out(`${action === "retry" ? "Re-queued" : "Discarded"} ${done} so far…`);
    // A step that only skipped would find the same letters again.
    if (!step.more || step.done === 0) break;
  }
  for (const [id, code] of skipped) io.err(`Left ${id}: ${code}`);
  io.out(
    `${action === "retry" ? "Re-queued" : "Discarded"} ${done} dead letter${
      done === 1 ? "" : "s"
    }; left ${skipped.size} as they were.`,
  );
  return skipped.size > 0 ? 1 : 0;
}

if (import.meta.main) {
  await runCliTask(({ config, store, io }) =>
    runDeadLettersCli(Deno.args, {
      store,
      clock: systemClock,
      io,
      retentionDays: config.retentionDays.deadLetters,
    })
  );
}
