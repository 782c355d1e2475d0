/**
 * A dead process's users are finished by a peer that keeps running (docs/ARCHITECTURE.md,
 * "Recovery"): two `main.ts` children in webhook mode share one KV file, Telegram's traffic is
 * split between them, and the first is SIGKILLed mid-burst and stays dead. Like Telegram, an
 * update the dead process did not answer is delivered again — to the survivor. With nobody
 * telling the survivor about the dead process's users, every acknowledged update still gets its
 * card, each user at most one card twice (the turn that was in flight), and replies resume within
 * a few lease TTLs.
 *
 * @module
 */
import assert from "node:assert/strict";
import { startFakeBotApi } from "../support/fake_bot_api.ts";
import { post } from "./driver.ts";
import { type BotProcess, cardsByChat, spawnBot, stats, tail } from "./support.ts";

const USERS = 120;
const PER_USER = 5;
const CONNECTIONS = 30;
const LEASE_TTL_SECONDS = 2;
/** A few lease TTLs and the survivor's turns, with room for a loaded machine. */
const RESUME_BOUND_MS = 30_000;

Deno.test({
  name:
    "peer recovery: a process killed mid-burst stays dead; the survivor finishes its users alone",
  sanitizeResources: false,
  sanitizeOps: false,
}, async () => {
  const dir = await Deno.makeTempDir({ prefix: "rvx-peer-" });
  await using fake = startFakeBotApi();
  const env = {
    FLOOD_COOLDOWN_SECONDS: "0",
    LEASE_TTL_SECONDS: String(LEASE_TTL_SECONDS),
    API_RATE_LIMIT_REQUESTS: "100000",
  };
  let doomed: BotProcess | undefined;
  let survivor: BotProcess | undefined;
  try {
    doomed = await spawnBot({ fake, kvPath: `${dir}/rvx.kv`, env });
    survivor = await spawnBot({ fake, kvPath: `${dir}/rvx.kv`, env });
    const [a, b] = [doomed, survivor];
    let killedAt = 0;
    let acked = 0;
    const ackedBy = new Map<number, number>();
    const users = Array.from({ length: USERS }, (_, i) => 5_000 + i);
    // Each user types one message after another; half the users' traffic reaches each process.
    const send = async (user: number) => {
      for (let n = 0; n < PER_USER; n++) {
        const update = fake.textUpdate({
          userId: user,
          text: `Update ${user}-${n}: an exchange lists a new token as bitcoin ETF inflows grow`,
        });
        let target = user % 2 === 0 ? a : b;
        for (let attempt = 0;; attempt++) {
          const status = await post(target.hook, update, 10_000);
          if (status === 200) break;
          // No answer from the dead process: Telegram delivers it again, here to the survivor.
          assert.ok(status === 0 && killedAt > 0 && attempt < 3, `update got ${status}`);
          target = b;
        }
        ackedBy.set(user, (ackedBy.get(user) ?? 0) + 1);
        if (++acked === Math.floor(USERS * PER_USER / 2)) {
          killedAt = performance.now();
          a.child.kill("SIGKILL");
        }
      }
    };
    const queue = [...users];
    await Promise.all(Array.from({ length: CONNECTIONS }, async () => {
      while (queue.length > 0) await send(queue.shift()!);
    }));
    assert.ok(killedAt > 0, "the first process was killed mid-burst");
    await a.done;

    const cards = () => cardsByChat(fake);
    const missing = () =>
      users.filter((user) => (cards().get(user) ?? 0) < (ackedBy.get(user) ?? 0));
    while (missing().length > 0 || (await stats(b)).inbox_depth !== 0) {
      assert.ok(
        performance.now() - killedAt < RESUME_BOUND_MS,
        `replies resumed within ${RESUME_BOUND_MS} ms of the kill (missing for ` +
          `${missing().slice(0, 5).join(", ")})\n${tail(b)}`,
      );
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const done = cards();
    for (const user of users) {
      assert.equal(ackedBy.get(user), PER_USER, `every update of user ${user} acknowledged`);
      const got = done.get(user) ?? 0;
      // The turn in flight at the kill may have sent its card before dying; nothing else repeats.
      assert.ok(got >= PER_USER && got <= PER_USER + 1, `user ${user} got ${got} cards`);
    }
    assert.equal(b.exited.code, null, "the survivor is still running");
  } finally {
    await doomed?.kill();
    await survivor?.kill();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
});
