import assert from "node:assert/strict";
import { runApiKeyCli } from "../../src/cli/apikey.ts";
import { FakeClock } from "../../src/core/clock.ts";
import { ADMIN_SESSION_TTL_MS } from "../../src/store/admin_sessions.ts";
import { ensureAdminToken } from "../../src/store/admin_token.ts";
import * as audit from "../../src/store/audit.ts";
import { fileStore, tempKvPath } from "../support/store.ts";
import { ADMIN_TOKEN, type ApiHarness, apiHarness } from "./support.ts";

/** The app as `Deno.serve` calls it, from a given client address. */
function from(ip: string) {
  return { remoteAddr: { transport: "tcp" as const, hostname: ip, port: 40000 } };
}

function form(fields: Record<string, string>, headers: Record<string, string> = {}): RequestInit {
  return {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams(fields).toString(),
  };
}

function sessionCookie(res: Response): string | null {
  return res.headers.getSetCookie().find((c) => c.startsWith("rvx_session=")) ?? null;
}

async function signIn(
  api: ApiHarness,
  token = ADMIN_TOKEN,
  ip = "203.0.113.7",
): Promise<Response> {
  return await api.app.request("/sign-in", form({ token, next: "/dashboard" }), from(ip));
}

/** The `name=value` part of a Set-Cookie line, for sending back. */
function cookiePair(line: string): string {
  return line.split(";")[0];
}

