/**
 * The report `POST /v0(.1)/validate` returns, in the official registry's shape
 * (`internal/validators/validation_types.go` upstream): `{valid, issues[]}`, each issue typed,
 * located by a dotted JSON path (`packages[0].transport.url`, `` for the root), graded, and
 * carrying a `reference` that names the rule. References mirror the official ones where a rule
 * exists upstream (`invalid-server-name`, `schema-field-required`...): `mcp-publisher` switches on
 * some of them to print its migration hints, so they are kept verbatim, without a prefix.
 */
export type ValidationIssueType = 'json' | 'schema' | 'semantic' | 'linter';
export type ValidationIssueSeverity = 'error' | 'warning' | 'info';

export interface ValidationReportIssue {
  type: ValidationIssueType;
  path: string;
  message: string;
  severity: ValidationIssueSeverity;
  reference: string;
}

export interface ValidationReport {
  /** False as soon as one issue has severity `error`; warnings and infos never invalidate. */
  valid: boolean;
  issues: ValidationReportIssue[];
}

export function reportOf(issues: ValidationReportIssue[]): ValidationReport {
  return { valid: !issues.some((issue) => issue.severity === 'error'), issues };
}

/** A semantic error, the most common kind of issue the rules produce. */
export function semanticError(path: string, reference: string, message: string): ValidationReportIssue {
  return { type: 'semantic', path, message, severity: 'error', reference };
}

/** `field('packages[0]', 'version')` → `packages[0].version`; `field('', 'name')` → `name`. */
export function field(base: string, name: string): string {
  return base === '' ? name : `${base}.${name}`;
}

export function index(base: string, position: number): string {
  return `${base}[${position}]`;
}

export type JsonObject = Record<string, unknown>;

/** Rules read documents that may break the schema: every field is checked for its type first. */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function stringAt(object: JsonObject, key: string): string | undefined {
  const value = object[key];
  return typeof value === 'string' ? value : undefined;
}

/** The objects of an array field, with their positions (non-objects are the schema's to report). */
export function objectsAt(object: JsonObject, key: string): Array<[JsonObject, number]> {
  const value = object[key];
  if (!Array.isArray(value)) return [];
  return value.flatMap((item, position): Array<[JsonObject, number]> => (isObject(item) ? [[item, position]] : []));
}
