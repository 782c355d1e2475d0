/**
 * What every CLI task starts with: settings, KV (migrated), terminal I/O, and an exit code; a
 * settings error is printed plainly and exits 2, any other failure is printed and exits 1. Only
 * `deno task setup` migrates a KV that holds data: any other task of a newer version would move
 * a live KV on under the processes serving it, which its schema fence then stops
 * (docs/OPERATIONS.md, "Upgrading").
 *
 * @module
 */
import { type Config, ConfigError, loadConfig } from "../config.ts";
import { metaKeys } from "../store/keys.ts";
import { openStore, type Store } from "../store/kv.ts";
import { SCHEMA_VERSION } from "../store/migrations.ts";
import { runMigrations } from "../store/schema_upgrade.ts";
import { flushTally } from "../store/tally.ts";

/** Where a CLI writes; tests collect the lines. */
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
}

/** What a CLI task gets. */
export interface CliContext {
  config: Config;
  store: Store;
  io: CliIo;
}

const encoder = new TextEncoder();

/** Options of {@linkcode runCliTask}. */
export interface CliTaskOptions {
  /** Further problems with valid settings, checked before KV is opened; any stops the task (2). */
  validate?: (config: Config) => string[];
  /** Migrates a KV that holds data at an older schema (`deno task setup`). @default false */
  migrate?: boolean;
}

/**
 * Runs a CLI task with settings, a migrated store and terminal I/O; sets `Deno.exitCode`.
 *
 * @example
 * ```ts
 * if (import.meta.main) await runCliTask(({ store, io }) => listKeys(store, io));
 * ```
 */
export async function runCliTask(
  task: (context: CliContext) => Promise<number>,
  options: CliTaskOptions = {},
): Promise<void> {
  const io: CliIo = {
    out: (line) => Deno.stdout.writeSync(encoder.encode(`${line}\n`)),
    err: (line) => Deno.stderr.writeSync(encoder.encode(`${line}\n`)),
  };
  let config: Config;
  try {
    config = await loadConfig();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    io.err(err.message);
    Deno.exit(2);
  }
  const problems = options.validate?.(config) ?? [];
  if (problems.length > 0) {
    io.err(["Invalid settings:", ...problems.map((problem) => `  - ${problem}`)].join("\n"));
    Deno.exit(2);
  }
  let store: Store;
  try {
    store = await openStore(config.kvPath);
  } catch (err) {
    io.err(err instanceof Error ? err.message : String(err));
    Deno.exit(1);
  }
  try {
    const stored = (await store.kv.get<number>(metaKeys.schemaVersion)).value;
    if (stored !== null && stored < SCHEMA_VERSION && !options.migrate) {
      io.err(
        `KV is at schema ${stored}, this code needs ${SCHEMA_VERSION}: \`deno task setup\` migrates it (after a backup), or start the new version; this task changes nothing.`,
      );
      Deno.exitCode = 1;
      return;
    }
    const { applied, backup } = await runMigrations(store, { backupDir: config.backupDir });
    if (applied.length > 0) {
      io.out(
        `Migrated the KV to schema ${applied.at(-1)}${
          backup ? `, after backup ${backup} (\`deno task restore ${backup}\` undoes it)` : ""
        }.`,
      );
    }
    Deno.exitCode = await task({ config, store, io });
    // What the task counted in the process tally (a dead letter re-queued) is written now.
    await flushTally(store, Date.now()).catch((err) =>
      io.err(`Could not write the runtime tally: ${err instanceof Error ? err.message : err}`)
    );
  } catch (err) {
    io.err(err instanceof Error ? err.message : String(err));
    Deno.exitCode = 1;
  } finally {
    store.close();
  }
}
