import assert from "node:assert/strict";
import { ADMIN_TOKEN, apiHarness } from "./support.ts";

/** A small seeded PRNG (mulberry32), so a failure can be replayed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface FuzzCase {
  kind: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Uint8Array<ArrayBuffer>;
  /** The answer must be a 400 `VALIDATION_ERROR_*`. */
  validation: boolean;
}

const SEED = 20260101;
const COUNT = 4000;

function generator(key: string) {
  const random = prng(SEED);
  const int = (n: number) => Math.floor(random() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)];
  const ascii = (n: number) =>
    Array.from({ length: n }, () => String.fromCharCode(0x21 + int(94))).join("");
  const unicode = (n: number) =>
    Array.from({ length: n }, () => pick(["é", "ж", "😀", "\u0000", "\u202e", "\ud800", "a", '"']))
      .join("");
  const deep = (depth: number, open: string, close: string, inner = "1") =>
    open.repeat(depth) + inner + close.repeat(depth);

  const wrongValues: (() => unknown)[] = [
    () => int(1e9),
    () => -int(100),
    () => random() > 0.5,
    () => null,
    () => [],
    () => [ascii(20)],
    () => ({}),
    () => ({ text: ascii(30) }),
    () => 1.5e308,
  ];
  const shortText = () => pick(["", "a", "short", ascii(int(10)), unicode(int(4))]);
  const longText = () => "x".repeat(4097 + int(20_000));
  const badText = () => pick([...wrongValues, shortText, longText])();
  const goodText = () => `Bitcoin ${ascii(20)} rose ${int(100)}% on ETF inflows`;
  const badLang = () => pick([() => "de", () => "RU", () => "", () => int(5), () => ["en"]])();
  const badMode = () =>
    pick([() => "fast", () => "", () => 7, () => ({ mode: 1 }), () => "DEFAULT"])();

  const analyzeBody = (): unknown => {
    switch (int(4)) {
      case 0:
        return { text: badText() };
      case 1:
        return { text: goodText(), lang: badLang() };
      case 2:
        return { text: goodText(), mode: badMode() };
      default:
        return { lang: pick(["ru", "en"]), mode: "simple", extra: deep(int(200), "[", "]") };
    }
  };
  const keyBody = (): unknown =>
    pick([
      () => ({
        name: pick([...wrongValues, () => "", () => "x".repeat(65 + int(500))])(),
        owner: "o",
      }),
      () => ({ name: "n", owner: pick([...wrongValues, () => " ", () => "y".repeat(129)])() }),
      () => ({}),
      () => ({ owner: "only" }),
    ])();

  const rawBodies: (() => { body: string | Uint8Array<ArrayBuffer>; type?: string })[] = [
    () => ({ body: "{" + ascii(int(50)), type: "application/json" }),
    () => ({ body: deep(20_000 + int(20_000), "[", "]"), type: "application/json" }),
    () => ({ body: deep(10_000 + int(5_000), '{"a":', "}"), type: "application/json" }),
    () => ({ body: `"${ascii(100)}"`, type: "application/json" }),
    () => ({ body: String(int(1e6)), type: "application/json" }),
    () => ({ body: "", type: "application/json" }),
    () => ({
      body: ascii(200),
      type: pick(["text/plain", "application/xml", "multipart/form-data"]),
    }),
    () => ({ body: JSON.stringify({ text: goodText() }) }),
    () => ({
      body: JSON.stringify({ text: goodText() }),
      type: pick([
        "application/json; charset=utf-16",
        "application/json; charset=latin1",
        "application/jsonx",
        "json",
        "application/x-www-form-urlencoded",
      ]),
    }),
    () => ({
      body: new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('{"text":1}')]),
      type: "application/json",
    }),
    () => ({
      body: new Uint8Array(Array.from({ length: 64 }, () => 0x80 + int(128))),
      type: "application/json",
    }),
    () => ({
      body: new Uint8Array([0x7b, 0x22, 0x74, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d]),
      type: "application/json",
    }),
  ];

  const adminPaths = [
    "/api/v1/stats",
    "/api/v1/metrics",
    "/metrics",
    "/api/v1/keys",
    "/api/v1/audit",
  ];
  const pathTricks = [
    "/api/v1/%2e%2e/stats",
    "/api/v1/stats/",
    "/API/V1/STATS",
    "/api/v1/users/1/../2",
    "/api/v1/users/%00",
    "/api/v1/keys/%2F..%2F",
    "/api/v2/analyze",
    "/api/v1/analyze/extra",
    "/api//v1//stats",
    "/api/v1/users/" + "9".repeat(400),
    "/" + "a/".repeat(200),
    "/health/../metrics",
    "/docs/../openapi.json%00",
    "/api/v1/audit;limit=1",
    "/%F0%9F%98%80",
  ];
  const badAuth = () =>
    pick([
      () => ({}),
      () => ({ Authorization: "" }),
      () => ({ Authorization: "Bearer" }),
      () => ({ Authorization: `Basic ${btoa("admin:" + ADMIN_TOKEN)}` }),
      () => ({ Authorization: `Bearer ${ascii(1 + int(80))}` }),
      () => ({ Authorization: `Bearer ${ADMIN_TOKEN.slice(0, -1)}` }),
      () => ({ Authorization: `Bearer ${ADMIN_TOKEN} extra` }),
      () => ({ Authorization: `Bearer rvx_${ascii(43).replace(/[^A-Za-z0-9_-]/g, "A")}` }),
      () => ({ Authorization: `Bearer ${"A".repeat(600 + int(4000))}` }),
      () => ({ Authorization: `Bearer ${key}`.replace(/.$/, "_") }),
    ])() as Record<string, string>;

  const admin = { Authorization: `Bearer ${ADMIN_TOKEN}` };
  const withKey = { Authorization: `Bearer ${key}` };
  const jsonType = { "Content-Type": "application/json" };

  return function next(): FuzzCase {
    switch (int(10)) {
      case 0:
      case 1:
        return {
          kind: "analyze body",
          method: "POST",
          path: "/api/v1/analyze",
          headers: { ...withKey, ...jsonType },
          body: JSON.stringify(analyzeBody()),
          validation: true,
        };
      case 2:
        return {
          kind: "key body",
          method: "POST",
          path: "/api/v1/keys",
          headers: { ...admin, ...jsonType },
          body: JSON.stringify(keyBody()),
          validation: true,
        };
      case 3: {
        const raw = pick(rawBodies)();
        return {
          kind: "raw body",
          method: "POST",
          path: pick(["/api/v1/analyze", "/api/v1/keys"]),
          headers: {
            ...(raw.type ? { "Content-Type": raw.type } : {}),
            ...(int(2) ? withKey : admin),
          },
          body: raw.body,
          validation: false,
        };
      }
      case 4: {
        const query = pick([
          () => `limit=${pick(["0", "-1", "501", "1e3", "abc", "", "2.5", "NaN"])}`,
          () => `since=${encodeURIComponent(pick(["yesterday", "2026-13-01", "0", ascii(10)]))}`,
          () => `user_id=${encodeURIComponent(pick(["x", "1.5", "1e400", ascii(5)]))}`,
          () => `action=${encodeURIComponent(pick(["", "a b", "x".repeat(101), "\u0000", "ж"]))}`,
          () => `limit=1&limit=2`,
          () => `action=a&action=b`,
        ])();
        return {
          kind: "audit query",
          method: "GET",
          path: `/api/v1/audit?${query}`,
          headers: admin,
          validation: true,
        };
      }
      case 5: {
        const users = int(2) === 0;
        const junk = encodeURIComponent(
          pick([
            "0",
            "-1",
            "1.5",
            "abc",
            "9".repeat(30),
            ascii(12),
            unicode(3).replace(/[\ud800-\udfff]/g, "ж"),
            "1 OR 1=1",
            "ABCDEFGHIJKLMNOPQRST",
          ]),
        );
        return {
          kind: "path param",
          method: users ? "GET" : "DELETE",
          path: `/api/v1/${users ? "users" : "keys"}/${junk}`,
          headers: admin,
          validation: true,
        };
      }
      case 6: {
        const [path, methods] = pick(
          [
            ["/health", ["POST", "PUT", "DELETE", "PATCH"]],
            ["/api/v1/analyze", ["GET", "PUT", "DELETE", "PATCH"]],
            ["/api/v1/keys", ["PUT", "PATCH", "DELETE"]],
            ["/api/v1/stats", ["POST", "PUT", "DELETE"]],
            ["/metrics", ["POST", "DELETE"]],
            ["/openapi.json", ["POST", "PATCH"]],
          ] as const,
        );
        const method = pick(methods);
        return {
          kind: "wrong method",
          method,
          path,
          headers: admin,
          body: int(2) || method === "GET" ? undefined : "{}",
          validation: false,
        };
      }
      case 7:
        return {
          kind: "path trick",
          method: pick(["GET", "POST", "DELETE"]),
          path: pick(pathTricks),
          headers: badAuth(),
          validation: false,
        };
      case 8:
        return {
          kind: "bad token",
          method: "GET",
          path: pick(adminPaths),
          headers: badAuth(),
          validation: false,
        };
      default:
        return {
          kind: "bad token analyze",
          method: "POST",
          path: "/api/v1/analyze",
          headers: { ...badAuth(), ...jsonType },
          body: JSON.stringify({ text: goodText() }),
          validation: false,
        };
    }
  };
}

