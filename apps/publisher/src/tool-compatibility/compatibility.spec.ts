import { type CompatibilityReport, type McpTool, ToolportError } from '@toolport/contracts';
import { allowsBreakingChange, bumpBetween, checkPolicy, compatibilityReport, findBaseVersion, policyFor } from './compatibility';

/** McpTool's static type has only `type` in its schemas (its JSON Schema allows more): literals go through here. */
const asTool = (value: Record<string, unknown>): McpTool => value as McpTool;
const search = asTool({ name: 'search', inputSchema: { type: 'object', properties: { query: { type: 'string' } }, required: ['query'] } });
const fetchTool = asTool({ name: 'fetch', inputSchema: { type: 'object', properties: { url: { type: 'string' } } } });

function thrown(run: () => unknown): ToolportError {
  try {
    run();
  } catch (error) {
    if (error instanceof ToolportError) return error;
    throw error;
  }
  throw new Error('expected a ToolportError');
}

describe('bumpBetween', () => {
  it.each([
    ['1.0.0', '2.0.0', 'major'],
    ['1.0.0', '2.0.0-beta.1', 'major'],
    ['1.0.0', '1.1.0', 'minor'],
    ['1.0.0', '1.1.0-rc.1', 'minor'],
    ['1.0.0', '1.0.1', 'patch'],
    ['1.0.0', '1.0.1-0', 'patch'],
    ['1.1.0-beta.1', '1.1.0-beta.2', 'prerelease'],
    ['1.1.0-beta.1', '1.1.0', 'minor'],
    ['2.0.0-rc.1', '2.0.0', 'major'],
    ['v1.0.0', '1.0.1', 'patch'],
    ['0.1.0', '0.2.0', 'minor'],
  ] as const)('%s -> %s is %s', (base, next, bump) => {
    expect(bumpBetween(base, next)).toBe(bump);
  });

  it.each([
    ['1.0.0', '1.0.0'],
    ['2.0.0', '1.0.0'],
    ['1.0.0', '1.0.0+build.5'],
    ['1.0', '1.1'],
    ['2024-01-01', '2024-02-01'],
    ['1.0.0', 'latest'],
  ])('%s -> %s is none (not higher, or not semver)', (base, next) => {
    expect(bumpBetween(base, next)).toBe('none');
  });
});

describe('findBaseVersion', () => {
  it('picks the highest semver version lower than the new one', () => {
    expect(findBaseVersion(['1.0.0', '1.2.0', '1.1.5', '2.0.0'], '1.3.0')).toBe('1.2.0');
    expect(findBaseVersion(['1.0.0', '3.0.0'], '2.0.0')).toBe('1.0.0');
  });

  it('counts prereleases as published versions, ordered by semver precedence', () => {
    expect(findBaseVersion(['1.0.0', '2.0.0-rc.1', '2.0.0-beta.3'], '2.0.0')).toBe('2.0.0-rc.1');
    expect(findBaseVersion(['1.0.0', '2.0.0-rc.1'], '2.0.0-beta.1')).toBe('1.0.0');
    expect(findBaseVersion(['1.0.0', '1.1.0-alpha.10', '1.1.0-alpha.9'], '1.1.0-beta')).toBe('1.1.0-alpha.10');
  });

  it('chooses only among the versions it is given: the caller leaves deleted ones out', () => {
    const all = ['1.0.0', '1.1.0', '1.2.0'];
    const deleted = new Set(['1.2.0']);
    expect(findBaseVersion(all.filter((v) => !deleted.has(v)), '1.3.0')).toBe('1.1.0');
  });

  it('ignores non-semver versions and versions that differ only in build metadata', () => {
    expect(findBaseVersion(['latest', '2024-05', '0.9.0'], '1.0.0')).toBe('0.9.0');
    expect(findBaseVersion(['1.0.0+build.1', '0.9.0'], '1.0.0+build.2')).toBe('0.9.0');
  });

  it('is null for a non-semver version, and when nothing is lower', () => {
    expect(findBaseVersion(['1.0.0'], 'nightly')).toBeNull();
    expect(findBaseVersion(['1.0.0'], '1.0')).toBeNull();
    expect(findBaseVersion(['2.0.0', 'alpha'], '1.0.0')).toBeNull();
    expect(findBaseVersion([], '1.0.0')).toBeNull();
  });
});

