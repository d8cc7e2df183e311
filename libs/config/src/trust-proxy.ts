import { isIP } from 'node:net';

/**
 * Which X-Forwarded-For hops a service believes, in one of the forms Fastify's `trustProxy`
 * accepts (https://fastify.dev/docs/latest/Reference/Server/#trustproxy): `false` (none: the
 * client is the TCP peer), `true` (every hop, the left-most address is the client), a hop count,
 * or the addresses/CIDRs of the proxies in front (proxy-addr also knows `loopback`, `linklocal`
 * and `uniquelocal`). The client IP is what the rate limiter and the failed-authentication
 * bursts count by, so believing a header that the client itself wrote lets it pick its "IP".
 */
export type TrustProxy = boolean | number | string[];

/** proxy-addr's names for address ranges (https://github.com/jshttp/proxy-addr#proxyaddrreq-trust). */
const RANGE_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/**
 * `TOOLPORT_TRUST_PROXY`: unset or `false` → false; `true` → true; a whole number → that many
 * hops; otherwise a comma-separated list of IPs, CIDRs or range names. Returns the problem with
 * the value instead when it is none of these.
 */
export function parseTrustProxy(raw: string | undefined): { value: TrustProxy } | { problem: string } {
  const text = raw?.trim() ?? '';
  if (text === '' || /^(0|false|no|off)$/i.test(text)) return { value: false };
  if (/^(true|yes|on)$/i.test(text)) return { value: true };
  if (/^\d+$/.test(text)) {
    const hops = Number(text);
    return hops <= 100 ? { value: hops } : { problem: 'a hop count must be at most 100' };
  }
  const entries = text.split(',').map((e) => e.trim());
  const bad = entries.filter((e) => !isProxyAddress(e));
  if (bad.length > 0) {
    return { problem: `must be false, true, a hop count, or a comma-separated list of IPs, CIDRs, loopback, linklocal or uniquelocal (not ${bad.map((b) => JSON.stringify(b)).join(', ')})` };
  }
  return { value: entries };
}

function isProxyAddress(entry: string): boolean {
  if (RANGE_NAMES.has(entry)) return true;
  const [address, prefix, ...rest] = entry.split('/');
  if (rest.length > 0 || address === undefined) return false;
  const family = isIP(address);
  if (family === 0) return false;
  if (prefix === undefined) return true;
  if (!/^\d{1,3}$/.test(prefix)) return false;
  return Number(prefix) <= (family === 4 ? 32 : 128);
}

/** How the setting reads in a log line. */
export function describeTrustProxy(value: TrustProxy): string {
  if (value === false) return 'no proxy is trusted: the client IP is the TCP peer';
  if (value === true) return 'every proxy is trusted: the client IP is the left-most X-Forwarded-For address';
  if (typeof value === 'number') return `${value} proxy hop${value === 1 ? '' : 's'} trusted`;
  return `proxies trusted: ${value.join(', ')}`;
}
