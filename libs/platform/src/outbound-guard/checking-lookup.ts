import type { LookupAddress, LookupOptions } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { describeRefusal, type AddressPolicy, type Refusal } from './address-policy';
import { bareHostname, checkAnswers, systemResolver, type Resolver } from './host-guard';
import { parseIp } from './ip-address';

/** A destination the address policy refuses: names the host, the address and the range. */
export class AddressRefusedError extends Error {
  /** Node's socket errors carry a code; this one is ours (no errno has this meaning). */
  readonly code = 'ERR_TOOLPORT_ADDRESS_REFUSED';

  constructor(
    /** The host as the URL names it (lowercase, no brackets). */
    readonly hostname: string,
    readonly refusal: Refusal,
    message: string,
  ) {
    super(message);
    this.name = 'AddressRefusedError';
  }
}

/**
 * Checks an IP-literal host (`169.254.169.254`, `[::1]`) against `policy`: null for a host name
 * (left to the checking lookup) or an allowed literal, the refusal otherwise. Node connects to a
 * literal without calling `lookup`, so literals must be checked before connecting.
 */
export function refusedLiteral(host: string, policy: AddressPolicy): AddressRefusedError | null {
  const hostname = bareHostname(host);
  const ip = parseIp(hostname);
  if (!ip) return null;
  const verdict = policy.check(ip);
  return verdict.allowed ? null : new AddressRefusedError(hostname, verdict.refusal, `refused address: ${describeRefusal(verdict.refusal)}`);
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for `net.connect` / `tls.connect` (and undici's connector, which passes it on) that
 * resolves through `resolver` and refuses the connection when ANY resolved address is refused.
 * Node calls it at connect time and dials exactly the addresses it returns, so what is checked is
 * what is connected to: a DNS answer that changes between a check and the connection (rebinding)
 * cannot slip through, because there is no second lookup.
 */
export function createCheckingLookup(policy: AddressPolicy, resolver: Resolver = systemResolver): LookupFunction {
  const lookup = (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    const fail = (error: NodeJS.ErrnoException) => callback(error, options.all ? [] : '', undefined);
    const name = bareHostname(hostname);
    const literal = parseIp(name);
    const refused = literal && refusedLiteral(name, policy);
    if (refused) return fail(refused);
    const answered = literal ? Promise.resolve([{ address: name, family: literal.family }]) : resolver(name);
    answered.then(
      (answers) => {
        const checked = checkAnswers(name, answers, policy);
        if (checked.kind === 'blocked') return fail(new AddressRefusedError(name, checked.refusal, checked.reason));
        if (checked.kind === 'unresolved') return fail(Object.assign(new Error(checked.reason), { code: 'ENOTFOUND', hostname: name }));
        const wanted = familyOf(options.family);
        const usable = wanted ? checked.addresses.filter((a) => a.family === wanted) : checked.addresses;
        if (usable.length === 0) return fail(Object.assign(new Error(`${name} has no IPv${wanted} address`), { code: 'ENOTFOUND', hostname: name }));
        if (options.all) return callback(null, usable.map((a) => ({ address: a.address, family: a.family })));
        callback(null, usable[0]!.address, usable[0]!.family);
      },
      (error: NodeJS.ErrnoException) => fail(error),
    );
  };
  return lookup as LookupFunction;
}

function familyOf(family: LookupOptions['family']): 4 | 6 | null {
  if (family === 4 || family === 'IPv4') return 4;
  if (family === 6 || family === 'IPv6') return 6;
  return null;
}
