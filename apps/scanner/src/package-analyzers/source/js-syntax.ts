import * as ts from 'typescript';

/**
 * Small helpers over the TypeScript compiler's syntax tree (no type checker: `createSourceFile`
 * parses JS and TS alike, never resolves modules and never runs anything).
 */

/**
 * Parsed files of the package being analysed, shared by the source rules and tool extraction so
 * each file is parsed once. Weak on the text: nothing outlives the scan that read the package.
 */
const parsed = new Map<string, { text: string; sf: ts.SourceFile }>();

export function parseSource(path: string, text: string): ts.SourceFile {
  const hit = parsed.get(path);
  if (hit && hit.text === text) return hit.sf;
  const sf = parseUncached(path, text);
  // One entry per path, replaced by the next package's file of the same path: bounded memory.
  parsed.set(path, { text, sf });
  return sf;
}

/** Drops every cached parse (the package analysis calls it when it is done). */
export function clearParseCache(): void {
  parsed.clear();
}

function parseUncached(path: string, text: string): ts.SourceFile {
  const kind = /\.tsx$/i.test(path) ? ts.ScriptKind.TSX : /\.[cm]?ts$/i.test(path) ? ts.ScriptKind.TS : /\.jsx$/i.test(path) ? ts.ScriptKind.JSX : ts.ScriptKind.JS;
  return ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, kind);
}

/** `node:fs/promises` → `fs`; the module a local name was imported or required from. */
export function normalizeModule(specifier: string): string {
  const bare = specifier.replace(/^node:/, '');
  if (bare === 'fs/promises' || bare === 'fs-extra' || bare === 'graceful-fs' || bare === 'node:fs') return 'fs';
  if (bare === 'dns/promises') return 'dns';
  if (bare === 'timers/promises') return 'timers';
  return bare;
}

export interface Alias {
  module: string;
  /** The imported member (`exec` of `{ exec }`); undefined for a namespace or default import. */
  member?: string;
}

const requiredModule = (node: ts.Node | undefined): string | undefined => {
  if (!node) return undefined;
  let expr: ts.Node = node;
  while (ts.isAwaitExpression(expr) || ts.isParenthesizedExpression(expr)) expr = expr.expression;
  if (ts.isCallExpression(expr) && expr.arguments.length >= 1 && ts.isStringLiteralLike(expr.arguments[0])) {
    const callee = expr.expression;
    if ((ts.isIdentifier(callee) && callee.text === 'require') || callee.kind === ts.SyntaxKind.ImportKeyword) return normalizeModule(expr.arguments[0].text);
  }
  // `require('fs').promises`
  if (ts.isPropertyAccessExpression(expr)) return requiredModule(expr.expression);
  return undefined;
};

