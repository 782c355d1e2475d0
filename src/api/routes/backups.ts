/**
 * `GET /api/v1/backups`, `POST /api/v1/backups`, `POST /api/v1/backups/{name}/restore`,
 * `GET /api/v1/backups/{name}/download`: list, take, restore and download backups
 * (docs/OPERATIONS.md, "Backups"), for admins. Taking and restoring run in the request (seconds
 * for ~100 000 records) under the maintenance lease; a download streams the stored file.
 *
 * @module
 */
import { z } from "@hono/zod-openapi";
import { type Context } from "hono";
import { type Clock } from "../../core/clock.ts";
import { AppError } from "../../core/errors.ts";
import { BACKUP_NAME } from "../../store/backup_format.ts";
import {
  BACKUP_REFUSALS,
  type BackupInfo,
  BackupNotFoundError,
  type BackupService,
} from "../../store/backups.ts";
import { type ApiEnv } from "../env.ts";
import { addRoute, type ApiRouter, createRouter, type Guard } from "../openapi.ts";
import { sendAppError, sendError, sendOk } from "../respond.ts";

/** What the backup routes use. */
export interface BackupsRoutesDeps {
  clock: Clock;
  guard: Guard;
  /** Absent: the routes answer 503 `UNAVAILABLE`. */
  backups?: BackupService;
}

const BackupSchema = z.object({
  name: z.string().openapi({ example: "rvx-backup-20260101-032000.jsonl.gz" }),
  size_bytes: z.number().int(),
  created_at: z.string().openapi({ format: "date-time" }),
  record_count: z.number().int(),
  schema_version: z.number().int(),
  generation: z.number().int(),
  format_version: z.number().int(),
  body_sha256: z.string(),
  key_id: z.string().nullable().openapi({
    description: "The id of the key that signed it; null for a backup made before signing",
  }),
  location: z.enum(["file", "kv"]),
}).openapi("Backup");

const RestoreSchema = z.object({
  name: z.string(),
  records: z.number().int(),
  from_generation: z.number().int(),
  to_generation: z.number().int(),
  migrated_from_schema: z.number().int().nullable(),
  safety_backup: z.string(),
  signed_by: z.string().nullable().openapi({
    description: "The id of the key that signed the backup; null when an unsigned one was allowed",
  }),
  rolled_back: z.object({
    since: z.string().openapi({ format: "date-time" }),
    audit_rows: z.number().int(),
    actions: z.record(z.string(), z.number().int()),
  }).openapi({
    description: "What the switch rolled back: everything written since the backup (it is in " +
      "the safety backup), summed up by its audit rows",
  }),
  reapplied: z.object({
    revoked_keys: z.array(z.string()),
    kept_keys: z.array(z.string()),
    bans: z.array(z.number().int()),
    unbans: z.array(z.number().int()),
    tier_changes: z.array(z.object({ user_id: z.number().int(), tier: z.enum(["free", "pro"]) })),
    erasures: z.number().int(),
  }).openapi({
    description: "Security and privacy changes made since the backup, re-applied on top of it",
  }),
  ledger_incomplete_before: z.string().nullable().openapi({
    description: "Set when changes older than this time could not be re-applied (the ledger " +
      "was pruned with older backups)",
  }),
}).openapi("RestoreResult");

const RestoreQuerySchema = z.object({
  allow_unsigned: z.enum(["true", "false"]).optional().openapi({
    description: "`true` restores a backup made before backups were signed (audited)",
  }),
});

const NameParamsSchema = z.object({
  name: z.string().regex(BACKUP_NAME, {
    error: "must be a backup name (rvx-backup-YYYYMMDD-HHMMSS.jsonl.gz)",
  }).openapi({ param: { name: "name", in: "path" } }),
});

function view(info: BackupInfo) {
  return {
    name: info.name,
    size_bytes: info.size_bytes,
    created_at: info.created_at,
    record_count: info.record_count,
    schema_version: info.schema_version,
    generation: info.generation,
    format_version: info.format_version,
    body_sha256: info.body_sha256,
    key_id: info.key_id,
    location: info.location,
  };
}

/**
 * @example
 * ```ts
 * app.route("/", backupsRoutes({ clock, guard: auth.admin, backups }));
 * ```
 */
