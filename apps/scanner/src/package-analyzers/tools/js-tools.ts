import type { McpTool } from '@toolport/contracts';
import * as ts from 'typescript';
import { collectDeclarations, lineOf, literalString, parseSource, propertyValue } from '../source/js-syntax';
import { type ExtractedTool, jsonType } from './extracted-tool';

/**
 * Static extraction of MCP tool registrations from JS/TS (the TypeScript SDK's
 * `server.tool(...)`, `server.registerTool(...)`, and `setRequestHandler(ListToolsRequestSchema,
 * ...)` returning a literal `tools` array). Only literal text is taken; a value built at run time
 * is left out rather than guessed.
 */

/** Files worth parsing for registrations: a cheap prefilter keeps the AST work small. */
export const MAY_REGISTER_TOOLS = /\.(?:tool|registerTool|addTool)\s*\(|ListToolsRequestSchema|\binputSchema\b/;

type Decls = ReadonlyMap<string, ts.Expression[]>;

const resolve = (node: ts.Expression | undefined, decls: Decls, depth = 0): ts.Expression | undefined => {
  if (!node) return undefined;
  if (ts.isParenthesizedExpression(node) || ts.isAsExpression(node) || ts.isSatisfiesExpression(node) || ts.isNonNullExpression(node)) return resolve(node.expression, decls, depth);
  if (ts.isIdentifier(node) && depth < 3) {
    const inits = decls.get(node.text);
    return inits?.length === 1 ? resolve(inits[0], decls, depth + 1) : node;
  }
  return node;
};

/**
 * String constants exported anywhere in the package (`export const READ_TOOL = "read_file"`), for
 * names imported from another module. Set per extraction run by extractTools.
 */
let packageConstants: ReadonlyMap<string, string> = new Map();

const text = (node: ts.Expression | undefined, decls: Decls): string | undefined => {
  const n = resolve(node, decls);
  if (!n) return undefined;
  const literal = literalString(n);
  if (literal !== undefined) return literal;
  if (ts.isIdentifier(n) && !decls.has(n.text)) return packageConstants.get(n.text);
  if (ts.isPropertyAccessExpression(n) && ts.isIdentifier(n.name)) return packageConstants.get(n.name.text);
  return undefined;
};

/** `export const NAME = "literal"` across files; a name defined twice with different values is dropped. */
export function collectPackageConstants(files: readonly { text: string }[]): Map<string, string> {
  const found = new Map<string, string | null>();
  for (const { text: source } of files) {
    for (const m of source.matchAll(/\bexport\s+const\s+([A-Za-z_$][\w$]*)\s*=\s*(["'`])((?:\\.|(?!\2)[^\\\n$])*)\2\s*;?/g)) {
      const prev = found.get(m[1]);
      found.set(m[1], prev === undefined || prev === m[3] ? m[3] : null);
    }
  }
  return new Map([...found].filter((e): e is [string, string] => e[1] !== null));
}

/** A literal JSON value, or undefined when any part is computed. */
export function literalJson(node: ts.Expression | undefined, decls: Decls, depth = 0): unknown {
  const n = resolve(node, decls);
  if (!n || depth > 12) return undefined;
  const s = literalString(n);
  if (s !== undefined) return s;
  if (ts.isNumericLiteral(n)) return Number(n.text);
  if (ts.isPrefixUnaryExpression(n) && n.operator === ts.SyntaxKind.MinusToken && ts.isNumericLiteral(n.operand)) return -Number(n.operand.text);
  if (n.kind === ts.SyntaxKind.TrueKeyword) return true;
  if (n.kind === ts.SyntaxKind.FalseKeyword) return false;
  if (n.kind === ts.SyntaxKind.NullKeyword) return null;
  if (ts.isArrayLiteralExpression(n)) {
    const items = n.elements.map((e) => literalJson(e, decls, depth + 1));
    return items.some((i) => i === undefined) ? undefined : items;
  }
  if (ts.isObjectLiteralExpression(n)) {
    const out: Record<string, unknown> = {};
    for (const p of n.properties) {
      if (!ts.isPropertyAssignment(p)) continue;
      const key = ts.isIdentifier(p.name) || ts.isStringLiteral(p.name) || ts.isNumericLiteral(p.name) ? p.name.text : undefined;
      const value = key === undefined ? undefined : literalJson(p.initializer, decls, depth + 1);
      if (key !== undefined && value !== undefined) out[key] = value;
    }
    return out;
  }
  return undefined;
}

/** `z.string().describe('x').optional()` → `{type:'string', description:'x'}` and whether it is optional. */
function zodProperty(node: ts.Expression, decls: Decls): { schema: Record<string, unknown>; optional: boolean } {
  const schema: Record<string, unknown> = {};
  let optional = false;
  let n: ts.Expression | undefined = resolve(node, decls);
  for (let guard = 0; n && guard < 30; guard++) {
    if (!ts.isCallExpression(n) || !ts.isPropertyAccessExpression(n.expression)) break;
    const method = n.expression.name.text;
    const args = n.arguments;
    if (method === 'describe' && args[0]) {
      const d = text(args[0], decls);
      if (d !== undefined && schema.description === undefined) schema.description = d;
    } else if (method === 'optional' || method === 'nullish' || method === 'default') {
      optional = true;
      if (method === 'default' && args[0]) {
        const v = literalJson(args[0], decls);
        if (v !== undefined) schema.default = v;
      }
    } else if (method === 'enum' && args[0]) {
      const values = literalJson(args[0], decls);
      if (Array.isArray(values)) {
        schema.type = 'string';
        schema.enum = values;
      }
    } else if (method === 'literal' && args[0]) {
      const v = literalJson(args[0], decls);
      if (v !== undefined) schema.const = v;
    } else if (ts.isIdentifier(n.expression.expression) && /^(?:z|zod)$/.test(n.expression.expression.text)) {
      const type = jsonType(method);
      if (type && schema.type === undefined) schema.type = type;
      if (method === 'object' && args[0]) Object.assign(schema, zodShape(args[0], decls));
    }
    n = n.expression.expression;
  }
  return { schema, optional };
}

/** A zod raw shape (`{ a: z.string() }`), `z.object({...})`, or a literal JSON schema → JSON Schema. */
export function inputSchemaOf(node: ts.Expression | undefined, decls: Decls): McpTool['inputSchema'] {
  const n = resolve(node, decls);
  if (!n) return { type: 'object' };
  if (ts.isObjectLiteralExpression(n)) {
    const typeProp = propertyValue(n, 'type');
    if (typeProp && literalString(typeProp) === 'object') {
      const json = literalJson(n, decls);
      return { ...(json as Record<string, unknown>), type: 'object' };
    }
    return { type: 'object', ...zodShape(n, decls) };
  }
  if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && n.expression.name.text === 'object' && n.arguments[0]) return { type: 'object', ...zodShape(n.arguments[0], decls) };
  return { type: 'object' };
}

function zodShape(node: ts.Expression, decls: Decls): { properties: Record<string, unknown>; required?: string[] } {
  const n = resolve(node, decls);
  const properties: Record<string, unknown> = {};
  const required: string[] = [];
  if (n && ts.isObjectLiteralExpression(n)) {
    for (const p of n.properties) {
      if (!ts.isPropertyAssignment(p)) continue;
      const key = ts.isIdentifier(p.name) || ts.isStringLiteral(p.name) ? p.name.text : undefined;
      if (key === undefined) continue;
      const { schema, optional } = zodProperty(p.initializer, decls);
      properties[key] = schema;
      if (!optional) required.push(key);
    }
  }
  return required.length ? { properties, required } : { properties };
}

function buildTool(name: string, fields: { title?: string; description?: string; inputSchema: McpTool['inputSchema']; annotations?: unknown; outputSchema?: unknown }): McpTool {
  return {
    name,
    ...(fields.title !== undefined ? { title: fields.title } : {}),
    ...(fields.description !== undefined ? { description: fields.description } : {}),
    inputSchema: fields.inputSchema,
    ...(fields.outputSchema && typeof fields.outputSchema === 'object' && !Array.isArray(fields.outputSchema) ? { outputSchema: { type: 'object', ...(fields.outputSchema as Record<string, unknown>) } } : {}),
    ...(fields.annotations && typeof fields.annotations === 'object' && !Array.isArray(fields.annotations) ? { annotations: fields.annotations as Record<string, unknown> } : {}),
  } as McpTool;
}

const validName = (name: string | undefined): name is string => name !== undefined && name.length > 0 && name.length <= 128;

export function extractJsTools(path: string, source: string, constants: ReadonlyMap<string, string> = new Map()): ExtractedTool[] {
  if (!MAY_REGISTER_TOOLS.test(source)) return [];
  packageConstants = constants;
  const sf = parseSource(path, source);
  const decls = collectDeclarations(sf);
  const found: ExtractedTool[] = [];

  // Each definition object once, whether reached through a ListTools array or on its own.
  const seen = new Set<ts.Node>();
  const fromObject = (node: ts.Expression | undefined, at: ts.Node): void => {
    const obj = resolve(node, decls);
    if (!obj || !ts.isObjectLiteralExpression(obj) || seen.has(obj)) return;
    seen.add(obj);
    const name = text(propertyValue(obj, 'name'), decls);
    if (!validName(name)) return;
    const descNode = propertyValue(obj, 'description');
    const description = text(descNode, decls);
    found.push({
      tool: buildTool(name, {
        title: text(propertyValue(obj, 'title'), decls),
        description,
        inputSchema: inputSchemaOf(propertyValue(obj, 'inputSchema'), decls),
        outputSchema: literalJson(propertyValue(obj, 'outputSchema'), decls),
        annotations: literalJson(propertyValue(obj, 'annotations'), decls),
      }),
      path,
      line: lineOf(obj === node ? obj : at),
      literalDescription: descNode === undefined || description !== undefined,
    });
  };

  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
      const method = node.expression.name.text;
      const args = node.arguments;
      if ((method === 'tool' || method === 'registerTool') && args.length >= 2) {
        const name = text(args[0], decls);
        if (validName(name)) {
          if (method === 'registerTool') {
            const config = resolve(args[1], decls);
            const cfg = config && ts.isObjectLiteralExpression(config) ? config : undefined;
            const descNode = cfg ? propertyValue(cfg, 'description') : undefined;
            const description = text(descNode, decls);
            found.push({
              tool: buildTool(name, {
                title: cfg ? text(propertyValue(cfg, 'title'), decls) : undefined,
                description,
                inputSchema: inputSchemaOf(cfg ? propertyValue(cfg, 'inputSchema') : undefined, decls),
                outputSchema: cfg ? zodOrJsonOutput(propertyValue(cfg, 'outputSchema'), decls) : undefined,
                annotations: cfg ? literalJson(propertyValue(cfg, 'annotations'), decls) : undefined,
              }),
              path,
              line: lineOf(node),
              literalDescription: descNode === undefined || description !== undefined,
            });
          } else {
            const rest = args.slice(1, -1);
            const descNode = rest[0] && !ts.isObjectLiteralExpression(resolve(rest[0], decls) ?? rest[0]) ? rest[0] : undefined;
            const description = text(descNode, decls);
            const objects = rest.filter((a) => a !== descNode);
            found.push({
              tool: buildTool(name, { description, inputSchema: inputSchemaOf(objects[0], decls), annotations: objects[1] ? literalJson(objects[1], decls) : undefined }),
              path,
              line: lineOf(node),
              literalDescription: descNode === undefined || description !== undefined,
            });
          }
        }
      }
      // FastMCP for TypeScript: server.addTool({ name, description, parameters: z.object({...}), execute })
      if (method === 'addTool' && args.length === 1) {
        const obj = resolve(args[0], decls);
        if (obj && ts.isObjectLiteralExpression(obj)) {
          const name = text(propertyValue(obj, 'name'), decls);
          const descNode = propertyValue(obj, 'description');
          const description = text(descNode, decls);
          if (validName(name)) {
            found.push({
              tool: buildTool(name, { description, inputSchema: inputSchemaOf(propertyValue(obj, 'parameters') ?? propertyValue(obj, 'inputSchema'), decls), annotations: literalJson(propertyValue(obj, 'annotations'), decls) }),
              path,
              line: lineOf(node),
              literalDescription: descNode === undefined || description !== undefined,
            });
          }
        }
      }
      if (method === 'setRequestHandler' && args[0] && /ListToolsRequestSchema/.test(args[0].getText()) && args[1]) {
        const visitHandler = (n: ts.Node): void => {
          if (ts.isPropertyAssignment(n) && n.name.getText() === 'tools') {
            const list = resolve(n.initializer, decls);
            if (list && ts.isArrayLiteralExpression(list)) for (const el of list.elements) fromObject(el, el);
          }
          ts.forEachChild(n, visitHandler);
        };
        visitHandler(args[1]);
      }
    }
    // A tool definition object anywhere (`export const getPods = { name, description, inputSchema }`),
    // as servers keep their ListTools array in other modules or build it in a function.
    if (ts.isObjectLiteralExpression(node) && propertyValue(node, 'inputSchema') && propertyValue(node, 'name') && !seen.has(node)) {
      const before = found.length;
      fromObject(node, node);
      for (const t of found.slice(before)) t.via = 'definition-object';
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

function zodOrJsonOutput(node: ts.Expression | undefined, decls: Decls): unknown {
  if (!node) return undefined;
  const schema = inputSchemaOf(node, decls);
  return Object.keys(schema).length > 1 ? schema : undefined;
}
