/**
 * `deno task restore <name> [--key rvx_bk_…] [--allow-unsigned]`: restores a backup (the name as
 * `deno task backups` lists it) into the configured KV. It verifies the file first (signature,
 * checksum, every record; nothing changes if anything is wrong), takes a safety backup of the
 * data it replaces, re-applies the security changes made since the backup, and switches to the
 * restored data in one commit. `--key` gives the signing key of the installation that made the
 * backup (disaster recovery onto a fresh one: docs/OPERATIONS.md); `--allow-unsigned` accepts a
 * backup made before backups were signed.
 *
 * @module
 */
import { AppError } from "../core/errors.ts";
import { type BackupKey, parseBackupKey } from "../store/backup_signing.ts";
import { BACKUP_REFUSALS, BackupNotFoundError, type RestoreResult } from "../store/backups.ts";
import { type BackupCliDeps, backupCliMain } from "./backup.ts";
import { groupDigits } from "./progress.ts";

const USAGE = [
  "Usage: deno task restore <name> [--key rvx_bk_…] [--allow-unsigned]",
  "  <name>             a name from `deno task backups`",
  "  --key <key>        the signing key of the installation that made it (`deno task apikey backup-key` there)",
  "  --allow-unsigned   accept a backup made before backups were signed (audited)",
].join("\n");

interface RestoreArgs {
  name: string;
  key?: BackupKey;
  allowUnsigned: boolean;
}

/** Reads the arguments; a string is what is wrong with them. */
function parseArgs(args: string[]): RestoreArgs | string {
  const names: string[] = [];
  let key: BackupKey | undefined;
  let allowUnsigned = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "--allow-unsigned") allowUnsigned = true;
    else if (arg === "--key" || arg.startsWith("--key=")) {
      const value = arg === "--key" ? args[++i] : arg.slice("--key=".length);
      if (!value) return "--key needs the key (rvx_bk_…)";
      try {
        key = parseBackupKey(value);
      } catch (err) {
        return `--key: ${(err as Error).message}`;
      }
    } else if (arg.startsWith("--")) return `Unknown option "${arg}"`;
    else names.push(arg.trim());
  }
  if (names.length !== 1) return names.length === 0 ? "No backup name given" : "One name only";
  return { name: names[0], key, allowUnsigned };
}

function ids(list: (string | number)[]): string {
  return list.length === 0 ? "none" : list.join(", ");
}

/** The lines that say what the restore rolled back and re-applied. */
function report(result: RestoreResult): string[] {
  const { reapplied: r, rolled_back: back } = result;
  const lines = [
    `Restored ${result.name}: ${groupDigits(result.records)} records into generation ` +
    `${result.to_generation} (was ${result.from_generation}).`,
  ];
  if (result.migrated_from_schema !== null) {
    lines.push(`Migrated from schema ${result.migrated_from_schema}.`);
  }
  lines.push(
    result.signed_by === null
      ? "The backup was not signed (allowed with --allow-unsigned)."
      : `Signature checked: key ${result.signed_by}.`,
  );
  const actions = Object.entries(back.actions).map(([a, n]) => `${a} ${n}`).join(", ");
  lines.push(
    `Rolled back everything written since ${back.since}: ${groupDigits(back.audit_rows)} ` +
      `${back.audit_rows === 1 ? "audit row" : "audit rows"}${actions ? ` (${actions})` : ""}.`,
  );
  lines.push(
    `Re-applied changes made since: revoked keys ${ids(r.revoked_keys)}; kept keys ` +
      `${ids(r.kept_keys)}; bans ${ids(r.bans)}; unbans ${ids(r.unbans)}; tiers ${
        ids(r.tier_changes.map((c) => `${c.user_id} ${c.tier}`))
      }; erasures ${r.erasures}.`,
  );
  if (result.ledger_incomplete_before !== null) {
    lines.push(
      `Changes made before ${result.ledger_incomplete_before} were pruned from the security ` +
        "ledger and could not be re-applied: check revoked keys, bans and erasures by hand.",
    );
  }
  lines.push(`The data it replaced is in ${result.safety_backup}.`);
  return lines;
}

/**
 * Restores one backup.
 *
 * @returns the exit code: 0 done, 1 refused (not found, damaged, unsigned, unknown key, busy), 2 usage.
 * @example
 * ```ts
 * const code = await runRestoreCli(["rvx-backup-20260101-032000.jsonl.gz"], { backups, io });
 * ```
 */
export async function runRestoreCli(args: string[], deps: BackupCliDeps): Promise<number> {
  const { backups, io, progress } = deps;
  const parsed = parseArgs(args);
  if (typeof parsed === "string") {
    io.err(parsed);
    io.err(USAGE);
    return 2;
  }
  const { name } = parsed;
  try {
    const result = await backups.restore(name, {
      actor: { via: "cli" },
      key: parsed.key,
      allowUnsigned: parsed.allowUnsigned,
      onProgress: progress ? (p) => progress.update(p) : undefined,
    });
    progress?.finish();
    for (const line of report(result)) io.out(line);
    return 0;
  } catch (err) {
    progress?.finish();
    if (err instanceof BackupNotFoundError) {
      io.err(err.message);
      if (name.includes("/")) io.err("Give the name only, as `deno task backups` lists it.");
      return 1;
    }
    if (
      err instanceof AppError &&
      [...BACKUP_REFUSALS, "MAINTENANCE_BUSY"].includes(err.code)
    ) {
      io.err(`${err.code}: ${err.message}`);
      return 1;
    }
    throw err;
  }
}

if (import.meta.main) await backupCliMain((deps) => runRestoreCli(Deno.args, deps));
