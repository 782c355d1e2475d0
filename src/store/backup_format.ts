/**
 * The backup file format (docs/OPERATIONS.md, "Backups"): one gzip file of JSON lines named
 * `rvx-backup-YYYYMMDD-HHMMSS.jsonl.gz` (UTC). The first line is the header; every other line is
 * one record: its key below the generation prefix, each part with its type, and its value in a
 * tagged JSON encoding that keeps what plain JSON would lose (`Deno.KvU64`, `Uint8Array`, `Date`,
 * `bigint`, `undefined`, non-finite numbers and -0, `Map`, `Set`, `RegExp`, typed arrays, sparse
 * arrays, errors).
 *
 * ```
 * {"format_version":2,"schema_version":2,"generation":1,"created_at":"2026-01-01T03:00:00.000Z","record_count":2,"body_sha256":"…","key_id":"3f1c…","signature":"…"}
 * {"k":[["s","profile"],["n",42]],"v":{"id":42,"created_at":"…","seen":{"$t":"date","v":"2026-01-01T00:00:00.000Z"}}}
 * {"k":[["s","counter"],["s","analyses_total"]],"v":{"$t":"u64","v":"17"}}
 * ```
 *
 * Key part types: `s` string, `n` number (non-finite and -0 as text), `i` bigint (decimal
 * text), `b` boolean, `u` Uint8Array (base64). A value is plain JSON except objects with a
 * `"$t"` member, which carry a tag; a plain object that itself has a `"$t"` member is written as
 * `{"$t":"obj","v":[[key, value], …]}`. The SHA-256 covers every byte after the header line;
 * the signature (HMAC-SHA-256 under the key `key_id` names, `backup_signing.ts`) covers the
 * header's other fields, the SHA-256 among them, so it authenticates the whole file.
 *
 * @module
 */

/** The version of this format (signed). */
export const FORMAT_VERSION = 2;
/** The format before backups were signed: read only when the operator allows unsigned files. */
export const UNSIGNED_FORMAT_VERSION = 1;

/** What a backup's first line says. */
export interface BackupHeader {
  format_version: number;
  /** The schema the records are in; older ones are migrated on restore. */
  schema_version: number;
  /** The generation the records were read from. */
  generation: number;
  /** ISO 8601 UTC. */
  created_at: string;
  record_count: number;
  /** Hex SHA-256 of the body: every byte after the header line's newline. */
  body_sha256: string;
  /** The signing key's id (16 hex digits); null in an unsigned (format 1) backup. */
  key_id: string | null;
  /** Hex HMAC-SHA-256 of {@linkcode signedText}; null in an unsigned (format 1) backup. */
  signature: string | null;
}

/** A backup file name: `rvx-backup-YYYYMMDD-HHMMSS.jsonl.gz`. */
export const BACKUP_NAME = /^rvx-backup-(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})\.jsonl\.gz$/;

/**
 * The file name of a backup made at `at` (epoch ms, UTC, to the second).
 *
 * @example
 * ```ts
 * backupName(Date.UTC(2026, 0, 2, 3, 4, 5)); // "rvx-backup-20260102-030405.jsonl.gz"
 * ```
 */
export function backupName(at: number): string {
  const iso = new Date(at).toISOString();
  const digits = iso.slice(0, 19).replace(/[-:]/g, "").replace("T", "-");
  return `rvx-backup-${digits}.jsonl.gz`;
}

/**
 * The time (epoch ms) a backup name stands for, or null for a name that is not a backup's.
 *
 * @example
 * ```ts
 * backupTime("rvx-backup-20260102-030405.jsonl.gz"); // Date.UTC(2026, 0, 2, 3, 4, 5)
 * ```
 */
export function backupTime(name: string): number | null {
  const m = BACKUP_NAME.exec(name);
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number);
  const at = Date.UTC(y, mo - 1, d, h, mi, s);
  return backupName(at) === name ? at : null;
}

/** The header's fields in their fixed order, the signature left out (a format-1 one has no key). */
function orderedFields(header: Omit<BackupHeader, "signature">): Record<string, unknown> {
  const { format_version, schema_version, generation, created_at, record_count, body_sha256 } =
    header;
  const fields = {
    format_version,
    schema_version,
    generation,
    created_at,
    record_count,
    body_sha256,
  };
  return format_version === UNSIGNED_FORMAT_VERSION ? fields : { ...fields, key_id: header.key_id };
}

/**
 * What a backup's signature covers: every header field but the signature, in a fixed order.
 *
 * @example
 * ```ts
 * const signature = sign(key, signedText(header));
 * ```
 */
