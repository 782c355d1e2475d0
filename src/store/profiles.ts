/**
 * User profiles. The user's own turns write the profile record, admins write the flags record
 * (tier, ban), and XP and totals are KV sums, so no writer can overwrite another's change.
 *
 * @module
 */
import { signedCount, type Tx } from "../core/tx.ts";
import { type Lang } from "../i18n/mod.ts";
import { dataKey } from "./keys.ts";
import { type Store } from "./kv.ts";
import { stageChange } from "./security_ledger.ts";

/** What the user's own turns maintain. */
export interface Profile {
  id: number;
  username: string | null;
  first_name: string | null;
  language: Lang;
  /** A local-mode user (terminal chat, playground): kept out of leaderboards and broadcasts. */
  local: boolean;
  badges: string[];
  /** False once Telegram says the user blocked the bot. */
  active: boolean;
  blocked: boolean;
  /** ISO 8601 UTC. */
  created_at: string;
  last_seen_at: string;
}

/** What admins set. */
export interface AdminFlags {
  tier: "free" | "pro";
  banned: boolean;
  ban_reason: string | null;
}

/** Per-user running totals. */
export const TOTALS = ["analyses", "questions", "quizzes", "feedback"] as const;
export type TotalName = typeof TOTALS[number];

/**
 * What every turn knows of its sender: the user's own fields and the admins' flags, two keys
 * (docs/ARCHITECTURE.md, "What the bot itself reads").
 */
export interface UserAccount extends Profile, AdminFlags {}

/** XP, level and usage totals: five more keys, read only by the features that show them. */
export interface UserProgress {
  xp: number;
  level: number;
  totals: Record<TotalName, number>;
}

/** Everything known about a user, assembled from its records. */
export interface UserView extends UserAccount, UserProgress {}

/**
 * A user's account read together with other keys (the runtime's take-over snapshot, or its read
 * of the inbox mark when it takes a lease back): the entries of {@linkcode accountKeys}, for
 * {@linkcode accountFrom}.
 */
export interface AccountRead {
  userId: number;
  entries: Deno.KvEntryMaybe<unknown>[];
}

const DEFAULT_FLAGS: AdminFlags = { tier: "free", banned: false, ban_reason: null };

/**
 * The level for an XP total: level n starts at 50·n·(n−1) XP.
 *
 * @example
 * ```ts
 * levelFor(0); // 1
 * levelFor(100); // 2
 * levelFor(299); // 2
 * levelFor(300); // 3
 * ```
 */
export function levelFor(xp: number): number {
  let level = Math.floor((1 + Math.sqrt(1 + (2 * Math.max(0, xp)) / 25)) / 2);
  // Guard the float estimate at exact boundaries.
  while (xpForLevel(level + 1) <= xp) level++;
  while (level > 1 && xpForLevel(level) > xp) level--;
  return level;
}

/** XP at which `level` starts. */
export function xpForLevel(level: number): number {
  return 50 * level * (level - 1);
}

/**
 * A new profile with defaults.
 *
 * @example
 * ```ts
 * const profile = newProfile({ id: 42, language: "en" }, Date.now());
 * ```
 */
export function newProfile(
  fields: Pick<Profile, "id" | "language"> & Partial<Profile>,
  now: number,
): Profile {
  const at = new Date(now).toISOString();
  return {
    username: null,
    first_name: null,
    local: false,
    badges: [],
    active: true,
    blocked: false,
    created_at: at,
    last_seen_at: at,
    ...fields,
  };
}

/**
 * The keys of a user's account (profile, flags), for reading them together with other keys.
 *
 * @example
 * ```ts
 * const entries = await store.kv.getMany([sessionKey, ...accountKeys(store.generation, 42)]);
 * ```
 */
export function accountKeys(generation: number, userId: number): Deno.KvKey[] {
  return [profileKey(generation, userId), dataKey(generation, "profile_admin", userId)];
}

function progressKeys(generation: number, userId: number): Deno.KvKey[] {
  return [
    dataKey(generation, "profile_xp", userId),
    ...TOTALS.map((name) => dataKey(generation, "profile_total", userId, name)),
  ];
}

function keysOf(generation: number, userId: number): Deno.KvKey[] {
  return [...accountKeys(generation, userId), ...progressKeys(generation, userId)];
}

/**
 * A user's account from the entries of {@linkcode accountKeys}, or null for an unknown user.
 *
 * @example
 * ```ts
 * const user = accountFrom(await store.kv.getMany(accountKeys(store.generation, 42)));
 * ```
 */
export function accountFrom(
  [profile, flags]: Deno.KvEntryMaybe<unknown>[],
): UserAccount | null {
  if (profile.value === null) return null;
  return toAccount(profile.value as Profile, flags.value as AdminFlags | null);
}

/**
 * Reads a user's account in one `getMany` of two keys, or null for an unknown user.
 *
 * @example
 * ```ts
 * const user = await getAccount(store, 42);
 * user?.banned;
 * ```
 */
