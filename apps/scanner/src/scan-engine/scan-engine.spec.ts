import { type McpTool, toolListHash } from '@toolport/contracts';
import { RULES_VERSION } from '../analyzers/finding';
import type { FetchedArtifact } from '../artifacts/package-contents';
import { forecastTool, poisonedTool } from '../__fixtures__/scan-tools';
import { composeRulesVersion } from './rules-version';
import { ENGINE_RULES_VERSION, PACKAGE_NOT_SCANNED_RULE, type ScanTarget, ToolportScanEngine, unionByName } from './scan-engine';

const target = (tools: McpTool[], packages: unknown[] = []): ScanTarget => ({
  serverName: 'com.acme/weather',
  version: '1.0.0',
  server: { name: 'com.acme/weather', version: '1.0.0', packages },
  declaredTools: tools,
});
const npmPackage = { registryType: 'npm', identifier: '@acme/weather', version: '1.0.0', transport: { type: 'stdio' } };
const signal = () => new AbortController().signal;

describe('composeRulesVersion', () => {
  it('is the same for the same families in any order and changes with any family', () => {
    expect(composeRulesVersion(['tools-1.0.0', 'engine-1'])).toBe('engine-1+tools-1.0.0');
    expect(composeRulesVersion(['engine-1', 'tools-1.0.0', 'engine-1'])).toBe('engine-1+tools-1.0.0');
    expect(composeRulesVersion(['tools-1.0.1', 'engine-1'])).not.toBe(composeRulesVersion(['tools-1.0.0', 'engine-1']));
    expect(() => composeRulesVersion([])).toThrow();
  });
});

describe('ToolportScanEngine without the package seams', () => {
  const engine = new ToolportScanEngine();

  it('analyses the declared tools and hashes them', async () => {
    const result = await engine.scan(target([forecastTool, poisonedTool]), signal());
    expect(result.findings.some((f) => f.severity === 'critical' && f.location.startsWith('tools.add'))).toBe(true);
    expect(result.tools.map((t) => t.name)).toEqual(['forecast', 'add']);
    expect(result.toolHashes.map((t) => t.name)).toEqual(['forecast', 'add']);
    expect(result.toolListHash).toBe(toolListHash([forecastTool, poisonedTool]));
    expect(result.rulesVersion).toBe(composeRulesVersion([RULES_VERSION, ENGINE_RULES_VERSION]));
  });

  it('says which packages were not scanned and claims no integrity for them', async () => {
    const result = await engine.scan(target([forecastTool], [npmPackage]), signal());
    expect(result.findings).toEqual([expect.objectContaining({ ruleId: PACKAGE_NOT_SCANNED_RULE, severity: 'info', location: 'server.packages[0]' })]);
    expect(result.packages).toEqual([{ registryType: 'npm', identifier: '@acme/weather', version: '1.0.0', analysed: false, integrityVerified: false }]);
  });

  it('stops when aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('timed out'));
    await expect(engine.scan(target([forecastTool]), controller.signal)).rejects.toThrow('timed out');
  });
});

describe('ToolportScanEngine with the package seams', () => {
  const extracted: McpTool = { name: 'hidden', description: 'Not declared.', inputSchema: { type: 'object' } };
  const fetched: FetchedArtifact = {
    contents: { ecosystem: 'npm', identifier: '@acme/weather', version: '1.0.0', files: [] },
    findings: [],
    integrityVerified: true,
  };
  const seen: string[] = [];
  const engine = new ToolportScanEngine({
    packages: {
      source: { rulesVersion: 'artifacts-3', fetch: async (pkg) => (seen.push(pkg.identifier), fetched) },
      analysis: { rulesVersion: 'packages-2', analyze: (_contents, declared) => ({ findings: [], extractedTools: [...declared, extracted] }) },
    },
  });

  it('adds the package rules version, the extracted tools and the integrity result', async () => {
    const result = await engine.scan(target([forecastTool], [npmPackage]), signal());
    expect(seen).toEqual(['@acme/weather']);
    expect(engine.rulesVersion).toBe(composeRulesVersion([RULES_VERSION, ENGINE_RULES_VERSION, 'packages-2', 'artifacts-3']));
    expect(result.tools.map((t) => t.name)).toEqual(['forecast', 'hidden']);
    expect(result.packages[0]).toMatchObject({ analysed: true, integrityVerified: true });
    expect(result.findings.filter((f) => f.ruleId === PACKAGE_NOT_SCANNED_RULE)).toEqual([]);
  });

  it('keeps declared tools over extracted ones of the same name', () => {
    const other = { ...forecastTool, description: 'changed' };
    expect(unionByName([forecastTool], [other, extracted])).toEqual([forecastTool, extracted]);
  });
});
