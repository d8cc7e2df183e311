import { ToolportError } from '@toolport/contracts';
import { type ResolvableVersion, resolveVersion } from './version-resolution';

const v = (version: string, extra: Partial<ResolvableVersion> = {}): ResolvableVersion => ({
  version,
  status: 'active',
  approved: true,
  publishedAt: '2026-01-01T00:00:00Z',
  compatibility: null,
  ...extra,
});

const versions = [v('1.0.0'), v('1.2.0'), v('1.2.5'), v('1.3.0'), v('2.0.0-rc.1'), v('2.0.0', { approved: false }), v('1.4.0', { status: 'deleted' })];

describe('resolveVersion', () => {
  it.each([
    ['^1.2.0', '1.3.0'], // caret: highest 1.x, deleted 1.4.0 skipped
    ['~1.2.0', '1.2.5'], // tilde: patch updates only
    ['1.2.0', '1.2.0'], // exact
    ['>=1.0.0 <1.3.0', '1.2.5'],
    ['1.x', '1.3.0'],
    ['^2.0.0-rc.1', '2.0.0-rc.1'], // a range naming a prerelease may pick it (2.0.0 is not approved)
  ])('%s resolves to %s', (range, expected) => {
    expect(resolveVersion(versions, range).version).toBe(expected);
  });

  it('excludes prereleases when the range names none', () => {
    expect(resolveVersion([v('1.9.0'), v('2.0.0-rc.1')], '>=1.0.0').version).toBe('1.9.0');
    expect(() => resolveVersion([v('2.0.0-rc.1')], '^2.0.0')).toThrow(ToolportError);
  });

  it('prefers an active version, falls back to a deprecated one with a note', () => {
    const result = resolveVersion([v('1.0.0', { status: 'deprecated' }), v('1.1.0', { status: 'deprecated' })], '^1.0.0');
    expect(result).toMatchObject({ version: '1.1.0', deprecated: true });
    expect(result.notes.join(' ')).toMatch(/deprecated/);
    expect(resolveVersion([v('1.0.0'), v('1.1.0', { status: 'deprecated' })], '^1.0.0').version).toBe('1.0.0');
  });

  it('says why nothing matched', () => {
    const unapproved = () => resolveVersion([v('2.0.0', { approved: false }), v('2.1.0', { status: 'deleted' })], '^2.0.0');
    expect(unapproved).toThrow(/2.0.0 is not approved, 2.1.0 is deleted/);
    expect(() => resolveVersion([v('1.0.0')], '^3.0.0')).toThrow(/highest published semver version is 1.0.0/);
    expect(() => resolveVersion([], '^1.0.0')).toThrow(/Server not found/);
    try {
      resolveVersion([v('1.0.0')], '^3.0.0');
    } catch (error) {
      expect(error).toMatchObject({ kind: 'not_found', code: 'NO_MATCHING_VERSION' });
    }
  });

  it('refuses a bad range or from with 400', () => {
    expect(() => resolveVersion(versions, 'banana')).toThrow(expect.objectContaining({ kind: 'invalid', code: 'INVALID_RANGE' }));
    expect(() => resolveVersion(versions, '^1.0.0', 'one')).toThrow(expect.objectContaining({ kind: 'invalid', code: 'INVALID_FROM_VERSION' }));
  });

  it('lists the tool changes introduced after from, with where each came from', () => {
    const report = (changes: Array<{ kind: 'tool-removed' | 'tool-added'; impact: 'breaking' | 'compatible'; tool: string }>) => ({
      baseVersion: null,
      bump: 'minor' as const,
      breaking: changes.some((c) => c.impact === 'breaking'),
      policy: 'warn' as const,
      changes: changes.map((c) => ({ ...c, detail: `${c.tool} ${c.kind}` })),
    });
    const history = [
      v('1.0.0'),
      v('1.1.0', { compatibility: report([{ kind: 'tool-added', impact: 'compatible', tool: 'search' }]) }),
      v('1.2.0', { compatibility: report([{ kind: 'tool-removed', impact: 'breaking', tool: 'legacy' }]) }),
      v('1.3.0', { compatibility: report([{ kind: 'tool-added', impact: 'compatible', tool: 'later' }]), approved: false }),
    ];
    const result = resolveVersion(history, '^1.0.0', '1.0.0');
    expect(result.version).toBe('1.2.0');
    expect(result.changesSinceFrom?.map((c) => [c.introducedIn, c.tool])).toEqual([
      ['1.1.0', 'search'],
      ['1.2.0', 'legacy'],
    ]);
    expect(result.breakingSinceFrom).toBe(true);
  });
});
