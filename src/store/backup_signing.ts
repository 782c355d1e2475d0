/**
 * The backup signing key (docs/SECURITY.md, "Secrets and where they live"): 32 random bytes,
 * created on first use and kept in KV under a meta key, outside every generation, so no restore
 * can replace it. Backups carry an HMAC-SHA-256 of their header (which holds the body's SHA-256),
 * and the header names the key by its id: the first 16 hex digits of the key's SHA-256. The
 * operator exports the key (`deno task apikey backup-key`) so a backup can be restored onto a
 * fresh installation (`deno task restore <name> --key …`).
 *
 * @module
 */
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { randomId } from "../core/ids.ts";
import { fromBase64 } from "./backup_format.ts";
import { securityKeys } from "./keys.ts";
import { atomicCommit, type Store } from "./kv.ts";

/** Every exported key starts with this. */
export const BACKUP_KEY_PREFIX = "rvx_bk_";

/** An exported key: the prefix and 43 URL-safe base64 characters (32 bytes). */
const EXPORTED_SHAPE = /^rvx_bk_[A-Za-z0-9_-]{43}$/;

/** A signing key and its id. */
export interface BackupKey {
  /** 16 hex digits naming the key in backup headers. */
  id: string;
  /** The exported form (`rvx_bk_…`): the secret itself. */
  secret: string;
}

/** What {@linkcode ensureBackupKey} found. */
export interface BackupKeyResult extends BackupKey {
  /** True only for the call that created it: that process says where it is, once. */
  generated: boolean;
}

function bytesOf(secret: string): Uint8Array {
  return fromBase64(secret.slice(BACKUP_KEY_PREFIX.length).replace(/-/g, "+").replace(/_/g, "/"));
}

/**
 * Reads an exported key (as `--key` takes it); throws a `TypeError` for anything else.
 *
 * @example
 * ```ts
 * const key = parseBackupKey("rvx_bk_…");
 * key.id; // "3f1c…"
 * ```
 */
export function parseBackupKey(text: string): BackupKey {
  const secret = text.trim();
  if (!EXPORTED_SHAPE.test(secret)) {
    throw new TypeError(
      `a backup key is "${BACKUP_KEY_PREFIX}" and 43 characters (see \`deno task apikey backup-key\`)`,
    );
  }
  const id = createHash("sha256").update(bytesOf(secret)).digest("hex").slice(0, 16);
  return { id, secret };
}

/**
 * This installation's signing key, created on first use (one key per KV, shared by every process).
 *
 * @example
 * ```ts
 * const key = await ensureBackupKey(store);
 * if (key.generated) log.warn("Created the backup signing key; export it");
 * ```
 */
export async function ensureBackupKey(store: Store): Promise<BackupKeyResult> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const entry = await store.kv.get<string>(securityKeys.backupKey);
    if (typeof entry.value === "string") {
      return { ...parseBackupKey(entry.value), generated: false };
    }
    const secret = `${BACKUP_KEY_PREFIX}${randomId(32)}`;
    const result = await atomicCommit(
      store,
      (op) => op.check(entry).set(securityKeys.backupKey, secret),
    );
    if (result.ok) return { ...parseBackupKey(secret), generated: true };
  }
  throw new Error("Cannot create the backup signing key: the KV record kept changing");
}

/**
 * Replaces this installation's signing key with a new one (for a key that leaked). Backups the
 * old key signed then restore only when it is given (`--key`).
 *
 * @returns the retired key (null when there was none) and the new one.
 * @example
 * ```ts
 * const { retired, current } = await rotateBackupKey(store);
 * ```
 */
export async function rotateBackupKey(
  store: Store,
): Promise<{ retired: BackupKey | null; current: BackupKey }> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const entry = await store.kv.get<string>(securityKeys.backupKey);
    const secret = `${BACKUP_KEY_PREFIX}${randomId(32)}`;
    const result = await atomicCommit(
      store,
      (op) => op.check(entry).set(securityKeys.backupKey, secret),
    );
    if (result.ok) {
      const retired = typeof entry.value === "string" ? parseBackupKey(entry.value) : null;
      return { retired, current: parseBackupKey(secret) };
    }
  }
  throw new Error("Cannot rotate the backup signing key: the KV record kept changing");
}

/**
 * This installation's signing key, or null before the first backup or start.
 *
 * @example
 * ```ts
 * const key = await readBackupKey(store);
 * ```
 */
export async function readBackupKey(store: Store): Promise<BackupKey | null> {
  const entry = await store.kv.get<string>(securityKeys.backupKey);
  return typeof entry.value === "string" ? parseBackupKey(entry.value) : null;
}

/**
 * The hex HMAC-SHA-256 of `text` under `key`.
 *
 * @example
 * ```ts
 * const signature = sign(key, signedText(header));
 * ```
 */
export function sign(key: BackupKey, text: string): string {
  return createHmac("sha256", bytesOf(key.secret)).update(text).digest("hex");
}

/**
 * Whether `signature` is `text`'s signature under `key` (compared in constant time).
 *
 * @example
 * ```ts
 * if (!verifySignature(key, signedText(header), header.signature)) refuse();
 * ```
 */
export function verifySignature(key: BackupKey, text: string, signature: string): boolean {
  const expected = new TextEncoder().encode(sign(key, text));
  const given = new TextEncoder().encode(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/**
 * Where the signing key is and why to keep a copy, in one sentence for operators (first start,
 * `deno task setup`, `deno task apikey backup-key`). Names the key by id, never the key itself.
 *
 * @example
 * ```ts
 * io.out(backupKeyNotice(await ensureBackupKey(store), describeKvPath(config.kvPath)));
 * ```
 */
export function backupKeyNotice(key: { id: string; generated?: boolean }, where: string): string {
  return `Backups are signed with key ${key.id}${key.generated ? " (created now)" : ""}, kept ` +
    `in ${where} at ${JSON.stringify(securityKeys.backupKey)}. Keep a copy outside this ` +
    "installation (`deno task apikey backup-key` prints it): without it, its backups cannot be " +
    "restored anywhere else (`deno task restore <name> --key <key>`).";
}
