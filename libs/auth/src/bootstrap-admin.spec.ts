import { timingSafeEqual } from 'node:crypto';
import { BootstrapAdminKey, MIN_ADMIN_KEY_LENGTH } from './bootstrap-admin';

// Observe (not replace) the comparison the key uses.
jest.mock('node:crypto', () => {
  const actual = jest.requireActual<typeof import('node:crypto')>('node:crypto');
  return { ...actual, timingSafeEqual: jest.fn(actual.timingSafeEqual) };
});

const KEY = 'k'.repeat(16) + '0123456789abcdef0123';

describe('BootstrapAdminKey', () => {

  it('refuses a key shorter than 32 characters with a message that says how to fix it', () => {
    expect(() => new BootstrapAdminKey('x'.repeat(MIN_ADMIN_KEY_LENGTH - 1))).toThrow(
      /TOOLPORT_ADMIN_KEY\) must be at least 32 characters long, it has 31: generate one with `openssl rand -hex 32`/,
    );
    expect(() => new BootstrapAdminKey('')).toThrow(/it has 0/);
    expect(() => new BootstrapAdminKey('x'.repeat(MIN_ADMIN_KEY_LENGTH))).not.toThrow();
  });

  it('matches the key exactly and nothing else', () => {
    const admin = new BootstrapAdminKey(KEY);
    expect(admin.matches(KEY)).toBe(true);
    expect(admin.matches(`${KEY} `)).toBe(false);
    expect(admin.matches(KEY.slice(0, -1))).toBe(false);
    expect(admin.matches(KEY.toUpperCase())).toBe(false);
    expect(admin.matches('')).toBe(false);
  });

  it('compares in constant time: timingSafeEqual on two 32-byte digests, whatever the lengths', () => {
    const admin = new BootstrapAdminKey(KEY);
    const spy = jest.mocked(timingSafeEqual);
    spy.mockClear();
    for (const candidate of ['', 'a', KEY, `${KEY}${KEY}`, 'eyJhbGciOiJFZERTQSJ9.e30.sig']) admin.matches(candidate);
    expect(spy).toHaveBeenCalledTimes(5);
    for (const [a, b] of spy.mock.calls) {
      expect([(a as Buffer).length, (b as Buffer).length]).toEqual([32, 32]);
    }
  });

  it('stands for the admin role with the bootstrap-admin token actor, without expiry or token id', () => {
    expect(new BootstrapAdminKey(KEY).principal()).toEqual({
      subject: 'bootstrap-admin',
      tokenId: null,
      roles: ['admin'],
      permissions: [],
      authMethod: 'admin-key',
      expiresAt: null,
      actor: { kind: 'token', id: 'bootstrap-admin' },
    });
  });
});
