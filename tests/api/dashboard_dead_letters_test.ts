import assert from "node:assert/strict";
import { FakeClock } from "../../src/core/clock.ts";
import * as audit from "../../src/store/audit.ts";
import { getDeadLetter } from "../../src/store/dead_letters.ts";
import { seedThree } from "../support/dead_letters.ts";
import { apiHarness, signInCookie } from "./support.ts";

const RETENTION = { retentionMs: 30 * 86_400_000 };

/** A form post from a browser signed in with `cookie` (from {@linkcode signInCookie}). */
function form(
  cookie: string,
  fields: Record<string, string>,
  headers: Record<string, string> = {},
): RequestInit {
  return {
    method: "POST",
    headers: {
      "Content-Type": "application/x-www-form-urlencoded",
      Cookie: cookie,
      ...headers,
    },
    body: new URLSearchParams(fields).toString(),
  };
}

Deno.test("dashboard dead letters: the card lists letters with Retry and Discard buttons, filtered by the query", async () => {
  const clock = new FakeClock(Date.UTC(2026, 0, 1, 12));
  await using api = await apiHarness({ clock, pages: { dashboard: true } });
  const [first, , third] = await seedThree(api.store, clock);
  const res = await api.admin("/dashboard");
  assert.equal(res.status, 200);
  assert.match(res.headers.get("Content-Security-Policy") ?? "", /form-action 'self'/);
  const html = await res.text();
  const card = html.slice(html.indexOf('id="dead-letters"'));
  assert.ok(card.indexOf(third) < card.indexOf(first), "newest first");
  assert.match(card, new RegExp(`action="/dashboard/dead_letters/${first}/retry"`));
  assert.match(card, new RegExp(`action="/dashboard/dead_letters/${first}/discard"`));
  assert.match(card, /name="all" value="true"/);
  assert.match(card, /name="confirm" value="yes" required/);
  assert.match(card, /formaction="\/dashboard\/dead_letters\/discard"/);

  const filtered = await (await api.admin("/dashboard?dl_code=BUG&dl_user=junk")).text();
  const filteredCard = filtered.slice(filtered.indexOf('id="dead-letters"'));
  assert.ok(filteredCard.includes(third));
  assert.ok(!filteredCard.includes(first));
  assert.match(filteredCard, /name="error_code" value="BUG"/);
  // The card's query parameters are in the document (which must still build with them).
  const doc = await api.app.request("/openapi.json");
  assert.equal(doc.status, 200);
  const names = (await doc.json()).paths["/dashboard"].get.parameters.map((p: { name: string }) =>
    p.name
  );
  assert.ok(names.includes("dl_code"));
});

Deno.test("dashboard dead letters: Retry queues the update once and says so; again is refused; another site's post changes nothing", async () => {
  const clock = new FakeClock(Date.UTC(2026, 0, 1, 12));
  const scheduled: string[] = [];
  await using api = await apiHarness({
    clock,
    pages: { dashboard: true },
    scheduleActor: (actor) => scheduled.push(actor),
  });
  const [first, second] = await seedThree(api.store, clock);
  const cookie = await signInCookie(api.app);

  const crossSite = await api.app.request(
    `/dashboard/dead_letters/${first}/retry`,
    form(cookie, {}, { "Sec-Fetch-Site": "cross-site" }),
  );
  assert.equal(crossSite.status, 403);
  await crossSite.body?.cancel();
  const unsigned = await api.app.request(`/dashboard/dead_letters/${first}/retry`, {
    method: "POST",
  });
  assert.equal(unsigned.status, 401);
  await unsigned.body?.cancel();
  assert.equal(
    (await getDeadLetter(api.store, first, { now: clock.now(), ...RETENTION })).status,
    "live",
  );

  const retried = await api.app.request(`/dashboard/dead_letters/${first}/retry`, form(cookie, {}));
  assert.equal(retried.status, 303);
  const location = retried.headers.get("Location")!;
  assert.equal(location, `/dashboard?dl_notice=retried&dl_id=${first}#dead-letters`);
  assert.deepEqual(scheduled, ["u:7"]);
  assert.ok((await api.store.kv.get(["inbox", "u:7", 1])).value);
  const shown = await (await api.admin(location.replace(/#.*/, ""))).text();
  assert.match(shown, new RegExp(`Dead letter ${first} was queued again`));

  const again = await api.app.request(`/dashboard/dead_letters/${first}/retry`, form(cookie, {}));
  assert.match(again.headers.get("Location")!, /dl_notice=DEAD_LETTER_ALREADY_RETRIED/);
  assert.deepEqual(scheduled, ["u:7"]);

  const unconfirmed = await api.app.request(
    "/dashboard/dead_letters/discard",
    form(cookie, { error_code: "PROVIDER_DOWN" }),
  );
  assert.match(unconfirmed.headers.get("Location")!, /dl_notice=unconfirmed/);
  const bulk = await api.app.request(
    "/dashboard/dead_letters/discard",
    form(cookie, { error_code: "PROVIDER_DOWN", confirm: "yes" }),
  );
  assert.equal(
    bulk.headers.get("Location"),
    "/dashboard?dl_code=PROVIDER_DOWN&dl_notice=bulk_discarded&dl_count=1#dead-letters",
  );
  assert.equal(
    (await getDeadLetter(api.store, second, { now: clock.now(), ...RETENTION })).status,
    "settled",
  );
  const noFilter = await api.app.request(
    "/dashboard/dead_letters/retry",
    form(cookie, { confirm: "yes" }),
  );
  assert.match(noFilter.headers.get("Location")!, /dl_notice=invalid/);
  const rows = await audit.query(api.store, {});
  assert.deepEqual(
    rows.filter((r) => r.action.startsWith("dead_letter_")).map((r) => [r.action, r.command]),
    [["dead_letter_discard", "dashboard"], ["dead_letter_retry", "dashboard"]],
  );
});

Deno.test("dashboard dead letters: a button's audit row names the browser's address, as the API's does", async () => {
  const clock = new FakeClock(Date.UTC(2026, 0, 1, 12));
  await using api = await apiHarness({ clock, pages: { dashboard: true } });
  const [first] = await seedThree(api.store, clock);
  const cookie = await signInCookie(api.app);
  const remoteAddr = { transport: "tcp" as const, hostname: "198.51.100.4", port: 40000 };
  const res = await api.app.request(
    `/dashboard/dead_letters/${first}/discard`,
    form(cookie, {}),
    { remoteAddr },
  );
  assert.equal(res.status, 303);
  const rows = await audit.query(api.store, { action: "dead_letter_discard" });
  assert.equal(rows.length, 1);
  assert.equal(rows[0].ip_address, "198.51.100.4");
});
