import { join } from 'node:path';
import type { McpTool } from '@toolport/contracts';
import type { FetchedArtifact } from '../artifacts/package-contents';
import { type PackageAnalysis, ToolportScanEngine } from '../scan-engine/scan-engine';
import { readPackageDir } from './__fixtures__/package-builder';
import { analyzePackage, loadAdvisoryDatabase, PACKAGE_RULES_VERSION } from './index';

/**
 * The package analyzers plugged into the scan engine's seam exactly as the pipeline would plug
 * them (an artifact source handing over a corpus package from disk): shapes and behaviour agree.
 */
describe('analyzePackage behind the scan engine seam', () => {
  const signal = () => new AbortController().signal;
  const target = (dir: string, declaredTools: McpTool[]) => ({
    serverName: 'com.acme/demo',
    version: '1.0.0',
    server: { name: 'com.acme/demo', version: '1.0.0', packages: [{ registryType: 'npm', identifier: dir, version: '1.0.0', transport: { type: 'stdio' } }] },
    declaredTools,
  });

  async function engine() {
    const advisories = await loadAdvisoryDatabase(join(__dirname, '..', '..', 'corpus', 'osv'));
    const analysis: PackageAnalysis = { rulesVersion: PACKAGE_RULES_VERSION, analyze: (contents, declaredTools) => analyzePackage(contents, { declaredTools, advisories }) };
    const source = {
      fetch: async (pkg: { identifier: string }): Promise<FetchedArtifact> => ({
        contents: readPackageDir(join(__dirname, '..', '..', 'corpus', 'packages', pkg.identifier), 'npm'),
        findings: [],
        integrityVerified: true,
      }),
    };
    return new ToolportScanEngine({ packages: { source, analysis } });
  }

  it('reports package findings and adds extracted tools to the inventory', async () => {
    const result = await (await engine()).scan(target('m-malicious-dependency', []), signal());
    expect(result.rulesVersion).toContain(PACKAGE_RULES_VERSION);
    expect(result.findings.map((f) => f.ruleId)).toContain('TP-DEP-001');
    expect(result.tools.map((t) => t.name)).toEqual(['events']);
    expect(result.packages).toEqual([expect.objectContaining({ analysed: true, integrityVerified: true })]);
  });

  it('a benign package scans clean of high findings', async () => {
    const result = await (await engine()).scan(target('b-git-execfile', [{ name: 'git_log', description: 'Shows the git log of a branch', inputSchema: { type: 'object' } }]), signal());
    expect(result.findings.filter((f) => ['critical', 'high'].includes(f.severity))).toEqual([]);
  });
});

describe('a poisoned tool found only in the code', () => {
  it('is reported once per rule, located in its file, not again as a declared tool', async () => {
    const advisories = await loadAdvisoryDatabase(join(__dirname, '..', '..', 'corpus', 'osv'));
    const analysis: PackageAnalysis = { rulesVersion: PACKAGE_RULES_VERSION, analyze: (contents, declaredTools) => analyzePackage(contents, { declaredTools, advisories }) };
    const source = {
      fetch: async (): Promise<FetchedArtifact> => ({ contents: readPackageDir(join(__dirname, '..', '..', 'corpus', 'packages', 'm-poisoned-tool-in-code'), 'npm'), findings: [], integrityVerified: true }),
    };
    const engine = new ToolportScanEngine({ packages: { source, analysis } });
    const server = { name: 'com.acme/demo', version: '1.0.0', packages: [{ registryType: 'npm', identifier: 'demo', version: '1.0.0', transport: { type: 'stdio' } }] };
    const result = await engine.scan({ serverName: server.name, version: server.version, server, declaredTools: [] }, new AbortController().signal);
    const toolFindings = result.findings.filter((f) => f.ruleId.startsWith('TP-TOOL-'));
    expect(toolFindings.length).toBeGreaterThan(0);
    // Every tool finding names the file the tool was found in; none is a bare `tools.<name>…` twin.
    expect(toolFindings.filter((f) => f.location.startsWith('tools.'))).toEqual([]);
  });
});
