/**
 * What each durable family's records look like, checked on every record of a backup before a
 * restore changes anything: the key's parts below the family, and the value's shape. Records that
 * grant access (API keys, admin flags) are checked field by field, and an API key's hash index
 * must agree with the key it stands under; records owned by a feature whose shape evolves are
 * checked for the fields that identify them.
 *
 * @module
 */
import { z } from "zod";
import { DATA_FAMILIES, type DataFamily } from "./keys.ts";

type Part = Deno.KvKeyPart;
type Check = (rest: Part[], value: unknown) => string | null;

const isString = (p: Part) => typeof p === "string";
const isNumber = (p: Part) => typeof p === "number";
const isTime = (v: unknown) => typeof v === "string" && !Number.isNaN(Date.parse(v));
const ISO = z.string().refine(isTime, "not a time");
const HEX64 = z.string().regex(/^[0-9a-f]{64}$/);
const counter = z.instanceof(Deno.KvU64);

/** A key's parts below the family match `types` (`s` string, `n` number, `*` either). */
function keyIs(rest: Part[], ...types: ("s" | "n" | "*")[]): boolean {
  return rest.length === types.length &&
    rest.every((part, i) =>
      types[i] === "*"
        ? isString(part) || isNumber(part)
        : types[i] === "s"
        ? isString(part)
        : isNumber(part)
    );
}

function shape(schema: z.ZodType, value: unknown): string | null {
  const result = schema.safeParse(value);
  if (result.success) return null;
  const issue = result.error.issues[0];
  const where = issue.path.length > 0 ? `${issue.path.join(".")}: ` : "";
  return `the value does not fit (${where}${issue.message})`;
}

const API_KEY_RECORD = z.strictObject({
  id: z.string().min(1).max(64),
  name: z.string().max(64),
  owner: z.string().max(128),
  hash: HEX64,
  created_at: ISO,
  revoked_at: ISO.nullable(),
});

const ADMIN_FLAGS = z.strictObject({
  tier: z.enum(["free", "pro"]),
  banned: z.boolean(),
  ban_reason: z.string().max(1000).nullable(),
});

const AUDIT_ROW = z.looseObject({ id: z.string(), action: z.string(), timestamp: ISO });

function apiKey(rest: Part[], value: unknown): string | null {
  const [kind, id] = rest;
  if (rest.length !== 2 || !isString(id)) return "the key is not an API key's";
  switch (kind) {
    case "rec": {
      const wrong = shape(API_KEY_RECORD, value);
      if (wrong) return wrong;
      return (value as { id: string }).id === id ? null : "the record's id is not its key's";
    }
    case "hash": {
      const wrong = shape(API_KEY_RECORD, value);
      if (wrong) return wrong;
      const record = value as { hash: string; revoked_at: string | null };
      if (record.hash !== id) return "the hash index does not match the key's hash";
      return record.revoked_at === null ? null : "a revoked key has a hash index";
    }
    case "count":
      return shape(counter, value);
    case "used":
      return shape(ISO, value);
  }
  return "the key is not an API key's";
}

function audit(rest: Part[], value: unknown): string | null {
  const [index] = rest;
  const fits = (index === "t" && keyIs(rest, "s", "s")) ||
    (index === "u" && keyIs(rest, "s", "n", "s")) ||
    (index === "a" && keyIs(rest, "s", "s", "s"));
  if (!fits) return "the key is not an audit row's";
  // Index entries hold what an erase or purge needs (the action; the user id), or, in backups
  // made before they did, a copy of the row.
  if (index === "u" && typeof value === "string") return null;
  if (index === "a" && (typeof value === "number" || value === null)) return null;
  return shape(AUDIT_ROW, value);
}

function deadLetter(rest: Part[], value: unknown): string | null {
  const [index] = rest;
  if (rest.length < 2 || rest.length > 3 || !rest.every((p) => isString(p) || isNumber(p))) {
    return "the key is not a dead letter's";
  }
  // By user and by error code: the index entries hold `true`.
  if (index === "u" || index === "c") return value === true ? null : "an index entry is not `true`";
  // A large update's parts.
  if (index === "p") return null;
  // By id, and (before schema 3) by source and update id: the letter.
  return shape(OBJECT, value);
}