export async function getAccount(store: Store, userId: number): Promise<UserAccount | null> {
  return accountFrom(await store.kv.getMany(accountKeys(store.generation, userId)));
}

function progressFrom([xp, ...totals]: Deno.KvEntryMaybe<unknown>[]): UserProgress {
  const points = signedCount(xp.value as Deno.KvU64 | null);
  return {
    xp: points,
    level: levelFor(points),
    totals: Object.fromEntries(
      TOTALS.map((name, i) => [name, signedCount(totals[i].value as Deno.KvU64 | null)]),
    ) as Record<TotalName, number>,
  };
}

/**
 * Reads a user's XP, level and totals (zero for an unknown user).
 *
 * @example
 * ```ts
 * const { level } = await getProgress(store, 42);
 * ```
 */
export async function getProgress(store: Store, userId: number): Promise<UserProgress> {
  return progressFrom(await store.kv.getMany(progressKeys(store.generation, userId)));
}

/** A new user's progress: nothing earned, level 1. */
export function noProgress(): UserProgress {
  return { xp: 0, level: 1, totals: { analyses: 0, questions: 0, quizzes: 0, feedback: 0 } };
}

/**
 * Reads a user's whole view in one `getMany`, or null for an unknown user.
 *
 * @example
 * ```ts
 * const user = await get(store, 42);
 * user?.level;
 * ```
 */
export async function get(store: Store, userId: number): Promise<UserView | null> {
  const entries = await store.kv.getMany(keysOf(store.generation, userId));
  const account = accountFrom(entries.slice(0, 2));
  return account && { ...account, ...progressFrom(entries.slice(2)) };
}

/**
 * A user's account from its parts (the default flags for a user no admin has touched).
 *
 * @example
 * ```ts
 * const user = toAccount(newProfile({ id: 42, language: "en" }, now));
 * ```
 */
export function toAccount(profile: Profile, flags: AdminFlags | null = null): UserAccount {
  return { ...profile, ...DEFAULT_FLAGS, ...flags };
}

/**
 * The user's own fields of a view (what {@linkcode save} stores).
 *
 * @example
 * ```ts
 * save(tx, { ...ownFields(user), language: "ru" });
 * ```
 */
export function ownFields(user: UserAccount): Profile {
  const { tier: _t, banned: _b, ban_reason: _r, ...rest } = user;
  // A whole view (`get`) passes as an account too: its progress must not reach the record.
  const { xp: _x, level: _l, totals: _s, ...own } = rest as Profile & Partial<UserProgress>;
  return own;
}

/** The key of a user's profile record, for reading it together with other keys. */
export function profileKey(generation: number, userId: number): Deno.KvKey {
  return dataKey(generation, "profile", userId);
}

/**
 * The language a user chose (or was given at first contact) from their profile entry, read
 * together with other keys (e.g. in a `getMany`); null for an unknown user.
 *
 * @example
 * ```ts
 * const lang = languageOf(entries[1]) ?? "ru";
 * ```
 */
export function languageOf(entry: Deno.KvEntryMaybe<unknown>): Lang | null {
  return (entry.value as Profile | null)?.language ?? null;
}

/**
 * Stages the profile record (the user's own fields).
 *
 * @example
 * ```ts
 * save(tx, { ...profile, language: "ru" });
 * ```
 */
export function save(tx: Tx, profile: Profile): void {
  tx.set(profileKey(tx.generation, profile.id), {
    ...profile,
    username: profile.username?.slice(0, 64) ?? null,
    first_name: profile.first_name?.slice(0, 128) ?? null,
  });
}

/** The counter of banned users. */
export const BANNED_COUNTER = "banned_total";

/**
 * Stages admin flags, and their entry in the security ledger (a restore of older data
 * re-applies them).
 *
 * @example
 * ```ts
 * setAdminFlags(tx, 42, { tier: "pro", banned: false, ban_reason: null }, Date.now());
 * ```
 */
export function setAdminFlags(tx: Tx, userId: number, flags: AdminFlags, now: number): void {
  tx.set(dataKey(tx.generation, "profile_admin", userId), flags);
  stageChange(tx, { kind: "admin_flags", user_id: userId, flags }, now);
}

/**
 * Stages XP earned.
 *
 * @example
 * ```ts
 * addXp(tx, 42, 10);
 * ```
 */
export function addXp(tx: Tx, userId: number, n: number): void {
  tx.sum(dataKey(tx.generation, "profile_xp", userId), n);
}

/**
 * Stages an increment of one of the user's totals.
 *
 * @example
 * ```ts
 * addTotal(tx, 42, "analyses");
 * ```
 */
export function addTotal(tx: Tx, userId: number, name: TotalName, n = 1): void {
  tx.sum(dataKey(tx.generation, "profile_total", userId, name), n);
}

/**
 * Stages the removal of every profile record of a user (for `/forget`).
 *
 * @example
 * ```ts
 * remove(tx, 42);
 * ```
 */
export function remove(tx: Tx, userId: number): void {
  for (const key of keysOf(tx.generation, userId)) tx.delete(key);
}
