import assert from "node:assert/strict";
import { Chart } from "../../src/api/views/dashboard/chart.tsx";
import { quantileOf } from "../../src/api/views/dashboard/charts.tsx";
import { DatabaseError } from "../../src/core/errors.ts";
import { minuteCron } from "../../src/jobs/minute.ts";
import * as counters from "../../src/store/counters.ts";
import { stageRun } from "../../src/store/cron_runs.ts";
import { commitTx } from "../../src/store/kv.ts";
import { apiHarness } from "./support.ts";

/** The API with `/dashboard` mounted, on a fresh memory store. */
function dashboardApi() {
  return apiHarness({ pages: { dashboard: true } });
}

Deno.test("dashboard: without a token it answers 401 with the sign-in form", async () => {
  await using api = await dashboardApi();
  const res = await api.app.request("/dashboard");
  assert.equal(res.status, 401);
  assert.match(res.headers.get("Content-Type") ?? "", /text\/html/);
  const html = await res.text();
  assert.match(html, /<form method="post" action="\/sign-in">/);
  assert.match(html, /name="token"/);
  const wrong = await api.app.request("/dashboard", {
    headers: { Authorization: "Bearer wrong-token-0123456789" },
  });
  assert.equal(wrong.status, 401);
  assert.match(await wrong.text(), /Wrong token/);
  const wrongCookie = await api.app.request("/dashboard", {
    headers: { Cookie: "rvx_session=wrong-session-0123456789" },
  });
  assert.equal(wrongCookie.status, 401);
  await wrongCookie.body?.cancel();
});

Deno.test("dashboard: the bearer token opens it, and no cookie is set", async () => {
  await using api = await dashboardApi();
  const res = await api.admin("/dashboard");
  assert.equal(res.status, 200);
  assert.match(await res.text(), /RVX dashboard/);
  assert.deepEqual(res.headers.getSetCookie(), []);
});

