import { type McpTool, type Package, toolHash, toolListHash } from '@toolport/contracts';
import { analyzeTools, dedupeFindings } from '../analyzers/tool-analysis';
import { type Finding, RULES_VERSION as TOOL_RULES_VERSION } from '../analyzers/finding';
import type { FetchedArtifact, PackageContents } from '../artifacts/package-contents';
import { composeRulesVersion } from './rules-version';

/** The version as the scanner's projection holds it (from VersionPublished). */
export interface ScanTarget {
  serverName: string;
  version: string;
  /** The server.json as published. */
  server: Record<string, unknown>;
  /** `_meta["io.toolport/tools"]` as published. */
  declaredTools: readonly McpTool[];
}

/** What became of one package of `server.packages`. */
export interface PackageScanReport {
  registryType: string;
  identifier: string;
  version: string | null;
  /** True when the package's contents were fetched, unpacked and analysed. */
  analysed: boolean;
  /** True when its bytes matched a digest the registry or server.json published. */
  integrityVerified: boolean;
}

export interface ScanEngineResult {
  findings: Finding[];
  /** Every tool found: the declared ones, then those only the package analyzers extracted. */
  tools: McpTool[];
  /** Per-tool hashes of `tools` (ScanCompleted's tool inventory) and the hash of the list. */
  toolHashes: { name: string; hash: string }[];
  toolListHash: string;
  packages: PackageScanReport[];
  rulesVersion: string;
}

export interface ScanEngine {
  /** The combined rules version this engine scans with. */
  readonly rulesVersion: string;
  /** Scans one version; rejects with the signal's reason once `signal` aborts. Never executes anything. */
  scan(target: ScanTarget, signal: AbortSignal): Promise<ScanEngineResult>;
}

/**
 * The seam for artifact fetching (apps/scanner/src/artifacts): fetch and safely unpack one
 * package. Errors it throws with `retryable: true` make the job retry with backoff; any other
 * error fails the scan for good.
 */
export interface ArtifactSource {
  /** Version of the fetch rules (integrity, unsafe archive...), part of the combined rules version. */
  rulesVersion?: string;
  fetch(pkg: Package, signal: AbortSignal): Promise<FetchedArtifact>;
}

/** The seam for the package analyzers (apps/scanner/src/package-analyzers). */
export interface PackageAnalysis {
  /** Version of the package rule families, part of the combined rules version. */
  rulesVersion: string;
  analyze(contents: PackageContents, declaredTools: readonly McpTool[]): { findings: Finding[]; extractedTools: McpTool[] } | Promise<{ findings: Finding[]; extractedTools: McpTool[] }>;
}

/** Version of the engine's own rules (TP-SCAN-*), below. */
export const ENGINE_RULES_VERSION = 'engine-1.0.0';

/** Emitted for a package whose contents this scanner did not look at, so a reviewer sees the gap. */
export const PACKAGE_NOT_SCANNED_RULE = 'TP-SCAN-001';

export interface ToolportScanEngineOptions {
  /** Both or neither: without them no package content is analysed (and none is claimed to be). */
  packages?: { source: ArtifactSource; analysis: PackageAnalysis };
}

function packagesOf(server: Record<string, unknown>): Package[] {
  return Array.isArray(server.packages) ? (server.packages as Package[]) : [];
}

/**
 * The real scan: the tool-description analyzers over every tool, plus, when the artifact and
 * package seams are wired, each package fetched, unpacked and analysed. Until they are, each
 * package gets an `info` finding saying its content was not scanned, and no integrity is
 * claimed for it (so the trust level cannot reach `verified`).
 */
export class ToolportScanEngine implements ScanEngine {
  readonly rulesVersion: string;

  constructor(private readonly options: ToolportScanEngineOptions = {}) {
    const packages = options.packages ? [options.packages.analysis.rulesVersion, ...(options.packages.source.rulesVersion ? [options.packages.source.rulesVersion] : [])] : [];
    this.rulesVersion = composeRulesVersion([TOOL_RULES_VERSION, ENGINE_RULES_VERSION, ...packages]);
  }

  async scan(target: ScanTarget, signal: AbortSignal): Promise<ScanEngineResult> {
    signal.throwIfAborted();
    const findings: Finding[] = [];
    const extracted: McpTool[] = [];
    const reports: PackageScanReport[] = [];
    for (const [index, pkg] of packagesOf(target.server).entries()) {
      signal.throwIfAborted();
      const report: PackageScanReport = { registryType: pkg.registryType, identifier: pkg.identifier, version: pkg.version ?? null, analysed: false, integrityVerified: false };
      reports.push(report);
      if (!this.options.packages) {
        findings.push(notScanned(index, pkg));
        continue;
      }
      const fetched = await this.options.packages.source.fetch(pkg, signal);
      findings.push(...fetched.findings);
      report.integrityVerified = fetched.integrityVerified;
      if (fetched.contents === null) continue;
      signal.throwIfAborted();
      const analysed = await this.options.packages.analysis.analyze(fetched.contents, target.declaredTools);
      report.analysed = true;
      findings.push(...analysed.findings);
      extracted.push(...analysed.extractedTools);
    }
    const tools = unionByName(target.declaredTools, extracted);
    signal.throwIfAborted();
    // Tools found in the package are analysed by the package analyzers (located in their file),
    // so only the declared ones are analysed here, knowing every tool name the server has.
    findings.push(...analyzeTools(target.declaredTools, tools.map((t) => t.name)));
    return {
      findings: dedupeFindings(findings),
      tools,
      toolHashes: tools.map((tool) => ({ name: tool.name, hash: toolHash(tool) })),
      toolListHash: toolListHash(tools),
      packages: reports,
      rulesVersion: this.rulesVersion,
    };
  }
}

/** Declared tools first; an extracted tool is added only when no declared tool has its name. */
export function unionByName(declared: readonly McpTool[], extracted: readonly McpTool[]): McpTool[] {
  const names = new Set(declared.map((t) => t.name));
  const added: McpTool[] = [];
  for (const tool of extracted) {
    if (names.has(tool.name)) continue;
    names.add(tool.name);
    added.push(tool);
  }
  return [...declared, ...added];
}

function notScanned(index: number, pkg: Package): Finding {
  return {
    ruleId: PACKAGE_NOT_SCANNED_RULE,
    ruleVersion: ENGINE_RULES_VERSION,
    severity: 'info',
    confidence: 'high',
    location: `server.packages[${index}]`,
    evidence: `${pkg.registryType} ${pkg.identifier}${pkg.version ? `@${pkg.version}` : ''}`.slice(0, 2000),
    message: 'The package content was not scanned: this scanner has no artifact fetcher configured; only the declared tools were analysed.',
  };
}
