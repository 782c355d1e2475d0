/**
 * Who the client is, for limits and logs. Behind trusted proxies (`TRUST_PROXY=true`) the client
 * is the address the nearest trusted proxies appended to `X-Forwarded-For`, counted
 * `TRUSTED_PROXY_HOPS` from the right: entries further left were written by the client and prove
 * nothing. Anything that does not parse as an IP address is ignored, so a limit never keys a
 * record on a value the client made up; IPv6 clients are grouped by their /64 (one subscriber's
 * whole network), see docs/SECURITY.md.
 *
 * @module
 */
import { type Context } from "hono";
import { type ApiEnv } from "./env.ts";

/** How the client address is found. */
export interface ClientIpOptions {
  /** `TRUST_PROXY`: read `X-Forwarded-For` at all. */
  trustProxy: boolean;
  /** `TRUSTED_PROXY_HOPS`: how many proxies in front of us append to `X-Forwarded-For`. @default 1 */
  proxyHops?: number;
}

/** The client when nothing names one (in-process requests): one shared subject. */
export const UNKNOWN_CLIENT = "unknown";

/**
 * The client's address in canonical form (`203.0.113.7`, `2001:db8::1`), or
 * {@linkcode UNKNOWN_CLIENT} when neither the trusted header nor the connection names one.
 *
 * @example
 * ```ts
 * // X-Forwarded-For: 10.9.9.9, 203.0.113.7 (the client wrote 10.9.9.9, our proxy appended the rest)
 * clientIp(c, { trustProxy: true, proxyHops: 1 }); // "203.0.113.7"
 * ```
 */
export function clientIp(c: Context<ApiEnv>, options: ClientIpOptions): string {
  if (options.trustProxy) {
    const forwarded = forwardedClient(c.req.header("X-Forwarded-For"), options.proxyHops ?? 1);
    if (forwarded) return forwarded;
  }
  const addr = c.env?.remoteAddr;
  const direct = addr && "hostname" in addr ? canonicalIp(addr.hostname) : null;
  return direct ?? UNKNOWN_CLIENT;
}

/**
 * What a per-client limit counts: the address itself for IPv4, the /64 network for IPv6 (one
 * host can pick any address in its /64), {@linkcode UNKNOWN_CLIENT} as it is.
 *
 * @example
 * ```ts
 * limitSubject("2001:db8:1:2:aaaa::1"); // "2001:db8:1:2::/64"
 * limitSubject("203.0.113.7"); // "203.0.113.7"
 * ```
 */
export function limitSubject(ip: string): string {
  const groups = parseIpv6(ip);
  if (!groups) return ip;
  return `${formatIpv6([...groups.slice(0, 4), 0, 0, 0, 0])}/64`;
}

/**
 * The entry `hops` places from the right of an `X-Forwarded-For` value, canonical, or null when
 * it is not an address. A header shorter than `hops` came through fewer proxies than configured;
 * its left-most entry was still appended by one of ours.
 *
 * @example
 * ```ts
 * forwardedClient("1.1.1.1, 203.0.113.7", 1); // "203.0.113.7"
 * forwardedClient("aa, ..", 1); // null
 * ```
 */
export function forwardedClient(header: string | undefined, hops: number): string | null {
  if (!header) return null;
  const entries = header.split(",").map((entry) => entry.trim());
  return canonicalIp(entries[Math.max(0, entries.length - hops)]);
}

/**
 * Parses an IPv4 or IPv6 address (optionally `[v6]:port` or `v4:port`, as some proxies write
 * it) into canonical text; null for anything else. An IPv4-mapped IPv6 address is its IPv4.
 *
 * @example
 * ```ts
 * canonicalIp("2001:DB8:0:0::1"); // "2001:db8::1"
 * canonicalIp("[::ffff:203.0.113.7]:443"); // "203.0.113.7"
 * canonicalIp("aa"); // null
 * ```
 */
export function canonicalIp(text: string | undefined): string | null {
  if (!text || text.length > 64) return null;
  const bracketed = /^\[([^\]]+)\](?::\d{1,5})?$/.exec(text);
  const host = bracketed ? bracketed[1] : text.replace(/^(\d+\.\d+\.\d+\.\d+):\d{1,5}$/, "$1");
  const v4 = parseIpv4(host);
  if (v4) return v4.join(".");
  const v6 = parseIpv6(host);
  if (!v6) return null;
  const mapped = v6.slice(0, 5).every((g) => g === 0) && v6[5] === 0xffff;
  if (mapped) return [v6[6] >> 8, v6[6] & 255, v6[7] >> 8, v6[7] & 255].join(".");
  return formatIpv6(v6);
}

/** Four decimal octets, no leading zeros (`010` is octal to some parsers), else null. */
function parseIpv4(text: string): number[] | null {
  const parts = text.split(".");
  if (parts.length !== 4) return null;
  const octets = parts.map((p) => /^(?:0|[1-9]\d{0,2})$/.test(p) ? Number(p) : 256);
  return octets.every((o) => o <= 255) ? octets : null;
}

/** Eight 16-bit groups (a `::` run and a dotted IPv4 tail allowed), else null. */
function parseIpv6(text: string): number[] | null {
  if (!text.includes(":") || text.includes("%")) return null;
  const halves = text.split("::");
  if (halves.length > 2) return null;
  const side = (half: string): number[] | null => {
    if (half === "") return [];
    const groups: number[] = [];
    const parts = half.split(":");
    for (const [i, part] of parts.entries()) {
      if (i === parts.length - 1 && part.includes(".")) {
        const v4 = parseIpv4(part);
        if (!v4) return null;
        groups.push((v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]);
      } else if (/^[0-9a-f]{1,4}$/i.test(part)) groups.push(parseInt(part, 16));
      else return null;
    }
    return groups;
  };
  const head = side(halves[0]);
  const tail = halves.length === 2 ? side(halves[1]) : [];
  if (!head || !tail) return null;
  if (halves.length === 1) return head.length === 8 ? head : null;
  const missing = 8 - head.length - tail.length;
  return missing >= 1 ? [...head, ...new Array<number>(missing).fill(0), ...tail] : null;
}

/** RFC 5952 text: lower case, the longest run of two or more zero groups as `::`. */
function formatIpv6(groups: number[]): string {
  let best = -1;
  let bestLength = 1;
  for (let i = 0; i < 8;) {
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) [best, bestLength] = [i, j - i];
    i = j === i ? i + 1 : j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best < 0) return hex.join(":");
  return `${hex.slice(0, best).join(":")}::${hex.slice(best + bestLength).join(":")}`;
}
