/**
 * `deno task restore <name>`: restores a backup (the name as `deno task backups` lists it) into
 * the configured KV. It verifies the file first (nothing changes if it is damaged), takes a
 * safety backup of the data it replaces, and switches to the restored data in one commit.
 *
 * @module
 */
import { AppError } from "../core/errors.ts";
import { BackupNotFoundError } from "../store/backups.ts";
import { type BackupCliDeps, backupCliMain } from "./backup.ts";
import { groupDigits } from "./progress.ts";

const USAGE = "Usage: deno task restore <name>   (a name from `deno task backups`)";

/**
 * Restores one backup.
 *
 * @returns the exit code: 0 done, 1 refused (not found, damaged, busy), 2 usage.
 * @example
 * ```ts
 * const code = await runRestoreCli(["rvx-backup-20260101-032000.jsonl.gz"], { backups, io });
 * ```
 */
export async function runRestoreCli(args: string[], deps: BackupCliDeps): Promise<number> {
  const { backups, io, progress } = deps;
  if (args.length !== 1) {
    io.err(USAGE);
    return 2;
  }
  const name = args[0].trim();
  try {
    const result = await backups.restore(name, {
      actor: { via: "cli" },
      onProgress: progress ? (p) => progress.update(p) : undefined,
    });
    progress?.finish();
    io.out(
      `Restored ${result.name}: ${groupDigits(result.records)} records into generation ` +
        `${result.to_generation} (was ${result.from_generation}).`,
    );
    if (result.migrated_from_schema !== null) {
      io.out(`Migrated from schema ${result.migrated_from_schema}.`);
    }
    io.out(`The data it replaced is in ${result.safety_backup}.`);
    return 0;
  } catch (err) {
    progress?.finish();
    if (err instanceof BackupNotFoundError) {
      io.err(err.message);
      if (name.includes("/")) io.err("Give the name only, as `deno task backups` lists it.");
      return 1;
    }
    if (err instanceof AppError && ["BACKUP_INVALID", "MAINTENANCE_BUSY"].includes(err.code)) {
      io.err(err.message);
      return 1;
    }
    throw err;
  }
}

if (import.meta.main) await backupCliMain((deps) => runRestoreCli(Deno.args, deps));