Deno.test("sign-in: the form posts the token once; the browser gets a random session id", async () => {
  await using api = await apiHarness({ pages: { dashboard: true } });
  const asked = await api.app.request("/dashboard?range=1h");
  assert.equal(asked.status, 401);
  const html = await asked.text();
  assert.match(html, /<form method="post" action="\/sign-in">/);
  assert.match(html, /name="next" value="\/dashboard\?range=1h"/);
  assert.doesNotMatch(html, /method="get"/);

  const res = await api.app.request(
    "/sign-in",
    form({ token: ADMIN_TOKEN, next: "/dashboard?range=1h" }),
    from("203.0.113.7"),
  );
  assert.equal(res.status, 303);
  assert.equal(res.headers.get("Location"), "/dashboard?range=1h");
  const cookie = sessionCookie(res);
  assert.ok(cookie);
  assert.match(cookie, /^rvx_session=[A-Za-z0-9_-]{43};/);
  assert.ok(!cookie.includes(ADMIN_TOKEN), "the cookie is not the token");
  assert.match(cookie, /HttpOnly/);
  assert.match(cookie, /SameSite=Strict/);
  assert.match(cookie, /Path=\//);
  assert.match(cookie, /Max-Age=43200/);
  assert.doesNotMatch(cookie, /Secure/);
  const page = await api.app.request("/dashboard?range=1h", {
    headers: { Cookie: cookiePair(cookie) },
  });
  assert.equal(page.status, 200);
  const rows = await audit.query(api.store, { action: "admin_sign_in" });
  assert.equal(rows.length, 1);
  assert.equal(rows[0].ip_address, "203.0.113.7");
  assert.match(await page.text(), /RVX dashboard/);
  // The session is for pages: the JSON admin API still wants the bearer token.
  const apiCall = await api.app.request("/api/v1/stats", {
    headers: { Cookie: cookiePair(cookie) },
  });
  assert.equal(apiCall.status, 401);
  // Only the pages are places to go back to.
  const elsewhere = await api.app.request(
    "/sign-in",
    form({ token: ADMIN_TOKEN, next: "https://evil.example/x" }),
  );
  assert.equal(elsewhere.headers.get("Location"), "/dashboard");
});

Deno.test("sign-in: ?token= is not accepted: the address loses it and no cookie is set", async () => {
  await using api = await apiHarness({ pages: { dashboard: true } });
  const res = await api.app.request(`/dashboard?range=1h&token=${ADMIN_TOKEN}`);
  assert.equal(res.status, 303);
  assert.equal(res.headers.get("Location"), "/dashboard?range=1h");
  assert.deepEqual(res.headers.getSetCookie(), []);
  const legacy = await api.app.request("/dashboard", {
    headers: { Cookie: `rvx_admin=${ADMIN_TOKEN}` },
  });
  assert.equal(legacy.status, 401, "the old raw-token cookie opens nothing");
});

Deno.test("sign-in: every process on the same KV honours a session until it expires", async () => {
  await using kv = await tempKvPath();
  const storeA = await fileStore(kv.path);
  const storeB = await fileStore(kv.path);
  const clock = new FakeClock(Date.UTC(2026, 0, 1, 12));
  try {
    await using a = await apiHarness({ store: storeA, clock, pages: { dashboard: true } });
    await using b = await apiHarness({ store: storeB, clock, pages: { dashboard: true } });
    const cookie = cookiePair(sessionCookie(await signIn(a))!);
    const onB = await b.app.request("/dashboard", { headers: { Cookie: cookie } });
    assert.equal(onB.status, 200);
    await onB.body?.cancel();
    await clock.advance(ADMIN_SESSION_TTL_MS + 1000);
    const expired = await b.app.request("/dashboard", { headers: { Cookie: cookie } });
    assert.equal(expired.status, 401);
    await expired.body?.cancel();
  } finally {
    storeA.close();
    storeB.close();
  }
});

Deno.test("sign-in: the cookie is Secure over https and behind a trusted proxy saying https", async () => {
  await using direct = await apiHarness({ pages: { dashboard: true } });
  const https = await direct.app.request(
    "https://rvx.example/sign-in",
    form({ token: ADMIN_TOKEN }),
  );
  assert.match(sessionCookie(https)!, /Secure/);
  const untrusted = await direct.app.request(
    "/sign-in",
    form({ token: ADMIN_TOKEN }, { "X-Forwarded-Proto": "https" }),
  );
  assert.doesNotMatch(sessionCookie(untrusted)!, /Secure/);

  await using proxied = await apiHarness({
    pages: { dashboard: true },
    env: { TRUST_PROXY: "true" },
  });
  const behind = await proxied.app.request(
    "/sign-in",
    form({ token: ADMIN_TOKEN }, { "X-Forwarded-Proto": "https", "X-Forwarded-For": "1.2.3.4" }),
  );
  assert.match(sessionCookie(behind)!, /Secure/);
  const plain = await proxied.app.request(
    "/sign-in",
    form({ token: ADMIN_TOKEN }, { "X-Forwarded-Proto": "http", "X-Forwarded-For": "1.2.3.4" }),
  );
  assert.doesNotMatch(sessionCookie(plain)!, /Secure/);
});

Deno.test("sign-in: wrong tokens are limited per client address, on the form and as bearer", async () => {
  await using api = await apiHarness({ pages: { dashboard: true } });
  for (let i = 0; i < 10; i++) {
    const wrong = await signIn(api, `wrong-token-${i}-0123456789`, "203.0.113.7");
    assert.equal(wrong.status, 401);
    assert.match(await wrong.text(), /Wrong token/);
  }
  const limited = await signIn(api, ADMIN_TOKEN, "203.0.113.7");
  assert.equal(limited.status, 429, "even the right token waits out the window");
  assert.ok(Number(limited.headers.get("Retry-After")) > 0);
  assert.match(await limited.text(), /Too many failed sign-ins/);
  assert.equal(sessionCookie(limited), null);
  assert.equal((await signIn(api, ADMIN_TOKEN, "198.51.100.9")).status, 303, "others sign in");

  const bearer = (token: string) =>
    api.app.request(
      "/dashboard",
      { headers: { Authorization: `Bearer ${token}` } },
      from("2001:db8::1"),
    );
  for (let i = 0; i < 10; i++) {
    const wrong = await bearer(`wrong-bearer-${i}-0123456789`);
    assert.equal(wrong.status, 401);
    await wrong.body?.cancel();
  }
  // The same /64 is the same client.
  const sameNet = await api.app.request("/dashboard", {
    headers: { Authorization: `Bearer ${ADMIN_TOKEN}` },
  }, from("2001:db8::2"));
  assert.equal(sameNet.status, 429);
  await sameNet.body?.cancel();

  await api.clock.advance(15 * 60_000);
  assert.equal((await signIn(api, ADMIN_TOKEN, "203.0.113.7")).status, 303, "the window ended");
});

Deno.test("sign-in: signing out ends the session everywhere", async () => {
  await using api = await apiHarness({ pages: { dashboard: true } });
  const cookie = cookiePair(sessionCookie(await signIn(api))!);
  const out = await api.app.request("/sign-out", { method: "POST", headers: { Cookie: cookie } });
  assert.equal(out.status, 303);
  assert.match(sessionCookie(out) ?? "", /Max-Age=0/);
  const after = await api.app.request("/dashboard", { headers: { Cookie: cookie } });
  assert.equal(after.status, 401, "the id is void even if a browser kept it");
  await after.body?.cancel();
});

Deno.test("sign-in: rotate-admin-token voids the old token and every session at once", async () => {
  await using api = await apiHarness({ pages: { dashboard: true }, adminToken: "unused" });
  const generated = await ensureAdminToken(api.store, {
    adminApiToken: undefined,
    onDeploy: false,
  });
  const old = generated.token!;
  await using running = await apiHarness({
    store: api.store,
    clock: api.clock,
    pages: { dashboard: true },
    adminToken: old,
    adminTokenInKv: true,
  });
  const cookie = cookiePair(sessionCookie(await signIn(running, old))!);
  const out: string[] = [];
  const err: string[] = [];
  const io = { out: (l: string) => out.push(l), err: (l: string) => err.push(l) };

  const refused = await runApiKeyCli(["rotate-admin-token"], {
    store: api.store,
    clock: api.clock,
    io,
    adminTokenSet: true,
  });
  assert.equal(refused, 1);
  assert.match(err.join("\n"), /ADMIN_API_TOKEN is set/);

  const code = await runApiKeyCli(["rotate-admin-token"], {
    store: api.store,
    clock: api.clock,
    io,
  });
  assert.equal(code, 0, err.join("\n"));
  assert.match(out.join("\n"), /1 browser session\(s\) ended/);
  const fresh = out.at(-1)!;
  assert.match(fresh, /^rvx_admin_[A-Za-z0-9_-]{43}$/);
  assert.notEqual(fresh, old);

  const withCookie = await running.app.request("/dashboard", { headers: { Cookie: cookie } });
  assert.equal(withCookie.status, 401);
  await withCookie.body?.cancel();
  const oldBearer = await running.app.request("/api/v1/stats", {
    headers: { Authorization: `Bearer ${old}` },
  });
  assert.equal(oldBearer.status, 401);
  const newBearer = await running.app.request("/api/v1/stats", {
    headers: { Authorization: `Bearer ${fresh}` },
  });
  assert.equal(newBearer.status, 200);
  const rows = await audit.query(api.store, { action: "admin_token_rotated" });
  assert.equal(rows.length, 1);
  assert.deepEqual(rows[0].parameters, { sessions_ended: 1 });
});
