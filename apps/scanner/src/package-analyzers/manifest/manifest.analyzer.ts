import type { McpTool } from '@toolport/contracts';
import type { Finding, Severity } from '../../analyzers/finding';
import type { PackageContents } from '../../artifacts/package-contents';
import { fileLine, lineLocator, MANIFEST_RULES_VERSION, packageFinding, type PackageRule } from '../package-finding';
import { findFile, isRecord, parseJson } from '../package-files';
import { findLookalike, findScopeImpersonation, WELL_KNOWN_NPM, WELL_KNOWN_PYPI } from './lookalike';

const rule = (id: string, severity: Severity, description: string): PackageRule => ({ id, severity, description, version: MANIFEST_RULES_VERSION });

export const INVALID_MANIFEST = rule('TP-MAN-001', 'medium', 'mcpb manifest.json missing, unparsable, or without a required field of the MCPB manifest spec');
export const SHELL_LAUNCH = rule('TP-MAN-002', 'high', 'The launch command (mcpb mcp_config) goes through a shell or downloads at start');
export const MISSING_ENTRY_POINT = rule('TP-MAN-003', 'medium', 'The mcpb entry_point is not in the bundle, or the server is an opaque binary');
export const LOOKALIKE_NAME = rule('TP-MAN-004', 'high', 'Package name imitating a well-known MCP package (edit distance, look-alike scope, homoglyphs, swapped words)');
export const COMMAND_SHADOWING = rule('TP-MAN-005', 'high', 'An executable named like a system command (node, npm, git, python, sudo…)');
export const UNMARKED_SECRET = rule('TP-MAN-006', 'low', 'A user_config field that holds a secret but is not marked sensitive');
export const MANIFEST_RULES: readonly PackageRule[] = [INVALID_MANIFEST, SHELL_LAUNCH, MISSING_ENTRY_POINT, LOOKALIKE_NAME, COMMAND_SHADOWING, UNMARKED_SECRET];

const SHADOWED = /^(?:node|nodejs|npm|npx|pnpm|yarn|git|python[0-9.]*|pip[0-9.]*|uv|uvx|sudo|su|sh|bash|zsh|ls|cat|curl|wget|ssh|scp|gpg|docker|kubectl|code|claude|cursor|codex|gemini|open|env)$/;
const SHELL_COMMAND = /^(?:sh|bash|zsh|dash|cmd(?:\.exe)?|powershell(?:\.exe)?|pwsh)$/i;

export interface ManifestAnalysis {
  findings: Finding[];
  /** Tools declared by an mcpb manifest, with the file they came from (fed to analyzeTools). */
  manifestTools: { tool: McpTool; path: string }[];
}

const str = (v: unknown): v is string => typeof v === 'string' && v.trim().length > 0;

/**
 * Manifest checks. Install scripts are NOT reported here: TP-SRC-001 (source analyzer) owns
 * them, so a hook yields one finding.
 */
