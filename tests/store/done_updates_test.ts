import assert from "node:assert/strict";
import {
  DEDUPE_WINDOW_MS,
  DONE_CAP,
  doneKeepUntil,
  doneStatus,
  type DoneUpdates,
  withDone,
} from "../../src/store/done_updates.ts";

const T0 = Date.UTC(2026, 0, 1);

Deno.test("done updates: a finished id reads as done, an unseen one (lower or higher) as new", () => {
  let done: DoneUpdates | undefined;
  for (const id of [10, 12, 11]) done = withDone(done, id, T0);
  assert.deepEqual(done!.ids.map(([id]) => id), [10, 11, 12]);
  assert.equal(doneStatus(done, 11), "done");
  assert.equal(doneStatus(done, 9), "new", "a late lower id is not mistaken for a finished one");
  assert.equal(doneStatus(done, 13), "new");
  assert.equal(doneStatus(undefined, 1), "new");
});

Deno.test("done updates: ids leave the list after the dedupe window", () => {
  let done = withDone(undefined, 1, T0);
  done = withDone(done, 2, T0 + DEDUPE_WINDOW_MS + 1000);
  assert.deepEqual(done.ids.map(([id]) => id), [2]);
  assert.equal(
    doneKeepUntil(done),
    Math.floor((T0 + DEDUPE_WINDOW_MS + 1000) / 1000) * 1000 + DEDUPE_WINDOW_MS,
  );
  assert.equal(doneKeepUntil(undefined), 0);
});

Deno.test("done updates: past the cap the lowest ids go and the floor marks them as uncertain", () => {
  let done: DoneUpdates | undefined;
  for (let id = 1; id <= DONE_CAP + 5; id++) done = withDone(done, id, T0);
  assert.equal(done!.ids.length, DONE_CAP);
  assert.deepEqual(done!.floor, [5, T0 / 1000]);
  assert.equal(doneStatus(done, 3), "below-floor");
  assert.equal(doneStatus(done, 6), "done");
  // Once the window has passed over the floor, it protects nothing and goes.
  const later = withDone(done, 10_000, T0 + DEDUPE_WINDOW_MS + 1000);
  assert.equal(later.floor, undefined);
  assert.equal(doneStatus(later, 3), "new");
});

Deno.test("done updates: finishing the same id again keeps one entry", () => {
  const done = withDone(withDone(undefined, 7, T0), 7, T0 + 5000);
  assert.deepEqual(done.ids, [[7, (T0 + 5000) / 1000]]);
});
