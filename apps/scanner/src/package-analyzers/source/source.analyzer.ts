import type { Finding } from '../../analyzers/finding';
import { severityRank } from '../../analyzers/finding';
import type { PackageContents } from '../../artifacts/package-contents';
import { packageFinding } from '../package-finding';
import { isJsSource, isPython, isTestOrDocs, isVendored, MAX_AST_BYTES, MAX_TOTAL_AST_BYTES, textFiles } from '../package-files';
import { analyzeInstallHooks } from './install-hooks';
import { analyzeJsSource } from './js-source.analyzer';
import { analyzeObfuscation } from './obfuscation';
import { analyzePthFile, analyzePythonSource } from './python-source.analyzer';
import { DOWNLOAD_EXECUTE, DYNAMIC_CODE, EXFILTRATION, NOT_ANALYSED, OBFUSCATION } from './source-rules';

const ESCALATING = new Set([DYNAMIC_CODE.id, EXFILTRATION.id, DOWNLOAD_EXECUTE.id]);

/**
 * Every source rule over a package: JS/TS through the AST (bounded per file and per package),
 * Python by heuristics, obfuscation by regexes, then install hooks (which look at the findings of
 * the files a hook runs). Pure: same contents, same findings.
 */
export function analyzeSource(contents: PackageContents): Finding[] {
  const paths = new Set(contents.files.map((f) => f.path));
  const byFile = new Map<string, Finding[]>();
  const notes: Finding[] = [];
  let astBudget = MAX_TOTAL_AST_BYTES;

  for (const file of textFiles(contents, (f) => isJsSource(f.path) || isPython(f.path) || /\.pth$/.test(f.path))) {
    const options = { vendored: isVendored(file.path), testOrDocs: isTestOrDocs(file.path) };
    const found: Finding[] = [];
    try {
      if (/\.pth$/.test(file.path)) found.push(...analyzePthFile(file.path, file.text));
      else if (isPython(file.path)) found.push(...analyzePythonSource(file.path, file.text, options));
      else {
        if (file.text.length > MAX_AST_BYTES || file.text.length > astBudget) {
          notes.push(note(file.path, `${file.path} (${file.text.length} bytes) was not parsed: ${file.text.length > MAX_AST_BYTES ? `files over ${MAX_AST_BYTES} bytes` : 'the per-package parse budget is spent'}; only the obfuscation pass ran.`));
        } else {
          astBudget -= file.text.length;
          found.push(...analyzeJsSource(file.path, file.text, options));
        }
        const hasSourceMap = /[#@]\s*sourceMappingURL=/.test(file.text.slice(-4096)) || paths.has(`${file.path}.map`);
        const obfuscation = analyzeObfuscation({ path: file.path, text: file.text, hasSourceMap });
        // Obfuscation around code that decodes, exfiltrates or downloads is itself part of the attack.
        const escalate = found.some((f) => ESCALATING.has(f.ruleId) && severityRank(f.severity) <= severityRank('high'));
        found.push(...obfuscation.map((f) => (escalate && f.ruleId === OBFUSCATION.id && severityRank(f.severity) <= severityRank('medium') ? { ...f, severity: 'critical' as const } : f)));
      }
    } catch (error) {
      // A pathological file (nesting deep enough to overflow the stack) must not fail the scan.
      notes.push(note(file.path, `${file.path} could not be analysed (${error instanceof Error ? error.name : 'error'}).`));
    }
    if (found.length > 0) byFile.set(file.path, found);
  }
  return [...[...byFile.values()].flat(), ...notes, ...analyzeInstallHooks(contents, byFile)];
}

const note = (path: string, message: string): Finding =>
  packageFinding(NOT_ANALYSED, { location: `${path}:1`, rawEvidence: path, message, severity: 'info', confidence: 'high' });
