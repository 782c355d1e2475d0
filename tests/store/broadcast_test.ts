import assert from "node:assert/strict";
import { activeUsers, lastSeenCounter, stageSeen } from "../../src/store/activity.ts";
import { listRecipients, MARK_TTL_MS, sentMark, stageSentMark } from "../../src/store/broadcast.ts";
import * as counters from "../../src/store/counters.ts";
import { commitTx, type Store } from "../../src/store/kv.ts";
import * as profiles from "../../src/store/profiles.ts";
import { memoryStore } from "../support/store.ts";

const T0 = Date.UTC(2026, 0, 10, 12);
const DAY = 86_400_000;

async function seed(
  store: Store,
  users: { id: number; local?: boolean; active?: boolean; banned?: boolean }[],
): Promise<void> {
  for (let i = 0; i < users.length; i += 300) {
    const tx = store.tx();
    for (const user of users.slice(i, i + 300)) {
      profiles.save(
        tx,
        profiles.newProfile({
          id: user.id,
          language: "en",
          local: user.local ?? false,
          active: user.active ?? true,
          blocked: !(user.active ?? true),
        }, T0),
      );
      if (user.banned) {
        profiles.setAdminFlags(tx, user.id, { tier: "free", banned: true, ban_reason: null }, 0);
      }
    }
    await commitTx(store, tx);
  }
}

Deno.test("broadcast store: recipients leave out local, inactive, banned and marked users, in id order", async () => {
  using store = await memoryStore();
  await seed(store, [
    { id: 7 },
    { id: 3 },
    { id: 12, banned: true },
    { id: 5, active: false },
    { id: 8_000_000_000_000_001, local: true },
    { id: 9 },
    { id: 11 },
  ]);
  const tx = store.tx();
  stageSentMark(tx, "job-a", 9, "sent", T0);
  await commitTx(store, tx);

  const page = await listRecipients(store, "job-a", null, 100);
  assert.deepEqual(page.userIds, [3, 7, 11]);
  assert.equal(page.lastScanned, 8_000_000_000_000_001);
  assert.equal(page.exhausted, true);
  assert.deepEqual(await sentMark(store, "job-a", 9), {
    outcome: "sent",
    at: new Date(T0).toISOString(),
  });
  assert.equal(await sentMark(store, "job-a", 3), null);
  assert.deepEqual(
    (await listRecipients(store, "job-b", null, 100)).userIds,
    [3, 7, 9, 11],
    "marks belong to one job",
  );
  assert.ok(MARK_TTL_MS >= 7 * DAY, "marks outlive any broadcast");
});

Deno.test("broadcast store: pages resume after the cursor and say when the listing is exhausted", async () => {
  using store = await memoryStore();
  await seed(
    store,
    Array.from({ length: 250 }, (_, i) => ({ id: 1000 + i, banned: i % 50 === 0 })),
  );
  const seen: number[] = [];
  let after: number | null = null;
  const pages: boolean[] = [];
  for (let i = 0; i < 10; i++) {
    const page = await listRecipients(store, "job", after, 100);
    seen.push(...page.userIds);
    pages.push(page.exhausted);
    after = page.lastScanned;
    if (page.exhausted) break;
  }
  assert.deepEqual(pages, [false, false, true]);
  assert.equal(after, 1249);
  assert.equal(seen.length, 245);
  assert.equal(new Set(seen).size, 245, "nobody listed twice");
  assert.deepEqual(seen, [...seen].sort((a, b) => a - b));
  const empty = await listRecipients(store, "job", 1249, 100);
  assert.deepEqual(empty, { userIds: [], lastScanned: 1249, exhausted: true });
});

Deno.test("activity: users move between last-seen days, and active 7 d sums the last seven days", async () => {
  using store = await memoryStore();
  assert.equal(lastSeenCounter(Date.UTC(2026, 0, 31, 23, 59)), "users_last_seen_20260131");
  const tx = store.tx();
  stageSeen(tx, null, T0 - 10 * DAY); // seen 10 days ago only
  stageSeen(tx, null, T0 - 6 * DAY); // 6 days ago: still within 7 d
  stageSeen(tx, null, T0 - 20 * DAY);
  stageSeen(tx, T0 - 20 * DAY, T0); // came back today: moves, not added
  stageSeen(tx, null, T0);
  stageSeen(tx, T0, T0 + 1000); // same day: nothing moves
  await commitTx(store, tx);
  assert.equal(await activeUsers(store, T0), 3);
  assert.equal(await counters.get(store, lastSeenCounter(T0 - 20 * DAY)), 0);
  assert.equal(await counters.get(store, lastSeenCounter(T0)), 2);
  assert.equal(await activeUsers(store, T0 + DAY), 2, "the 6-day-old visit ages out");
  assert.equal(await activeUsers(store, T0, 30), 4);
});
