import type { Finding, Severity } from '../../analyzers/finding';
import { fileLine, lineLocator, packageFinding, type PackageRule } from '../package-finding';
import {
  AGENT_CONFIG_WRITE,
  AGENT_INSTRUCTION_OR_PERSISTENCE,
  AGENT_MCP_CONFIG,
  AI_CLI_UNSAFE_FLAG,
  CREDENTIAL_PATH,
  DOWNLOAD_EXECUTE,
  DYNAMIC_CODE,
  EXFILTRATION,
  INSTALL_HOOK,
  SHELL_COMMAND,
  SHELL_DOWNLOAD_EXECUTE,
  SUSPICIOUS_HOST,
} from './source-rules';
import type { SourceFileOptions } from './js-source.analyzer';

/**
 * Python by token-level heuristics (no Python parser in Node): comments and triple-quoted
 * strings are blanked first (keeping line numbers) so docstrings that *describe* `os.system`
 * do not count; code is then matched call by call, and co-location is judged per top-level
 * block (a function, a class, or the module-level statements), as the JS analyzer does per function.
 */

/** Comments and triple-quoted strings replaced by spaces, newlines kept. */
export function maskPython(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '#') {
      const end = text.indexOf('\n', i);
      const stop = end < 0 ? text.length : end;
      out += ' '.repeat(stop - i);
      i = stop;
    } else if ((ch === '"' || ch === "'") && text.startsWith(ch.repeat(3), i)) {
      const end = text.indexOf(ch.repeat(3), i + 3);
      const stop = end < 0 ? text.length : end + 3;
      out += `${ch.repeat(3)}${text.slice(i + 3, Math.max(i + 3, stop - 3)).replace(/[^\n]/g, ' ')}${stop - 3 >= i + 3 ? ch.repeat(3) : ''}`;
      i = stop;
    } else if (ch === '"' || ch === "'") {
      let j = i + 1;
      while (j < text.length && text[j] !== ch && text[j] !== '\n') j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
    } else {
      out += ch;
      i++;
    }
  }
  return out;
}

/** Text of a call's arguments from the `(` at `open`, bounded. */
function callArgs(code: string, open: number, max = 3000): string {
  let depth = 0;
  for (let i = open; i < Math.min(code.length, open + max); i++) {
    if (code[i] === '(' || code[i] === '[' || code[i] === '{') depth++;
    else if (code[i] === ')' || code[i] === ']' || code[i] === '}') {
      depth--;
      if (depth === 0) return code.slice(open + 1, i);
    }
  }
  return code.slice(open + 1, open + max);
}

