/**
 * A restore that stops (and waits to be killed) once it has written part of the new generation:
 * `deno run -A backup_restore_child.ts <kv path> <backup dir> <name>`. Prints `HALFWAY` then.
 *
 * @module
 */
import { systemClock } from "../../src/core/clock.ts";
import { BackupService } from "../../src/store/backups.ts";
import { openStore } from "../../src/store/kv.ts";

const [kvPath, backupDir, name] = Deno.args;
const store = await openStore(kvPath);
const backups = new BackupService({
  store,
  clock: systemClock,
  backupDir,
  retentionDays: 30,
  leaseTtlMs: 60_000,
});
await backups.restore(name, {
  async onProgress(progress) {
    if (progress.phase !== "write" || progress.done < 5000) return;
    await Deno.stdout.write(new TextEncoder().encode("HALFWAY\n"));
    setInterval(() => {}, 1000);
    await new Promise(() => {});
  },
});
