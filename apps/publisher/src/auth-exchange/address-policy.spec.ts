import type { LookupAddress } from 'node:dns';
import { guardedLookup, isLoopbackAddress, isPublicAddress } from './address-policy';

describe('isPublicAddress', () => {
  it.each(['93.184.216.34', '8.8.8.8', '2606:2800:220:1:248:1893:25c8:1946', '1.1.1.1'])('accepts %s', (address) => {
    expect(isPublicAddress(address)).toBe(true);
  });

  it.each([
    '127.0.0.1',
    '127.8.9.10',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.1',
    '255.255.255.255',
    '::',
    '::1',
    'fd00::1',
    'fe80::1',
    'ff02::1',
    '::ffff:127.0.0.1',
    '::ffff:10.0.0.1',
    'not-an-address',
  ])('refuses %s', (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });

  it('knows loopback apart', () => {
    expect(isLoopbackAddress('127.0.0.1')).toBe(true);
    expect(isLoopbackAddress('::1')).toBe(true);
    expect(isLoopbackAddress('::ffff:127.0.0.1')).toBe(true);
    expect(isLoopbackAddress('10.0.0.1')).toBe(false);
    expect(isLoopbackAddress('8.8.8.8')).toBe(false);
  });
});

describe('guardedLookup', () => {
  const answers = (addresses: LookupAddress[]) => (_host: string, callback: (e: NodeJS.ErrnoException | null, a: LookupAddress[]) => void) =>
    callback(null, addresses);

  function run(lookup: ReturnType<typeof guardedLookup>, options: { all?: boolean; family?: number }) {
    return new Promise<{ error: NodeJS.ErrnoException | null; result: unknown; family?: number }>((resolve) =>
      lookup('example.com', options as never, (error, result, family) => resolve({ error, result, family })),
    );
  }

  it('hands over only the allowed addresses (a rebinding answer mixing in 127.0.0.1 is filtered)', async () => {
    const lookup = guardedLookup(isPublicAddress, answers([{ address: '127.0.0.1', family: 4 }, { address: '93.184.216.34', family: 4 }]));
    expect(await run(lookup, {})).toEqual({ error: null, result: '93.184.216.34', family: 4 });
    expect(await run(lookup, { all: true })).toEqual({ error: null, result: [{ address: '93.184.216.34', family: 4 }], family: undefined });
  });

  it('fails with a clear reason when every address is refused', async () => {
    const lookup = guardedLookup(isPublicAddress, answers([{ address: '10.0.0.5', family: 4 }, { address: 'fd00::5', family: 6 }]));
    const { error } = await run(lookup, {});
    expect(error?.code).toBe('EADDRNOTALLOWED');
    expect(error?.message).toMatch(/example\.com resolves only to private, loopback or reserved addresses \(10\.0\.0\.5, fd00::5\)/);
  });

  it('respects a requested address family and passes resolver errors on', async () => {
    const lookup = guardedLookup(isPublicAddress, answers([{ address: '2606:4700::1', family: 6 }, { address: '1.1.1.1', family: 4 }]));
    expect(await run(lookup, { family: 4 })).toMatchObject({ error: null, result: '1.1.1.1' });
    const failing = guardedLookup(isPublicAddress, (_h, callback) => callback(Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' }), []));
    expect((await run(failing, {})).error?.code).toBe('ENOTFOUND');
  });
});
