import type { LookupAddress } from 'node:dns';
import { createAddressPolicy } from './address-policy';
import { AddressRefusedError, createCheckingLookup, refusedLiteral } from './checking-lookup';
import type { ResolvedAddress, Resolver } from './host-guard';

const answering = (answers: Record<string, ResolvedAddress[]>): Resolver & { calls: string[] } => {
  const calls: string[] = [];
  const resolver = async (hostname: string) => {
    calls.push(hostname);
    const found = answers[hostname];
    if (!found) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return found;
  };
  return Object.assign(resolver, { calls });
};

const v4 = (address: string): ResolvedAddress => ({ address, family: 4 });
const v6 = (address: string): ResolvedAddress => ({ address, family: 6 });

type Answer = { error: NodeJS.ErrnoException | null; address: string | LookupAddress[]; family?: number };

/** Calls the lookup as net.connect does and collects what it answers. */
function lookUp(lookup: ReturnType<typeof createCheckingLookup>, hostname: string, options: { all?: boolean; family?: number }): Promise<Answer> {
  return new Promise((resolve) => {
    (lookup as unknown as (h: string, o: object, cb: (e: NodeJS.ErrnoException | null, a: string | LookupAddress[], f?: number) => void) => void)(hostname, options, (error, address, family) =>
      resolve({ error, address, family }),
    );
  });
}

describe('createCheckingLookup', () => {
  const strict = createAddressPolicy();
  const dns = answering({
    'public.example': [v6('2606:2800:220:1:248:1893:25c8:1946'), v4('93.184.216.34')],
    'mixed.example': [v4('93.184.216.34'), v4('10.0.0.7')],
    'metadata.example': [v4('169.254.169.254')],
    'mapped.example': [v6('::ffff:127.0.0.1')],
    'loopback.example': [v4('127.0.0.2')],
  });

  it('answers with every checked address when asked for all (autoSelectFamily), or with the first', async () => {
    const lookup = createCheckingLookup(strict, dns);
    expect(await lookUp(lookup, 'public.example', { all: true })).toEqual({
      error: null,
      address: [
        { address: '2606:2800:220:1:248:1893:25c8:1946', family: 6 },
        { address: '93.184.216.34', family: 4 },
      ],
      family: undefined,
    });
    expect(await lookUp(lookup, 'public.example', {})).toEqual({ error: null, address: '2606:2800:220:1:248:1893:25c8:1946', family: 6 });
    expect(await lookUp(lookup, 'public.example', { family: 4 })).toEqual({ error: null, address: '93.184.216.34', family: 4 });
  });

  it.each([
    ['mixed.example', '10.0.0.7', '10.0.0.0/8', 'refused address: mixed.example resolves to 10.0.0.7, which is in 10.0.0.0/8 (private) (one of its 2 addresses)'],
    ['metadata.example', '169.254.169.254', '169.254.169.254/32', 'refused address: metadata.example resolves to 169.254.169.254, which is in 169.254.169.254/32 (cloud metadata service)'],
    ['mapped.example', '::ffff:7f00:1', '127.0.0.0/8', 'refused address: mapped.example resolves to ::ffff:7f00:1, an IPv4-mapped address of 127.0.0.1, which is in 127.0.0.0/8 (loopback)'],
  ])('refuses %s when any resolved address is refused, naming host, address and range', async (host, address, range, message) => {
    for (const all of [true, false]) {
      const { error } = await lookUp(createCheckingLookup(strict, dns), host, { all });
      expect(error).toBeInstanceOf(AddressRefusedError);
      const refused = error as AddressRefusedError;
      expect([refused.hostname, refused.refusal.address, refused.refusal.range, refused.message]).toEqual([host, address, range, message]);
    }
  });

  it('lets an allow-listed range through, and only that range', async () => {
    const lookup = createCheckingLookup(createAddressPolicy(['127.0.0.0/8']), dns);
    expect(await lookUp(lookup, 'loopback.example', {})).toEqual({ error: null, address: '127.0.0.2', family: 4 });
    expect(await lookUp(lookup, 'mapped.example', {})).toMatchObject({ error: null, address: '::ffff:7f00:1' });
    expect((await lookUp(lookup, 'mixed.example', {})).error).toBeInstanceOf(AddressRefusedError);
  });

  it('checks an IP literal without resolving it', async () => {
    const resolver = answering({});
    const lookup = createCheckingLookup(strict, resolver);
    expect((await lookUp(lookup, '10.0.0.1', {})).error).toMatchObject({ message: 'refused address: 10.0.0.1 is in 10.0.0.0/8 (private)' });
    expect((await lookUp(lookup, '[fd00:ec2::254]', { all: true })).error).toMatchObject({ message: 'refused address: fd00:ec2::254 is in fd00:ec2::254/128 (cloud metadata service)' });
    expect(await lookUp(lookup, '93.184.216.34', { all: true })).toMatchObject({ error: null, address: [{ address: '93.184.216.34', family: 4 }] });
    expect(resolver.calls).toEqual([]);
  });

  it('passes resolver failures on as they are, and reports an empty or filtered-out answer as not found', async () => {
    const resolver = answering({ 'empty.example': [], 'v6only.example': [v6('2606:2800:220:1::1')] });
    const lookup = createCheckingLookup(strict, resolver);
    expect((await lookUp(lookup, 'nowhere.invalid', {})).error).toMatchObject({ code: 'ENOTFOUND', message: 'getaddrinfo ENOTFOUND nowhere.invalid' });
    expect((await lookUp(lookup, 'empty.example', {})).error).toMatchObject({ code: 'ENOTFOUND' });
    expect((await lookUp(lookup, 'v6only.example', { family: 4 })).error).toMatchObject({ code: 'ENOTFOUND', message: 'v6only.example has no IPv4 address' });
  });
});

describe('refusedLiteral', () => {
  it('refuses literals in refused ranges and leaves host names to the lookup', () => {
    const strict = createAddressPolicy();
    expect(refusedLiteral('169.254.169.254', strict)?.message).toBe('refused address: 169.254.169.254 is in 169.254.169.254/32 (cloud metadata service)');
    expect(refusedLiteral('[::ffff:a00:1]', strict)?.refusal).toMatchObject({ range: '10.0.0.0/8', via: { form: 'IPv4-mapped', embedded: '10.0.0.1' } });
    expect(refusedLiteral('93.184.216.34', strict)).toBeNull();
    expect(refusedLiteral('registry.example', strict)).toBeNull();
    expect(refusedLiteral('127.0.0.1', createAddressPolicy(['127.0.0.0/8']))).toBeNull();
  });
});
