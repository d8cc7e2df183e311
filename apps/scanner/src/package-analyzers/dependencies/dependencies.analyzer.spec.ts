import { join } from 'node:path';
import { packageJson, pkg } from '../__fixtures__/package-builder';
import { type AdvisoryDatabase, buildAdvisoryDatabase, loadAdvisoryDatabase } from './advisory-database';
import { analyzeDependencies } from './dependencies.analyzer';
import { advisorySeverity, comparePep440, cvss3BaseScore, isAffected } from './osv-match';

const OSV_DIR = join(__dirname, '..', '..', '..', 'corpus', 'osv');
const summary = (findings: ReturnType<typeof analyzeDependencies>) => findings.map((f) => `${f.ruleId} ${f.severity} ${f.location} ${f.evidence.split(' — ')[0]}`);

describe('dependencies against OSV', () => {
  let db: AdvisoryDatabase;
  beforeAll(async () => {
    db = await loadAdvisoryDatabase(OSV_DIR);
  });

  it('loads the directory once, indexes by ecosystem and name, skips withdrawn and rejects broken files', () => {
    expect(db.size).toBe(6);
    expect([...db.byPackage.keys()].sort()).toEqual(['PyPI:mcp-server-fetchh', 'PyPI:requests', 'npm:axios', 'npm:mcp-helper-utils', 'npm:minimatch', 'npm:semver']);
    expect(db.rejected.map((p) => p.split('/').pop())).toEqual(['broken.json']);
    expect(db.fingerprint).toMatch(/^[0-9a-f]{64}$/);
  });

  it('flags a MAL- dependency critical whatever its range, and vulnerable exact lock versions at the advisory severity', () => {
    const contents = pkg({
      'package.json': packageJson({ dependencies: { 'mcp-helper-utils': '^1.0.0', axios: '^1.5.0', zod: '^3.0.0' }, devDependencies: { minimatch: '3.0.4' } }),
      'npm-shrinkwrap.json': JSON.stringify(
        { lockfileVersion: 3, packages: { '': {}, 'node_modules/axios': { version: '1.5.1' }, 'node_modules/semver': { version: '7.5.1' }, 'node_modules/minimatch': { version: '3.0.4', dev: true } } },
        null,
        2,
      ),
    });
    expect(summary(analyzeDependencies(contents, db))).toEqual([
      'TP-DEP-001 critical package.json:5 mcp-helper-utils@^1.0.0',
      'TP-DEP-002 low package.json:6 axios@^1.5.0',
      'TP-DEP-002 medium npm-shrinkwrap.json:5 axios@1.5.1',
      'TP-DEP-002 high npm-shrinkwrap.json:8 semver@7.5.1',
    ]);
  });

  it('judges ranges by their floor: affected with no reachable fix keeps the severity', () => {
    const contents = pkg({ 'package.json': packageJson({ dependencies: { semver: '~7.5.0 <7.5.2', minimatch: '3.0.x', axios: '>=1.6.0' } }) });
    expect(summary(analyzeDependencies(contents, db))).toEqual(['TP-DEP-002 high package.json:5 semver@~7.5.0 <7.5.2', 'TP-DEP-002 low package.json:6 minimatch@3.0.x']);
  });

  it('reads vendored node_modules (mcpb bundles) and Python pins', () => {
    const contents = pkg(
      {
        'manifest.json': '{}',
        'server/node_modules/semver/package.json': JSON.stringify({ name: 'semver', version: '6.3.0' }),
        'server/node_modules/@scope/x/node_modules/minimatch/package.json': JSON.stringify({ name: 'minimatch', version: '3.1.2' }),
        'requirements.txt': 'requests==2.30.0\nhttpx>=0.27\nmcp-server-fetchh==0.1.1  # pinned\n',
        'pyproject.toml': '[project]\nname = "x"\ndependencies = [\n  "requests==2.31.0",\n  "Mcp_Server.Fetchh==0.1.0",\n]\n',
      },
      { ecosystem: 'mcpb' },
    );
    expect(summary(analyzeDependencies(contents, db))).toEqual([
      'TP-DEP-002 high server/node_modules/semver/package.json:1 semver@6.3.0',
      'TP-DEP-002 medium requirements.txt:1 requests@2.30.0',
      'TP-DEP-001 critical requirements.txt:3 mcp-server-fetchh@0.1.1',
      'TP-DEP-001 critical pyproject.toml:5 Mcp_Server.Fetchh@0.1.0',
    ]);
  });

  it('flags dependencies from git, URLs and local paths', () => {
    const contents = pkg({ 'package.json': packageJson({ dependencies: { a: 'github:evil/a', b: 'https://x.example/b.tgz', c: 'file:../c', d: 'user/repo#main', e: 'latest' } }) });
    expect(analyzeDependencies(contents, buildAdvisoryDatabase([])).map((f) => `${f.ruleId} ${f.evidence}`)).toEqual([
      'TP-DEP-003 a: github:evil/a',
      'TP-DEP-003 b: https://x.example/b.tgz',
      'TP-DEP-003 c: file:../c',
      'TP-DEP-003 d: user/repo#main',
    ]);
  });

  it('evaluates OSV events: introduced, fixed, last_affected, versions lists', () => {
    const affected = { ranges: [{ type: 'SEMVER', events: [{ introduced: '1.0.0' }, { last_affected: '1.2.0' }, { introduced: '2.0.0' }, { fixed: '2.1.0' }] }], versions: ['0.9.0'] };
    expect(['0.8.0', '0.9.0', '1.0.0', '1.2.0', '1.2.1', '2.0.5', '2.1.0'].map((v) => isAffected('npm', affected, v))).toEqual([false, true, true, true, false, true, false]);
    expect(['2.30.0', '2.31.0', '2.2.0', '2.31.0rc1'].map((v) => isAffected('PyPI', { ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '2.3.0' }, { fixed: '2.31.0' }] }] }, v))).toEqual([true, false, false, true]);
  });

  it('orders PEP 440 versions and computes CVSS 3 scores', () => {
    expect(['1.0.dev1', '1.0a1', '1.0b2', '1.0rc1', '1.0', '1.0.post1', '1.1'].every((v, i, all) => i === 0 || comparePep440(all[i - 1], v) < 0)).toBe(true);
    expect(cvss3BaseScore('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H')).toBe(9.8);
    expect(cvss3BaseScore('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H')).toBe(7.5);
    expect(cvss3BaseScore('CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:C/C:H/I:N/A:N')).toBe(6.1);
    expect(advisorySeverity({ id: 'MAL-1', database_specific: { severity: 'LOW' } })).toBe('critical');
  });
});

describe('vendored Python distributions', () => {
  it('reads Name and Version of dist-info directories inside a bundle', async () => {
    const db = await loadAdvisoryDatabase(OSV_DIR);
    const contents = pkg({ 'server/lib/requests-2.30.0.dist-info/METADATA': 'Metadata-Version: 2.1\nName: requests\nVersion: 2.30.0\n' }, { ecosystem: 'mcpb' });
    expect(summary(analyzeDependencies(contents, db))).toEqual(['TP-DEP-002 medium server/lib/requests-2.30.0.dist-info/METADATA:1 requests@2.30.0']);
  });
});