const DECODE = /\b(?:b64decode|b32decode|b85decode|a85decode|b16decode|urlsafe_b64decode|decodebytes|decodestring|unhexlify)\s*\(|marshal\.loads|zlib\.decompress|bz2\.decompress|lzma\.decompress|bytes\.fromhex|codecs\.decode|\[::-1\]|\bchr\s*\(\s*\w+\s*\)\s*for\b/;
const NETWORK = /\b(?:requests|httpx|aiohttp|session|client)\.(?:post|get|put|patch|request|send)\s*\(|\burlopen\s*\(|\burlretrieve\s*\(|\bHTTPS?Connection\s*\(|\bsocket\.(?:socket|create_connection)\s*\(|\bsmtplib\.SMTP|\bdns\.resolver\.|\bClientSession\s*\(|\bwebsockets?\.connect\s*\(/;
const ENV_DUMP = /\bdict\s*\(\s*os\.environ\s*\)|\bos\.environ\.copy\s*\(\)|\bjson\.dumps\s*\(\s*(?:dict\s*\()?\s*os\.environ|\bstr\s*\(\s*os\.environ\s*\)|(?<!env\s*=\s*\{\s*)\*\*os\.environ|\bos\.environ\.items\s*\(\)/;
const CREDENTIAL_READ = /\b(?:open|Path|expanduser|join|read_text|read_bytes|glob|listdir|walk)\s*\(/;
const SHELL_CALL = /\b(?:subprocess\.)?(?:run|call|Popen|check_output|check_call|getoutput|getstatusoutput)\s*\(|\bos\.(?:system|popen)\s*\(|\bcommands\.getoutput\s*\(/g;
const EXEC_CALL = /(?<![.\w])(?:exec|eval|compile)\s*\(/g;
const WRITE = /\bopen\s*\((?:[^()]|\([^()]*\))*,\s*(?:mode\s*=\s*)?["'][wax]b?\+?["']|\.write_(?:text|bytes)\s*\(|\bshutil\.(?:copy|copyfile|copy2|move)\s*\(/;
const CHMOD = /\bos\.chmod\s*\(|chmod\s+\+x|\bst\.S_IEXEC|0o7[0-7][0-7]/;
const RUN = /\bsubprocess\.|\bos\.(?:system|popen|exec[lv]p?e?|spawn[lv]p?e?|startfile)\s*\(/;

/** A first argument built at run time: f-string, concatenation, %-format, .format(), or a name. */
const dynamicArg = (args: string): boolean => {
  const first = args.trimStart();
  if (/^[rbuRBU]?f["']|^f[rbRB]?["']/i.test(first)) return true;
  if (/^[rbuRBU]{0,2}["']/.test(first)) {
    const lit = /^[rbuRBU]{0,2}(["'])(?:\\.|(?!\1).)*\1\s*(.?)/.exec(first);
    return !lit || /[+%.]/.test(lit[2] ?? '');
  }
  if (/^\[/.test(first)) return /\bf["']|\+\s*\w|\w\s*\+/.test(first.slice(0, first.indexOf(']') + 1));
  return /^[A-Za-z_]/.test(first);
};

interface Block {
  start: number;
  end: number;
}

function topLevelBlocks(code: string): Block[] {
  const blocks: Block[] = [];
  const lines = code.split('\n');
  let offset = 0;
  let current: Block | undefined;
  const moduleLevel: Block = { start: -1, end: -1 };
  for (const l of lines) {
    const top = /^\S/.test(l);
    if (top && /^(?:async\s+def|def|class)\b/.test(l)) {
      current = { start: offset, end: offset + l.length };
      blocks.push(current);
    } else if (top) {
      current = undefined;
    }
    if (current) current.end = offset + l.length;
    offset += l.length + 1;
  }
  moduleLevel.start = 0;
  moduleLevel.end = code.length;
  return blocks.length ? [...blocks, { start: -1, end: -1 }] : [moduleLevel];
}

export function analyzePythonSource(path: string, text: string, options: SourceFileOptions): Finding[] {
  const code = maskPython(text);
  const line = lineLocator(code);
  const findings: Finding[] = [];
  let lines: string[] | undefined;
  const emit = (rule: PackageRule, index: number, severity: Severity, confidence: Finding['confidence'], message: string) => {
    const l = line(index);
    lines ??= text.split('\n');
    findings.push(packageFinding(rule, { location: fileLine(path, l), rawEvidence: lines[l - 1]?.trim() ?? '', message, severity, confidence }));
  };
  const assignedFrom = (pattern: RegExp): Set<string> => {
    const names = new Set<string>();
    for (const m of code.matchAll(/^[ \t]*([A-Za-z_]\w*)\s*=\s*(.+)$/gm)) if (pattern.test(m[2])) names.add(m[1]);
    return names;
  };
  const decodedNames = assignedFrom(DECODE);
  const downloadedNames = assignedFrom(NETWORK);
  const mentions = (args: string, names: Set<string>) => [...names].some((n) => new RegExp(`\\b${n}\\b`).test(args));

  for (const m of code.matchAll(SHELL_CALL)) {
    const args = callArgs(code, m.index + m[0].length - 1);
    if (SHELL_DOWNLOAD_EXECUTE.test(args)) emit(DOWNLOAD_EXECUTE, m.index, 'critical', 'high', 'Runs a shell command that downloads code and pipes it to an interpreter.');
    if (AI_CLI_UNSAFE_FLAG.test(args)) emit(AGENT_CONFIG_WRITE, m.index, 'critical', 'high', 'Runs an AI command-line tool with its permission checks disabled.');
    if (options.vendored || options.testOrDocs) continue;
    const viaShell = /os\.|commands\.|getoutput|getstatusoutput/.test(m[0]) || /\bshell\s*=\s*True\b/.test(args);
    if (viaShell && dynamicArg(args)) emit(SHELL_COMMAND, m.index, 'high', 'medium', `${m[0].replace(/\s*\($/, '')}() runs a command line built at run time through a shell: input can inject commands.`);
  }

  for (const m of code.matchAll(EXEC_CALL)) {
    const args = callArgs(code, m.index + m[0].length - 1);
    if (/^\s*[rbuf]{0,2}["'][^"']*["']\s*$/i.test(args)) continue;
    if (DECODE.test(args) || mentions(args, decodedNames)) emit(DYNAMIC_CODE, m.index, 'critical', 'high', `${m[0].replace(/\s*\($/, '')}() runs code decoded at run time (base64, marshal, zlib, hex): the package hides what it executes.`);
    else if (NETWORK.test(args) || mentions(args, downloadedNames)) emit(DOWNLOAD_EXECUTE, m.index, 'critical', 'high', `${m[0].replace(/\s*\($/, '')}() runs code fetched from the network.`);
  }

  for (const m of code.matchAll(/^.*$/gm)) {
    const l = m[0];
    if (!WRITE.test(l)) continue;
    const strings = [...l.matchAll(/["']([^"'\n]*)["']/g)].map((s) => s[1]);
    const targets = [...strings, `/${strings.join('/')}`];
    if (targets.some((t) => AGENT_INSTRUCTION_OR_PERSISTENCE.test(t)))
      emit(AGENT_CONFIG_WRITE, m.index, 'critical', 'medium', 'Writes an agent instruction file or a start-up file: text there is obeyed by agents or run at every login.');
    else if (targets.some((t) => AGENT_MCP_CONFIG.test(t))) emit(AGENT_CONFIG_WRITE, m.index, 'high', 'medium', 'Writes an agent or MCP configuration file. Fine only when installing is the package’s stated purpose.');
  }

  for (const block of topLevelBlocks(code)) {
    const body = block.start < 0 ? moduleLevelCode(code) : code.slice(block.start, block.end);
    const base = block.start < 0 ? 0 : block.start;
    const network = NETWORK.exec(body);
    if (!network) continue;
    const credLine = body.split('\n').find((l) => CREDENTIAL_READ.test(l) && CREDENTIAL_PATH.test(l));
    const envDump = ENV_DUMP.exec(body);
    const host = SUSPICIOUS_HOST.exec(body);
    if (credLine || envDump) {
      const strong = !!credLine || /dict|copy|dumps|str\s*\(/.test(envDump?.[0] ?? '');
      const severity: Severity = host || strong ? (host ? 'critical' : 'high') : 'medium';
      const networkIndex = block.start < 0 ? code.indexOf(network[0]) : base + network.index;
      emit(EXFILTRATION, networkIndex, severity, host ? 'high' : 'medium', `Reads ${credLine ? 'credential files' : 'the environment'} and makes network requests in the same block${host ? ` (to ${host[0]})` : ''}.`);
    }
    if (CHMOD.test(body) && RUN.test(body) && (/\burlretrieve\s*\(/.test(body) || WRITE.test(body))) {
      emit(DOWNLOAD_EXECUTE, block.start < 0 ? code.indexOf(network[0]) : base + network.index, 'critical', 'medium', 'Downloads a file, makes it executable and runs it.');
    }
  }

  const lineNo = (f: Finding) => Number(f.location.slice(f.location.lastIndexOf(':') + 1));
  findings.sort((a, b) => lineNo(a) - lineNo(b));
  if (/(^|\/)setup\.py$/.test(path) && !options.vendored) findings.push(...setupPyFindings(path, code, line));
  return findings;
}

/** Only the indent-0 statements that are not definitions (module-level code). */
function moduleLevelCode(code: string): string {
  let inDef = false;
  return code
    .split('\n')
    .map((l) => {
      if (/^(?:async\s+def|def|class)\b/.test(l)) inDef = true;
      else if (/^\S/.test(l)) inDef = false;
      return inDef ? '' : l;
    })
    .join('\n');
}

/** setup.py runs at install time for sdists: install-command overrides and module-level downloads/execs. */
function setupPyFindings(path: string, code: string, line: (i: number) => number): Finding[] {
  const dangerous = /\burlopen\s*\(|\burlretrieve\s*\(|\brequests\.\w+\s*\(|\bos\.system\s*\(|\bsubprocess\.|(?<![.\w])exec\s*\(|\bsocket\.|b64decode/;
  const cmdclass = /cmdclass\s*=\s*\{[^}]*["'](?:install|develop|egg_info|bdist_egg|bdist_wheel|build_py)["']/s.exec(code);
  const moduleDanger = dangerous.exec(moduleLevelCode(code));
  const findings: Finding[] = [];
  if (moduleDanger) {
    findings.push(
      packageFinding(INSTALL_HOOK, {
        location: fileLine(path, line(code.indexOf(moduleDanger[0]))),
        rawEvidence: moduleDanger[0],
        message: 'setup.py downloads or runs commands at module level: this runs on every sdist install.',
        severity: 'critical',
        confidence: 'high',
      }),
    );
  }
  if (cmdclass) {
    const overriding = dangerous.test(code);
    findings.push(
      packageFinding(INSTALL_HOOK, {
        location: fileLine(path, line(cmdclass.index)),
        rawEvidence: cmdclass[0],
        message: overriding
          ? 'setup.py overrides an install command (cmdclass) and the file downloads or runs commands: code runs at install time.'
          : 'setup.py overrides an install command (cmdclass): custom code runs at install time.',
        severity: overriding ? 'high' : 'low',
        confidence: 'medium',
      }),
    );
  }
  return findings;
}

/** `.pth` files with `import` lines run at every interpreter start (security-checks.md G, wheels). */
export function analyzePthFile(path: string, text: string): Finding[] {
  const m = /^import\s.*$/m.exec(text);
  if (!m) return [];
  const decoded = DECODE.test(text) || /\bexec\s*\(/.test(text);
  return [
    packageFinding(INSTALL_HOOK, {
      location: fileLine(path, lineLocator(text)(m.index)),
      rawEvidence: m[0],
      message: `A .pth file with an import line: Python runs it at every interpreter start${decoded ? ', and it decodes or executes a payload' : ''}.`,
      severity: decoded ? 'critical' : 'high',
      confidence: 'high',
    }),
  ];
}
