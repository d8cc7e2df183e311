import { createAddressPolicy } from './address-policy';
import { checkHost, type ResolvedAddress, type Resolver } from './host-guard';

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

describe('checkHost', () => {
  const noAllowList = createAddressPolicy();

  it.each([
    ['http://169.254.169.254/latest/meta-data/', '169.254.169.254 is in 169.254.169.254/32 (cloud metadata service)'],
    ['http://10.0.0.1/', '10.0.0.1 is in 10.0.0.0/8 (private)'],
    ['http://[::1]/', '::1 is in ::1/128 (loopback)'],
    ['http://[::ffff:127.0.0.1]/', '::ffff:7f00:1 is an IPv4-mapped address of 127.0.0.1, which is in 127.0.0.0/8 (loopback)'],
    ['http://[fd00:ec2::254]/', 'fd00:ec2::254 is in fd00:ec2::254/128 (cloud metadata service)'],
    ['https://100.100.100.200/', '100.100.100.200 is in 100.100.100.200/32 (cloud metadata service)'],
    // WHATWG URL parsing turns these spellings into 127.0.0.1 before anything else sees them.
    ['http://2130706433/', '127.0.0.1 is in 127.0.0.0/8 (loopback)'],
    ['http://0x7f.1/', '127.0.0.1 is in 127.0.0.0/8 (loopback)'],
    ['http://0/', '0.0.0.0 is in 0.0.0.0/8'],
  ])('refuses the literal in %s without resolving anything', async (url, reason) => {
    const resolver = answering({});
    const result = await checkHost(new URL(url), noAllowList, resolver);
    expect(result.kind).toBe('blocked');
    expect(result.kind === 'blocked' && result.reason).toContain(reason);
    expect(resolver.calls).toEqual([]);
  });

  it('refuses a host name that resolves to a private address, naming host, address and range', async () => {
    const result = await checkHost(new URL('https://mcp.example.com/mcp'), noAllowList, answering({ 'mcp.example.com': [v4('10.1.2.3')] }));
    expect(result).toEqual({ kind: 'blocked', reason: 'refused address: mcp.example.com resolves to 10.1.2.3, which is in 10.0.0.0/8 (private)' });
  });

  it('refuses a host name when any one of its addresses is refused', async () => {
    const resolver = answering({ 'mixed.example.com': [v4('93.184.216.34'), v6('2606:2800:220:1::1'), v6('fe80::1')] });
    const result = await checkHost(new URL('https://mixed.example.com/'), noAllowList, resolver);
    expect(result.kind).toBe('blocked');
    expect(result.kind === 'blocked' && result.reason).toContain('resolves to fe80::1, which is in fe80::/10 (link-local) (one of its 3 addresses)');
  });

  it('refuses a host name whose DNS answer hides a private IPv4 address in IPv6', async () => {
    const result = await checkHost(new URL('https://sneaky.example/'), noAllowList, answering({ 'sneaky.example': [v6('::ffff:10.0.0.1')] }));
    expect(result).toEqual({
      kind: 'blocked',
      reason: 'refused address: sneaky.example resolves to ::ffff:a00:1, an IPv4-mapped address of 10.0.0.1, which is in 10.0.0.0/8 (private)',
    });
  });

  it('refuses localhost through what it resolves to', async () => {
    const result = await checkHost(new URL('http://localhost:3000/mcp'), noAllowList, answering({ localhost: [v4('127.0.0.1'), v6('::1')] }));
    expect(result.kind).toBe('blocked');
  });

  it('accepts a public host and pins its first address', async () => {
    const resolver = answering({ 'mcp.example.com': [v6('2606:2800:220:1:248:1893:25c8:1946'), v4('93.184.216.34')] });
    const result = await checkHost(new URL('https://MCP.example.com/mcp'), noAllowList, resolver);
    expect(result).toEqual({
      kind: 'allowed',
      hostname: 'mcp.example.com',
      address: '2606:2800:220:1:248:1893:25c8:1946',
      addresses: ['2606:2800:220:1:248:1893:25c8:1946', '93.184.216.34'],
    });
    expect(resolver.calls).toEqual(['mcp.example.com']);
  });

  it('accepts loopback once allow-listed', async () => {
    const policy = createAddressPolicy(['127.0.0.0/8', '::1/128']);
    expect(await checkHost(new URL('http://127.0.0.1:8080/mcp'), policy, answering({}))).toMatchObject({ kind: 'allowed', address: '127.0.0.1' });
    expect(await checkHost(new URL('http://[::1]:8080/mcp'), policy, answering({}))).toMatchObject({ kind: 'allowed', hostname: '::1', address: '::1' });
    expect(await checkHost(new URL('http://[::ffff:127.0.0.1]/'), policy, answering({}))).toMatchObject({ kind: 'allowed', address: '::ffff:7f00:1' });
    const named = answering({ 'svc.internal': [v4('127.0.0.5')] });
    expect(await checkHost(new URL('http://svc.internal/'), policy, named)).toMatchObject({ kind: 'allowed', address: '127.0.0.5' });
  });

  it('reports names that do not resolve as unresolved, not blocked', async () => {
    expect(await checkHost(new URL('https://nowhere.invalid/'), noAllowList, answering({}))).toEqual({
      kind: 'unresolved',
      reason: 'cannot resolve nowhere.invalid (ENOTFOUND)',
    });
    expect(await checkHost(new URL('https://empty.example/'), noAllowList, answering({ 'empty.example': [] }))).toMatchObject({ kind: 'unresolved' });
    expect(await checkHost(new URL('https://odd.example/'), noAllowList, answering({ 'odd.example': [v4('not-an-ip')] }))).toMatchObject({ kind: 'unresolved' });
  });

  it('refuses schemes other than http and https', async () => {
    for (const url of ['ftp://example.com/', 'file:///etc/passwd', 'gopher://example.com/', 'ws://example.com/']) {
      expect(await checkHost(new URL(url), noAllowList, answering({}))).toMatchObject({ kind: 'blocked' });
    }
  });
});