export function signedText(header: Omit<BackupHeader, "signature">): string {
  return `rvx-backup\n${JSON.stringify(Object.values(orderedFields(header)))}`;
}

/**
 * The header as its line (with the newline); a format-1 header has no key id or signature.
 *
 * @example
 * ```ts
 * headerLine({ format_version: 2, schema_version: 2, generation: 1, created_at, record_count: 0, body_sha256, key_id, signature });
 * ```
 */
export function headerLine(header: BackupHeader): string {
  const fields = orderedFields(header);
  if (header.format_version !== UNSIGNED_FORMAT_VERSION) fields.signature = header.signature;
  return `${JSON.stringify(fields)}\n`;
}

/**
 * Reads a header line; throws a `TypeError` naming what is wrong.
 *
 * @example
 * ```ts
 * const header = parseHeader(firstLine);
 * ```
 */
export function parseHeader(line: string): BackupHeader {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    throw new TypeError("the first line is not a JSON header");
  }
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    throw new TypeError("the first line is not a JSON header");
  }
  const h = raw as Record<string, unknown>;
  const whole = (name: string) => {
    const value = h[name];
    if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) {
      throw new TypeError(`the header's ${name} is missing or not a whole number`);
    }
    return value;
  };
  const format_version = whole("format_version");
  if (format_version !== FORMAT_VERSION && format_version !== UNSIGNED_FORMAT_VERSION) {
    throw new TypeError(
      `the header's format_version is ${format_version}; this code reads ${UNSIGNED_FORMAT_VERSION} and ${FORMAT_VERSION}`,
    );
  }
  const signed = format_version === FORMAT_VERSION;
  const key_id = signed ? h.key_id : null;
  const signature = signed ? h.signature : null;
  if (signed && (typeof key_id !== "string" || !/^[0-9a-f]{16}$/.test(key_id))) {
    throw new TypeError("the header's key_id is missing or not 16 hex digits");
  }
  if (signed && (typeof signature !== "string" || !/^[0-9a-f]{64}$/.test(signature))) {
    throw new TypeError("the header's signature is missing or not an HMAC-SHA-256 in hex");
  }
  const created_at = h.created_at;
  if (typeof created_at !== "string" || Number.isNaN(Date.parse(created_at))) {
    throw new TypeError("the header's created_at is missing or not a time");
  }
  const body_sha256 = h.body_sha256;
  if (typeof body_sha256 !== "string" || !/^[0-9a-f]{64}$/.test(body_sha256)) {
    throw new TypeError("the header's body_sha256 is missing or not a SHA-256 in hex");
  }
  return {
    format_version,
    schema_version: whole("schema_version"),
    generation: whole("generation"),
    created_at,
    record_count: whole("record_count"),
    body_sha256,
    key_id: key_id as string | null,
    signature: signature as string | null,
  };
}

// === Bytes

/** Uint8Array → base64. */
export function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

/** base64 → Uint8Array. */
export function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

// === Keys

type TaggedPart = ["s", string] | ["n", number | string] | ["i", string] | ["b", boolean] | [
  "u",
  string,
];

function specialNumber(n: number): string | null {
  if (Number.isNaN(n)) return "NaN";
  if (n === Infinity) return "Infinity";
  if (n === -Infinity) return "-Infinity";
  if (Object.is(n, -0)) return "-0";
  return null;
}

function parseSpecialNumber(text: unknown): number {
  switch (text) {
    case "NaN":
      return NaN;
    case "Infinity":
      return Infinity;
    case "-Infinity":
      return -Infinity;
    case "-0":
      return -0;
  }
  throw new TypeError(`unknown number ${JSON.stringify(text)}`);
}

/**
 * Key parts with their types, for a record line.
 *
 * @example
 * ```ts
 * encodeKey(["profile", 42]); // [["s", "profile"], ["n", 42]]
 * ```
 */
export function encodeKey(parts: readonly Deno.KvKeyPart[]): TaggedPart[] {
  return parts.map((part): TaggedPart => {
    switch (typeof part) {
      case "string":
        return ["s", part];
      case "number":
        return ["n", specialNumber(part) ?? part];
      case "bigint":
        return ["i", part.toString()];
      case "boolean":
        return ["b", part];
    }
    if (part instanceof Uint8Array) return ["u", toBase64(part)];
    throw new TypeError(`a key part of type ${typeof part} cannot be backed up`);
  });
}

