import assert from "node:assert/strict";
import { FakeClock } from "../../src/core/clock.ts";
import * as apiKeys from "../../src/store/api_keys.ts";
import * as audit from "../../src/store/audit.ts";
import { recordProblem } from "../../src/store/backup_records.ts";
import { BackupService } from "../../src/store/backups.ts";
import * as bookmarks from "../../src/store/bookmarks.ts";
import * as counters from "../../src/store/counters.ts";
import { stageRun } from "../../src/store/cron_runs.ts";
import { stageDeadLetter } from "../../src/store/dead_letters.ts";
import * as feedback from "../../src/store/feedback.ts";
import * as history from "../../src/store/history.ts";
import { createJob } from "../../src/store/jobs.ts";
import { DATA_FAMILIES, dataPrefix } from "../../src/store/keys.ts";
import { commitTx } from "../../src/store/kv.ts";
import * as leaderboard from "../../src/store/leaderboard.ts";
import * as learning from "../../src/store/learning.ts";
import * as profiles from "../../src/store/profiles.ts";
import { appendPoint } from "../../src/store/series.ts";
import { stageSession } from "../../src/store/sessions.ts";
import { tempDir } from "../support/backup_files.ts";
import { memoryStore } from "../support/store.ts";

const T0 = Date.UTC(2026, 5, 1, 12);

Deno.test("backup records: every family as its own store module writes it fits its check, and such a backup restores", async () => {
  using store = await memoryStore();
  await using dir = await tempDir();
  const clock = new FakeClock(T0);
  const user = 42;
  const tx = store.tx();
  profiles.save(tx, profiles.newProfile({ id: user, language: "en", first_name: "Ann" }, T0));
  profiles.setAdminFlags(tx, user, { tier: "pro", banned: false, ban_reason: null }, T0);
  profiles.addXp(tx, user, 30);
  profiles.addTotal(tx, user, "analyses");
  stageSession(
    tx,
    `u:${user}`,
    { state: { mode: "news" }, expiresAt: T0 + 3_600_000, createdAt: T0 },
    {},
    undefined,
    T0,
  );
  const item = history.append(tx, user, {
    kind: "news",
    text: "ETF inflows",
    analysis: { summary: "up" },
  }, T0);
  feedback.record(tx, { user_id: user, analysis_id: item.id, vote: "down", attempt: 1 }, T0);
  bookmarks.add(tx, { user_id: user, analysis_id: item.id, title: "ETF inflows" }, T0);
  learning.save(tx, learning.emptyRecord(user), T0);
  learning.appendXpEvent(tx, user, { xp: 30, reason: "quiz", lesson_id: "beginner-1" }, T0);
  await leaderboard.stageXp(store, tx, { userId: user, name: "Ann" }, 30, T0);
  audit.record(
    tx,
    { user_id: user, action: "admin.ban", parameters: { target: 7 }, status: "ok" },
    T0,
  );
  counters.add(tx, "analyses_total");
  appendPoint(tx, "metrics_1m", T0, { counters: { a: 1 } });
  createJob(tx, { kind: "forget", params: { userId: user } }, T0);
  stageDeadLetter(tx, {
    actor: `u:${user}`,
    user_id: user,
    source: "tg",
    update_id: 9,
    update: JSON.stringify({ update_id: 9, message: { text: "x".repeat(40_000) } }),
    reason: "TURN_FAILED",
    error_code: "TURN_FAILED",
    attempts: 5,
  }, T0);
  stageRun(tx, {
    id: "0000000000000000000a",
    name: "backup",
    owner: "p1",
    status: "ok",
    started_at: new Date(T0).toISOString(),
    ended_at: new Date(T0).toISOString(),
    duration_ms: 5,
    numbers: { records: 1 },
    error: null,
  });
  await commitTx(store, tx);
  const { view } = await apiKeys.create(store, { name: "ci", owner: "ops" }, T0, { via: "cli" });
  await apiKeys.touch(store, view.id, T0);

  const seen = new Set<string>();
  for await (const entry of store.kv.list({ prefix: dataPrefix(store.generation) })) {
    const key = entry.key.slice(2);
    seen.add(String(key[0]));
    assert.equal(recordProblem(key, entry.value), null, JSON.stringify(key));
  }
  assert.deepEqual([...seen].sort(), [...DATA_FAMILIES].sort(), "a family is not written here");

  const backups = new BackupService({ store, clock, backupDir: dir.path, retentionDays: 30 });
  const made = await backups.create();
  await clock.advance(60_000);
  const result = await backups.restore(made.name);
  assert.equal(result.records, made.record_count);
  assert.equal((await profiles.get(store, user))?.tier, "pro");
});
