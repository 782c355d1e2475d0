/**
 * Backup files as tests read, damage and forge them: gzip in and out, a temp directory, and a
 * body's checksum.
 *
 * @module
 */
import { readBackupKey, sign } from "../../src/store/backup_signing.ts";
import { type BackupHeader, signedText } from "../../src/store/backup_format.ts";
import { type Store } from "../../src/store/kv.ts";

/** The text inside a gzip file. */
export async function gunzip(path: string): Promise<string> {
  const file = await Deno.open(path);
  return await new Response(file.readable.pipeThrough(new DecompressionStream("gzip"))).text();
}

/** Writes `text` gzipped to `path`. */
export async function gzipTo(path: string, text: string): Promise<void> {
  const bytes = await new Response(
    new Blob([text]).stream().pipeThrough(new CompressionStream("gzip")),
  ).arrayBuffer();
  await Deno.writeFile(path, new Uint8Array(bytes));
}

/** A temp directory removed on dispose. */
export async function tempDir(
  prefix = "rvx-backups-",
): Promise<{ path: string } & AsyncDisposable> {
  const path = await Deno.makeTempDir({ prefix });
  return { path, [Symbol.asyncDispose]: () => Deno.remove(path, { recursive: true }) };
}

/** Hex SHA-256 of a text's UTF-8 bytes. */
export async function sha256Hex(text: string): Promise<string> {
  const digest = new Uint8Array(
    await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)),
  );
  return [...digest].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** A backup's header and record lines (each without its newline). */
// deno-lint-ignore no-explicit-any
export async function readBackupFile(path: string): Promise<{ header: any; lines: string[] }> {
  const [first, ...rest] = (await gunzip(path)).split("\n");
  return { header: JSON.parse(first), lines: rest.slice(0, -1) };
}

/**
 * Writes a backup file with `lines` as its body and the header's count and checksum made to fit,
 * as a forger would; the other header fields (the signature among them) are kept as given.
 */
export async function writeBackupFile(
  path: string,
  header: Record<string, unknown>,
  lines: string[],
): Promise<Record<string, unknown>> {
  const body = lines.map((l) => `${l}\n`).join("");
  const fitted = { ...header, record_count: lines.length, body_sha256: await sha256Hex(body) };
  await gzipTo(path, `${JSON.stringify(fitted)}\n${body}`);
  return fitted;
}

/** Signs a header with the store's backup key, as only someone holding it could. */
export async function resign(
  store: Store,
  header: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const key = await readBackupKey(store);
  if (!key) throw new Error("the store has no backup key yet");
  const unsigned = { ...header, key_id: key.id } as unknown as BackupHeader;
  return { ...unsigned, signature: sign(key, signedText(unsigned)) };
}
