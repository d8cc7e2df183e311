import type { McpTool } from '@toolport/contracts';
import type { Finding } from '../../analyzers/finding';
import { analyzeTools } from '../../analyzers/tool-analysis';
import type { PackageContents } from '../../artifacts/package-contents';
import { fileLine, packageFinding } from '../package-finding';
import { isJsSource, isPython, isTestOrDocs, isVendored, MAX_AST_BYTES, textFiles } from '../package-files';
import { CHANGED_TOOL, MISSING_TOOL, UNDECLARED_TOOL } from '../source/source-rules';
import type { ExtractedTool } from './extracted-tool';
import { collectPackageConstants, extractJsTools } from './js-tools';
import { extractPythonTools } from './python-tools';

/**
 * Tools registered in the package's own source (vendored node_modules skipped: the SDK and its
 * examples are not this server's tools). One per name: the first in path order that has a
 * literal description, so `src/` and a compiled `dist/` copy of the same server count once.
 */
export function extractTools(contents: PackageContents): ExtractedTool[] {
  const all: ExtractedTool[] = [];
  const files = textFiles(contents, (f) => !isVendored(f.path) && f.size <= MAX_AST_BYTES && (isJsSource(f.path) || isPython(f.path)));
  const constants = collectPackageConstants(files.filter((f) => isJsSource(f.path)));
  for (const file of files) {
    try {
      all.push(...(isPython(file.path) ? extractPythonTools(file.path, file.text) : extractJsTools(file.path, file.text, constants)));
    } catch {
      // Extraction is best effort: a file it cannot read simply contributes no tools.
    }
  }
  const byName = new Map<string, ExtractedTool>();
  for (const t of all) {
    const kept = byName.get(t.tool.name);
    const better =
      !kept || (isTestOrDocs(kept.path) && !isTestOrDocs(t.path)) || (kept.via === 'definition-object' && t.via !== 'definition-object') || (!kept.tool.description && t.tool.description);
    if (better) byName.set(t.tool.name, t);
  }
  return [...byName.values()];
}

const normalized = (s: string | undefined): string => (s ?? '').replace(/\s+/g, ' ').trim();

/**
 * Declared tools (`_meta["io.toolport/tools"]`) against the tools found in code (A7). Only when
 * both sides list at least one tool: without a declaration there is nothing to contradict, and
 * without extraction (dynamic registration, unsupported framework) "missing" would mean nothing.
 */
export function compareTools(declared: readonly McpTool[], extracted: readonly ExtractedTool[]): Finding[] {
  if (declared.length === 0 || extracted.length === 0) return [];
  const findings: Finding[] = [];
  const declaredByName = new Map(declared.map((t) => [t.name, t]));
  const extractedNames = new Set(extracted.map((t) => t.tool.name));
  for (const e of extracted) {
    const d = declaredByName.get(e.tool.name);
    const where = fileLine(e.path, e.line);
    if (!d) {
      // A bare `{ name, inputSchema }` object may be something else shaped like a tool.
      const sideline = isTestOrDocs(e.path) || e.via === 'definition-object';
      findings.push(
        packageFinding(UNDECLARED_TOOL, {
          location: where,
          rawEvidence: `${e.tool.name}: ${e.tool.description ?? ''}`,
          message: `The code ${e.via === 'definition-object' ? 'defines' : 'registers'} a tool "${e.tool.name}" that the declared tool list does not contain${isTestOrDocs(e.path) ? ' (in a test or example file)' : e.via === 'definition-object' ? ' (a tool-shaped object, not a registration call)' : ''}: agents would get a tool reviewers never saw.`,
          severity: sideline ? 'medium' : 'high',
          confidence: sideline ? 'low' : 'medium',
        }),
      );
    } else if (e.literalDescription && e.tool.description !== undefined && normalized(d.description) !== normalized(e.tool.description)) {
      findings.push(
        packageFinding(CHANGED_TOOL, {
          location: `${where}:tools.${e.tool.name}.description`,
          rawEvidence: `declared: ${normalized(d.description).slice(0, 180)} | code: ${normalized(e.tool.description).slice(0, 180)}`,
          message: `The declared description of "${e.tool.name}" is not the one the code registers: what reviewers and agents read is not what runs.`,
          severity: 'high',
          confidence: 'high',
        }),
      );
    }
  }
  for (const d of declared) {
    if (extractedNames.has(d.name)) continue;
    findings.push(
      packageFinding(MISSING_TOOL, {
        location: `tools.${d.name}`,
        rawEvidence: d.name,
        message: `The declared tool "${d.name}" was not found in the code (static extraction is heuristic: it may be registered dynamically).`,
        severity: 'low',
        confidence: 'low',
      }),
    );
  }
  return findings;
}

/**
 * The tool-description analyzers over tools found in the package (code or mcpb manifest), with
 * locations prefixed by the file (`src/index.ts:tools.search.description`). A tool whose name and
 * description equal a declared one's is skipped: the scan engine analyses the declared tools already.
 */
export function analyzeFoundTools(found: readonly { tool: McpTool; path: string }[], declared: readonly McpTool[]): Finding[] {
  const declaredText = new Map(declared.map((t) => [t.name, normalized(t.description)]));
  const fresh = found.filter((f) => declaredText.get(f.tool.name) !== normalized(f.tool.description));
  const fileOf = new Map(fresh.map((f) => [f.tool.name, f.path]));
  return analyzeTools(fresh.map((f) => f.tool)).map((finding) => {
    const name = /^tools(?:\.([A-Za-z0-9_$-]+)|\["((?:[^"\\]|\\.)*)"\])/.exec(finding.location);
    const tool = name ? (name[1] ?? JSON.parse(`"${name[2]}"`)) : undefined;
    const path = tool !== undefined ? fileOf.get(tool) : undefined;
    return path ? { ...finding, location: `${path}:${finding.location}` } : finding;
  });
}
