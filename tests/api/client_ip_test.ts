import assert from "node:assert/strict";
import { canonicalIp, forwardedClient, limitSubject } from "../../src/api/client_ip.ts";

Deno.test("client ip: IPv4 and IPv6 parse to canonical text; junk is not an address", () => {
  assert.equal(canonicalIp("203.0.113.7"), "203.0.113.7");
  assert.equal(canonicalIp("203.0.113.7:5123"), "203.0.113.7");
  assert.equal(canonicalIp("2001:DB8:0:0:0:0:0:1"), "2001:db8::1");
  assert.equal(canonicalIp("[2001:db8::1]:443"), "2001:db8::1");
  assert.equal(canonicalIp("::1"), "::1");
  assert.equal(canonicalIp("::"), "::");
  assert.equal(canonicalIp("::ffff:203.0.113.7"), "203.0.113.7");
  assert.equal(canonicalIp("2001:db8:0:1:1:1:1:1"), "2001:db8:0:1:1:1:1:1");
  assert.equal(canonicalIp("2001:0:0:1:0:0:0:1"), "2001:0:0:1::1");
  for (
    const junk of [
      "aa",
      "..",
      "",
      "unknown",
      "1.2.3",
      "1.2.3.4.5",
      "256.1.1.1",
      "01.2.3.4",
      "1.2.3.4 ",
      ":::",
      "1::2::3",
      "12345::1",
      "1:2:3:4:5:6:7:8:9",
      "1:2:3:4:5:6:7::8",
      "fe80::1%eth0",
      "g::1",
      "a".repeat(100),
    ]
  ) {
    assert.equal(canonicalIp(junk), null, junk);
  }
});

Deno.test("client ip: the trusted entry counts hops from the right of X-Forwarded-For", () => {
  assert.equal(forwardedClient("10.0.0.1, 203.0.113.7", 1), "203.0.113.7");
  assert.equal(forwardedClient("10.0.0.1, 203.0.113.7, 192.0.2.1", 2), "203.0.113.7");
  assert.equal(forwardedClient("203.0.113.7", 2), "203.0.113.7", "fewer entries than hops");
  assert.equal(forwardedClient("203.0.113.7, aa", 1), null, "junk where the proxy wrote");
  assert.equal(forwardedClient(undefined, 1), null);
});

Deno.test("client ip: IPv6 clients are limited by their /64", () => {
  assert.equal(limitSubject("2001:db8:1:2:aaaa::1"), "2001:db8:1:2::/64");
  assert.equal(limitSubject("2001:db8:1:2::ffff"), "2001:db8:1:2::/64");
  assert.equal(limitSubject("2001:db8::1"), "2001:db8::/64");
  assert.equal(limitSubject("203.0.113.7"), "203.0.113.7");
  assert.equal(limitSubject("unknown"), "unknown");
});
