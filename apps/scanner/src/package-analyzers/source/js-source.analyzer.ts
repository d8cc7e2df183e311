import * as ts from 'typescript';
import type { Finding, Severity } from '../../analyzers/finding';
import { fileLine, packageFinding, type PackageRule } from '../package-finding';
import {
  type Alias,
  approxText,
  collectAliases,
  collectDeclarations,
  constantString,
  containsNode,
  lineOf,
  literalString,
  optionsObject,
  parseSource,
  propertyValue,
  references,
  resolveCallee,
  type ResolvedCallee,
  taintTracker,
  unitOf,
} from './js-syntax';
import {
  AGENT_CONFIG_WRITE,
  AGENT_INSTRUCTION_OR_PERSISTENCE,
  AGENT_MCP_CONFIG,
  AI_CLI_UNSAFE_FLAG,
  CREDENTIAL_PATH,
  DOTENV_PATH,
  DOWNLOAD_EXECUTE,
  DYNAMIC_CODE,
  EXFILTRATION,
  SERVICE_TOKEN_PATH,
  SHELL_COMMAND,
  SHELL_DOWNLOAD_EXECUTE,
  SUSPICIOUS_HOST,
} from './source-rules';

export interface SourceFileOptions {
  /** Under node_modules/: only the high-signal rules run. */
  vendored: boolean;
  /** Tests, examples, docs: command-execution findings are skipped (that code does not serve tools). */
  testOrDocs: boolean;
}

const SHELL_EXEC = new Set(['exec', 'execSync']);
const PROCESS_SPAWN = new Set(['spawn', 'spawnSync', 'execFile', 'execFileSync', 'fork']);
const FS_READ = new Set(['readFile', 'readFileSync', 'createReadStream', 'readdir', 'readdirSync', 'open', 'openSync', 'readJson', 'readJsonSync', 'readJSON']);
const FS_WRITE = new Set([
  'writeFile', 'writeFileSync', 'appendFile', 'appendFileSync', 'createWriteStream', 'copyFile', 'copyFileSync', 'cp', 'cpSync',
  'rename', 'renameSync', 'symlink', 'symlinkSync', 'outputFile', 'outputFileSync', 'outputJson', 'outputJsonSync', 'writeJson', 'writeJsonSync', 'writeJSON',
]);
const NETWORK_MODULES: Record<string, ReadonlySet<string> | 'any'> = {
  http: new Set(['request', 'get']),
  https: new Set(['request', 'get']),
  http2: new Set(['connect']),
  net: new Set(['connect', 'createConnection', 'Socket']),
  tls: new Set(['connect']),
  dgram: new Set(['createSocket']),
  dns: new Set(['resolve', 'resolve4', 'resolve6', 'resolveTxt', 'resolveCname', 'lookup']),
  axios: 'any',
  'node-fetch': 'any',
  'cross-fetch': 'any',
  undici: 'any',
  got: 'any',
  needle: 'any',
  superagent: 'any',
  request: 'any',
  ky: 'any',
};
const VM_RUN = new Set(['runInThisContext', 'runInNewContext', 'runInContext', 'compileFunction', 'Script']);
const ZLIB_DECODE = new Set(['inflateSync', 'inflateRawSync', 'gunzipSync', 'unzipSync', 'brotliDecompressSync', 'inflate', 'gunzip']);

interface Unit {
  network: ts.Node[];
  credentialReads: { node: ts.Node; strong: boolean; serviceToken: boolean; what: string }[];
  envDumps: { node: ts.Node; strong: boolean }[];
  writes: ts.Node[];
  chmods: ts.Node[];
  execs: ts.Node[];
  detached: boolean;
  strings: string[];
}

const newUnit = (): Unit => ({ network: [], credentialReads: [], envDumps: [], writes: [], chmods: [], execs: [], detached: false, strings: [] });

function isNetworkCall(callee: ResolvedCallee | undefined, isNew: boolean): boolean {
  if (!callee) return false;
  if (!callee.module) {
    if (callee.path === 'fetch' || callee.path === 'globalThis.fetch' || callee.path === 'window.fetch') return true;
    if (isNew && (callee.path === 'WebSocket' || callee.path === 'XMLHttpRequest' || callee.path === 'EventSource')) return true;
    return callee.path === 'navigator.sendBeacon';
  }
  const members = NETWORK_MODULES[callee.module];
  return members === 'any' || (members !== undefined && members.has(callee.member));
}

