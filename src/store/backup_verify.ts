/**
 * Reading a backup before a restore trusts it: the header, its signature (`backup_signing.ts`),
 * every body byte against the header's SHA-256 and record count, and every record against its
 * family's shape (`backup_records.ts`), all before anything changes.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { ValidationError } from "../core/errors.ts";
import { type BackupHeader, parseHeader, parseRecordLine, signedText } from "./backup_format.ts";
import { recordProblem } from "./backup_records.ts";
import { type BackupKey, verifySignature } from "./backup_signing.ts";
import { type Bytes } from "./backup_storage.ts";
import { SCHEMA_VERSION } from "./migrations.ts";

/** What a long operation is doing, for progress displays. */
export type BackupPhase = "export" | "compress" | "verify" | "safety" | "write" | "reapply";

/** One progress report: `done` of `total` (null when unknown) records in `phase`. */
export interface BackupProgress {
  phase: BackupPhase;
  done: number;
  total: number | null;
}

/** Called as work advances; awaited, so a slow display slows the work rather than piling up. */
export type OnProgress = (progress: BackupProgress) => void | Promise<void>;

/** Records between progress reports. */
export const PROGRESS_EVERY = 5000;

/**
 * Why a restore refuses a file (400 over HTTP; nothing changes): `BACKUP_INVALID` damaged, of
 * another format or schema, or a record that does not fit its family; `BACKUP_UNSIGNED` made
 * before signing and not allowed; `BACKUP_KEY_UNKNOWN` signed with a key this installation was
 * not given; `BACKUP_SIGNATURE_INVALID` altered after it was signed.
 */
export const BACKUP_REFUSALS = [
  "BACKUP_INVALID",
  "BACKUP_UNSIGNED",
  "BACKUP_KEY_UNKNOWN",
  "BACKUP_SIGNATURE_INVALID",
] as const;
export type BackupRefusal = typeof BACKUP_REFUSALS[number];

/**
 * A backup cannot be used (see {@linkcode BACKUP_REFUSALS}).
 *
 * @example
 * ```ts
 * throw backupInvalid("rvx-backup-20260101-030000.jsonl.gz", "the body's SHA-256 does not match the header");
 * ```
 */
export function backupInvalid(
  name: string,
  reason: string,
  cause?: unknown,
  code: BackupRefusal = "BACKUP_INVALID",
): ValidationError {
  return new ValidationError(
    "backup",
    `Cannot restore "${name}": ${reason}; nothing was changed`,
    { code, details: { name }, cause },
  );
}

/** Hex SHA-256, fed piece by piece. */
export function sha256(): { update(bytes: Uint8Array): void; hex(): string } {
  const hash = createHash("sha256");
  return { update: (bytes) => hash.update(bytes), hex: () => hash.digest("hex") };
}

/** What {@linkcode scan} hands a backup's parts to. */
export interface ScanVisitor {
  header(header: BackupHeader): void | Promise<void>;
  /** Every body byte, in order. */
  body(bytes: Uint8Array): void;
  /** Each body line (without its newline), when given. */
  line?(text: string): void | Promise<void>;
}

/**
 * Decompresses a backup and hands its header, body bytes and (optionally) lines to `visit`.
 *
 * @example
 * ```ts
 * await scan(name, gz, { header: (h) => check(h), body: (bytes) => hash.update(bytes) });
 * ```
 */
