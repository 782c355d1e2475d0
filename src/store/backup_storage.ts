/**
 * Where backups live: files in `BACKUP_DIR`, or, where there is no filesystem (Deno Deploy), KV
 * records outside the generations holding the same gzip bytes in parts under 64 KiB. Both keep
 * a backup invisible until it is complete (a file is renamed into place; a KV backup's listing
 * record is written after its parts), and both spool the body first, because the header that
 * opens the file carries the body's record count and checksum.
 *
 * @module
 */
import { BACKUP_NAME, type BackupHeader, backupTime, parseHeader } from "./backup_format.ts";
import { runtimeKeys } from "./keys.ts";
import { atomicCommit, type Store } from "./kv.ts";

/** Bytes as streams carry them. */
export type Bytes = Uint8Array<ArrayBuffer>;

/** A backup as listed. */
export interface BackupInfo extends BackupHeader {
  name: string;
  /** Bytes of the gzip file. */
  size_bytes: number;
  location: "file" | "kv";
}

/** Writes one new backup: the body first, then the whole file once the header is known. */
export interface BackupWriter {
  /** Stores the body (raw JSON lines) aside. */
  writeBody(body: ReadableStream<Bytes>): Promise<void>;
  /** Writes the gzip file: the header line, then the stored body; returns its size. */
  finish(header: BackupHeader, headerBytes: Bytes): Promise<number>;
  /** Removes whatever was written. */
  abort(): Promise<void>;
}

/** A place backups are kept. */
export interface BackupStorage {
  readonly location: "file" | "kv";
  /** Names of complete backups, in no particular order. */
  names(): Promise<string[]>;
  /** A complete backup's listing facts, or null when there is none by that name. */
  info(name: string): Promise<BackupInfo | null>;
  exists(name: string): Promise<boolean>;
  /** The gzip bytes of a complete backup, or null when there is none by that name. */
  open(name: string): Promise<ReadableStream<Bytes> | null>;
  remove(name: string): Promise<void>;
  begin(name: string): Promise<BackupWriter>;
  /** Removes what a crashed backup left behind (call while no backup is being written). */
  cleanup(): Promise<void>;
}

/** Parts of a KV-kept backup stay below KV's 64 KiB value limit. */
export const CHUNK_BYTES = 60_000;
/** Parts per atomic commit (≈ 600 KB, below the 800 KiB limit). */
const CHUNKS_PER_COMMIT = 10;

/** A stream of the header bytes followed by the body stream. */
function prepend(first: Bytes, rest: ReadableStream<Bytes>): ReadableStream<Bytes> {
  return ReadableStream.from((async function* () {
    yield first;
    yield* rest;
  })());
}

function gzip(stream: ReadableStream<Bytes>): ReadableStream<Bytes> {
  return stream.pipeThrough(new CompressionStream("gzip"));
}

/**
 * Reads the header line of a gzip backup stream (and stops reading there).
 *
 * @example
 * ```ts
 * const header = await readHeader(stream);
 * ```
 */