function isDecodeCall(node: ts.Node, aliases: ReadonlyMap<string, Alias>): boolean {
  if (!ts.isCallExpression(node)) return false;
  const callee = resolveCallee(node.expression, aliases);
  if (!callee) return false;
  if (callee.path === 'Buffer.from' || callee.path === 'Buffer.alloc') {
    const encoding = node.arguments[1] ? literalString(node.arguments[1]) : undefined;
    return encoding !== undefined && /^(?:base64|base64url|hex|latin1|binary|ucs2)$/i.test(encoding);
  }
  if (callee.path === 'atob' || callee.path === 'window.atob' || callee.path === 'globalThis.atob') return true;
  if (callee.path === 'String.fromCharCode' || callee.path === 'String.fromCodePoint') return node.arguments.length >= 3 || node.arguments.some(ts.isSpreadElement);
  if (callee.path.endsWith('fromCharCode.apply')) return true;
  if (callee.module === 'zlib' && ZLIB_DECODE.has(callee.member)) return true;
  // "...".split('').reverse().join('')
  if (callee.member === 'join' && /\.reverse\(\)\s*\.join$/.test(node.expression.getText().replace(/\s+/g, ''))) return true;
  return false;
}

/** Analyses one JS/TS file: per-call rules plus the co-location rules per unit (see js-syntax unitOf). */
export function analyzeJsSource(path: string, text: string, options: SourceFileOptions): Finding[] {
  const sf = parseSource(path, text);
  const aliases = collectAliases(sf);
  const decls = collectDeclarations(sf);
  const findings: Finding[] = [];
  const units = new Map<ts.Node, Unit>();
  const unit = (node: ts.Node): Unit => {
    const key = unitOf(node);
    let u = units.get(key);
    if (!u) units.set(key, (u = newUnit()));
    return u;
  };
  const emit = (rule: PackageRule, node: ts.Node, severity: Severity, confidence: Finding['confidence'], message: string, evidence?: string) =>
    findings.push(packageFinding(rule, { location: fileLine(path, lineOf(node)), rawEvidence: evidence ?? snippet(node), message, severity, confidence }));

  const calleeOf = (n: ts.CallExpression | ts.NewExpression) => resolveCallee(n.expression, aliases);
  const networkNode = (n: ts.Node): boolean => (ts.isCallExpression(n) || ts.isNewExpression(n)) && isNetworkCall(calleeOf(n), ts.isNewExpression(n));
  const decodeNode = (n: ts.Node): boolean => isDecodeCall(n, aliases);
  const decoded = taintTracker(sf, decodeNode);
  const downloaded = taintTracker(sf, networkNode);
  const credentialSource = (n: ts.Node): boolean => isCredentialRead(n) !== undefined || isEnvDump(n) !== undefined;
  const secretsTainted = taintTracker(sf, credentialSource);

  function isCredentialRead(n: ts.Node): { strong: boolean; serviceToken: boolean; what: string } | undefined {
    if (!ts.isCallExpression(n)) return undefined;
    const callee = calleeOf(n);
    if (!callee) return undefined;
    const fsRead = callee.module === 'fs' && FS_READ.has(callee.member);
    const shell = callee.module === 'child_process' && (SHELL_EXEC.has(callee.member) || PROCESS_SPAWN.has(callee.member));
    if (!fsRead && !shell) return undefined;
    const candidates = n.arguments.map((a) => approxText(a, decls)).join(' ').split('\n');
    const target = candidates.find((t) => CREDENTIAL_PATH.test(t)) ?? candidates.find((t) => DOTENV_PATH.test(t)) ?? candidates[0];
    if (CREDENTIAL_PATH.test(target)) return { strong: true, serviceToken: SERVICE_TOKEN_PATH.test(target) && !/\.ssh|id_(?:rsa|dsa|ecdsa|ed25519)|\.aws/.test(target), what: target };
    if (fsRead && approxText(n.arguments[0] ?? n, decls).split('\n').some((t) => DOTENV_PATH.test(t))) return { strong: false, serviceToken: false, what: target };
    return undefined;
  }

  function isEnvDump(n: ts.Node): { strong: boolean } | undefined {
    if (!ts.isPropertyAccessExpression(n) || n.name.text !== 'env' || !ts.isIdentifier(n.expression) || n.expression.text !== 'process') return undefined;
    const parent = n.parent;
    if (ts.isPropertyAccessExpression(parent) || ts.isElementAccessExpression(parent)) return undefined;
    if (ts.isCallExpression(parent) && parent.arguments.includes(n)) {
      const callee = parent.expression.getText();
      if (/^(?:JSON\.stringify|util\.inspect|inspect|String|Buffer\.from)$/.test(callee) || networkNode(parent)) return { strong: true };
      if (/^Object\.(?:entries|keys|values)$/.test(callee)) return { strong: false };
      return undefined;
    }
    if (ts.isSpreadAssignment(parent) || ts.isSpreadElement(parent)) {
      // `{ env: { ...process.env, X } }` hands the environment to a child process: ordinary.
      const holder = parent.parent?.parent;
      if (holder && ts.isPropertyAssignment(holder) && /env/i.test(holder.name.getText())) return undefined;
      if (holder && (ts.isCallExpression(holder) || ts.isNewExpression(holder)) && /spawn|exec|fork/i.test(holder.expression.getText())) return undefined;
      return { strong: false };
    }
    if (ts.isTemplateSpan(parent)) return { strong: true };
    return undefined;
  }

  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteralLike(node) && node.text.length < 4000) unit(node).strings.push(node.text);
    if (ts.isCallExpression(node) || ts.isNewExpression(node)) inspectCall(node);
    const dump = isEnvDump(node);
    if (dump) unit(node).envDumps.push({ node, strong: dump.strong });
    ts.forEachChild(node, visit);
  };

  function inspectCall(node: ts.CallExpression | ts.NewExpression): void {
    const callee = calleeOf(node);
    const args = node.arguments ?? ts.factory.createNodeArray<ts.Expression>();
    const u = unit(node);
    if (isNetworkCall(callee, ts.isNewExpression(node))) u.network.push(networkStatement(node));
    // `req.write(data)` / `socket.send(data)` on a request or socket made earlier.
    else if (callee && /^(?:write|end|send)$/.test(callee.member) && ts.isPropertyAccessExpression(node.expression) && references(node.expression.expression, downloaded)) u.network.push(node);
    const cred = isCredentialRead(node);
    if (cred) u.credentialReads.push({ node, ...cred });
    if (!callee) return;

    if (callee.module === 'child_process' || (callee.module === 'shelljs' && callee.member === 'exec')) inspectProcess(node, callee, args, u);
    if (callee.module === 'fs' && FS_WRITE.has(callee.member)) {
      u.writes.push(node);
      inspectWrite(node, callee, args);
    }
    if (callee.module === 'fs' && /^f?chmod(?:Sync)?$/.test(callee.member)) u.chmods.push(node);

    const evalLike =
      (!callee.module && (callee.path === 'eval' || callee.path === 'Function' || callee.path === 'globalThis.eval' || callee.path === 'window.eval')) ||
      (callee.module === 'vm' && VM_RUN.has(callee.member)) ||
      (!callee.module && callee.path === 'import') ||
      (!callee.module && callee.path === 'require' && ts.isCallExpression(node)) ||
      callee.path.endsWith('._compile') ||
      // `[].constructor.constructor(code)` is Function by another name.
      callee.path.endsWith('constructor.constructor');
    if (evalLike && args.length > 0) inspectDynamicCode(node, callee, args);
  }

  function inspectProcess(node: ts.CallExpression | ts.NewExpression, callee: ResolvedCallee, args: readonly ts.Expression[], u: Unit): void {
    if (!SHELL_EXEC.has(callee.member) && !PROCESS_SPAWN.has(callee.member)) return;
    u.execs.push(node);
    const opts = optionsObject(args.slice(1));
    const detached = opts ? propertyValue(opts, 'detached') : undefined;
    if (detached && detached.kind !== ts.SyntaxKind.FalseKeyword) u.detached = true;
    const command = args.filter((a) => !ts.isObjectLiteralExpression(a) && !ts.isFunctionLike(a)).map((a) => approxText(a, decls)).join(' ');
    if (/\bchmod\b[^\n]*(?:\+x|7[0-7][0-7])/.test(command)) u.chmods.push(node);
    if (SHELL_DOWNLOAD_EXECUTE.test(command)) {
      emit(DOWNLOAD_EXECUTE, node, 'critical', 'high', `Runs a shell command that downloads code and pipes it to an interpreter (${callee.path}).`);
    }
    if (AI_CLI_UNSAFE_FLAG.test(command)) {
      emit(AGENT_CONFIG_WRITE, node, 'critical', 'high', `Runs an AI command-line tool with its permission checks disabled (${AI_CLI_UNSAFE_FLAG.exec(command)?.[0]}).`);
    }
    if (options.vendored || options.testOrDocs) return;
    const first = args[0];
    if (!first) return;
    const literal = (e: ts.Expression) => constantString(e, decls) !== undefined;
    if (SHELL_EXEC.has(callee.member) || callee.module === 'shelljs') {
      if (!literal(first)) emit(SHELL_COMMAND, node, 'high', 'medium', `${callee.path}() runs a command line built at run time through a shell: anything that reaches it can inject commands.`);
      return;
    }
    const shell = opts ? propertyValue(opts, 'shell') : undefined;
    if (!shell || shell.kind === ts.SyntaxKind.FalseKeyword) return;
    const argv = args[1] && ts.isArrayLiteralExpression(args[1]) ? args[1].elements : [];
    const dynamic = !literal(first) || argv.some((e) => !literal(e as ts.Expression)) || (args[1] !== undefined && !ts.isArrayLiteralExpression(args[1]) && !ts.isObjectLiteralExpression(args[1]));
    if (dynamic) emit(SHELL_COMMAND, node, 'high', 'medium', `${callee.path}() with shell: true and arguments built at run time: the shell re-parses them, so input can inject commands.`);
  }

  function inspectWrite(node: ts.CallExpression | ts.NewExpression, callee: ResolvedCallee, args: readonly ts.Expression[]): void {
    const targetArg = /^(?:copyFile|cp|rename|symlink)/.test(callee.member) ? args[1] : args[0];
    if (!targetArg) return;
    const candidates = approxText(targetArg, decls).split('\n');
    const target = candidates.find((t) => AGENT_INSTRUCTION_OR_PERSISTENCE.test(t)) ?? candidates.find((t) => AGENT_MCP_CONFIG.test(t)) ?? candidates[0];
    if (AGENT_INSTRUCTION_OR_PERSISTENCE.test(target)) {
      emit(AGENT_CONFIG_WRITE, node, 'critical', 'medium', `Writes an agent instruction file or a start-up file (${target}): text there is obeyed by agents or run at every login.`);
    } else if (AGENT_MCP_CONFIG.test(target)) {
      emit(AGENT_CONFIG_WRITE, node, 'high', 'medium', `Writes an agent or MCP configuration file (${target}): it can add servers or change what an agent may do. Fine only when installing is the package's stated purpose.`);
    }
  }

  function inspectDynamicCode(node: ts.CallExpression | ts.NewExpression, callee: ResolvedCallee, args: readonly ts.Expression[]): void {
    const payload = args.filter((a) => !ts.isObjectLiteralExpression(a));
    if (payload.every((a) => literalString(a) !== undefined)) return;
    if (payload.some((a) => containsNode(a, decodeNode) || references(a, decoded))) {
      emit(DYNAMIC_CODE, node, 'critical', 'high', `${callee.path}() runs code decoded at run time (base64, hex, char codes, compressed data): the package hides what it executes.`);
    } else if (payload.some((a) => containsNode(a, networkNode) || references(a, downloaded))) {
      emit(DOWNLOAD_EXECUTE, node, 'critical', 'high', `${callee.path}() runs code fetched from the network.`);
    } else if (payload.some((a) => /^https?:\/\//.test(approxText(a, decls)))) {
      emit(DYNAMIC_CODE, node, 'high', 'medium', `${callee.path}() loads code from a URL.`);
    }
  }

  visit(sf);

  for (const u of units.values()) unitFindings(u);
  return findings;

  function unitFindings(u: Unit): void {
    const suspiciousHost = u.strings.find((s) => SUSPICIOUS_HOST.test(s));
    if (u.network.length > 0 && (u.credentialReads.length > 0 || u.envDumps.length > 0)) {
      const flowSink = u.network.find((sink) => containsNode(sink, credentialSource) || references(sink, secretsTainted));
      // Key material and environment dumps are strong; a service's own token file is strong but
      // may go to that service; an app's own .env or Object.keys(process.env) is weak.
      const keyMaterial = u.credentialReads.some((c) => c.strong && !c.serviceToken) || u.envDumps.some((d) => d.strong);
      const strong = keyMaterial || u.credentialReads.some((c) => c.strong);
      const what = u.credentialReads.map((c) => c.what).find((w) => w) ?? 'process.env';
      const sink = flowSink ?? u.network[0];
      let severity: Severity | undefined;
      if (suspiciousHost && (flowSink || strong)) severity = 'critical';
      else if (flowSink) severity = keyMaterial ? 'critical' : strong ? 'high' : 'medium';
      else if (strong) severity = 'high';
      if (severity) {
        const how = flowSink ? 'and sends what it read over the network' : 'and makes network requests in the same function';
        const host = suspiciousHost ? ` (to ${suspiciousHost.slice(0, 80)})` : '';
        emit(EXFILTRATION, sink, severity, flowSink ? 'high' : 'medium', `Reads credentials or the environment (${what.slice(0, 120)}) ${how}${host}.`);
      }
    }
    if (u.network.length > 0 && u.writes.length > 0 && u.execs.length > 0 && (u.chmods.length > 0 || u.detached)) {
      emit(DOWNLOAD_EXECUTE, u.execs[0], 'critical', 'medium', `Downloads a file, writes it${u.chmods.length ? ', makes it executable' : ''} and runs it${u.detached ? ' detached' : ''}.`);
    }
  }
}

/** A network call with the calls chained on its result (`https.request(o).end(body)`): data sent there counts. */
function networkStatement(node: ts.Node): ts.Node {
  let n = node;
  while (ts.isPropertyAccessExpression(n.parent) && n.parent.expression === n && ts.isCallExpression(n.parent.parent) && n.parent.parent.expression === n.parent) n = n.parent.parent;
  return n;
}

function snippet(node: ts.Node): string {
  const text = node.getText();
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}
