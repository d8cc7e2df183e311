/**
 * The small amount of JSON Schema knowledge the tool diff needs: which keywords it analyses,
 * which only document, and a canonical form in which two schemas that mean the same compare equal.
 */

/** A schema node given as an object (`true`/`false` schemas are handled by the caller). */
export type SchemaNode = Record<string, unknown>;

/** Keywords that only document: changing them is a note (JSON Schema 2020-12 §9 "meta-data"). */
export const DOCUMENTATION_KEYWORDS: ReadonlySet<string> = new Set(['title', 'description', 'examples', '$comment', 'deprecated', 'readOnly', 'writeOnly']);

/** Keywords the diff understands and classifies itself; every other keyword that changes becomes a note. */
export const ANALYSED_KEYWORDS: ReadonlySet<string> = new Set(['type', 'properties', 'required', 'enum', 'const', 'items']);

/**
 * Keywords whose meaning depends on another schema or on combining several. A node using one is
 * compared as a whole: with `anyOf` present, a missing `type` no longer means "any type", so the
 * keyword-by-keyword rules would misjudge it.
 */
export const COMPOSITION_KEYWORDS: readonly string[] = ['$ref', '$dynamicRef', '$recursiveRef', 'allOf', 'anyOf', 'oneOf', 'not', 'if', 'then', 'else'];

/** Where a schema holds further schemas (JSON Schema 2020-12 §10 and draft-07 equivalents). */
const SCHEMA_MAP_KEYWORDS = new Set(['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas', 'dependencies']);
const SCHEMA_VALUE_KEYWORDS = new Set([
  'items',
  'additionalItems',
  'additionalProperties',
  'unevaluatedItems',
  'unevaluatedProperties',
  'contains',
  'propertyNames',
  'not',
  'if',
  'then',
  'else',
]);
const SCHEMA_ARRAY_KEYWORDS = new Set(['allOf', 'anyOf', 'oneOf', 'prefixItems']);

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** JSON with object keys sorted, so equal values give equal strings whatever their key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (isPlainObject(value)) {
    const keys = Object.keys(value).sort(byCodeUnit);
    return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * The schema without documentation, with order-free arrays (`required`, `enum`, `type`) sorted:
 * what a caller's call depends on. Documentation keywords are removed only where a schema is
 * expected, never inside `properties` (a parameter may well be called `description`).
 */
export function withoutDocumentation(schema: unknown): unknown {
  if (!isPlainObject(schema)) return schema;
  const result: Record<string, unknown> = {};
  for (const [keyword, value] of Object.entries(schema)) {
    if (DOCUMENTATION_KEYWORDS.has(keyword)) continue;
    if (SCHEMA_MAP_KEYWORDS.has(keyword) && isPlainObject(value)) {
      result[keyword] = Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, withoutDocumentation(sub)]));
    } else if (SCHEMA_VALUE_KEYWORDS.has(keyword)) {
      result[keyword] = Array.isArray(value) ? value.map(withoutDocumentation) : withoutDocumentation(value);
    } else if (SCHEMA_ARRAY_KEYWORDS.has(keyword) && Array.isArray(value)) {
      result[keyword] = value.map(withoutDocumentation);
    } else if ((keyword === 'required' || keyword === 'enum' || keyword === 'type') && Array.isArray(value)) {
      result[keyword] = [...new Map(value.map((v) => [canonicalJson(v), v])).entries()].sort(([a], [b]) => byCodeUnit(a, b)).map(([, v]) => v);
    } else {
      result[keyword] = value;
    }
  }
  return result;
}

export const sameMeaning = (a: unknown, b: unknown): boolean => canonicalJson(withoutDocumentation(a)) === canonicalJson(withoutDocumentation(b));

/** The JSON types a node admits; undefined when it has no `type` (any type), null when `type` is malformed. */
export function typesOf(node: SchemaNode): ReadonlySet<string> | undefined | null {
  const type = node['type'];
  if (type === undefined) return undefined;
  if (typeof type === 'string') return new Set([type]);
  if (Array.isArray(type) && type.length > 0 && type.every((t) => typeof t === 'string')) return new Set(type as string[]);
  return null;
}

/** Does a node with these types accept values of JSON type `type`? (`number` accepts integers.) */
export function admits(types: ReadonlySet<string> | undefined, type: string): boolean {
  if (types === undefined) return true;
  return types.has(type) || (type === 'integer' && types.has('number'));
}

/**
 * The values a node admits by `enum`/`const`, as canonical JSON; undefined when it restricts none,
 * null when malformed. With both keywords the node admits their intersection.
 */
export function allowedValuesOf(node: SchemaNode): ReadonlySet<string> | undefined | null {
  const hasEnum = 'enum' in node;
  const hasConst = 'const' in node;
  if (hasEnum && !Array.isArray(node['enum'])) return null;
  const fromEnum = hasEnum ? new Set((node['enum'] as unknown[]).map(canonicalJson)) : undefined;
  const fromConst = hasConst ? new Set([canonicalJson(node['const'])]) : undefined;
  if (fromEnum && fromConst) return new Set([...fromEnum].filter((v) => fromConst.has(v)));
  return fromEnum ?? fromConst;
}

/** Comparison by UTF-16 code units: the same order on every machine, unlike localeCompare. */
export function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A short, single-line rendering of a value for change details. */
export function preview(value: unknown, max = 80): string {
  const text = value === undefined ? 'nothing' : canonicalJson(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** `properties.name`, or `properties["odd name"]` when the name is not a plain identifier. */
export function pathSegment(name: string): string {
  return /^[A-Za-z0-9_$-]+$/.test(name) ? `.${name}` : `[${JSON.stringify(name)}]`;
}