async function rawRequest(port: number, head: string): Promise<number> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  try {
    await conn.write(new TextEncoder().encode(head));
    const buffer = new Uint8Array(4096);
    let text = "";
    while (!text.includes("\r\n")) {
      const n = await conn.read(buffer);
      if (n === null) break;
      text += new TextDecoder().decode(buffer.subarray(0, n));
    }
    return Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);
  } finally {
    conn.close();
  }
}

Deno.test("fuzz: thousands of bad requests get only 4xx, mostly validation answers, and the server keeps serving", async () => {
  await using api = await apiHarness({
    env: { API_RATE_LIMIT_REQUESTS: "100000", API_KEY_DAILY_LIMIT: "1000000" },
  });
  const { key } = await api.createKey("fuzz");
  await using server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, api.app.fetch);
  const base = `http://127.0.0.1:${server.addr.port}`;
  const next = generator(key);
  const cases = Array.from({ length: COUNT }, next);
  const byStatus = new Map<number, number>();
  const byKind = new Map<string, number>();
  let validation400 = 0;
  let all400 = 0;
  const failures: string[] = [];

  let index = 0;
  async function worker(): Promise<void> {
    while (index < cases.length) {
      const fuzz = cases[index++];
      const res = await fetch(base + fuzz.path, {
        method: fuzz.method,
        headers: fuzz.headers,
        body: fuzz.body,
      });
      const text = await res.text();
      byStatus.set(res.status, (byStatus.get(res.status) ?? 0) + 1);
      byKind.set(fuzz.kind, (byKind.get(fuzz.kind) ?? 0) + 1);
      const label = `${fuzz.kind}: ${fuzz.method} ${fuzz.path.slice(0, 80)} → ${res.status}`;
      if (res.status < 400 || res.status > 499) failures.push(`${label} ${text.slice(0, 200)}`);
      let code: string | null = null;
      if ((res.headers.get("Content-Type") ?? "").startsWith("application/json")) {
        const body = JSON.parse(text);
        if (body.success !== false || !("request_id" in body) || !("processing_time_ms" in body)) {
          failures.push(`${label}: not an error envelope`);
        }
        code = body.error_code;
      } else if (fuzz.method !== "HEAD") {
        failures.push(`${label}: not JSON (${res.headers.get("Content-Type")})`);
      }
      if (res.status === 400) {
        all400++;
        if (code?.startsWith("VALIDATION_ERROR_")) validation400++;
      }
      if (fuzz.validation && !(res.status === 400 && code?.startsWith("VALIDATION_ERROR_"))) {
        failures.push(`${label}: expected a validation answer, got ${code}`);
      }
    }
  }
  await Promise.all(Array.from({ length: 8 }, worker));

  const rawHeads = [
    "GET /api/v1/../../etc/passwd HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    "GET //api//v1//stats HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    "GET /api/v1/users/%ZZ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    "GET /api/v1/stats HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \x7f\r\nConnection: close\r\n\r\n",
    'POST /api/v1/analyze HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n{"te',
    "BREW /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    "GET /health?" + "a".repeat(6000) + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
  ];
  for (const head of rawHeads) {
    const status = await rawRequest(server.addr.port, head);
    if (status !== 200 && (status < 400 || status > 499)) {
      failures.push(`raw ${JSON.stringify(head.slice(0, 60))} → ${status}`);
    }
    byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
  }

  assert.deepEqual(failures.slice(0, 20), [], `${failures.length} failures`);
  assert.equal(byStatus.get(429) ?? 0, 0, "the IP limit was reached");
  assert.ok(all400 > COUNT / 3, `only ${all400} answers were 400`);
  assert.ok(validation400 / all400 > 0.95, `${validation400} of ${all400} 400s were validation`);
  for (const kind of ["analyze body", "raw body", "path trick", "bad token", "wrong method"]) {
    assert.ok((byKind.get(kind) ?? 0) > 100, kind);
  }
  for (const status of byStatus.keys()) assert.ok(status < 500, `status ${status}`);

  // Still serving, and still right.
  const health = await fetch(`${base}/health`);
  assert.equal(health.status, 200);
  await health.body?.cancel();
  const ok = await fetch(`${base}/api/v1/analyze`, {
    method: "POST",
    headers: { Authorization: `Bearer ${key}`, "Content-Type": "application/json" },
    body: JSON.stringify({ text: "Ethereum developers confirmed the date of the next upgrade." }),
  });
  assert.equal(ok.status, 200);
  await ok.body?.cancel();
});