export function backupsRoutes(deps: BackupsRoutesDeps): ApiRouter {
  const router = createRouter();
  const { clock, guard, backups } = deps;

  function unavailable(c: Context<ApiEnv>): Response {
    return sendError(c, clock, 503, "UNAVAILABLE", "Backups are not configured in this process");
  }

  function failed(c: Context<ApiEnv>, err: unknown): Response {
    if (err instanceof BackupNotFoundError) {
      return sendError(c, clock, 404, "NOT_FOUND", err.message, { name: err.backup });
    }
    // Refusals (400) and MAINTENANCE_BUSY (503) keep their own codes and messages.
    if (
      err instanceof AppError &&
      [...BACKUP_REFUSALS, "MAINTENANCE_BUSY"].includes(err.code)
    ) {
      return sendAppError(c, clock, err);
    }
    throw err;
  }

  const actor = (c: Context<ApiEnv>) => ({ via: "api", ip: c.get("clientIp") ?? null });

  addRoute(router, clock, {
    method: "get",
    path: "/api/v1/backups",
    operationId: "listBackups",
    tags: ["admin"],
    summary: "Backups, newest first",
    guard,
    success: {
      kind: "json",
      data: z.object({ backups: z.array(BackupSchema), location: z.enum(["file", "kv"]) }),
    },
  }, async (c) => {
    if (!backups) return unavailable(c);
    const list = await backups.list();
    return sendOk(c, clock, { backups: list.map(view), location: backups.location });
  });

  addRoute(router, clock, {
    method: "post",
    path: "/api/v1/backups",
    operationId: "createBackup",
    tags: ["admin"],
    summary: "Take a backup now",
    description: "Exports every durable record under the maintenance lease (turns pause " +
      "meanwhile). 503 `MAINTENANCE_BUSY` while another backup or restore runs.",
    guard,
    success: { kind: "json", data: BackupSchema, status: 201 },
  }, async (c) => {
    if (!backups) return unavailable(c);
    try {
      const made = await backups.create({ reason: "manual", actor: actor(c) });
      return sendOk(c, clock, view(made), 201);
    } catch (err) {
      return failed(c, err);
    }
  });

  addRoute(router, clock, {
    method: "post",
    path: "/api/v1/backups/{name}/restore",
    operationId: "restoreBackup",
    tags: ["admin"],
    summary: "Restore a backup",
    description: "Verifies the file before anything changes (400 `BACKUP_INVALID` if damaged, " +
      "of another format or of a newer schema, or a record does not fit its family; " +
      "`BACKUP_UNSIGNED` if made before signing and `allow_unsigned` is not `true`; " +
      "`BACKUP_KEY_UNKNOWN` if signed by another installation's key (restore it with " +
      "`deno task restore <name> --key …`); `BACKUP_SIGNATURE_INVALID` if altered), takes a " +
      "safety backup, writes a fresh generation, re-applies the key revocations and creations, " +
      "bans, unbans, tier changes and erasures made since the backup, and switches to it in " +
      "one commit.",
    guard,
    params: NameParamsSchema,
    query: RestoreQuerySchema,
    success: { kind: "json", data: RestoreSchema },
    errors: [404],
  }, async (c, { params, query }) => {
    if (!backups) return unavailable(c);
    try {
      return sendOk(
        c,
        clock,
        await backups.restore(params.name, {
          actor: actor(c),
          allowUnsigned: query.allow_unsigned === "true",
        }),
      );
    } catch (err) {
      return failed(c, err);
    }
  });
  addRoute(router, clock, {
    method: "get",
    path: "/api/v1/backups/{name}/download",
    operationId: "downloadBackup",
    tags: ["admin"],
    summary: "Download a backup",
    description: "The backup file exactly as stored (gzip of JSON lines, the format `deno task " +
      "backup` writes and `deno task restore` reads), streamed, from `BACKUP_DIR` or from KV " +
      "(Deno Deploy), so copies can be kept off-site. Audited as `backup_download`.",
    guard,
    params: NameParamsSchema,
    success: {
      kind: "file",
      mediaType: "application/gzip",
      description: "The backup file, with `Content-Disposition: attachment` and its name",
    },
    errors: [404],
  }, async (c, { params }) => {
    if (!backups) return unavailable(c);
    try {
      const { info, body } = await backups.download(params.name, { actor: actor(c) });
      return c.body(body, 200, {
        "Content-Type": "application/gzip",
        "Content-Length": String(info.size_bytes),
        "Content-Disposition": `attachment; filename="${info.name}"`,
      });
    } catch (err) {
      return failed(c, err);
    }
  });
  return router;
}
