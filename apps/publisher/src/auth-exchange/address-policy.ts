import { BlockList, isIP, type LookupFunction } from 'node:net';
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';

/**
 * Addresses the well-known fetcher must never connect to, so that `POST /auth/http` cannot be
 * used to probe internal services (SSRF). The official registry refuses the same ranges
 * (`internal/api/handlers/v0/auth/http.go` isBlockedIP: loopback, RFC 1918/ULA, link-local
 * including cloud metadata 169.254.169.254, multicast, unspecified, CGNAT 100.64.0.0/10);
 * reserved 240.0.0.0/4 and the IPv6 documentation/6to4 relay ranges are refused as well.
 */
const BLOCKED = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  BLOCKED.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
  ['2001:db8::', 32],
  ['64:ff9b::', 96],
] as const) {
  BLOCKED.addSubnet(network, prefix, 'ipv6');
}

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/** `::ffff:10.0.0.1` is IPv4 10.0.0.1 on the wire, so it is judged as such. */
function unmapped(address: string): { address: string; type: 'ipv4' | 'ipv6' } | null {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return { address: mapped[1]!, type: 'ipv4' };
  const version = isIP(address);
  if (version === 4) return { address, type: 'ipv4' };
  if (version === 6) return { address, type: 'ipv6' };
  return null;
}

/** True for a globally routable unicast address the fetcher may connect to. */
export function isPublicAddress(address: string): boolean {
  const ip = unmapped(address);
  return ip !== null && !BLOCKED.check(ip.address, ip.type);
}

export function isLoopbackAddress(address: string): boolean {
  const ip = unmapped(address);
  return ip !== null && LOOPBACK.check(ip.address, ip.type);
}

type ResolveAll = (hostname: string, callback: (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void) => void;

const resolveAll: ResolveAll = (hostname, callback) => dnsLookup(hostname, { all: true }, callback);

/**
 * A `lookup` for http(s).request that resolves the host once and hands the socket only the
 * addresses `allowed` accepts. The connection goes to the checked address itself, so a DNS
 * answer that changes between a check and the connect (rebinding) cannot slip through; TLS
 * still verifies the certificate for the host name.
 */
export function guardedLookup(allowed: (address: string) => boolean, resolve: ResolveAll = resolveAll): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname, (error, addresses) => {
      if (error) {
        callback(error, '', 0);
        return;
      }
      const family = typeof options.family === 'number' && options.family !== 0 ? options.family : null;
      const usable = addresses.filter((entry) => allowed(entry.address) && (family === null || entry.family === family));
      if (usable.length === 0) {
        const refused = Object.assign(
          new Error(
            `${hostname} resolves only to private, loopback or reserved addresses (${addresses.map((a) => a.address).join(', ') || 'none'}), ` +
              'which the registry does not connect to',
          ),
          { code: 'EADDRNOTALLOWED' },
        );
        callback(refused, '', 0);
        return;
      }
      if (options.all) (callback as unknown as (e: null, all: LookupAddress[]) => void)(null, usable);
      else callback(null, usable[0]!.address, usable[0]!.family);
    });
  };
}