/** Local names bound to modules by `import` and `require` (file-wide; shadowing is ignored). */
export function collectAliases(sf: ts.SourceFile): Map<string, Alias> {
  const aliases = new Map<string, Alias>();
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier) && node.importClause) {
      const module = normalizeModule(node.moduleSpecifier.text);
      const clause = node.importClause;
      if (clause.name) aliases.set(clause.name.text, { module });
      const bindings = clause.namedBindings;
      if (bindings && ts.isNamespaceImport(bindings)) aliases.set(bindings.name.text, { module });
      if (bindings && ts.isNamedImports(bindings)) {
        for (const el of bindings.elements) aliases.set(el.name.text, { module, member: (el.propertyName ?? el.name).text });
      }
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference) && ts.isStringLiteral(node.moduleReference.expression)) {
      aliases.set(node.name.text, { module: normalizeModule(node.moduleReference.expression.text) });
    } else if (ts.isVariableDeclaration(node)) {
      const module = requiredModule(node.initializer);
      if (module) {
        if (ts.isIdentifier(node.name)) aliases.set(node.name.text, { module });
        else if (ts.isObjectBindingPattern(node.name)) {
          for (const el of node.name.elements) {
            if (!ts.isIdentifier(el.name)) continue;
            const member = el.propertyName && ts.isIdentifier(el.propertyName) ? el.propertyName.text : el.name.text;
            aliases.set(el.name.text, { module, member });
          }
        }
      } else if (
        ts.isIdentifier(node.name) &&
        node.initializer &&
        ts.isCallExpression(node.initializer) &&
        /(?:^|\.)promisify$/.test(node.initializer.expression.getText()) &&
        node.initializer.arguments[0]
      ) {
        // `const execAsync = promisify(exec)` keeps exec's meaning.
        const target = node.initializer.arguments[0];
        const base = ts.isIdentifier(target) ? aliases.get(target.text) : ts.isPropertyAccessExpression(target) && ts.isIdentifier(target.expression) ? aliases.get(target.expression.text) : undefined;
        if (base) aliases.set(node.name.text, { module: base.module, member: ts.isPropertyAccessExpression(target) ? target.name.text : base.member });
      } else if (ts.isIdentifier(node.name) && node.initializer && ts.isPropertyAccessExpression(node.initializer) && ts.isIdentifier(node.initializer.expression)) {
        // `const fsp = fs.promises`, `const exec = cp.exec`
        const base = aliases.get(node.initializer.expression.text);
        if (base && !base.member) aliases.set(node.name.text, { module: base.module, member: node.initializer.name.text === 'promises' ? undefined : node.initializer.name.text });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return aliases;
}

export interface ResolvedCallee {
  /** The module the callee comes from, when an import or require says so. */
  module?: string;
  /** Last name of the callee (`readFile` of `fs.promises.readFile`). */
  member: string;
  /** Dotted text of the callee (`Buffer.from`, `cp.exec`, `fetch`). */
  path: string;
}

function dotted(expr: ts.Expression): string[] | undefined {
  if (ts.isIdentifier(expr)) return [expr.text];
  if (expr.kind === ts.SyntaxKind.ThisKeyword) return ['this'];
  if (expr.kind === ts.SyntaxKind.ImportKeyword) return ['import'];
  if (ts.isPropertyAccessExpression(expr)) {
    const base = dotted(expr.expression);
    return base ? [...base, expr.name.text] : ['?', expr.name.text];
  }
  if (ts.isElementAccessExpression(expr) && ts.isStringLiteralLike(expr.argumentExpression)) {
    const base = dotted(expr.expression);
    return base ? [...base, expr.argumentExpression.text] : ['?', expr.argumentExpression.text];
  }
  if (ts.isParenthesizedExpression(expr)) return dotted(expr.expression);
  if (ts.isCallExpression(expr)) {
    const module = requiredModule(expr);
    return module ? [`require:${module}`] : undefined;
  }
  return undefined;
}

export function resolveCallee(expr: ts.Expression, aliases: ReadonlyMap<string, Alias>): ResolvedCallee | undefined {
  const parts = dotted(expr);
  if (!parts) return undefined;
  const path = parts.join('.');
  const member = parts[parts.length - 1];
  const head = parts[0];
  if (head.startsWith('require:')) return { module: head.slice('require:'.length), member: parts.length > 1 ? member : 'default', path };
  const alias = aliases.get(head);
  if (alias) return { module: alias.module, member: parts.length === 1 ? (alias.member ?? 'default') : member, path };
  return { member, path };
}

/** Initializers of every variable (and plain `x = …` assignment) in the file, by name. */
export function collectDeclarations(sf: ts.SourceFile): Map<string, ts.Expression[]> {
  const decls = new Map<string, ts.Expression[]>();
  const add = (name: string, init: ts.Expression) => decls.set(name, [...(decls.get(name) ?? []), init]);
  const visit = (node: ts.Node): void => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer) add(node.name.text, node.initializer);
    if (ts.isBinaryExpression(node) && ts.isIdentifier(node.left) && (node.operatorToken.kind === ts.SyntaxKind.EqualsToken || node.operatorToken.kind === ts.SyntaxKind.PlusEqualsToken)) add(node.left.text, node.right);
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return decls;
}

/** A string literal or substitution-free template, else undefined. */
export function literalString(node: ts.Node): string | undefined {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isParenthesizedExpression(node)) return literalString(node.expression);
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    const left = literalString(node.left);
    const right = left === undefined ? undefined : literalString(node.right);
    return left !== undefined && right !== undefined ? left + right : undefined;
  }
  return undefined;
}