export async function readHeader(gz: ReadableStream<Bytes>): Promise<BackupHeader> {
  const reader = gz.pipeThrough(new DecompressionStream("gzip")).getReader();
  const decoder = new TextDecoder();
  let text = "";
  try {
    while (true) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
      if (text.includes("\n") || text.length > 4096) break;
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
  const newline = text.indexOf("\n");
  if (newline === -1) throw new TypeError("the header line is missing");
  return parseHeader(text.slice(0, newline));
}

// === Files

async function writeFile(path: string, stream: ReadableStream<Bytes>, sync: boolean) {
  const file = await Deno.open(path, { write: true, create: true, truncate: true });
  try {
    for await (const chunk of stream) {
      let offset = 0;
      while (offset < chunk.length) offset += await file.write(chunk.subarray(offset));
    }
    if (sync) await file.syncData();
  } finally {
    file.close();
  }
}

async function removeIfThere(path: string): Promise<void> {
  try {
    await Deno.remove(path);
  } catch (err) {
    if (!(err instanceof Deno.errors.NotFound)) throw err;
  }
}

/**
 * Backups as files in a directory (created on first use).
 *
 * @example
 * ```ts
 * const storage = fileBackupStorage("./data/backups");
 * ```
 */
export function fileBackupStorage(dir: string): BackupStorage {
  const path = (name: string) => `${dir}/${name}`;
  const bodyPath = (name: string) => `${dir}/.${name}.body`;
  const partPath = (name: string) => `${dir}/.${name}.part`;

  async function stat(name: string): Promise<Deno.FileInfo | null> {
    try {
      return await Deno.stat(path(name));
    } catch (err) {
      if (err instanceof Deno.errors.NotFound) return null;
      throw err;
    }
  }

  async function open(name: string): Promise<ReadableStream<Bytes> | null> {
    try {
      return (await Deno.open(path(name), { read: true })).readable;
    } catch (err) {
      if (err instanceof Deno.errors.NotFound) return null;
      throw err;
    }
  }

  return {
    location: "file",
    async names() {
      const names: string[] = [];
      try {
        for await (const entry of Deno.readDir(dir)) {
          if (entry.isFile && BACKUP_NAME.test(entry.name) && backupTime(entry.name) !== null) {
            names.push(entry.name);
          }
        }
      } catch (err) {
        if (!(err instanceof Deno.errors.NotFound)) throw err;
      }
      return names;
    },
    async info(name) {
      const info = await stat(name);
      const stream = info ? await open(name) : null;
      if (!info || !stream) return null;
      const header = await readHeader(stream);
      return { name, ...header, size_bytes: info.size, location: "file" };
    },
    async exists(name) {
      return (await stat(name)) !== null;
    },
    open,
    async remove(name) {
      await removeIfThere(path(name));
    },
    async begin(name) {
      await Deno.mkdir(dir, { recursive: true });
      return {
        async writeBody(body) {
          await writeFile(bodyPath(name), body, false);
        },
        async finish(_header, headerBytes) {
          const body = (await Deno.open(bodyPath(name), { read: true })).readable;
          await writeFile(partPath(name), gzip(prepend(headerBytes, body)), true);
          await Deno.rename(partPath(name), path(name));
          await removeIfThere(bodyPath(name));
          return (await Deno.stat(path(name))).size;
        },
        async abort() {
          await removeIfThere(bodyPath(name));
          await removeIfThere(partPath(name));
        },
      };
    },
    async cleanup() {
      try {
        for await (const entry of Deno.readDir(dir)) {
          if (entry.isFile && /^\.rvx-backup-.*\.(body|part)$/.test(entry.name)) {
            await removeIfThere(`${dir}/${entry.name}`);
          }
        }
      } catch (err) {
        if (!(err instanceof Deno.errors.NotFound)) throw err;
      }
    },
  };
}

// === KV

/** The listing record of a KV-kept backup. */
interface KvBackupMeta extends BackupHeader {
  name: string;
  size_bytes: number;
  chunks: number;
}

/** Stores a byte stream as parts under `keyOf(i)`; returns the part count and bytes. */
async function writeChunks(
  store: Store,
  keyOf: (part: number) => Deno.KvKey,
  stream: ReadableStream<Bytes>,
): Promise<{ chunks: number; bytes: number }> {
  let pending: Uint8Array[] = [];
  let buffer = new Uint8Array(CHUNK_BYTES);
  let filled = 0;
  let part = 0;
  let bytes = 0;
  const flush = async () => {
    if (pending.length === 0) return;
    const first = part - pending.length;
    const parts = pending;
    pending = [];
    const result = await atomicCommit(store, (op) => {
      parts.forEach((chunk, i) => op.set(keyOf(first + i), chunk));
      return op;
    });
    if (!result.ok) throw new Error("Cannot store a backup part: the commit was refused");
  };
  const seal = async () => {
    if (filled === 0) return;
    pending.push(buffer.slice(0, filled));
    part++;
    filled = 0;
    if (pending.length >= CHUNKS_PER_COMMIT) await flush();
  };
  for await (const chunk of stream) {
    bytes += chunk.length;
    let offset = 0;
    while (offset < chunk.length) {
      const take = Math.min(CHUNK_BYTES - filled, chunk.length - offset);
      buffer.set(chunk.subarray(offset, offset + take), filled);
      filled += take;
      offset += take;
      if (filled === CHUNK_BYTES) {
        await seal();
        buffer = new Uint8Array(CHUNK_BYTES);
      }
    }
  }
  await seal();
  await flush();
  return { chunks: part, bytes };
}

/** Reads the parts under a prefix back as one stream, in order. */
function readChunks(store: Store, prefix: Deno.KvKey): ReadableStream<Bytes> {
  const iter = store.kv.list<Bytes>({ prefix }, { batchSize: CHUNKS_PER_COMMIT });
  return new ReadableStream<Bytes>({
    async pull(controller) {
      const next = await iter.next();
      if (next.done) controller.close();
      else controller.enqueue(next.value.value);
    },
  });
}

/** Deletes every key under a prefix, in batches. */
async function deleteUnder(store: Store, prefix: Deno.KvKey): Promise<number> {
  let deleted = 0;
  while (true) {
    const keys: Deno.KvKey[] = [];
    for await (const entry of store.kv.list({ prefix }, { limit: 100, batchSize: 100 })) {
      keys.push(entry.key);
    }
    if (keys.length === 0) return deleted;
    await atomicCommit(store, (op) => {
      for (const key of keys) op.delete(key);
      return op;
    });
    deleted += keys.length;
  }
}

/**
 * Backups kept in KV (no filesystem, Deno Deploy), outside every generation.
 *
 * @example
 * ```ts
 * const storage = kvBackupStorage(store);
 * ```
 */
export function kvBackupStorage(store: Store): BackupStorage {
  async function meta(name: string): Promise<KvBackupMeta | null> {
    return (await store.kv.get<KvBackupMeta>(runtimeKeys.backup(name))).value;
  }

  return {
    location: "kv",
    async names() {
      const names: string[] = [];
      for await (const entry of store.kv.list<KvBackupMeta>({ prefix: runtimeKeys.backupAll })) {
        names.push(entry.value.name);
      }
      return names;
    },
    async info(name) {
      const m = await meta(name);
      if (!m) return null;
      const { chunks: _chunks, ...rest } = m;
      return { ...rest, location: "kv" };
    },
    async exists(name) {
      if (await meta(name)) return true;
      // Parts without a listing record: a backup being written (or one a crash left).
      const iter = store.kv.list({ prefix: runtimeKeys.backupChunksOf(name) }, { limit: 1 });
      return !(await iter.next()).done;
    },
    async open(name) {
      return (await meta(name)) ? readChunks(store, runtimeKeys.backupChunksOf(name)) : null;
    },
    async remove(name) {
      // The listing record goes first: a half-removed backup is never listed.
      await store.kv.delete(runtimeKeys.backup(name));
      await deleteUnder(store, runtimeKeys.backupChunksOf(name));
    },
    begin(name) {
      return Promise.resolve({
        async writeBody(body) {
          await writeChunks(store, (i) => runtimeKeys.backupSpool(name, i), gzip(body));
        },
        async finish(header, headerBytes) {
          const body = readChunks(store, runtimeKeys.backupSpoolOf(name))
            .pipeThrough(new DecompressionStream("gzip"));
          const written = await writeChunks(
            store,
            (i) => runtimeKeys.backupChunk(name, i),
            gzip(prepend(headerBytes, body)),
          );
          const record: KvBackupMeta = {
            ...header,
            name,
            size_bytes: written.bytes,
            chunks: written.chunks,
          };
          await store.kv.set(runtimeKeys.backup(name), record);
          await deleteUnder(store, runtimeKeys.backupSpoolOf(name));
          return written.bytes;
        },
        async abort() {
          await deleteUnder(store, runtimeKeys.backupSpoolOf(name));
          await deleteUnder(store, runtimeKeys.backupChunksOf(name));
        },
      });
    },
    async cleanup() {
      await deleteUnder(store, runtimeKeys.backupSpoolAll);
      // Parts whose listing record was never written: skip from one backup's parts to the next.
      let start: Deno.KvKey | undefined;
      while (true) {
        const selector = start
          ? { prefix: runtimeKeys.backupChunkAll, start }
          : { prefix: runtimeKeys.backupChunkAll };
        const next = await store.kv.list(selector, { limit: 1 }).next();
        if (next.done) return;
        const name = next.value.key[1] as string;
        if (!(await meta(name))) await deleteUnder(store, runtimeKeys.backupChunksOf(name));
        start = runtimeKeys.backupChunkAfter(name);
      }
    },
  };
}
