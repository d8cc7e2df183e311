import type { McpTool } from '@toolport/contracts';
import { lineLocator } from '../package-finding';
import { type ExtractedTool, jsonType } from './extracted-tool';

/**
 * Static extraction of Python tool registrations: FastMCP's `@mcp.tool()` decorated functions
 * (name from `name=` or the function, description from `description=` or the docstring,
 * parameters from the signature) and the low-level SDK's `types.Tool(name=..., description=...)`.
 */

export const MAY_REGISTER_PY_TOOLS = /@[\w.]+\.tool\b|\bTool\s*\(\s*name\s*=/;

function balanced(text: string, open: number, max = 4000): { inner: string; end: number } | undefined {
  const close: Record<string, string> = { '(': ')', '[': ']', '{': '}' };
  const stack: string[] = [];
  for (let i = open; i < Math.min(text.length, open + max); i++) {
    const ch = text[i];
    if (ch === '"' || ch === "'") {
      const triple = text.startsWith(ch.repeat(3), i);
      const end = triple ? text.indexOf(ch.repeat(3), i + 3) : text.indexOf(ch, i + 1);
      if (end < 0) return undefined;
      i = triple ? end + 2 : end;
      continue;
    }
    if (close[ch]) stack.push(close[ch]);
    else if (ch === stack[stack.length - 1]) {
      stack.pop();
      if (stack.length === 0) return { inner: text.slice(open + 1, i), end: i + 1 };
    }
  }
  return undefined;
}

/**
 * Calls `visit(i)` for each character of `text` outside brackets and string literals, until it
 * returns true; returns that index, or -1.
 */
function findTopLevel(text: string, visit: (i: number) => boolean): number {
  let depth = 0;
  let quote = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quote) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = '';
    } else if (ch === '"' || ch === "'") quote = ch;
    else if ('([{'.includes(ch)) depth++;
    else if (')]}'.includes(ch)) depth--;
    else if (depth === 0 && visit(i)) return i;
  }
  return -1;
}

/** Splits on top-level commas. */
function splitTop(text: string): string[] {
  const parts: string[] = [];
  let start = 0;
  findTopLevel(text, (i) => {
    if (text[i] === ',') {
      parts.push(text.slice(start, i).trim());
      start = i + 1;
    }
    return false;
  });
  parts.push(text.slice(start).trim());
  return parts.filter(Boolean);
}