/** The inverse of {@linkcode encodeKey}. */
export function decodeKey(tagged: unknown): Deno.KvKeyPart[] {
  if (!Array.isArray(tagged)) throw new TypeError("the key is not a list");
  return tagged.map((item): Deno.KvKeyPart => {
    if (!Array.isArray(item) || item.length !== 2) throw new TypeError("a key part is malformed");
    const [type, value] = item;
    switch (type) {
      case "s":
        if (typeof value === "string") return value;
        break;
      case "n":
        if (typeof value === "number") return value;
        return parseSpecialNumber(value);
      case "i":
        if (typeof value === "string" && /^-?\d+$/.test(value)) return BigInt(value);
        break;
      case "b":
        if (typeof value === "boolean") return value;
        break;
      case "u":
        if (typeof value === "string") return fromBase64(value);
        break;
    }
    throw new TypeError(`a key part of type ${JSON.stringify(type)} is malformed`);
  });
}

// === Values

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const TYPED_ARRAYS = {
  Int8Array,
  Uint8ClampedArray,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  Float32Array,
  Float64Array,
  BigInt64Array,
  BigUint64Array,
} as const;
type TypedArrayName = keyof typeof TYPED_ARRAYS;

function hasHoles(array: unknown[]): boolean {
  for (let i = 0; i < array.length; i++) if (!(i in array)) return true;
  return false;
}

/**
 * A KV value as tagged JSON (see the module doc).
 *
 * @example
 * ```ts
 * encodeValue(new Deno.KvU64(5n)); // { $t: "u64", v: "5" }
 * ```
 */
export function encodeValue(value: unknown): Json {
  switch (typeof value) {
    case "string":
    case "boolean":
      return value;
    case "number": {
      const special = specialNumber(value);
      return special === null ? value : { $t: "num", v: special };
    }
    case "bigint":
      return { $t: "bigint", v: value.toString() };
    case "undefined":
      return { $t: "undef" };
    case "object":
      break;
    default:
      throw new TypeError(`a value of type ${typeof value} cannot be backed up`);
  }
  if (value === null) return null;
  if (Array.isArray(value)) {
    if (!hasHoles(value)) return value.map(encodeValue);
    const entries: Json[] = [];
    value.forEach((item, i) => entries.push([i, encodeValue(item)]));
    return { $t: "sparse", n: value.length, v: entries };
  }
  const proto = Object.getPrototypeOf(value);
  if (proto === Object.prototype || proto === null) {
    const object = value as Record<string, unknown>;
    if (Object.hasOwn(object, "$t")) {
      return { $t: "obj", v: Object.entries(object).map(([k, v]) => [k, encodeValue(v)]) };
    }
    const out: Record<string, Json> = {};
    for (const [k, v] of Object.entries(object)) {
      if (k === "__proto__") {
        Object.defineProperty(out, k, { value: encodeValue(v), enumerable: true, writable: true });
      } else out[k] = encodeValue(v);
    }
    return out;
  }
  if (value instanceof Deno.KvU64) return { $t: "u64", v: value.value.toString() };
  if (value instanceof Uint8Array && proto === Uint8Array.prototype) {
    return { $t: "bytes", v: toBase64(value) };
  }
  if (value instanceof Date) {
    const time = value.getTime();
    return { $t: "date", v: Number.isNaN(time) ? null : value.toISOString() };
  }
  if (value instanceof Map) {
    return { $t: "map", v: [...value].map(([k, v]) => [encodeValue(k), encodeValue(v)]) };
  }
  if (value instanceof Set) return { $t: "set", v: [...value].map(encodeValue) };
  if (value instanceof RegExp) return { $t: "regexp", v: [value.source, value.flags] };
  if (value instanceof ArrayBuffer) return { $t: "buffer", v: toBase64(new Uint8Array(value)) };
  if (ArrayBuffer.isView(value)) {
    const name = value.constructor.name;
    if (name in TYPED_ARRAYS) {
      const bytes = new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
      return { $t: "typed", c: name, v: toBase64(bytes) };
    }
  }
  if (value instanceof Error) {
    return {
      $t: "error",
      name: value.name,
      message: value.message,
      stack: value.stack ?? null,
    };
  }
  // KV hands back other class instances as plain objects; treat them the same.
  return encodeValue({ ...(value as Record<string, unknown>) });
}

function entriesOf(v: unknown): unknown[][] {
  if (!Array.isArray(v) || !v.every((e) => Array.isArray(e) && e.length === 2)) {
    throw new TypeError("a tagged value's entries are malformed");
  }
  return v;
}

function stringOf(v: unknown, what: string): string {
  if (typeof v !== "string") throw new TypeError(`a tagged ${what} is malformed`);
  return v;
}

