// `npm run scanner:real-world -- [--json] [packages...]`: scans the current npm releases of real
// MCP servers exactly as the scanner service would (registry fetch with dist.integrity, safe
// unpacking, every analyzer) and prints what each gets and why (issue 5, "Real-world check").
// Needs the npm registry (TOOLPORT_SCANNER_NPM_REGISTRY); prints why when it is unreachable.
import { loadConfigOrExit } from '@toolport/config';
import { createLogger } from '@toolport/observability';
import { worstSeverity } from '../analyzers/finding';
import { loadConfig } from '../config';
import { createScanEngine } from '../scan-engine/create-scan-engine';
import { scoreOf } from '../scoring/score';
import { trustLevelOf } from '../scoring/trust-level';

const DEFAULT_PACKAGES = ['@modelcontextprotocol/server-filesystem', '@modelcontextprotocol/server-everything', '@modelcontextprotocol/server-memory'];

const HELP = `npm run scanner:real-world -- [--json] [npm-package ...]

Fetches the latest release of each npm package (default: ${DEFAULT_PACKAGES.join(', ')}) from
TOOLPORT_SCANNER_NPM_REGISTRY (default https://registry.npmjs.org) and scans it with the scanner's
production engine: integrity against dist.integrity, safe unpacking, source, secrets, dependency
(TOOLPORT_SCANNER_ADVISORY_DIR) and manifest analyzers, tool extraction and tool analysis. Prints
trust level (ownership not checked here, so at most "passed"), score and every finding.`;

interface Latest {
  version: string;
}

async function latestVersion(registry: string, name: string): Promise<string> {
  const response = await fetch(`${registry}/${name.replace('/', '%2F')}/latest`, { signal: AbortSignal.timeout(30_000) });
  if (!response.ok) throw new Error(`${name}: the registry answered HTTP ${response.status}`);
  return ((await response.json()) as Latest).version;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(`${HELP}\n`);
    return;
  }
  const json = args.includes('--json');
  const names = args.filter((a) => !a.startsWith('--'));
  const config = loadConfigOrExit('scanner:real-world', () => loadConfig());
  const settings = { ...config.packages, enabled: true };
  const engine = createScanEngine(settings, createLogger({ service: 'scanner-real-world', level: 'warn' }));
  const results = [];
  for (const name of names.length > 0 ? names : DEFAULT_PACKAGES) {
    const version = await latestVersion(settings.artifacts.npmRegistryUrl, name);
    const server = { name: `io.toolport.check/${name.replace(/[@/]/g, '-')}`, version, packages: [{ registryType: 'npm', identifier: name, version, transport: { type: 'stdio' } }] };
    const result = await engine.scan({ serverName: server.name, version, server, declaredTools: [] }, AbortSignal.timeout(300_000));
    const integrity = result.packages.map((p) => p.integrityVerified);
    results.push({
      package: `${name}@${version}`,
      integrityVerified: integrity.every(Boolean),
      trustLevel: trustLevelOf(result.findings, { packageIntegrity: integrity, ownershipVerified: false }),
      score: scoreOf(result.findings),
      worst: worstSeverity(result.findings),
      tools: result.tools.map((t) => t.name),
      findings: result.findings.map((f) => ({ ruleId: f.ruleId, severity: f.severity, confidence: f.confidence, location: f.location, message: f.message })),
    });
  }
  if (json) {
    process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
    return;
  }
  for (const r of results) {
    process.stdout.write(`\n${r.package}: ${r.trustLevel}, score ${r.score}, integrity ${r.integrityVerified ? 'verified' : 'NOT verified'}, worst ${r.worst ?? 'none'}, ${r.tools.length} tools found (${r.tools.join(', ')})\n`);
    for (const f of r.findings) process.stdout.write(`  ${f.severity.padEnd(8)} ${f.ruleId} ${f.location}: ${f.message}\n`);
  }
  const rejected = results.filter((r) => r.trustLevel === 'rejected');
  process.stdout.write(`\n${results.length} packages, ${rejected.length} rejected\n`);
  process.exitCode = rejected.length > 0 ? 1 : 0;
}

main().catch((error: unknown) => {
  process.stderr.write(`scanner:real-world: ${(error as Error).message}\n`);
  process.exit(2);
});
