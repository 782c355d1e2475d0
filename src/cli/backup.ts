/**
 * `deno task backup`: takes a backup of the configured KV (`KV_PATH`) now, into `BACKUP_DIR`,
 * with progress on stderr (a bar on a terminal, plain lines otherwise). Also holds the set-up
 * the three backup tasks share.
 *
 * @module
 */
import { AppError } from "../core/errors.ts";
import { systemClock } from "../core/clock.ts";
import { BackupService } from "../store/backups.ts";
import { type CliIo, runCliTask } from "./main.ts";
import { createProgress, groupDigits, type ProgressPrinter } from "./progress.ts";

/** What the backup tasks run against. */
export interface BackupCliDeps {
  backups: BackupService;
  io: CliIo;
  /** Progress display; none prints no progress. */
  progress?: ProgressPrinter;
}

/** 1536 → "1.5 KiB". */
export function formatBytes(bytes: number): string {
  const units = ["B", "KiB", "MiB", "GiB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${units[unit]}`;
}

/** Where backups are kept, in words. */
export function whereKept(backups: BackupService, dir: string | undefined): string {
  return backups.location === "file" ? `in ${dir}` : "in KV (no BACKUP_DIR)";
}

/**
 * Takes one backup.
 *
 * @returns the exit code: 0 done, 1 refused (another backup or restore is running), 2 usage.
 * @example
 * ```ts
 * const code = await runBackupCli([], { backups, io });
 * ```
 */
export async function runBackupCli(args: string[], deps: BackupCliDeps): Promise<number> {
  const { backups, io, progress } = deps;
  if (args.length > 0) {
    io.err("Usage: deno task backup   (takes a backup now; no arguments)");
    return 2;
  }
  try {
    const made = await backups.create({
      reason: "manual",
      actor: { via: "cli" },
      onProgress: progress ? (p) => progress.update(p) : undefined,
    });
    progress?.finish();
    io.out(
      `Backup ${made.name}: ${groupDigits(made.record_count)} records, ` +
        `${
          formatBytes(made.size_bytes)
        }, schema ${made.schema_version}, generation ${made.generation}.`,
    );
    return 0;
  } catch (err) {
    progress?.finish();
    if (err instanceof AppError && err.code === "MAINTENANCE_BUSY") {
      io.err(err.message);
      return 1;
    }
    throw err;
  }
}

const encoder = new TextEncoder();

/**
 * Loads settings, opens KV and runs `run` with a backup service and terminal I/O; sets the exit
 * code. Shared by `backup`, `restore` and `backups`.
 */
export async function backupCliMain(
  run: (deps: BackupCliDeps & { dir: string | undefined }) => Promise<number>,
): Promise<void> {
  await runCliTask(({ config, store, io }) => {
    const backups = new BackupService({
      store,
      clock: systemClock,
      backupDir: config.backupDir,
      retentionDays: config.retentionDays.backups,
      leaseTtlMs: config.leaseTtlSeconds * 1000,
    });
    const progress = createProgress({
      terminal: Deno.stderr.isTerminal(),
      write: (text) => Deno.stderr.writeSync(encoder.encode(text)),
    });
    return run({ backups, io, progress, dir: config.backupDir });
  });
}

if (import.meta.main) await backupCliMain((deps) => runBackupCli(Deno.args, deps));