/**
 * The inverse of {@linkcode encodeValue}. Works in place on freshly parsed JSON (untagged
 * objects and arrays are kept and only their tagged members replaced), so `node` is changed.
 *
 * @example
 * ```ts
 * decodeValue({ $t: "date", v: "2026-01-01T00:00:00.000Z" }); // a Date
 * ```
 */
export function decodeValue(node: unknown): unknown {
  if (node === null || typeof node !== "object") return node;
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i++) {
      const item = node[i];
      if (item !== null && typeof item === "object") {
        const decoded = decodeValue(item);
        if (decoded !== item) node[i] = decoded;
      }
    }
    return node;
  }
  const object = node as Record<string, unknown>;
  if (!Object.hasOwn(object, "$t")) {
    for (const k in object) {
      const item = object[k];
      if (item === null || typeof item !== "object") continue;
      const decoded = decodeValue(item);
      if (decoded === item) continue;
      if (k === "__proto__") {
        Object.defineProperty(object, k, { value: decoded, enumerable: true, writable: true });
      } else object[k] = decoded;
    }
    return object;
  }
  const v = object.v;
  switch (object.$t) {
    case "undef":
      return undefined;
    case "num":
      return parseSpecialNumber(v);
    case "bigint":
      if (typeof v === "string" && /^-?\d+$/.test(v)) return BigInt(v);
      throw new TypeError("a tagged bigint is malformed");
    case "u64":
      if (typeof v === "string" && /^\d+$/.test(v)) return new Deno.KvU64(BigInt(v));
      throw new TypeError("a tagged u64 is malformed");
    case "bytes":
      return fromBase64(stringOf(v, "bytes"));
    case "date":
      return new Date(v === null ? NaN : Date.parse(stringOf(v, "date")));
    case "map":
      return new Map(entriesOf(v).map(([k, val]) => [decodeValue(k), decodeValue(val)]));
    case "set":
      if (!Array.isArray(v)) throw new TypeError("a tagged set is malformed");
      return new Set(v.map(decodeValue));
    case "regexp": {
      if (!Array.isArray(v) || v.length !== 2) throw new TypeError("a tagged regexp is malformed");
      return new RegExp(stringOf(v[0], "regexp"), stringOf(v[1], "regexp"));
    }
    case "buffer":
      return fromBase64(stringOf(v, "buffer")).buffer;
    case "typed": {
      const name = object.c as TypedArrayName;
      if (typeof name !== "string" || !(name in TYPED_ARRAYS)) {
        throw new TypeError("a tagged typed array is malformed");
      }
      const bytes = fromBase64(stringOf(v, "typed array"));
      return new TYPED_ARRAYS[name](bytes.buffer);
    }
    case "sparse": {
      const n = object.n;
      if (typeof n !== "number" || !Number.isSafeInteger(n) || n < 0) {
        throw new TypeError("a tagged sparse array is malformed");
      }
      const out = new Array(n);
      for (const [i, item] of entriesOf(v)) out[i as number] = decodeValue(item);
      return out;
    }
    case "obj":
      return Object.fromEntries(
        entriesOf(v).map(([k, val]) => [stringOf(k, "object key"), decodeValue(val)]),
      );
    case "error": {
      const error = new Error(String(object.message ?? ""));
      error.name = String(object.name ?? "Error");
      if (typeof object.stack === "string") error.stack = object.stack;
      return error;
    }
  }
  throw new TypeError(`unknown value tag ${JSON.stringify(object.$t)}`);
}

/** One record read back from a line. */
export interface BackupRecord {
  /** The key below the generation prefix: family first. */
  key: Deno.KvKeyPart[];
  value: unknown;
}

/**
 * A record's line (with the newline).
 *
 * @example
 * ```ts
 * recordLine(["profile", 42], profile);
 * ```
 */
export function recordLine(key: readonly Deno.KvKeyPart[], value: unknown): string {
  return `${JSON.stringify({ k: encodeKey(key), v: encodeValue(value) })}\n`;
}

/**
 * Reads a record line; throws a `TypeError` naming what is wrong.
 *
 * @example
 * ```ts
 * const { key, value } = parseRecordLine(line);
 * ```
 */
export function parseRecordLine(line: string): BackupRecord {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    throw new TypeError("a record line is not JSON");
  }
  if (raw === null || typeof raw !== "object" || !("k" in raw) || !("v" in raw)) {
    throw new TypeError("a record line lacks its key or value");
  }
  return { key: decodeKey(raw.k), value: decodeValue(raw.v) };
}
