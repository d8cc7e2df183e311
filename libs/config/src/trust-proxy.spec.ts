import { readPlatformConfig } from './platform-config';
import { describeTrustProxy, parseTrustProxy } from './trust-proxy';

describe('TOOLPORT_TRUST_PROXY', () => {
  it('trusts no proxy by default, so the TCP peer is the client', () => {
    expect(readPlatformConfig({}, 'publisher', 8081).trustProxy).toBe(false);
    expect(parseTrustProxy(undefined)).toEqual({ value: false });
    expect(parseTrustProxy('')).toEqual({ value: false });
    expect(parseTrustProxy('false')).toEqual({ value: false });
    expect(parseTrustProxy('0')).toEqual({ value: false });
  });

  it('accepts every form Fastify trustProxy takes: true, a hop count, addresses, CIDRs and range names', () => {
    expect(parseTrustProxy('true')).toEqual({ value: true });
    expect(parseTrustProxy('2')).toEqual({ value: 2 });
    expect(parseTrustProxy('10.0.0.0/8, 192.168.1.7,loopback')).toEqual({ value: ['10.0.0.0/8', '192.168.1.7', 'loopback'] });
    expect(parseTrustProxy('fd00::/8,::1')).toEqual({ value: ['fd00::/8', '::1'] });
    expect(readPlatformConfig({ TOOLPORT_TRUST_PROXY: '127.0.0.1/32' }, 'catalog', 8082).trustProxy).toEqual(['127.0.0.1/32']);
  });

  it('refuses anything else, naming the bad entries, and the service does not start', () => {
    expect(parseTrustProxy('10.0.0.0/33')).toEqual({ problem: expect.stringContaining('"10.0.0.0/33"') });
    expect(parseTrustProxy('10.0.0.1,proxy.internal')).toEqual({ problem: expect.stringContaining('"proxy.internal"') });
    expect(parseTrustProxy('::1/129')).toEqual({ problem: expect.stringContaining('"::1/129"') });
    expect(parseTrustProxy('1000')).toEqual({ problem: 'a hop count must be at most 100' });
    expect(() => readPlatformConfig({ TOOLPORT_TRUST_PROXY: 'yes-please' }, 'audit', 8085)).toThrow(/TOOLPORT_TRUST_PROXY=yes-please must be false, true, a hop count/);
  });

  it('reads as a sentence in the start-up log', () => {
    expect(describeTrustProxy(false)).toMatch(/TCP peer/);
    expect(describeTrustProxy(1)).toBe('1 proxy hop trusted');
    expect(describeTrustProxy(['10.0.0.0/8'])).toBe('proxies trusted: 10.0.0.0/8');
  });
});
