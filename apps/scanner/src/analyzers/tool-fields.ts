import type { McpTool } from '@toolport/contracts';

/**
 * Every string of a tool that reaches the model, with its JSON path. Poisoning is not limited to
 * `description`: CyberArk's "full-schema poisoning" hides instructions in parameter names,
 * defaults and enum values (security-checks.md §2.4), so the walk visits all of them.
 */

/** What part of the tool a string comes from; analyzers weigh some roles differently. */
export type FieldRole =
  | 'name'
  | 'title'
  | 'description'
  /** A key under `properties`/`patternProperties`: the parameter's name as the model sees it. */
  | 'property-name'
  /** `description`, `title` or `$comment` inside a schema. */
  | 'schema-text'
  | 'enum'
  | 'default'
  | 'example'
  /** `pattern`: a regular expression, not prose. */
  | 'pattern'
  | 'annotation'
  /** Any other string in a schema (`type`, `format`, `$ref`, vendor keywords…). */
  | 'schema-other';

export interface ToolField {
  /** `tools.<name>.inputSchema.properties.path.description` */
  path: string;
  role: FieldRole;
  text: string;
}

/** A parameter of the input schema (nested object properties and array items included). */
export interface ToolParameter {
  name: string;
  /** Path of the parameter's schema: `tools.<tool>.inputSchema.properties.<name>`. */
  path: string;
  description: string;
  /** The parameter can carry arbitrary text: a string without enum/const/pattern/format, or an untyped value. */
  freeText: boolean;
}

type JsonObject = Record<string, unknown>;

const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

/** `.name` when the segment is a plain identifier, `["a.b"]` otherwise, as the publisher's tool diff writes paths. */
export function pathSegment(name: string): string {
  return /^[A-Za-z0-9_$-]+$/.test(name) ? `.${name}` : `[${JSON.stringify(name)}]`;
}

export const toolPath = (tool: Pick<McpTool, 'name'>): string => `tools${pathSegment(tool.name)}`;

const PROPERTY_MAPS = new Set(['properties', 'patternProperties']);
const TEXT_KEYWORDS = new Set(['description', 'title', '$comment']);
/** Keywords whose value is data, not a schema: nothing inside them is a parameter. */
const VALUE_KEYWORDS = new Set(['default', 'enum', 'const', 'examples', 'example']);

function roleOf(keyword: string, inArrayOf: string | null): FieldRole {
  const key = inArrayOf ?? keyword;
  if (TEXT_KEYWORDS.has(key)) return 'schema-text';
  if (key === 'enum' || key === 'const') return 'enum';
  if (key === 'default') return 'default';
  if (key === 'examples' || key === 'example') return 'example';
  if (key === 'pattern') return 'pattern';
  return 'schema-other';
}

/**
 * Walks a schema. Strings are collected with a role from the keyword that holds them; under
 * `properties` the keys are parameter names (collected) and the values are schemas again. A
 * `default`/`enum`/`examples` value may be any JSON: its strings keep that keyword's role.
 */
function walkSchema(node: unknown, path: string, out: ToolField[], keyword: string, inValueOf: string | null): void {
  if (typeof node === 'string') {
    out.push({ path, role: roleOf(keyword, inValueOf), text: node });
    return;
  }
  const valueKeyword = inValueOf ?? (VALUE_KEYWORDS.has(keyword) ? keyword : null);
  if (Array.isArray(node)) {
    node.forEach((item, i) => walkSchema(item, `${path}[${i}]`, out, keyword, valueKeyword));
    return;
  }
  if (!isObject(node)) return;
  for (const [key, value] of Object.entries(node)) {
    const childPath = `${path}${pathSegment(key)}`;
    if (valueKeyword === null && PROPERTY_MAPS.has(keyword)) {
      out.push({ path: childPath, role: 'property-name', text: key });
      walkSchema(value, childPath, out, '', null);
    } else {
      walkSchema(value, childPath, out, valueKeyword === null ? key : keyword, valueKeyword);
    }
  }
}

function walkAnnotations(node: unknown, path: string, out: ToolField[]): void {
  if (typeof node === 'string') out.push({ path, role: 'annotation', text: node });
  else if (Array.isArray(node)) node.forEach((item, i) => walkAnnotations(item, `${path}[${i}]`, out));
  else if (isObject(node)) for (const [key, value] of Object.entries(node)) walkAnnotations(value, `${path}${pathSegment(key)}`, out);
}

/** All strings the model sees: name, title, description, every string in both schemas, annotations. */
export function toolFields(tool: McpTool): ToolField[] {
  const base = toolPath(tool);
  const out: ToolField[] = [{ path: `${base}.name`, role: 'name', text: tool.name }];
  if (typeof tool.title === 'string') out.push({ path: `${base}.title`, role: 'title', text: tool.title });
  if (typeof tool.description === 'string') out.push({ path: `${base}.description`, role: 'description', text: tool.description });
  walkSchema(tool.inputSchema, `${base}.inputSchema`, out, '', null);
  if (tool.outputSchema !== undefined) walkSchema(tool.outputSchema, `${base}.outputSchema`, out, '', null);
  if (tool.annotations !== undefined) walkAnnotations(tool.annotations, `${base}.annotations`, out);
  return out;
}

function isFreeText(schema: JsonObject): boolean {
  if ('enum' in schema || 'const' in schema || 'pattern' in schema || 'format' in schema) return false;
  const type = schema.type;
  if (type === undefined) return !('properties' in schema) && !('items' in schema);
  const types = Array.isArray(type) ? type : [type];
  return types.includes('string');
}

function collectParameters(schema: unknown, path: string, out: ToolParameter[], depth: number): void {
  if (!isObject(schema) || depth > 8) return;
  const properties = schema.properties;
  if (isObject(properties)) {
    for (const [name, sub] of Object.entries(properties)) {
      const subPath = `${path}.properties${pathSegment(name)}`;
      const subSchema = isObject(sub) ? sub : {};
      out.push({ name, path: subPath, description: typeof subSchema.description === 'string' ? subSchema.description : '', freeText: isFreeText(subSchema) });
      collectParameters(subSchema, subPath, out, depth + 1);
    }
  }
  if (isObject(schema.items)) collectParameters(schema.items, `${path}.items`, out, depth + 1);
}

/** The input parameters, outermost first. */
export function toolParameters(tool: McpTool): ToolParameter[] {
  const out: ToolParameter[] = [];
  collectParameters(tool.inputSchema, `${toolPath(tool)}.inputSchema`, out, 0);
  return out;
}

/** The parameter whose schema holds the field at `path`, if any (`…properties.notes.description` → notes). */
export function parameterOfPath(parameters: readonly ToolParameter[], path: string): ToolParameter | undefined {
  return parameters
    .filter((p) => path === p.path || path.startsWith(`${p.path}.`) || path.startsWith(`${p.path}[`))
    .sort((a, b) => b.path.length - a.path.length)[0];
}