/** A string that a constant in the same file resolves to (one level), or the literal itself. */
export function constantString(node: ts.Node, decls: ReadonlyMap<string, ts.Expression[]>): string | undefined {
  const direct = literalString(node);
  if (direct !== undefined) return direct;
  if (ts.isIdentifier(node)) {
    // Constant when every value it is ever given is a literal (`let cmd; if (a) cmd = '…'; else cmd = '…'`).
    const values = (decls.get(node.text) ?? []).map(literalString);
    if (values.length > 0 && values.every((v) => v !== undefined)) return values[0];
  }
  return undefined;
}

const JOINERS = /(?:^|\.)(?:join|resolve|normalize)$/;

/**
 * Approximate text of an expression for pattern matching: literals as themselves, substitutions
 * and unknown values as `…`, `path.join`'s pieces with `/`, the home directory as `~`.
 */
export function approxText(node: ts.Node, decls: ReadonlyMap<string, ts.Expression[]>, depth = 0): string {
  if (depth > 4) return '…';
  const sub = (n: ts.Node) => approxText(n, decls, depth + 1);
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isTemplateExpression(node)) return node.head.text + node.templateSpans.map((s) => sub(s.expression) + s.literal.text).join('');
  if (ts.isParenthesizedExpression(node) || ts.isAwaitExpression(node) || ts.isAsExpression(node) || ts.isNonNullExpression(node)) return sub(node.expression);
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) return sub(node.left) + sub(node.right);
  if (ts.isArrayLiteralExpression(node)) return node.elements.map(sub).join(' ');
  if (ts.isIdentifier(node)) {
    // A variable set on several branches (one path per platform) stands for all of its values.
    const inits = decls.get(node.text);
    // Joined by newlines, which no shell pattern spans (a `|` could fake a pipe between two values).
    return inits && inits.length > 0 && inits.length <= 6 ? inits.map(sub).join('\n') : '…';
  }
  if (ts.isPropertyAccessExpression(node)) {
    const text = node.getText();
    if (/^process\.env\.(?:HOME|USERPROFILE)$/.test(text)) return '~';
    return '…';
  }
  if (ts.isCallExpression(node)) {
    const callee = node.expression.getText();
    if (/(?:^|\.)homedir$/.test(callee)) return '~';
    if (JOINERS.test(callee)) return node.arguments.map(sub).join('/');
    if (/\.concat$/.test(callee)) return [sub((node.expression as ts.PropertyAccessExpression).expression), ...node.arguments.map(sub)].join('');
    return '…';
  }
  return '…';
}

/** True when any node of the subtree satisfies `test` (bounded, so a huge expression cannot stall). */
export function containsNode(root: ts.Node, test: (n: ts.Node) => boolean, budget = 5000): boolean {
  let left = budget;
  const visit = (n: ts.Node): boolean => {
    if (--left < 0) return false;
    if (test(n)) return true;
    return ts.forEachChild(n, visit) ?? false;
  };
  return visit(root);
}

/** Initializers longer than this are code (module wrappers, big literals), not data worth tracing. */
const MAX_TRACED_INIT = 4096;

/**
 * A predicate telling whether an identifier refers to a value derived from a node satisfying
 * `isSource`: declared (or assigned) from it, or from another such variable, a few rounds deep.
 * Variables are told apart by name *and* unit (see unitOf), a use seeing its own unit's
 * variables and those of the units around it: in a bundle, `t` or `sourceCode` in one module is
 * not `t` in another. Function-valued and very long initializers are not traced, which keeps
 * the work linear in the file size.
 */
