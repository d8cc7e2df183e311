import {
  canPerform,
  hasAnyRole,
  matchesPattern,
  patternProblem,
  publishablePatterns,
  type Grants,
} from './permissions';

describe('matchesPattern (the official registry rule)', () => {
  it.each([
    ['*', 'io.github.acme/server', true],
    ['*', '', true],
    ['io.github.acme/*', 'io.github.acme/server', true],
    ['io.github.acme/*', 'io.github.acme/', true],
    ['io.github.acme/*', 'io.github.acmeevil/server', false],
    ['io.github.acme/*', 'io.github.other/server', false],
    ['com.example.*', 'com.example.api/server', true],
    ['com.example/*', 'com.example.api/server', false],
    ['com.example/server', 'com.example/server', true],
    ['com.example/server', 'com.example/server2', false],
    ['com.example/server', 'com.example/serve', false],
    ['com.*/server', 'com.example/server', false],
    ['com.*/server', 'com.*/server', true],
  ])('%s vs %s -> %s', (pattern, name, expected) => {
    expect(matchesPattern(pattern, name)).toBe(expected);
  });
});

describe('patternProblem', () => {
  it('accepts exact names, prefixes and the star', () => {
    expect(patternProblem('*')).toBeNull();
    expect(patternProblem('io.github.acme/*')).toBeNull();
    expect(patternProblem('com.example/server')).toBeNull();
  });

  it('refuses empty patterns, whitespace and a star that is not last', () => {
    expect(patternProblem('')).toMatch(/empty/);
    expect(patternProblem('io.github acme/*')).toMatch(/whitespace/);
    expect(patternProblem('com.*/server')).toMatch(/last character/);
    expect(patternProblem('x'.repeat(257))).toMatch(/256/);
  });
});

describe('canPerform', () => {
  const publisher: Grants = {
    roles: ['publisher'],
    permissions: [
      { action: 'publish', resource: 'io.github.acme/*' },
      { action: 'edit', resource: 'io.github.acme/special' },
    ],
  };

  it('grants an action only where a permission of that action matches', () => {
    expect(canPerform(publisher, 'publish', 'io.github.acme/server')).toBe(true);
    expect(canPerform(publisher, 'publish', 'io.github.other/server')).toBe(false);
    expect(canPerform(publisher, 'edit', 'io.github.acme/server')).toBe(false);
    expect(canPerform(publisher, 'edit', 'io.github.acme/special')).toBe(true);
  });

  it('lets admin do everything, without any permission', () => {
    const admin: Grants = { roles: ['admin'], permissions: [] };
    expect(canPerform(admin, 'publish', 'anything/at-all')).toBe(true);
    expect(canPerform(admin, 'edit', 'io.github.acme/server')).toBe(true);
  });

  it('gives a principal without permissions nothing', () => {
    expect(canPerform({ roles: ['reviewer', 'reader'], permissions: [] }, 'publish', 'io.github.acme/x')).toBe(false);
  });
});

describe('publishablePatterns', () => {
  it('lists the publish patterns once each, ignoring edit permissions', () => {
    expect(
      publishablePatterns({
        roles: ['publisher'],
        permissions: [
          { action: 'publish', resource: 'io.github.acme/*' },
          { action: 'edit', resource: 'com.example/*' },
          { action: 'publish', resource: 'com.example.*' },
          { action: 'publish', resource: 'io.github.acme/*' },
        ],
      }),
    ).toEqual(['io.github.acme/*', 'com.example.*']);
  });

  it('is everything for admin and nothing for a reader', () => {
    expect(publishablePatterns({ roles: ['admin'], permissions: [] })).toEqual(['*']);
    expect(publishablePatterns({ roles: ['reader'], permissions: [] })).toEqual([]);
  });
});

describe('hasAnyRole', () => {
  it('is true for a held role and for admin, false otherwise', () => {
    expect(hasAnyRole({ roles: ['reviewer'], permissions: [] }, ['reviewer', 'ops'])).toBe(true);
    expect(hasAnyRole({ roles: ['admin'], permissions: [] }, ['auditor'])).toBe(true);
    expect(hasAnyRole({ roles: ['reader'], permissions: [] }, ['reviewer', 'ops'])).toBe(false);
  });
});