/** Values that are objects with these fields, of any type (schemas built once: they are reused). */
const OBJECT = z.looseObject({});
const PROFILE = z.looseObject({ id: z.number(), language: z.string() });
const SESSION = z.looseObject({ expiresAt: z.number(), createdAt: z.number() });
const HISTORY = z.looseObject({ id: z.string(), user_id: z.number(), at: z.unknown() });
const FEEDBACK = z.looseObject({ id: z.string(), user_id: z.number(), vote: z.unknown() });
const BOOKMARK = z.looseObject({ user_id: z.number(), analysis_id: z.unknown() });
const LEARNING = z.looseObject({ user_id: z.number() });
const JOB = z.looseObject({ id: z.string(), kind: z.string() });
const CRON_RUN = z.looseObject({ name: z.string(), status: z.string() });
const ANY = z.unknown();

/** The value fits `schema` and its `field` equals the key's part `part`. */
function fitsOwn(
  schema: z.ZodType,
  value: unknown,
  field: string,
  part: Part,
): string | null {
  const wrong = shape(schema, value);
  if (wrong) return wrong;
  return (value as Record<string, unknown>)[field] === part
    ? null
    : `the record's ${field} is not its key's`;
}

const CHECKS: Record<DataFamily, Check> = {
  profile: (rest, value) =>
    keyIs(rest, "n") ? fitsOwn(PROFILE, value, "id", rest[0]) : "the key is not a user id",
  profile_admin: (rest, value) =>
    keyIs(rest, "n") ? shape(ADMIN_FLAGS, value) : "the key is not a user id",
  profile_xp: (rest, value) =>
    keyIs(rest, "n") ? shape(counter, value) : "the key is not a user id",
  profile_total: (rest, value) =>
    keyIs(rest, "n", "s") ? shape(counter, value) : "the key is not a user's total",
  session: (rest, value) => keyIs(rest, "s") ? shape(SESSION, value) : "the key is not an actor",
  session_expiry: (rest, value) =>
    keyIs(rest, "n", "s") ? shape(OBJECT, value) : "the key is not an expiry",
  history: (rest, value) =>
    keyIs(rest, "n", "s")
      ? fitsOwn(HISTORY, value, "user_id", rest[0])
      : "the key is not a history item's",
  feedback: (rest, value) =>
    keyIs(rest, "n", "s")
      ? fitsOwn(FEEDBACK, value, "user_id", rest[0])
      : "the key is not feedback's",
  bookmark: (rest, value) =>
    keyIs(rest, "n", "s")
      ? fitsOwn(BOOKMARK, value, "user_id", rest[0])
      : "the key is not a bookmark's",
  learning: (rest, value) =>
    keyIs(rest, "n", "s") || keyIs(rest, "n", "s", "s")
      ? fitsOwn(LEARNING, value, "user_id", rest[0])
      : "the key is not learning progress",
  leaderboard: (rest, value) =>
    (rest[0] === "top" ? rest.length === 6 : keyIs(rest, "n", "s", "s"))
      ? shape(ANY, value)
      : "the key is not a leaderboard row's",
  audit,
  counter: (rest, value) =>
    rest.length >= 1 && rest.length <= 3 && rest.every((p) => isString(p) || isNumber(p))
      ? shape(counter, value)
      : "the key is not a counter's",
  series: (rest, value) =>
    keyIs(rest, "s", "n") ? shape(ANY, value) : "the key is not a series point's",
  api_key: apiKey,
  job: (rest, value) =>
    keyIs(rest, "s") ? fitsOwn(JOB, value, "id", rest[0]) : "the key is not a job id",
  dead_letter: deadLetter,
  cron_run: (rest, value) =>
    keyIs(rest, "s", "s")
      ? fitsOwn(CRON_RUN, value, "name", rest[0])
      : "the key is not a cron run's",
};

const FAMILIES = new Set<string>(DATA_FAMILIES);

/**
 * Why a record (its key below the generation, family first) cannot be restored, or null when it
 * fits its family.
 *
 * @example
 * ```ts
 * recordProblem(["api_key", "rec", "x"], { id: "y" }); // "the value does not fit (…)"
 * ```
 */
export function recordProblem(key: readonly Part[], value: unknown): string | null {
  const [family, ...rest] = key;
  if (typeof family !== "string" || !FAMILIES.has(family)) {
    return `it is of unknown family ${JSON.stringify(String(family))}`;
  }
  const problem = CHECKS[family as DataFamily](rest, value);
  return problem === null ? null : `${family}: ${problem}`;
}
