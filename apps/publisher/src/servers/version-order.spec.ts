import { compareVersions, highestVersion, semverOf } from './version-order';

const v = (version: string, publishedAt = '2026-01-01T00:00:00Z') => ({ version, publishedAt });

describe('official version ordering', () => {
  it.each([
    ['1.2.3', true],
    ['v1.2.3', true],
    ['1.2.3-beta.1', true],
    ['1.2.3+build.5', true],
    ['1.2', false],
    ['1', false],
    ['2025.01.15', false], // leading zero: not semver
    ['latest-build', false],
    ['abc123', false],
  ])('%s is semver: %s', (version, expected) => {
    expect(semverOf(version) !== null).toBe(expected);
  });

  it.each([
    ['both semver: semver order', v('1.10.0'), v('1.9.0'), 1],
    ['both semver: prerelease before release', v('2.0.0-rc.1'), v('2.0.0'), -1],
    ['both semver: v prefix tolerated', v('v1.2.3'), v('1.2.4'), -1],
    ['both semver: build metadata ignored', v('1.2.3+a'), v('1.2.3+b'), 0],
    ['neither semver: later publish wins', v('build-b', '2026-02-01T00:00:00Z'), v('build-a', '2026-01-01T00:00:00Z'), 1],
    ['neither semver: earlier publish loses', v('build-a', '2026-01-01T00:00:00Z'), v('build-b', '2026-02-01T00:00:00Z'), -1],
    ['only one semver: semver wins over a later non-semver', v('0.0.1', '2026-01-01T00:00:00Z'), v('zzz', '2026-05-01T00:00:00Z'), 1],
    ['only one semver: non-semver loses', v('2026.1', '2026-05-01T00:00:00Z'), v('1.0.0'), -1],
  ])('%s', (_name, a, b, sign) => {
    expect(Math.sign(compareVersions(a, b))).toBe(sign);
  });

  it('finds the highest', () => {
    expect(highestVersion([v('1.0.0'), v('1.10.0'), v('1.9.9'), v('nightly', '2030-01-01T00:00:00Z')])?.version).toBe('1.10.0');
    expect(highestVersion([])).toBeNull();
  });
});