export function analyzeManifest(contents: PackageContents): ManifestAnalysis {
  const findings: Finding[] = [];
  const manifestTools: ManifestAnalysis['manifestTools'] = [];
  const manifestFile = findFile(contents, 'manifest.json');
  const manifest = parseJson(manifestFile?.text);
  const looksMcpb = isRecord(manifest) && ('manifest_version' in manifest || 'dxt_version' in manifest || isRecord(manifest.server));
  if (contents.ecosystem === 'mcpb' || looksMcpb) findings.push(...mcpbFindings(contents, manifestFile?.text ?? null, manifest, manifestTools));

  const pkgFile = findFile(contents, 'package.json');
  const pkg = parseJson(pkgFile?.text);
  const pkgLine = pkgFile?.text ? lineLocator(pkgFile.text) : () => 1;
  const names = new Map<string, string>();
  if (contents.ecosystem === 'npm' || contents.ecosystem === 'pypi') names.set(contents.identifier, contents.ecosystem === 'npm' ? 'package.json:1' : 'package');
  if (isRecord(pkg) && str(pkg.name)) names.set(pkg.name, fileLine('package.json', pkgLine(pkgFile!.text!.indexOf('"name"'))));
  if (isRecord(manifest) && str(manifest.name) && looksMcpb) names.set(manifest.name, fileLine('manifest.json', lineLocator(manifestFile!.text!)(manifestFile!.text!.indexOf('"name"'))));
  const known = contents.ecosystem === 'pypi' ? WELL_KNOWN_PYPI : WELL_KNOWN_NPM;
  for (const [name, location] of names) {
    const hit = findLookalike(name, known) ?? findScopeImpersonation(name, known);
    if (!hit) continue;
    findings.push(
      packageFinding(LOOKALIKE_NAME, {
        location,
        rawEvidence: `${name} ~ ${hit.official}`,
        message: `The name "${name}" ${hit.how} of the well-known package ${hit.official}: a typosquat would run in place of the real server.`,
        confidence: 'medium',
      }),
    );
    break;
  }

  if (isRecord(pkg)) {
    const bins = typeof pkg.bin === 'string' && str(pkg.name) ? { [pkg.name.replace(/^@[^/]+\//, '')]: pkg.bin } : isRecord(pkg.bin) ? pkg.bin : {};
    for (const bin of Object.keys(bins)) {
      if (SHADOWED.test(bin)) findings.push(shadowing(bin, fileLine('package.json', pkgLine(pkgFile!.text!.indexOf(`"${bin}"`)))));
    }
  }
  const pyproject = findFile(contents, 'pyproject.toml')?.text;
  const scripts = pyproject ? /^\[project\.scripts\]\s*\n((?:[^[\n].*\n?)*)/m.exec(pyproject) : null;
  for (const m of scripts?.[1].matchAll(/^\s*["']?([\w.-]+)["']?\s*=/gm) ?? []) {
    if (SHADOWED.test(m[1])) findings.push(shadowing(m[1], fileLine('pyproject.toml', lineLocator(pyproject!)(pyproject!.indexOf(m[0])))));
  }
  return { findings, manifestTools };
}

const shadowing = (bin: string, location: string): Finding =>
  packageFinding(COMMAND_SHADOWING, {
    location,
    rawEvidence: `bin: ${bin}`,
    message: `The package installs an executable named "${bin}": on PATH it can run instead of the system command.`,
    confidence: 'high',
  });

function mcpbFindings(contents: PackageContents, text: string | null, manifest: unknown, tools: ManifestAnalysis['manifestTools']): Finding[] {
  const findings: Finding[] = [];
  const at = (key: string) => (text && text.indexOf(`"${key}"`) >= 0 ? fileLine('manifest.json', lineLocator(text)(text.indexOf(`"${key}"`))) : 'manifest.json:1');
  const invalid = (problems: string[], location = 'manifest.json:1') =>
    findings.push(packageFinding(INVALID_MANIFEST, { location, rawEvidence: problems.join('; '), message: `The mcpb manifest is invalid: ${problems.join('; ')}.`, confidence: 'high' }));
  if (text === null) {
    invalid(['manifest.json is missing at the bundle root']);
    return findings;
  }
  if (!isRecord(manifest)) {
    invalid(['manifest.json is not a JSON object']);
    return findings;
  }
  const problems: string[] = [];
  if (!str(manifest.manifest_version) && !str(manifest.dxt_version)) problems.push('manifest_version (or dxt_version) is required');
  for (const key of ['name', 'version', 'description'] as const) if (!str(manifest[key])) problems.push(`${key} is required`);
  if (!isRecord(manifest.author) || !str(manifest.author.name)) problems.push('author.name is required');
  const server = manifest.server;
  if (!isRecord(server)) problems.push('server is required');
  else {
    if (!['node', 'python', 'binary', 'uv'].includes(String(server.type))) problems.push('server.type must be node, python, binary or uv');
    if (!str(server.entry_point)) problems.push('server.entry_point is required');
    const cfg = server.mcp_config;
    if (!isRecord(cfg)) problems.push('server.mcp_config is required');
    else {
      if (!str(cfg.command)) problems.push('server.mcp_config.command is required');
      if (cfg.args !== undefined && (!Array.isArray(cfg.args) || !cfg.args.every((a) => typeof a === 'string'))) problems.push('server.mcp_config.args must be an array of strings');
    }
  }
  if (manifest.tools !== undefined) {
    if (!Array.isArray(manifest.tools)) problems.push('tools must be an array');
    else
      manifest.tools.forEach((t, i) => {
        if (!isRecord(t) || !str(t.name)) problems.push(`tools[${i}].name is required`);
        else {
          if (t.description !== undefined && typeof t.description !== 'string') problems.push(`tools[${i}].description must be a string`);
          tools.push({
            path: 'manifest.json',
            tool: { name: t.name, ...(typeof t.description === 'string' ? { description: t.description } : {}), inputSchema: isRecord(t.inputSchema) ? { ...t.inputSchema, type: 'object' } : { type: 'object' } } as McpTool,
          });
        }
      });
  }
  if (problems.length > 0) invalid(problems);

  if (isRecord(server)) {
    const cfg = isRecord(server.mcp_config) ? server.mcp_config : {};
    const command = typeof cfg.command === 'string' ? cfg.command : '';
    const args = Array.isArray(cfg.args) ? cfg.args.filter((a): a is string => typeof a === 'string') : [];
    const line = `${command} ${args.join(' ')}`.trim();
    const base = command.split(/[/\\]/).pop() ?? '';
    if ((SHELL_COMMAND.test(base) && args.some((a) => /^(?:-c|\/c|-command|-encodedcommand|-e)$/i.test(a))) || /\b(?:curl|wget)\b|\|\s*(?:ba)?sh\b/.test(line)) {
      findings.push(packageFinding(SHELL_LAUNCH, { location: at('mcp_config'), rawEvidence: line, message: 'The server is launched through a shell command line (or downloads at start): the bundle runs whatever that line says, not its entry point.', confidence: 'high' }));
    }
    const entry = typeof server.entry_point === 'string' ? server.entry_point.replace(/^\.\//, '') : undefined;
    if (entry && !contents.files.some((f) => f.path === entry)) {
      findings.push(packageFinding(MISSING_ENTRY_POINT, { location: at('entry_point'), rawEvidence: entry, message: `The entry point ${entry} is not in the bundle.`, confidence: 'high' }));
    }
    if (server.type === 'binary') {
      findings.push(packageFinding(MISSING_ENTRY_POINT, { location: at('type'), rawEvidence: 'server.type: binary', message: 'The server is a compiled binary: its code cannot be analysed, and tools found in it cannot be compared with the declaration.', confidence: 'high' }));
    }
  }

  if (isRecord(manifest.user_config)) {
    for (const [key, field] of Object.entries(manifest.user_config)) {
      if (!isRecord(field) || field.sensitive === true) continue;
      if (/(?:api[_-]?key|token|secret|password|passwd|credential|private[_-]?key)/i.test(`${key} ${String(field.title ?? '')}`)) {
        findings.push(packageFinding(UNMARKED_SECRET, { location: at(key), rawEvidence: `user_config.${key}`, message: `user_config.${key} looks like a secret but is not marked "sensitive": clients may show or store it in clear.`, confidence: 'medium' }));
      }
    }
  }
  return findings;
}
