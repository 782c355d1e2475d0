/**
 * `deno task apikey <create|list|revoke|admin-token|rotate-admin-token|backup-key|…> …`: manage API
 * keys on the configured KV (`KV_PATH`), the same records `POST/GET/DELETE /api/v1/keys` use, and show the
 * secrets kept in KV.
 *
 * ```
 * deno task apikey create <name> <owner>   # prints the key once
 * deno task apikey list
 * deno task apikey revoke <id>
 * deno task apikey admin-token             # prints the generated local admin token again
 * deno task apikey rotate-admin-token      # replaces it; every browser session ends
 * deno task apikey backup-key              # prints the backup signing key (created if missing)
 * deno task apikey rotate-backup-key       # replaces it; prints the old one (for old backups) and the new
 * ```
 *
 * @module
 */
import { type Clock, systemClock } from "../core/clock.ts";
import { describeKvPath } from "../core/kv_location.ts";
import * as apiKeys from "../store/api_keys.ts";
import { readAdminToken, rotateAdminToken } from "../store/admin_token.ts";
import { backupKeyNotice, ensureBackupKey, rotateBackupKey } from "../store/backup_signing.ts";
import { type Store } from "../store/kv.ts";
import { pad } from "./columns.ts";
import { type CliIo, runCliTask } from "./main.ts";

export { type CliIo };

const USAGE = [
  "Usage: deno task apikey <command>",
  "  create <name> <owner>   create a key; it is printed once and stored only as a hash",
  "  list                    list keys (never the keys themselves)",
  "  revoke <id>             revoke a key at once, in every process",
  "  admin-token             print the generated local admin token",
  "  rotate-admin-token      replace the generated admin token; signed-in browsers sign in again",
  "  backup-key              print the backup signing key, to keep outside this installation",
  "  rotate-backup-key       replace the backup signing key (one that leaked); prints the old and the new",
].join("\n");

/**
 * Runs one command against a store.
 *
 * @returns the exit code: 0 done, 1 not found or refused, 2 usage error.
 * @example
 * ```ts
 * const code = await runApiKeyCli(["list"], { store, clock: systemClock, io });
 * ```
 */
export async function runApiKeyCli(
  args: string[],
  deps: {
    store: Store;
    clock: Clock;
    io: CliIo;
    where?: string;
    /** `ADMIN_API_TOKEN` is set: the generated token is not in use. @default false */
    adminTokenSet?: boolean;
  },
): Promise<number> {
  const { store, clock, io } = deps;
  const [command, ...rest] = args;
  switch (command) {
    case "create": {
      const [name, owner] = rest.map((s) => s.trim());
      if (!name || !owner || rest.length > 2 || name.length > 64 || owner.length > 128) {
        io.err("create needs <name> (1–64 characters) and <owner> (1–128 characters)");
        io.err(USAGE);
        return 2;
      }
      const { key, view } = await apiKeys.create(store, { name, owner }, clock.now(), {
        via: "cli",
      });
      io.out(`Created API key ${view.id} (${view.name}, owner ${view.owner}).`);
      io.out("The key is shown once; store it now:");
      io.out(key);
      return 0;
    }
    case "list": {
      const keys = await apiKeys.list(store);
      if (keys.length === 0) {
        io.out("No API keys. Create one: deno task apikey create <name> <owner>");
        return 0;
      }
      io.out(
        `${pad("id", 21)}${pad("status", 8)}${pad("name", 20)}${pad("owner", 24)}${
          pad("created", 25)
        }${pad("last used", 25)}requests`,
      );
      for (const k of keys) {
        io.out(
          `${pad(k.id, 21)}${pad(k.status, 8)}${pad(k.name, 20)}${pad(k.owner, 24)}${
            pad(k.created_at, 25)
          }${pad(k.last_used_at ?? "-", 25)}${k.request_count}`,
        );
      }
      return 0;
    }
    case "revoke": {
      const [id] = rest;
      if (!id || rest.length > 1) {
        io.err("revoke needs the key <id> (see `deno task apikey list`)");
        return 2;
      }
      const view = await apiKeys.revoke(store, id, clock.now(), { via: "cli" });
      if (!view) {
        io.err(`No API key with id "${id}"`);
        return 1;
      }
      io.out(`Revoked API key ${view.id} (${view.name}) at ${view.revoked_at}.`);
      return 0;
    }
    case "admin-token": {
      const token = await readAdminToken(store);
      if (!token) {
        io.err(
          "No generated admin token in this KV (ADMIN_API_TOKEN is set, or the bot never started)",
        );
        return 1;
      }
      io.out(token);
      return 0;
    }
    case "rotate-admin-token": {
      if (deps.adminTokenSet) {
        io.err(
          "ADMIN_API_TOKEN is set, so it is the admin token: change the setting and restart. " +
            "Browser sessions opened with the old token end as soon as the new one is in use.",
        );
        return 1;
      }
      if (!(await readAdminToken(store))) {
        io.err("No generated admin token in this KV yet: start the bot once (deno task start)");
        return 1;
      }
      const { token, sessionsEnded } = await rotateAdminToken(store, clock.now());
      io.out(`Rotated the admin token; ${sessionsEnded} browser session(s) ended.`);
      io.out("Every process refuses the old token from now on. The new token:");
      io.out(token);
      return 0;
    }
    case "backup-key": {
      const key = await ensureBackupKey(store);
      io.err(backupKeyNotice(key, deps.where ?? "KV"));
      io.out(key.secret);
      return 0;
    }
    case "rotate-backup-key": {
      const { retired, current } = await rotateBackupKey(store);
      io.err(
        retired
          ? `Retired backup signing key ${retired.id}: backups made before now restore only with ` +
            "`--key <old>`; keep the old key with them."
          : "There was no backup signing key yet.",
      );
      io.err(backupKeyNotice({ id: current.id, generated: true }, deps.where ?? "KV"));
      if (retired) io.out(`old ${retired.secret}`);
      io.out(`new ${current.secret}`);
      return 0;
    }
    default:
      io.err(command ? `Unknown command "${command}"` : "No command given");
      io.err(USAGE);
      return 2;
  }
}

if (import.meta.main) {
  await runCliTask(({ config, store, io }) =>
    runApiKeyCli(Deno.args, {
      store,
      clock: systemClock,
      io,
      where: describeKvPath(config.kvPath),
      adminTokenSet: config.adminApiToken !== undefined,
    })
  );
}
