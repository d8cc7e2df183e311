import type { McpTool } from '@toolport/contracts';
import type { Finding, RuleInfo } from '../analyzers/finding';
import { dedupeFindings } from '../analyzers/tool-analysis';
import type { PackageContents } from '../artifacts/package-contents';
import type { AdvisoryDatabase } from './dependencies/advisory-database';
import { analyzeDependencies, DEPENDENCY_RULES } from './dependencies/dependencies.analyzer';
import { analyzeManifest, MANIFEST_RULES } from './manifest/manifest.analyzer';
import { DEPENDENCY_RULES_VERSION, MANIFEST_RULES_VERSION, SECRETS_RULES_VERSION, SOURCE_RULES_VERSION } from './package-finding';
import { analyzeSecrets, SECRET_RULES } from './secrets/secrets.analyzer';
import { clearParseCache } from './source/js-syntax';
import { analyzeSource } from './source/source.analyzer';
import { SOURCE_RULES } from './source/source-rules';
import type { ExtractedTool } from './tools/extracted-tool';
import { analyzeFoundTools, compareTools, extractTools } from './tools/tool-extraction';

export { type AdvisoryDatabase, buildAdvisoryDatabase, emptyAdvisoryDatabase, loadAdvisoryDatabase, loadAdvisoryDatabaseSync, type OsvAdvisory } from './dependencies/advisory-database';

/** Every package rule (TP-SRC, TP-SEC, TP-DEP, TP-MAN) with its usual severity, sorted by id. */
export const PACKAGE_RULES: readonly RuleInfo[] = [...SOURCE_RULES, ...SECRET_RULES, ...DEPENDENCY_RULES, ...MANIFEST_RULES]
  .map(({ id, severity, description }) => ({ id, severity, description }))
  .sort((a, b) => (a.id < b.id ? -1 : 1));

/** The package families' versions joined as the scan engine joins families (sorted, `+`). */
export const PACKAGE_RULES_VERSION = [DEPENDENCY_RULES_VERSION, MANIFEST_RULES_VERSION, SECRETS_RULES_VERSION, SOURCE_RULES_VERSION].sort().join('+');

/**
 * PACKAGE_RULES_VERSION plus the advisory data's fingerprint (`+osv-<12 hex>`): new advisories
 * change it, so a pipeline that uses it as its rules version rescans when the OSV data moves.
 */
export const packageRulesVersionWith = (advisories: AdvisoryDatabase): string => `${PACKAGE_RULES_VERSION}+osv-${advisories.fingerprint.slice(0, 12)}`;

export interface PackageAnalysisOptions {
  /** `_meta["io.toolport/tools"]` as published. */
  declaredTools: readonly McpTool[];
  advisories: AdvisoryDatabase;
}

export interface PackageAnalysisResult {
  /** De-duplicated (one per rule and location, the worst) and sorted worst first. */
  findings: Finding[];
  /** Tools registered in the source, then tools only the mcpb manifest lists (one per name). */
  extractedTools: McpTool[];
}

/**
 * Every package analyzer over one unpacked artifact. Pure and synchronous: no I/O (the advisory
 * database is loaded once, beforehand, by loadAdvisoryDatabase), never executes package code.
 *
 * Tool-description findings (TP-TOOL-*) are reported here for extracted and manifest tools that
 * are not declared with the same description, located `file:tools.<name>.<field>`; tools equal to
 * a declared one are left to the engine's own analysis of the declared tools.
 */
export function analyzePackage(contents: PackageContents, options: PackageAnalysisOptions): PackageAnalysisResult {
  try {
    return analyze(contents, options);
  } finally {
    clearParseCache();
  }
}

function analyze(contents: PackageContents, options: PackageAnalysisOptions): PackageAnalysisResult {
  const manifest = analyzeManifest(contents);
  const fromCode = extractTools(contents);
  const fromManifest: ExtractedTool[] = manifest.manifestTools.map(({ tool, path }) => ({ tool, path, line: lineOfTool(contents, path, tool.name), literalDescription: true }));
  const findings = [
    ...analyzeSource(contents),
    ...analyzeSecrets(contents),
    ...analyzeDependencies(contents, options.advisories),
    ...manifest.findings,
    // With no server.json declaration, an mcpb manifest's tool list is the declaration the code must match.
    ...compareTools(options.declaredTools.length > 0 ? options.declaredTools : fromManifest.map((t) => t.tool), fromCode),
    ...compareTools(options.declaredTools, fromManifest),
    ...analyzeFoundTools([...fromCode, ...fromManifest], options.declaredTools),
  ];
  const names = new Set<string>();
  const extractedTools: McpTool[] = [];
  for (const { tool } of [...fromCode, ...fromManifest]) {
    if (names.has(tool.name)) continue;
    names.add(tool.name);
    extractedTools.push(withinContract(tool));
  }
  return { findings: capPerFileAndRule(dedupeFindings(findings)), extractedTools };
}

/** Findings kept per rule and file; the rest are summed up in one note, so a hostile file cannot flood the scan event. */
export const MAX_FINDINGS_PER_RULE_AND_FILE = 25;

function capPerFileAndRule(sorted: readonly Finding[]): Finding[] {
  const kept: Finding[] = [];
  const dropped = new Map<string, { first: Finding; count: number }>();
  const counts = new Map<string, number>();
  for (const f of sorted) {
    const file = f.location.split(':')[0];
    const key = `${f.ruleId}\u0000${file}`;
    const n = (counts.get(key) ?? 0) + 1;
    counts.set(key, n);
    if (n <= MAX_FINDINGS_PER_RULE_AND_FILE) kept.push(f);
    else dropped.set(key, { first: dropped.get(key)?.first ?? f, count: (dropped.get(key)?.count ?? 0) + 1 });
  }
  for (const { first, count } of dropped.values()) {
    kept.push({ ...first, severity: 'info', confidence: 'high', location: first.location.split(':')[0], evidence: `${count} more`, message: `${count} more ${first.ruleId} findings in this file were left out (at most ${MAX_FINDINGS_PER_RULE_AND_FILE} per rule and file are kept, worst first).` });
  }
  return kept;
}

/**
 * McpToolSchema bounds (title 256, description 10,000 characters): the analyzers above saw the full
 * text; the inventory handed on is clipped so it always validates.
 */
function withinContract(tool: McpTool): McpTool {
  const clipped: McpTool = { ...tool };
  if (clipped.title !== undefined && clipped.title.length > 256) clipped.title = clipped.title.slice(0, 256);
  if (clipped.description !== undefined && clipped.description.length > 10_000) clipped.description = clipped.description.slice(0, 10_000);
  return clipped;
}

function lineOfTool(contents: PackageContents, path: string, name: string): number {
  const text = contents.files.find((f) => f.path === path)?.text ?? '';
  const at = text.indexOf(JSON.stringify(name));
  return at < 0 ? 1 : text.slice(0, at).split('\n').length;
}