/** The value of a Python string literal (one literal, or adjacent literals), else undefined. */
export function pyString(expr: string): string | undefined {
  const e = expr.trim();
  const parts = [...e.matchAll(/[rRuU]?("""|'''|"|')([\s\S]*?)\1\s*/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('').trim() !== e.replace(/^\(|\)$/g, '').trim()) return undefined;
  return parts.map((p) => p[2].replace(/\\n/g, '\n').replace(/\\(["'\\])/g, '$1')).join('');
}

const kwarg = (args: string[], name: string): string | undefined => {
  const hit = args.find((a) => new RegExp(`^${name}\\s*=`).test(a));
  return hit === undefined ? undefined : hit.replace(new RegExp(`^${name}\\s*=\\s*`), '');
};

function dedent(doc: string): string {
  const lines = doc.split('\n');
  const indents = lines.slice(1).filter((l) => l.trim()).map((l) => /^\s*/.exec(l)![0].length);
  const cut = indents.length ? Math.min(...indents) : 0;
  return [lines[0].trim(), ...lines.slice(1).map((l) => l.slice(cut))].join('\n').trim();
}

/** Index of the `=` that starts a default value (outside brackets and strings), or -1. */
function topLevelEquals(param: string): number {
  return findTopLevel(param, (i) => param[i] === '=' && param[i + 1] !== '=');
}

function parameters(signature: string): McpTool['inputSchema'] {
  const properties: Record<string, Record<string, unknown>> = {};
  const required: string[] = [];
  for (const raw of splitTop(signature)) {
    const eq = topLevelEquals(raw);
    const head = eq < 0 ? raw : raw.slice(0, eq);
    const h = /^\*{0,2}([A-Za-z_]\w*)\s*(?::\s*([\s\S]+))?$/.exec(head.trim());
    if (!h) continue;
    const [, param, annotation = ''] = h;
    const defaultValue = eq < 0 ? undefined : raw.slice(eq + 1).trim();
    if (/^(?:self|cls|ctx|context)$/.test(param) || raw.startsWith('*') || /\bContext\b/.test(annotation)) continue;
    const schema: Record<string, unknown> = {};
    const base = /^(?:Annotated\[\s*)?(?:Optional\[)?\s*([A-Za-z_]\w*)/.exec(annotation)?.[1];
    const type = base ? jsonType(base) : undefined;
    if (type) schema.type = type;
    const fieldDesc = /(?:Field|Param)\([^)]*description\s*=\s*("""[\s\S]*?"""|"[^"]*"|'[^']*')/.exec(annotation + (defaultValue ?? ''));
    if (fieldDesc) schema.description = pyString(fieldDesc[1]);
    const literalArgs = /Literal\[([^\]]*)\]/.exec(annotation);
    if (literalArgs) schema.enum = splitTop(literalArgs[1]).map(pyString).filter((v): v is string => v !== undefined);
    properties[param] = schema;
    if (defaultValue === undefined && !/Optional\[|\|\s*None/.test(annotation)) required.push(param);
  }
  return { type: 'object', ...(required.length ? { properties, required } : { properties }) };
}

export function extractPythonTools(path: string, text: string): ExtractedTool[] {
  if (!MAY_REGISTER_PY_TOOLS.test(text)) return [];
  const line = lineLocator(text);
  const found: ExtractedTool[] = [];
  for (const m of text.matchAll(/^[ \t]*@[\w.]+\.tool\b/gm)) {
    let cursor = m.index + m[0].length;
    let args: string[] = [];
    if (text[cursor] === '(') {
      const call = balanced(text, cursor);
      if (!call) continue;
      args = splitTop(call.inner);
      cursor = call.end;
    }
    const def = /^(?:\s*@[^\n]*\n)*\s*(?:async\s+)?def\s+([A-Za-z_]\w*)\s*\(/.exec(text.slice(cursor, cursor + 2000));
    if (!def) continue;
    const sigOpen = cursor + def.index + def[0].length - 1;
    const sig = balanced(text, sigOpen);
    if (!sig) continue;
    const after = text.slice(sig.end, sig.end + 20000);
    const doc = /^[^\n:]*:[ \t]*\n\s*[rRuU]?("""|''')([\s\S]*?)\1/.exec(after) ?? /^[^\n:]*:[ \t]*\n\s*[rRuU]?(")((?:\\.|[^"\\\n])*)"/.exec(after);
    const nameArg = kwarg(args, 'name') ?? (args[0] && !args[0].includes('=') ? args[0] : undefined);
    const name = (nameArg !== undefined ? pyString(nameArg) : undefined) ?? def[1];
    const descArg = kwarg(args, 'description');
    const description = descArg !== undefined ? pyString(descArg) : doc ? dedent(doc[2]) : undefined;
    const title = kwarg(args, 'title');
    const tool = {
      name,
      ...(title && pyString(title) !== undefined ? { title: pyString(title) } : {}),
      ...(description !== undefined ? { description } : {}),
      inputSchema: parameters(sig.inner),
    } as McpTool;
    found.push({ tool, path, line: line(m.index + m[0].indexOf('@')), literalDescription: descArg === undefined || description !== undefined });
  }
  for (const m of text.matchAll(/\bTool\s*\(\s*name\s*=/g)) {
    const call = balanced(text, m.index + m[0].indexOf('('));
    if (!call) continue;
    const args = splitTop(call.inner);
    const name = pyString(kwarg(args, 'name') ?? '');
    if (!name) continue;
    const descArg = kwarg(args, 'description');
    const description = descArg !== undefined ? pyString(descArg) : undefined;
    found.push({
      tool: { name, ...(description !== undefined ? { description } : {}), inputSchema: { type: 'object' } } as McpTool,
      path,
      line: line(m.index),
      literalDescription: descArg === undefined || description !== undefined,
    });
  }
  return found;
}
