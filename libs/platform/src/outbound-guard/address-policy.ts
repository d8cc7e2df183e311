import {
  cidrContains,
  embeddedIpv4,
  formatCidr,
  formatIp,
  parseCidr,
  parseIp,
  type Cidr,
  type IpAddress,
} from './ip-address';

/**
 * The SSRF rule of the prober (issue 6, "Safety"): which destination addresses a probe may connect
 * to. Everything that is not plain public unicast is refused: loopback, private, link-local,
 * carrier-grade NAT, multicast, unspecified, broadcast, reserved, documentation and benchmarking
 * ranges, the cloud metadata endpoints, and IPv6 forms that carry a refused IPv4 address inside
 * (IPv4-mapped, IPv4-compatible, NAT64 64:ff9b::/96, 6to4 2002::/16). Teredo is refused whole: its
 * client address is obfuscated and the tunnel's relay decides where packets go.
 */

export interface RefusedRange {
  cidr: Cidr;
  label: string;
}

/** Why an address is refused: the range it falls in, and through which embedding if any. */
export interface Refusal {
  address: string;
  range: string;
  label: string;
  /** For an IPv6 address embedding an IPv4 one: the embedding and the embedded address. */
  via?: { form: string; embedded: string };
}

export type AddressVerdict =
  | { allowed: true; address: string; /** The allow-listed CIDR that exempted a refused address. */ allowedBy?: string }
  | { allowed: false; refusal: Refusal };

const range = (text: string, label: string): RefusedRange => ({ cidr: parseCidr(text)!, label });

const METADATA = 'cloud metadata service';

/** Most specific first: the first match names the refusal. */
export const REFUSED_IPV4: readonly RefusedRange[] = [
  range('169.254.169.254/32', METADATA), // AWS, GCP, Azure, OpenStack, DigitalOcean, Oracle
  range('169.254.170.2/32', METADATA), // AWS ECS task metadata
  range('100.100.100.200/32', METADATA), // Alibaba Cloud
  range('0.0.0.0/8', 'unspecified ("this network")'),
  range('10.0.0.0/8', 'private'),
  range('100.64.0.0/10', 'carrier-grade NAT'),
  range('127.0.0.0/8', 'loopback'),
  range('169.254.0.0/16', 'link-local'),
  range('172.16.0.0/12', 'private'),
  range('192.0.0.0/24', 'IETF protocol assignments'),
  range('192.0.2.0/24', 'documentation (TEST-NET-1)'),
  range('192.88.99.0/24', '6to4 relay anycast (deprecated)'),
  range('192.168.0.0/16', 'private'),
  range('198.18.0.0/15', 'benchmarking'),
  range('198.51.100.0/24', 'documentation (TEST-NET-2)'),
  range('203.0.113.0/24', 'documentation (TEST-NET-3)'),
  range('224.0.0.0/4', 'multicast'),
  range('255.255.255.255/32', 'broadcast'),
  range('240.0.0.0/4', 'reserved'),
];

const IPV4_MAPPED = parseCidr('::ffff:0:0/96')!;
const IPV4_COMPATIBLE = parseCidr('::/96')!;
const NAT64 = parseCidr('64:ff9b::/96')!;
const SIX_TO_FOUR = parseCidr('2002::/16')!;
const GLOBAL_UNICAST = parseCidr('2000::/3')!;

/** Checked before the embeddings. */
const REFUSED_IPV6_FIRST: readonly RefusedRange[] = [
  range('::/128', 'unspecified'),
  range('::1/128', 'loopback'),
  range('fd00:ec2::254/128', METADATA), // AWS instance metadata over IPv6
];

/** Checked after the embeddings; the last entry catches whatever is outside global unicast. */
export const REFUSED_IPV6: readonly RefusedRange[] = [
  range('64:ff9b:1::/48', 'local-use IPv4/IPv6 translation'),
  range('::/8', 'reserved'),
  range('100::/64', 'discard-only'),
  range('2001::/32', 'Teredo tunnel'),
  range('2001:2::/48', 'benchmarking'),
  range('2001:10::/28', 'ORCHID (deprecated)'),
  range('2001:20::/28', 'ORCHIDv2'),
  range('2001:db8::/32', 'documentation'),
  range('3fff::/20', 'documentation'),
  range('fc00::/7', 'private (unique local)'),
  range('fe80::/10', 'link-local'),
  range('fec0::/10', 'site-local (deprecated)'),
  range('ff00::/8', 'multicast'),
];

const firstMatch = (ranges: readonly RefusedRange[], ip: IpAddress): RefusedRange | undefined =>
  ranges.find((r) => cidrContains(r.cidr, ip));

