import { dnsDomain, reverseDomain, wellKnownTarget } from './exchange-domain';

describe('reverseDomain', () => {
  it('reverses the labels', () => {
    expect(reverseDomain('example.com')).toBe('com.example');
    expect(reverseDomain('api.tools.example.co.uk')).toBe('uk.co.example.tools.api');
    expect(reverseDomain('intranet')).toBe('intranet');
  });
});

describe('wellKnownTarget', () => {
  it('fetches https://<domain>/.well-known/mcp-registry-auth for a domain, lowercased', () => {
    expect(wellKnownTarget('Example.COM', false)).toEqual({
      ok: true,
      value: { url: new URL('https://example.com/.well-known/mcp-registry-auth'), namespaceHost: 'example.com', loopback: false },
    });
  });

  it('uses https for public domains even when the development flag is on', () => {
    const target = wellKnownTarget('example.com', true);
    expect(target.ok && target.value.url.protocol).toBe('https:');
  });

  it.each(['localhost', 'localhost:8443', '127.0.0.1', '127.0.0.1:9000', '[::1]', '[::1]:9000', 'LOCALHOST:1'])(
    'refuses loopback %s without the development flag, naming the flag',
    (domain) => {
      const target = wellKnownTarget(domain, false);
      expect(target).toEqual({ ok: false, reason: expect.stringContaining('TOOLPORT_AUTH_HTTP_ALLOW_INSECURE_LOOPBACK=true') });
    },
  );

  it('allows plain http to loopback (with port) only with the flag, granting the localhost namespace', () => {
    expect(wellKnownTarget('127.0.0.1:9000', true)).toEqual({
      ok: true,
      value: { url: new URL('http://127.0.0.1:9000/.well-known/mcp-registry-auth'), namespaceHost: 'localhost', loopback: true },
    });
    const ipv6 = wellKnownTarget('[::1]:9000', true);
    expect(ipv6.ok && ipv6.value.url.toString()).toBe('http://[::1]:9000/.well-known/mcp-registry-auth');
    expect(wellKnownTarget('localhost', true)).toMatchObject({ ok: true, value: { namespaceHost: 'localhost' } });
    expect(wellKnownTarget('localhost:70000', true)).toEqual({ ok: false, reason: expect.stringContaining('invalid port') });
  });

  it.each([
    ['https://example.com', 'not a bare domain name'],
    ['example.com/path', 'not a bare domain name'],
    ['user@example.com', 'not a bare domain name'],
    ['example.com:443', 'not a bare domain name'],
    ['example.com?x', 'not a bare domain name'],
    ['exa mple.com', 'not a bare domain name'],
    ['10.0.0.1', 'is an IP address'],
    ['169.254.169.254', 'is an IP address'],
    ['[fe80::1]', 'is an IP address'],
    ['::1', 'is an IP address'],
    ['-example.com', 'not a valid domain name'],
    ['example..com', 'not a valid domain name'],
    ['exa_mple.com', 'not a valid domain name'],
    [`${'a'.repeat(64)}.com`, 'not a valid domain name'],
    [`${'a.'.repeat(127)}com`, 'longer than 253'],
    ['', 'empty'],
  ])('refuses %j (%s), whatever the flag', (domain, reason) => {
    for (const flag of [false, true]) {
      expect(wellKnownTarget(domain, flag)).toEqual({ ok: false, reason: expect.stringContaining(reason) });
    }
  });
});

describe('dnsDomain', () => {
  it('accepts a domain name, lowercased', () => {
    expect(dnsDomain('Tools.Example.com')).toEqual({ ok: true, value: 'tools.example.com' });
  });

  it.each(['localhost', '127.0.0.1', '8.8.8.8', 'example.com:53', 'example.com.', 'http://example.com'])('refuses %j', (domain) => {
    expect(dnsDomain(domain).ok).toBe(false);
  });
});
