import assert from "node:assert/strict";
import { whenText } from "../../src/i18n/time.ts";

const NOW = Date.UTC(2026, 0, 5, 10);

Deno.test("whenText: today says the time, tomorrow says so, later days say the date", () => {
  assert.equal(whenText("en", Date.UTC(2026, 0, 5, 23, 59), NOW), "at 23:59 UTC");
  assert.equal(whenText("en", Date.UTC(2026, 0, 6, 0, 0), NOW), "tomorrow at 00:00 UTC");
  assert.equal(whenText("en", Date.UTC(2026, 0, 9, 1, 30), NOW), "on January 9 at 01:30 UTC");
  assert.equal(whenText("ru", Date.UTC(2026, 0, 5, 18, 5), NOW), "в 18:05 UTC");
  assert.equal(whenText("ru", Date.UTC(2026, 0, 6, 1, 30), NOW), "завтра в 01:30 UTC");
  assert.equal(whenText("ru", Date.UTC(2026, 1, 1, 7, 0), NOW), "1 февраля в 07:00 UTC");
});

Deno.test("whenText: a moment already past (or now) is today", () => {
  assert.equal(whenText("en", NOW - 60_000, NOW), "at 09:59 UTC");
});