describe('compatibilityReport', () => {
  it('compares with the base version and records the bump and the policy', () => {
    const report = compatibilityReport({ baseVersion: '1.0.0', baseTools: [search, fetchTool], version: '1.1.0', tools: [search], policy: 'warn' });
    expect(report).toEqual({
      baseVersion: '1.0.0',
      bump: 'minor',
      changes: [{ kind: 'tool-removed', impact: 'breaking', tool: 'fetch', detail: 'tool fetch was removed' }],
      breaking: true,
      policy: 'warn',
    });
    expect(compatibilityReport({ baseVersion: '1.0.0', baseTools: [search], version: '1.0.1', tools: [search, fetchTool], policy: 'enforce' })).toMatchObject({
      bump: 'patch',
      breaking: false,
      changes: [{ kind: 'tool-added' }],
    });
  });

  it('has no changes without a base version (first version, or not semver)', () => {
    expect(compatibilityReport({ baseVersion: null, baseTools: [search], version: '1.0.0', tools: [fetchTool], policy: 'enforce' })).toEqual({
      baseVersion: null,
      bump: 'none',
      changes: [],
      breaking: false,
      policy: 'enforce',
    });
  });

  it('still computes the changes with policy off', () => {
    const report = compatibilityReport({ baseVersion: '1.0.0', baseTools: [search, fetchTool], version: '1.0.1', tools: [search], policy: 'off' });
    expect(report).toMatchObject({ policy: 'off', breaking: true, changes: [{ kind: 'tool-removed' }] });
  });
});

describe('policyFor', () => {
  const policies = [
    { namespace: '*', semverPolicy: 'off' as const },
    { namespace: 'com.acme/*', semverPolicy: 'enforce' as const },
    { namespace: 'com.acme/internal-*', semverPolicy: 'warn' as const },
    { namespace: 'com.acme/internal-legacy', semverPolicy: 'off' as const },
    { namespace: 'com.acme/internal-legacy-tools-long-prefix*', semverPolicy: 'enforce' as const },
  ];

  it('prefers an exact name, then the longest matching prefix', () => {
    expect(policyFor(policies, 'com.acme/weather')).toBe('enforce');
    expect(policyFor(policies, 'com.acme/internal-db')).toBe('warn');
    expect(policyFor(policies, 'com.acme/internal-legacy')).toBe('off');
    expect(policyFor(policies, 'io.github.someone/tool')).toBe('off');
  });

  it('does not depend on the order of the policies', () => {
    expect(policyFor([...policies].reverse(), 'com.acme/internal-db')).toBe('warn');
    expect(policyFor([...policies].reverse(), 'com.acme/internal-legacy')).toBe('off');
  });

  it('is warn when nothing matches', () => {
    expect(policyFor([], 'com.acme/weather')).toBe('warn');
    expect(policyFor([{ namespace: 'com.acme/*', semverPolicy: 'enforce' }], 'org.other/x')).toBe('warn');
  });
});