export function taintTracker(sf: ts.SourceFile, isSource: (n: ts.Node) => boolean): (id: ts.Identifier) => boolean {
  const records: { name: string; init: ts.Expression; unit: ts.Node }[] = [];
  const traced = (init: ts.Expression) => !ts.isFunctionLike(init) && !ts.isClassExpression(init) && init.end - init.pos <= MAX_TRACED_INIT;
  const visit = (node: ts.Node): void => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer && traced(node.initializer)) records.push({ name: node.name.text, init: node.initializer, unit: unitOf(node) });
    if (ts.isBinaryExpression(node) && ts.isIdentifier(node.left) && (node.operatorToken.kind === ts.SyntaxKind.EqualsToken || node.operatorToken.kind === ts.SyntaxKind.PlusEqualsToken) && traced(node.right))
      records.push({ name: node.left.text, init: node.right, unit: unitOf(node) });
    ts.forEachChild(node, visit);
  };
  visit(sf);
  const ids = new Map<ts.Node, number>();
  const key = (unit: ts.Node, name: string) => {
    if (!ids.has(unit)) ids.set(unit, ids.size);
    return `${ids.get(unit)}:${name}`;
  };
  const tainted = new Set<string>();
  const isTainted = (id: ts.Identifier): boolean => {
    if (tainted.size === 0 || isPropertyName(id)) return false;
    for (let u: ts.Node = unitOf(id); ; u = unitOf(u)) {
      if (tainted.has(key(u, id.text))) return true;
      if (ts.isSourceFile(u)) return false;
    }
  };
  for (let round = 0; round < 4; round++) {
    let grew = false;
    for (const r of records) {
      const k = key(r.unit, r.name);
      if (tainted.has(k)) continue;
      if (containsNode(r.init, (n) => isSource(n) || (ts.isIdentifier(n) && isTainted(n)))) {
        tainted.add(k);
        grew = true;
      }
    }
    if (!grew) break;
  }
  return isTainted;
}

/** `x` in `a.x` or `{x: 1}` is a property name, not a reference to variable x. */
export function isPropertyName(node: ts.Identifier): boolean {
  const parent = node.parent;
  return (!!parent && ts.isPropertyAccessExpression(parent) && parent.name === node) || (!!parent && ts.isPropertyAssignment(parent) && parent.name === node);
}

/** True when the subtree uses a variable the tracker says is derived from a source. */
export const references = (root: ts.Node, isTainted: (id: ts.Identifier) => boolean): boolean => containsNode(root, (n) => ts.isIdentifier(n) && isTainted(n));

const isFunctionLike = (n: ts.Node): boolean =>
  ts.isFunctionDeclaration(n) || ts.isFunctionExpression(n) || ts.isArrowFunction(n) || ts.isMethodDeclaration(n) || ts.isConstructorDeclaration(n) || ts.isGetAccessor(n) || ts.isSetAccessor(n);

/**
 * The unit in which co-located behaviour counts together: the innermost function that is not a
 * callback (a function passed as an argument belongs with the code that passes it), or the file.
 */
export function unitOf(node: ts.Node): ts.Node {
  const cached = units.get(node);
  if (cached) return cached;
  const parent = node.parent;
  let unit: ts.Node;
  if (!parent) unit = node.getSourceFile();
  else if (ts.isSourceFile(parent)) unit = parent;
  else if (isFunctionLike(parent) && !isCallback(parent)) unit = parent;
  else unit = unitOf(parent);
  units.set(node, unit);
  return unit;
}

/** Memo of unitOf: each node's unit is its parent's unless the parent is a unit itself (linear, not quadratic). */
const units = new WeakMap<ts.Node, ts.Node>();

const isCallback = (fn: ts.Node): boolean => {
  const parent = fn.parent;
  return !!parent && (ts.isCallExpression(parent) || ts.isNewExpression(parent)) && parent.expression !== fn;
};

export const lineOf = (node: ts.Node): number => node.getSourceFile().getLineAndCharacterOfPosition(node.getStart()).line + 1;

/** The callee's options object literal, if an argument is one. */
export function optionsObject(args: readonly ts.Expression[]): ts.ObjectLiteralExpression | undefined {
  for (let i = args.length - 1; i >= 0; i--) if (ts.isObjectLiteralExpression(args[i])) return args[i] as ts.ObjectLiteralExpression;
  return undefined;
}

export function propertyValue(obj: ts.ObjectLiteralExpression, name: string): ts.Expression | undefined {
  for (const p of obj.properties) {
    if (ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) && p.name.text === name) return p.initializer;
    if (ts.isShorthandPropertyAssignment(p) && p.name.text === name) return p.name;
  }
  return undefined;
}
