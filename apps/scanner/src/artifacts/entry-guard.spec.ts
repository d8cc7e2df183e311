import { UnsafeArchiveError } from './archive-errors';
import { EntryGuard, linkEscapes, normalizeEntryName } from './entry-guard';
import { unpackLimits } from './unpack-limits';

const reasonOf = (run: () => unknown): string => {
  try {
    run();
  } catch (error) {
    if (error instanceof UnsafeArchiveError) return error.reason;
    throw error;
  }
  return 'accepted';
};

describe('normalizeEntryName', () => {
  it('keeps relative names, with / separators and no . or empty segments', () => {
    expect(normalizeEntryName('package/lib/index.js')).toBe('package/lib/index.js');
    expect(normalizeEntryName('./package//lib/./x.js')).toBe('package/lib/x.js');
    expect(normalizeEntryName('dir\\file.js')).toBe('dir/file.js');
    expect(normalizeEntryName('./')).toBe('');
    expect(normalizeEntryName('..foo/bar..')).toBe('..foo/bar..');
  });

  it.each([
    ['/abs', 'absolute path'],
    ['\\\\server\\share\\x', 'absolute path'],
    ['C:x', 'Windows drive letter'],
    ['a/../../b', "parent directory segment '..'"],
    ['a\\..\\b', "parent directory segment '..'"],
    ['..', "parent directory segment '..'"],
    ['a\0b', 'NUL character in the name'],
  ])('refuses %j', (name, reason) => {
    expect(reasonOf(() => normalizeEntryName(name))).toBe(reason);
  });
});

describe('linkEscapes', () => {
  it.each([
    ['pkg/a', 'b', false],
    ['pkg/sub/a', '../b', false],
    ['pkg/a', '../b', false],
    ['pkg/a', '../../b', true],
    ['a', '../b', true],
    ['pkg/a', '/etc/passwd', true],
    ['pkg/a', 'C:\\x', true],
    ['pkg/a', 'x/../../..', true],
    ['pkg/a', '..\\..\\x', true],
    ['pkg/a', '', true],
  ])('%s -> %s escapes: %s', (path, target, escapes) => {
    expect(linkEscapes(path, target)).toBe(escapes);
  });
});

describe('EntryGuard', () => {
  it('accepts a folder listed again, and a file under an explicit folder', () => {
    const guard = new EntryGuard(unpackLimits());
    expect(guard.admit({ name: 'a/', kind: 'directory', mode: 0o755, size: 0 })).toBe('a');
    expect(guard.admit({ name: 'a/', kind: 'directory', mode: 0o755, size: 0 })).toBe('a');
    expect(guard.admit({ name: 'a/b.js', kind: 'file', mode: 0o644, size: 1 })).toBe('a/b.js');
  });

  it('refuses a folder named like an existing file', () => {
    const guard = new EntryGuard(unpackLimits());
    guard.admit({ name: 'a', kind: 'file', mode: 0o644, size: 1 });
    expect(reasonOf(() => guard.admit({ name: 'a/', kind: 'directory', mode: 0o755, size: 0 }))).toBe('duplicate name');
  });

  it('counts inflated bytes across entries and checks the ratio only past the floor', () => {
    const guard = new EntryGuard(unpackLimits({ maxInflatedBytes: 1000, ratioFloorBytes: 100, maxCompressionRatio: 10 }));
    guard.addEntryBytes('a', 600, 600);
    expect(reasonOf(() => guard.addEntryBytes('b', 500, 500))).toBe('archive inflates past the 1000-byte limit');
    expect(reasonOf(() => guard.checkRatio(100, 1))).toBe('accepted');
    expect(reasonOf(() => guard.checkRatio(101, 11))).toBe('accepted');
    expect(reasonOf(() => guard.checkRatio(101, 10))).toMatch(/^compression ratio over 10/);
    expect(reasonOf(() => guard.checkRatio(500, 10))).toMatch(/^compression ratio over 10 \(500 bytes from 10\)/);
  });

  it('names the mode of a sticky-only file as safe and setgid as unsafe', () => {
    const guard = new EntryGuard(unpackLimits());
    expect(reasonOf(() => guard.admit({ name: 'sticky', kind: 'file', mode: 0o1755, size: 0 }))).toBe('accepted');
    expect(reasonOf(() => guard.admit({ name: 'sgid', kind: 'file', mode: 0o2755, size: 0 }))).toBe('setuid/setgid bit in mode 2755');
    expect(reasonOf(() => guard.admit({ name: 'shared/', kind: 'directory', mode: 0o2775, size: 0 }))).toBe('accepted');
    expect(reasonOf(() => guard.admit({ name: 'link', kind: 'symlink', mode: 0o4777, size: 0, linkTarget: 'sticky' }))).toBe('setuid/setgid bit in mode 4777');
  });
});