Deno.test("dashboard: a new install shows empty states, no external URL, no timed reload", async () => {
  await using api = await dashboardApi();
  const res = await api.admin("/dashboard");
  const html = await res.text();
  assert.match(res.headers.get("Content-Security-Policy") ?? "", /default-src 'none'/);
  assert.doesNotMatch(html, /http-equiv="refresh"/);
  assert.match(html, /<input type="checkbox" id="auto-refresh"/);
  assert.match(html, /name="viewport"/);
  assert.match(html, /No per-minute points yet/);
  assert.match(html, /No 6-hourly snapshots yet/);
  assert.match(html, /No cron has run yet/);
  assert.match(html, /No backup service|No backups yet/);
  assert.match(html, /id="health"/);
  assert.match(html, /<script type="module" src="\/assets\/dashboard\.js">/);
  assert.doesNotMatch(html, /(src|href)="(https?:)?\/\//);
  assert.doesNotMatch(html, /<svg class="plot"/);
});

Deno.test("dashboard: rollup points become SVG charts", async () => {
  await using api = await dashboardApi();
  for (let minute = 0; minute < 5; minute++) {
    const tx = api.store.tx();
    counters.add(tx, "api_requests_total", 10 + minute);
    counters.add(tx, "api_responses_2xx", 9 + minute);
    counters.add(tx, "api_responses_4xx", 1);
    counters.add(tx, "cache_hits", 3);
    counters.add(tx, "cache_misses", 1);
    counters.observe(tx, "api_request_ms", 12);
    counters.observe(tx, "api_request_ms", 300);
    await commitTx(api.store, tx);
    const outcome = await minuteCron({
      store: api.store,
      clock: api.clock,
      cronEnabled: true,
      sweepInboxes: () => Promise.resolve(0),
      gauges: () => Promise.resolve({ active_users: minute, inbox_depth: 1, dead_letters: 0 }),
    });
    assert.equal(outcome.status, "ok");
    await api.clock.advance(60_000);
  }
  const html = await (await api.admin("/dashboard")).text();
  for (
    const id of [
      "chart-requests",
      "chart-success",
      "chart-api-latency",
      "chart-cache",
      "chart-users",
      "chart-inbox",
    ]
  ) {
    const section = new RegExp(
      `id="${id}"><h3>[^<]*</h3><svg class="plot"[^>]*data-points="(\\d+)"`,
    ).exec(html);
    assert.ok(
      section,
      `chart ${id} drawn: ${html.slice(html.indexOf(id), html.indexOf(id) + 300)}`,
    );
    assert.ok(Number(section[1]) >= 4, `${id} has points`);
  }
  assert.match(html, /<code>minute<\/code>/);
  assert.match(html, /badge ok">ok</);
});

Deno.test("dashboard: quantiles come from bucket deltas", () => {
  assert.equal(quantileOf({}, "x", 0.5), null);
  const delta = { x_bucket_5: 50, x_bucket_10: 50 };
  assert.equal(quantileOf(delta, "x", 0.5), 5);
  assert.equal(quantileOf(delta, "x", 0.99), 9.9);
});

Deno.test("dashboard: a chart breaks its line over gaps and escapes titles", () => {
  const svg = String(Chart({
    spec: {
      id: "c",
      title: "<x>",
      unit: "",
      from: 0,
      to: 600_000,
      maxGapMs: 180_000,
      empty: "none",
      series: [{
        name: "s",
        color: "#000",
        points: [[0, 1], [60_000, 2], [500_000, 3], [560_000, null], [600_000, 4]],
      }],
    },
  }));
  assert.match(svg, /&lt;x&gt;/);
  assert.equal(svg.match(/<polyline/g)?.length, 1);
  assert.equal(svg.match(/<circle/g)?.length, 2);
  assert.match(svg, /data-points="4"/);
});

Deno.test("dashboard: text from records is escaped, a failing section leaves the rest", async () => {
  const hostile = `<img src=x onerror="alert('x')">`;
  await using api = await apiHarness({
    pages: { dashboard: true },
    backups: {
      list: () => Promise.reject(new Error(hostile)),
    } as unknown as NonNullable<Parameters<typeof apiHarness>[0]>["backups"],
    stats: () => Promise.reject(new Error("supervisor gone")),
  });
  const tx = api.store.tx();
  stageRun(tx, {
    id: "0001",
    name: "backup",
    owner: "p1",
    status: "error",
    started_at: new Date(api.clock.now()).toISOString(),
    ended_at: new Date(api.clock.now()).toISOString(),
    duration_ms: 3,
    numbers: {},
    error: hostile,
  });
  await commitTx(api.store, tx);
  const html = await (await api.admin("/dashboard")).text();
  assert.doesNotMatch(html, /<img/);
  assert.match(html, /&lt;img src=x onerror=&quot;alert\(&#39;x&#39;\)&quot;&gt;/);
  assert.match(html, /Backups could not be listed: &lt;img/);
  assert.match(html, /id="health"/);
  assert.match(html, /id="cron"/);
});

Deno.test("dashboard: the health card says what /health says, failing KV writes included", async () => {
  await using api = await dashboardApi();
  const healthCard = async () => {
    const html = await (await api.admin("/dashboard")).text();
    const at = html.indexOf('id="health"');
    return html.slice(at, html.indexOf("</ul>", at));
  };
  assert.match(
    await healthCard(),
    /class="tile ok"><span class="label">KV<\/span><span class="value">ok · [\d.]+ ms</,
  );
  // What atomicCommit notes when SQLite answers "database or disk is full"; the first probe's
  // write goes through, the second failure stands until the next write probe.
  const diskFull = () =>
    api.store.noteCommit(
      new DatabaseError("KV is full", { code: "KV_DISK_FULL" }),
      api.clock.now(),
    );
  diskFull();
  assert.equal((await api.app.request("/health")).status, 200);
  diskFull();
  assert.equal((await api.app.request("/health")).status, 503);
  const card = await healthCard();
  assert.match(
    card,
    /class="tile bad"><span class="label">KV<\/span><span class="value">writes failing · KV_DISK_FULL</,
  );
  assert.match(card, /Last commit error<\/span><span class="value">KV_DISK_FULL at /);
});