describe('allowsBreakingChange (what counts as a major version change)', () => {
  it.each([
    ['1.4.2', '2.0.0'],
    ['1.4.2', '2.0.0-beta.1'],
    ['0.1.0', '0.2.0'],
    ['0.1.5', '1.0.0'],
    ['0.0.3', '0.0.4'],
    ['2.0.0-rc.1', '2.0.0'],
    ['2.0.0-rc.1', '2.0.0-rc.2'],
    ['0.3.0-beta', '0.3.0'],
  ])('%s -> %s may break', (base, version) => {
    expect(allowsBreakingChange(base, version)).toBe(true);
  });

  it.each([
    ['1.4.2', '1.5.0'],
    ['1.4.2', '1.4.3'],
    ['1.4.2', '1.5.0-beta.1'],
    ['0.2.3', '0.2.4'],
    ['1.1.0-beta.1', '1.1.0-beta.2'],
    ['1.1.0-beta.1', '1.1.0'],
    ['2.0.0', '1.0.0'],
    ['1.0.0', 'next'],
  ])('%s -> %s may not', (base, version) => {
    expect(allowsBreakingChange(base, version)).toBe(false);
  });
});

describe('checkPolicy', () => {
  const breaking = (policy: CompatibilityReport['policy'], baseVersion = '1.0.0', version = '1.1.0') => ({
    report: compatibilityReport({
      baseVersion,
      baseTools: [search, fetchTool],
      version,
      tools: [asTool({ ...search, inputSchema: { type: 'object', properties: { query: { type: 'integer' } }, required: ['query'] } })],
      policy,
    }),
    version,
  });

  it('enforce: refuses a breaking change without a major bump, one error per breaking change', () => {
    const { report, version } = breaking('enforce');
    const error = thrown(() => checkPolicy(report, version));
    expect(error).toMatchObject({ kind: 'unprocessable', code: 'BREAKING_CHANGE_WITHOUT_MAJOR' });
    expect(error.detail).toBe(
      'Version 1.1.0 has 2 breaking tool changes against 1.0.0 but is not a major version change: publish it as 2.0.0 or later, ' +
        'or keep the tools compatible (this namespace enforces semantic versioning for tools)',
    );
    expect(error.errors).toEqual([
      { location: 'tools.fetch', message: 'tool fetch was removed', value: 'tool-removed' },
      { location: 'tools.search.inputSchema.properties.query', message: expect.stringMatching(/type changed from string to integer/), value: 'parameter-type-changed' },
    ]);
  });

  it('enforce: accepts a breaking change with a major bump, and anything compatible', () => {
    const major = breaking('enforce', '1.0.0', '2.0.0');
    expect(checkPolicy(major.report, major.version)).toEqual([]);
    const compatible = compatibilityReport({ baseVersion: '1.0.0', baseTools: [search], version: '1.0.1', tools: [search, fetchTool], policy: 'enforce' });
    expect(checkPolicy(compatible, '1.0.1')).toEqual([]);
  });

  it('enforce in 0.x: a minor bump counts as major (as the caret range does), a patch bump does not', () => {
    const minor = breaking('enforce', '0.3.1', '0.4.0');
    expect(checkPolicy(minor.report, minor.version)).toEqual([]);
    const patch = breaking('enforce', '0.3.1', '0.3.2');
    expect(thrown(() => checkPolicy(patch.report, patch.version)).detail).toMatch(/against 0\.3\.1 .*publish it as 0\.4\.0 or later/);
  });

  it('warn: never throws, returns the problems for the caller to pass on', () => {
    const { report, version } = breaking('warn');
    expect(checkPolicy(report, version).map((p) => p.location)).toEqual(['tools.fetch', 'tools.search.inputSchema.properties.query']);
    const major = breaking('warn', '1.0.0', '2.0.0');
    expect(checkPolicy(major.report, major.version)).toEqual([]);
  });

  it('off: never throws and returns nothing, although the report keeps the changes', () => {
    const { report, version } = breaking('off');
    expect(report.changes).toHaveLength(2);
    expect(checkPolicy(report, version)).toEqual([]);
  });

  it('a first version has nothing to check', () => {
    const report = compatibilityReport({ baseVersion: null, baseTools: [], version: '1.0.0', tools: [search], policy: 'enforce' });
    expect(checkPolicy(report, '1.0.0')).toEqual([]);
  });
});
