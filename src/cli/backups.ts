/**
 * `deno task backups`: lists backups, newest first: name, size, created, age, record count, and
 * the id of the key that signed it (a restore elsewhere needs that key: `--key`).
 *
 * @module
 */
import { type Clock, systemClock } from "../core/clock.ts";
import { type BackupCliDeps, backupCliMain, formatBytes, whereKept } from "./backup.ts";
import { pad } from "./columns.ts";
import { groupDigits } from "./progress.ts";

/** 3 d 4 h, 5 h 12 m, 12 m, 30 s. */
export function formatAge(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d > 0) return `${d} d ${h} h`;
  if (h > 0) return `${h} h ${m} m`;
  if (m > 0) return `${m} m`;
  return `${s} s`;
}

/**
 * Lists backups.
 *
 * @returns the exit code: 0, or 2 for a usage error.
 * @example
 * ```ts
 * await runBackupsCli([], { backups, io, clock: systemClock });
 * ```
 */
export async function runBackupsCli(
  args: string[],
  deps: BackupCliDeps & { clock: Clock; dir?: string },
): Promise<number> {
  const { backups, io, clock } = deps;
  if (args.length > 0) {
    io.err("Usage: deno task backups   (lists backups, newest first)");
    return 2;
  }
  const list = await backups.list();
  if (list.length === 0) {
    io.out(`No backups ${whereKept(backups, deps.dir)}. Take one: deno task backup`);
    return 0;
  }
  const now = clock.now();
  io.out(
    `${pad("name", 37)}${pad("size", 11, true)}  ${pad("created (UTC)", 21)}${pad("age", 11)}` +
      `${pad("records", 11, true)}  signed by`,
  );
  for (const b of list) {
    const created = b.created_at.slice(0, 19).replace("T", " ");
    io.out(
      `${pad(b.name, 37)}${pad(formatBytes(b.size_bytes), 11, true)}  ${pad(created, 21)}` +
        `${pad(formatAge(now - Date.parse(b.created_at)), 11)}` +
        `${pad(groupDigits(b.record_count), 11, true)}  ${b.key_id ?? "unsigned"}`,
    );
  }
  io.out(`${list.length} backup${list.length === 1 ? "" : "s"} ${whereKept(backups, deps.dir)}.`);
  return 0;
}

if (import.meta.main) {
  await backupCliMain((deps) => runBackupsCli(Deno.args, { ...deps, clock: systemClock }));
}
