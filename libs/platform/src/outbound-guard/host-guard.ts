import { lookup } from 'node:dns/promises';
import { describeRefusal, refusalClause, type AddressPolicy, type Refusal } from './address-policy';
import { parseIp } from './ip-address';

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Resolves a host name to all its addresses (a port, so tests can answer as DNS would). */
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

/** The operating system's resolver (`/etc/hosts`, then DNS), every address, in the order it answers. */
export const systemResolver: Resolver = async (hostname) => {
  const answers = await lookup(hostname, { all: true, verbatim: true });
  return answers.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
};

export type HostCheck =
  | {
      kind: 'allowed';
      /** The host as the URL names it (lowercase, no brackets). */
      hostname: string;
      /** The checked address a connection to this host goes to (the first one resolved). */
      address: string;
      /** Every address the host resolved to; all of them passed the check. */
      addresses: string[];
    }
  | { kind: 'blocked'; reason: string }
  | { kind: 'unresolved'; reason: string };

/** The only schemes a guarded request may use. */
export const GUARDED_PROTOCOLS: readonly string[] = ['http:', 'https:'];

/** `[::1]` -> `::1`: how URL.hostname spells an IPv6 literal, and how connectors want it. */
export const bareHostname = (hostname: string): string =>
  (hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname).toLowerCase();

/** The verdict on every address a host name resolved to (see `checkAnswers`). */
export type AnswersCheck =
  | { kind: 'allowed'; addresses: ResolvedAddress[] }
  | { kind: 'blocked'; reason: string; refusal: Refusal }
  | { kind: 'unresolved'; reason: string };

/**
 * Checks every address `hostname` resolved to. A host is refused when ANY of its addresses is
 * refused: picking the allowed one would let a name that mixes a public and an internal address
 * reach the internal one as soon as the public one stops answering (or a connector tries the next).
 */
export function checkAnswers(hostname: string, answers: readonly ResolvedAddress[], policy: AddressPolicy): AnswersCheck {
  if (answers.length === 0) return { kind: 'unresolved', reason: `${hostname} resolved to no address` };
  const addresses: ResolvedAddress[] = [];
  for (const answer of answers) {
    const ip = parseIp(answer.address);
    if (!ip) return { kind: 'unresolved', reason: `${hostname} resolved to something that is not an IP address` };
    const verdict = policy.check(ip);
    if (!verdict.allowed) {
      const of = answers.length > 1 ? ` (one of its ${answers.length} addresses)` : '';
      return { kind: 'blocked', refusal: verdict.refusal, reason: `refused address: ${hostname} resolves to ${verdict.refusal.address}${refusalClause(verdict.refusal)}${of}` };
    }
    addresses.push({ address: verdict.address, family: ip.family });
  }
  return { kind: 'allowed', addresses };
}

/**
 * Resolves the host of `url` and checks every address against `policy` (`checkAnswers`); an IP
 * literal is checked as it is, without resolving anything.
 */
export async function checkHost(url: URL, policy: AddressPolicy, resolver: Resolver): Promise<HostCheck> {
  if (!GUARDED_PROTOCOLS.includes(url.protocol)) {
    return { kind: 'blocked', reason: `${url.protocol} URLs are not allowed (http and https only)` };
  }
  const hostname = bareHostname(url.hostname);
  const literal = parseIp(hostname);
  if (literal) {
    const verdict = policy.check(literal);
    return verdict.allowed
      ? { kind: 'allowed', hostname, address: verdict.address, addresses: [verdict.address] }
      : { kind: 'blocked', reason: `refused address: ${describeRefusal(verdict.refusal)}` };
  }
  let answers: ResolvedAddress[];
  try {
    answers = await resolver(hostname);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { kind: 'unresolved', reason: `cannot resolve ${hostname}${code ? ` (${code})` : ''}` };
  }
  const checked = checkAnswers(hostname, answers, policy);
  if (checked.kind !== 'allowed') return { kind: checked.kind, reason: checked.reason };
  const addresses = checked.addresses.map((a) => a.address);
  return { kind: 'allowed', hostname, address: addresses[0]!, addresses };
}
