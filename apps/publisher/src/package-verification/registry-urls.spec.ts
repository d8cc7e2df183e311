import { isUnderAllowedUrl, joinUrl, normalizeRegistryUrl } from './registry-urls';

describe('normalizeRegistryUrl', () => {
  it.each([
    ['https://registry.npmjs.org', 'https://registry.npmjs.org'],
    ['https://REGISTRY.npmjs.org/', 'https://registry.npmjs.org'],
    [' https://registry.npmjs.org:443// ', 'https://registry.npmjs.org'],
    ['http://127.0.0.1:4873', 'http://127.0.0.1:4873'],
    ['https://artifactory.example/api/npm/npm/', 'https://artifactory.example/api/npm/npm'],
  ])('%j → %j', (raw, expected) => {
    expect(normalizeRegistryUrl(raw)).toBe(expected);
  });

  it.each(['ftp://registry', 'registry.npmjs.org', 'https://u:p@registry.npmjs.org', 'https://r.example/?x=1', 'https://r.example/#f', ''])('refuses %j', (raw) => {
    expect(normalizeRegistryUrl(raw)).toBeNull();
  });
});

describe('isUnderAllowedUrl', () => {
  const allowed = ['http://files.internal:8080/mcpb', 'https://whole.example'];
  it.each([
    ['http://files.internal:8080/mcpb', true],
    ['http://files.internal:8080/mcpb/a/b.mcpb', true],
    ['http://files.internal:8080/mcpbx/b.mcpb', false],
    ['http://files.internal:8081/mcpb/b.mcpb', false],
    ['https://files.internal:8080/mcpb/b.mcpb', false],
    ['https://whole.example/any/thing', true],
  ])('%s → %s', (url, expected) => {
    expect(isUnderAllowedUrl(new URL(url), allowed)).toBe(expected);
  });
});

describe('joinUrl', () => {
  it('joins with single slashes', () => {
    expect(joinUrl('https://r.example/api/', 'a', 'b')).toBe('https://r.example/api/a/b');
  });
});
