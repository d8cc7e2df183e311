import type { Finding, Severity } from '../../analyzers/finding';
import { severityRank } from '../../analyzers/finding';
import type { PackageContents } from '../../artifacts/package-contents';
import { downgrade, fileLine, lineLocator, packageFinding } from '../package-finding';
import { findFile, isRecord, parseJson } from '../package-files';
import {
  AGENT_CONFIG_WRITE,
  AGENT_INSTRUCTION_OR_PERSISTENCE,
  AGENT_MCP_CONFIG,
  CREDENTIAL_PATH,
  DOWNLOAD_EXECUTE,
  DYNAMIC_CODE,
  EXFILTRATION,
  INSTALL_HOOK,
  OBFUSCATION,
  SHELL_DOWNLOAD,
  SHELL_DOWNLOAD_EXECUTE,
  SHELL_INLINE_CODE,
  SHELL_INLINE_DECODE,
} from './source-rules';

/**
 * npm install hooks (security-checks.md A1). The source analyzer owns this rule; the manifest
 * analyzer does not report install scripts, so a hook is reported once.
 */

/** Findings in a file a hook runs that make the hook itself high. */
const ESCALATING_RULES = new Set([DYNAMIC_CODE.id, OBFUSCATION.id, EXFILTRATION.id, DOWNLOAD_EXECUTE.id, AGENT_CONFIG_WRITE.id]);

/** Lifecycle scripts that run when a consumer installs the package (`prepare` only for git installs). */
export const INSTALL_SCRIPTS = ['preinstall', 'install', 'postinstall', 'prepare', 'prepublish'] as const;

/** Native add-on builds and dev tooling: the usual, harmless hooks. */
const BENIGN_COMMAND =
  /^(?:node-gyp(?:-build)?(?:\s+rebuild)?|node-gyp-build(?:-optional)?|prebuild-install(?:\s+[-\w= ]+)?(?:\s*\|\|\s*node-gyp rebuild)?|node-pre-gyp\s+install(?:\s+--fallback-to-build)?|cmake-js\s+compile|husky(?:\s+install)?|npx\s+husky(?:\s+install)?|is-ci\s*\|\|\s*husky(?:\s+install)?|patch-package|tsc(?:\s+[-\w./ ]+)?|(?:npm|yarn|pnpm)\s+(?:run\s+)?build(?::[\w-]+)?|ngcc|opencollective(?:-postinstall)?(?:\s+\|\|\s+(?:exit\s+0|true))?|lefthook\s+install|simple-git-hooks|exit\s+0|true)$/i;

export interface HookVerdict {
  severity: Severity;
  confidence: Finding['confidence'];
  reason: string;
}

/** What a hook's shell text does, from the worst pattern it matches. */
export function classifyHookCommand(body: string): HookVerdict {
  const commands = body.split(/&&|\|\||;/).map((c) => c.trim()).filter(Boolean);
  if (SHELL_DOWNLOAD_EXECUTE.test(body)) return { severity: 'critical', confidence: 'high', reason: 'downloads code and pipes it to a shell' };
  if (SHELL_INLINE_DECODE.test(body)) return { severity: 'critical', confidence: 'high', reason: 'runs inline code that decodes a payload' };
  if (AGENT_INSTRUCTION_OR_PERSISTENCE.test(body) || AGENT_MCP_CONFIG.test(body)) return { severity: 'high', confidence: 'medium', reason: 'touches agent configuration or start-up files' };
  if (CREDENTIAL_PATH.test(body)) return { severity: 'high', confidence: 'medium', reason: 'touches credential files' };
  if (SHELL_DOWNLOAD.test(body)) return { severity: 'high', confidence: 'medium', reason: 'downloads from the network' };
  if (SHELL_INLINE_CODE.test(body)) return { severity: 'high', confidence: 'medium', reason: 'runs inline code or a detached process' };
  if (commands.length > 0 && commands.every((c) => BENIGN_COMMAND.test(c))) return { severity: 'info', confidence: 'high', reason: 'builds a native add-on or sets up dev tooling' };
  return { severity: 'low', confidence: 'medium', reason: 'runs a script at install time' };
}

/** Files a hook runs (`node scripts/setup.js`, `sh ./install.sh`). */
function filesRun(body: string): string[] {
  return [...body.matchAll(/\b(?:node|sh|bash|python[0-9.]*|bun|deno\s+run)\s+(?:-[-\w]+\s+)*["']?([./\w@-]+\.(?:[cm]?js|ts|sh|py))/g)].map((m) => m[1].replace(/^\.\//, ''));
}

/**
 * One finding per install hook of the root package.json (vendored packages' hooks never run from
 * a bundle), plus binding.gyp's implicit `node-gyp rebuild`. `fileFindings` lets a hook that runs
 * a file with high or critical findings become high itself.
 */
export function analyzeInstallHooks(contents: PackageContents, fileFindings: ReadonlyMap<string, readonly Finding[]>): Finding[] {
  const file = findFile(contents, 'package.json');
  const pkg = parseJson(file?.text);
  const findings: Finding[] = [];
  const scripts = isRecord(pkg) && isRecord(pkg.scripts) ? pkg.scripts : {};
  const line = file?.text ? lineLocator(file.text) : () => 1;
  let hasInstall = false;
  for (const name of INSTALL_SCRIPTS) {
    const body = scripts[name];
    if (typeof body !== 'string') continue;
    if (name !== 'prepare') hasInstall = true;
    let verdict = classifyHookCommand(body);
    const extra: string[] = [];
    for (const runPath of filesRun(body)) {
      const runFile = findFile(contents, runPath);
      if (!runFile) continue;
      if (runFile.text && /\.sh$/.test(runPath)) {
        const inner = classifyHookCommand(runFile.text);
        if (severityRank(inner.severity) < severityRank(verdict.severity)) verdict = { ...inner, reason: `${inner.reason} (in ${runPath})` };
      }
      // Behaviour rules only: a command-injection risk (TP-SRC-002) in the script is not install-time malice.
      const worst = (fileFindings.get(runPath) ?? []).filter((f) => ESCALATING_RULES.has(f.ruleId) && severityRank(f.severity) <= severityRank('high'));
      if (worst.length > 0 && severityRank(verdict.severity) > severityRank('high')) {
        verdict = { severity: 'high', confidence: 'high', reason: `runs ${runPath}, which has ${worst.map((f) => f.ruleId).join(', ')} findings` };
      }
      extra.push(runPath);
    }
    // `prepare` runs for git installs and before publishing, not for registry installs.
    const severity = name === 'prepare' ? downgrade(verdict.severity) : verdict.severity;
    const at = file?.text ? file.text.indexOf(`"${name}"`) : -1;
    findings.push(
      packageFinding(INSTALL_HOOK, {
        location: fileLine('package.json', at >= 0 ? line(at) : 1),
        rawEvidence: `${name}: ${body}`,
        message: `The ${name} script ${verdict.reason}${extra.length ? ` (runs ${extra.join(', ')})` : ''}.${name === 'prepare' ? ' prepare runs only for git installs and before publishing.' : ''}`,
        severity,
        confidence: verdict.confidence,
      }),
    );
  }
  if (!hasInstall && findFile(contents, 'binding.gyp')) {
    findings.push(
      packageFinding(INSTALL_HOOK, {
        location: 'binding.gyp:1',
        rawEvidence: 'binding.gyp',
        message: 'binding.gyp makes npm run `node-gyp rebuild` at install: a native add-on build.',
        severity: 'info',
        confidence: 'high',
      }),
    );
  }
  return findings;
}
