import type { Resolver } from '@toolport/platform';
import type { WellKnownTarget } from './exchange-domain';
import { fetchWellKnown, wellKnownAddressPolicy } from './well-known-fetch';

const PUBLIC = wellKnownAddressPolicy({ loopback: false });
const LOOPBACK = wellKnownAddressPolicy({ loopback: true });

describe('wellKnownAddressPolicy (the shared outbound guard)', () => {
  it.each(['93.184.216.34', '8.8.8.8', '2606:2800:220:1:248:1893:25c8:1946', '1.1.1.1'])('a domain target may reach %s', (address) => {
    expect(PUBLIC.check(address).allowed).toBe(true);
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
  ])('a domain target may not reach %s', (address) => {
    expect(PUBLIC.check(address).allowed).toBe(false);
  });

  it('names the cloud metadata endpoint as such', () => {
    expect(PUBLIC.check('169.254.169.254')).toMatchObject({ allowed: false, refusal: { label: 'cloud metadata service' } });
  });

  it('lets the development loopback target reach loopback and nothing else', () => {
    for (const address of ['127.0.0.1', '::1', '::ffff:127.0.0.1']) expect(LOOPBACK.check(address).allowed).toBe(true);
    for (const address of ['10.0.0.1', '8.8.8.8', '2606:4700::1', '169.254.169.254']) expect(LOOPBACK.check(address).allowed).toBe(false);
    expect(LOOPBACK.check('8.8.8.8')).toMatchObject({ refusal: { range: '0.0.0.0/0', label: expect.stringContaining('not loopback') } });
  });
});

describe('fetchWellKnown refuses before connecting', () => {
  const target = (url: string, loopback = false): WellKnownTarget => ({ url: new URL(url), namespaceHost: 'example.com', loopback });
  const answering =
    (...addresses: string[]): Resolver =>
    async () =>
      addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));

  it('a domain that resolves to a private address, naming the address and range', async () => {
    await expect(fetchWellKnown(target('https://internal.example.com/.well-known/mcp-registry-auth'), { resolver: answering('10.0.0.5', 'fd00::5') })).rejects.toMatchObject({
      reason: 'could not fetch https://internal.example.com/.well-known/mcp-registry-auth: refused address: internal.example.com resolves to 10.0.0.5, which is in 10.0.0.0/8 (private) (one of its 2 addresses)',
    });
  });

  it('a domain whose answer mixes a public address with a loopback one (rebinding), whole', async () => {
    await expect(fetchWellKnown(target('https://rebind.example.com/.well-known/mcp-registry-auth'), { resolver: answering('93.184.216.34', '127.0.0.1') })).rejects.toMatchObject({
      reason: expect.stringMatching(/rebind\.example\.com resolves to 127\.0\.0\.1, which is in 127\.0\.0\.0\/8 \(loopback\)/),
    });
  });

  it('an IP-literal host (Node would connect without a lookup)', async () => {
    await expect(fetchWellKnown(target('https://169.254.169.254/.well-known/mcp-registry-auth'))).rejects.toMatchObject({
      reason: expect.stringMatching(/169\.254\.169\.254 is in 169\.254\.169\.254\/32 \(cloud metadata service\)/),
    });
  });

  it('a development loopback target whose name resolves elsewhere', async () => {
    const loopbackTarget = target('http://localhost:9/.well-known/mcp-registry-auth', true);
    await expect(fetchWellKnown(loopbackTarget, { resolver: answering('93.184.216.34') })).rejects.toMatchObject({
      reason: expect.stringMatching(/localhost resolves to 93\.184\.216\.34, which is in 0\.0\.0\.0\/0 \(not loopback/),
    });
    await expect(fetchWellKnown(loopbackTarget, { resolver: answering('10.1.2.3') })).rejects.toMatchObject({
      reason: expect.stringMatching(/localhost resolves to 10\.1\.2\.3, which is in 10\.0\.0\.0\/8 \(private\)/),
    });
  });

  it('passes a resolver failure on as the reason', async () => {
    const failing: Resolver = () => Promise.reject(Object.assign(new Error('getaddrinfo ENOTFOUND nowhere.example.com'), { code: 'ENOTFOUND' }));
    await expect(fetchWellKnown(target('https://nowhere.example.com/.well-known/mcp-registry-auth'), { resolver: failing })).rejects.toMatchObject({
      reason: expect.stringMatching(/could not fetch https:\/\/nowhere\.example\.com\/\.well-known\/mcp-registry-auth: getaddrinfo ENOTFOUND/),
    });
  });
});