export async function scan(
  name: string,
  gz: ReadableStream<Bytes>,
  visit: ScanVisitor,
): Promise<void> {
  const reader = gz.pipeThrough(new DecompressionStream("gzip")).getReader();
  const decoder = new TextDecoder("utf-8", { fatal: true });
  let head: Uint8Array[] | null = [];
  let headBytes = 0;
  let partial = "";
  const body = async (bytes: Uint8Array) => {
    if (bytes.length === 0) return;
    visit.body(bytes);
    if (!visit.line) return;
    const lines = (partial + decoder.decode(bytes, { stream: true })).split("\n");
    partial = lines.pop()!;
    for (const line of lines) {
      // Awaited only when it returns a promise: a microtask per line is most of a sync visit.
      const pending = visit.line(line);
      if (pending) await pending;
    }
  };
  try {
    while (true) {
      let chunk: ReadableStreamReadResult<Bytes>;
      try {
        chunk = await reader.read();
      } catch (err) {
        throw backupInvalid(name, "the file is not valid gzip (damaged or cut short)", err);
      }
      if (chunk.done) break;
      if (head === null) {
        await body(chunk.value);
        continue;
      }
      const newline = chunk.value.indexOf(10);
      if (newline === -1) {
        head.push(chunk.value);
        headBytes += chunk.value.length;
        if (headBytes > 65_536) throw backupInvalid(name, "the header line is missing");
        continue;
      }
      head.push(chunk.value.subarray(0, newline));
      const headerText = new TextDecoder().decode(concat(head));
      head = null;
      try {
        await visit.header(parseHeader(headerText));
      } catch (err) {
        if (err instanceof TypeError) throw backupInvalid(name, err.message, err);
        throw err;
      }
      await body(chunk.value.subarray(newline + 1));
    }
  } catch (err) {
    await reader.cancel().catch(() => {});
    if (err instanceof TypeError && err.message.includes("encoded data")) {
      throw backupInvalid(name, "the body is not valid UTF-8", err);
    }
    throw err;
  }
  if (head !== null) throw backupInvalid(name, "the header line is missing (empty file?)");
  if (partial !== "") throw backupInvalid(name, "the last record line is cut short");
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** Counts the newlines in a chunk. */
function countLines(bytes: Uint8Array): number {
  let n = 0;
  let i = -1;
  while ((i = bytes.indexOf(10, i + 1)) !== -1) n++;
  return n;
}

/** What {@linkcode verifyBackup} accepts. */
export interface VerifyOptions {
  /** Keys a signature may have been made with: this installation's, and any the operator gave. */
  keys: BackupKey[];
  /** This installation's key id, for the message when no key fits. */
  ownKeyId: string | null;
  /** Accept a backup made before signing (format 1). @default false */
  allowUnsigned?: boolean;
  onProgress?: OnProgress;
}

/** A verified backup: its header, and the id of the key that signed it (null: unsigned). */
export interface VerifiedBackup {
  header: BackupHeader;
  signedBy: string | null;
}

function checkSignature(name: string, header: BackupHeader, options: VerifyOptions): string | null {
  if (header.key_id === null || header.signature === null) {
    if (options.allowUnsigned) return null;
    throw backupInvalid(
      name,
      "it is not signed (made before backups were signed); restore it only if you trust the file, with `--allow-unsigned` (API: `?allow_unsigned=true`)",
      undefined,
      "BACKUP_UNSIGNED",
    );
  }
  const key = options.keys.find((k) => k.id === header.key_id);
  if (!key) {
    throw backupInvalid(
      name,
      `it is signed with key ${header.key_id}, and this installation's key is ${
        options.ownKeyId ?? "not created yet"
      }; give the key it was made with (\`deno task restore ${name} --key rvx_bk_…\`)`,
      undefined,
      "BACKUP_KEY_UNKNOWN",
    );
  }
  if (!verifySignature(key, signedText(header), header.signature)) {
    throw backupInvalid(
      name,
      `its signature does not match (the file was altered after key ${key.id} signed it)`,
      undefined,
      "BACKUP_SIGNATURE_INVALID",
    );
  }
  return key.id;
}

/**
 * Checks a backup through and through without changing anything: header, signature, record
 * count, SHA-256, schema, and every record's shape.
 *
 * @throws {ValidationError} with one of {@linkcode BACKUP_REFUSALS}, naming what is wrong.
 * @example
 * ```ts
 * const { header } = await verifyBackup(name, gz, { keys: [own], ownKeyId: own.id });
 * ```
 */
export async function verifyBackup(
  name: string,
  gz: ReadableStream<Bytes>,
  options: VerifyOptions,
): Promise<VerifiedBackup> {
  const { onProgress } = options;
  let header: BackupHeader | null = null;
  let signedBy: string | null = null;
  const hash = sha256();
  let lines = 0;
  let lastByte = 10;
  let reported = 0;
  let parsed = 0;
  // The first record that does not fit; reported only once the bytes are known to be intact.
  let badRecord: string | null = null;
  await scan(name, gz, {
    header: (h) => {
      header = h;
      // Before the body is read: a file signed by a stranger is not worth reading.
      signedBy = checkSignature(name, h, options);
    },
    body: (bytes) => {
      hash.update(bytes);
      lines += countLines(bytes);
      lastByte = bytes[bytes.length - 1];
      if (onProgress && lines - reported >= PROGRESS_EVERY) {
        reported = lines;
        void onProgress({ phase: "verify", done: lines, total: header?.record_count ?? null });
      }
    },
    line: (text) => {
      const n = ++parsed;
      if (badRecord !== null) return;
      try {
        const record = parseRecordLine(text);
        const problem = recordProblem(record.key, record.value);
        if (problem) badRecord = `record ${n}: ${problem}`;
      } catch (err) {
        badRecord = `record ${n}: ${(err as Error).message}`;
      }
    },
  });
  const h = header as BackupHeader | null;
  if (!h) throw backupInvalid(name, "the header line is missing");
  if (lastByte !== 10) throw backupInvalid(name, "the last record line is cut short");
  if (lines !== h.record_count) {
    throw backupInvalid(
      name,
      `the header says ${h.record_count} records but the body has ${lines} (damaged or cut short)`,
    );
  }
  if (hash.hex() !== h.body_sha256) {
    throw backupInvalid(
      name,
      "the body's SHA-256 does not match the header (the file is damaged)",
    );
  }
  if (h.schema_version > SCHEMA_VERSION) {
    throw backupInvalid(
      name,
      `it has schema ${h.schema_version}, newer than this code's ${SCHEMA_VERSION}; deploy the newer code first`,
    );
  }
  if (badRecord !== null) throw backupInvalid(name, badRecord);
  await onProgress?.({ phase: "verify", done: lines, total: h.record_count });
  return { header: h, signedBy };
}