const refusalOf = (ip: IpAddress, r: RefusedRange): Refusal => ({ address: formatIp(ip), range: formatCidr(r.cidr), label: r.label });

/** Why `ip` is refused, or null when it is public unicast (allow-listing is not considered here). */
export function classifyAddress(ip: IpAddress): Refusal | null {
  if (ip.family === 4) {
    const r = firstMatch(REFUSED_IPV4, ip);
    return r ? refusalOf(ip, r) : null;
  }
  const first = firstMatch(REFUSED_IPV6_FIRST, ip);
  if (first) return refusalOf(ip, first);
  const embedding = embeddingOf(ip);
  if (embedding) {
    const inner = classifyAddress(embedding.v4);
    if (inner) return { ...inner, address: formatIp(ip), via: { form: embedding.form, embedded: formatIp(embedding.v4) } };
    // A deprecated IPv4-compatible address is refused even when what it embeds is public.
    if (embedding.form !== 'IPv4-compatible') return null;
  }
  const r = firstMatch(REFUSED_IPV6, ip);
  if (r) return refusalOf(ip, r);
  if (!cidrContains(GLOBAL_UNICAST, ip)) return { address: formatIp(ip), range: '2000::/3', label: 'outside global unicast' };
  return null;
}

/** An IPv4 address carried inside an IPv6 one, and how. */
export function embeddingOf(ip: IpAddress): { form: string; v4: IpAddress } | null {
  if (ip.family !== 6) return null;
  if (cidrContains(IPV4_MAPPED, ip)) return { form: 'IPv4-mapped', v4: embeddedIpv4(ip, 12) };
  if (cidrContains(NAT64, ip)) return { form: 'NAT64', v4: embeddedIpv4(ip, 12) };
  if (cidrContains(SIX_TO_FOUR, ip)) return { form: '6to4', v4: embeddedIpv4(ip, 2) };
  // :: and ::1 were refused before; anything else in ::/96 is the deprecated IPv4-compatible form.
  if (cidrContains(IPV4_COMPATIBLE, ip)) return { form: 'IPv4-compatible', v4: embeddedIpv4(ip, 12) };
  return null;
}

/** `10.0.0.1 is in 10.0.0.0/8 (private)`, `::ffff:7f00:1 is an IPv4-mapped address of 127.0.0.1, which is in ...`. */
export function describeRefusal(refusal: Refusal): string {
  const where = `${refusal.range} (${refusal.label})`;
  return refusal.via
    ? `${refusal.address} is an ${refusal.via.form} address of ${refusal.via.embedded}, which is in ${where}`
    : `${refusal.address} is in ${where}`;
}

/** The same, as a clause after the address: `, which is in 10.0.0.0/8 (private)`. */
export function refusalClause(refusal: Refusal): string {
  const where = `${refusal.range} (${refusal.label})`;
  return refusal.via ? `, an ${refusal.via.form} address of ${refusal.via.embedded}, which is in ${where}` : `, which is in ${where}`;
}

export interface AddressPolicy {
  /** The configured exemptions, canonical. */
  readonly allowCidrs: readonly string[];
  check(address: string | IpAddress): AddressVerdict;
}

/**
 * `allowCidrs` exempt refused addresses they contain. An IPv4-mapped address (`::ffff:a.b.c.d`) is
 * the same destination as `a.b.c.d`, so an IPv4 exemption covers it too; the NAT64 and 6to4 forms
 * reach their IPv4 address through a gateway, so only an IPv6 exemption covering them counts.
 */
export function createAddressPolicy(allowCidrs: readonly (string | Cidr)[] = []): AddressPolicy {
  const allow = allowCidrs.map((c) => {
    const cidr = typeof c === 'string' ? parseCidr(c) : c;
    if (!cidr) throw new Error(`not a CIDR: ${String(c)}`);
    return cidr;
  });
  const exemption = (ip: IpAddress): Cidr | undefined => {
    const direct = allow.find((c) => cidrContains(c, ip));
    if (direct) return direct;
    const embedding = embeddingOf(ip);
    if (embedding?.form === 'IPv4-mapped') return allow.find((c) => cidrContains(c, embedding.v4));
    return undefined;
  };
  return {
    allowCidrs: allow.map(formatCidr),
    check(address) {
      const ip = typeof address === 'string' ? parseIp(address) : address;
      if (!ip) throw new Error(`not an IP address: ${String(address)}`);
      const refusal = classifyAddress(ip);
      if (!refusal) return { allowed: true, address: formatIp(ip) };
      const exempt = exemption(ip);
      return exempt ? { allowed: true, address: formatIp(ip), allowedBy: formatCidr(exempt) } : { allowed: false, refusal };
    },
  };
}
