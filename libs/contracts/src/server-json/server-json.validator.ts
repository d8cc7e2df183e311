import type Ajv from 'ajv';
import { type ErrorObject, type ValidateFunction } from 'ajv';
import { createAjv, issuesFromAjv, pointerToPath, type ValidationIssue } from '../validation';
import officialSchema from './server.schema.2025-12-11.json';

/** `$id` of the current official server.json schema (draft-07), shipped verbatim next to this file. */
export const OFFICIAL_SCHEMA_ID: string = officialSchema.$id;

/** Schema ids a document may name in `$schema`. Older official ids are added (with a warning) by the publisher. */
export const SUPPORTED_SCHEMA_IDS: readonly string[] = [OFFICIAL_SCHEMA_ID];

export interface ServerJsonSchemaResult {
  valid: boolean;
  issues: ValidationIssue[];
}

interface CompiledSchema {
  ajv: Ajv;
  validate: ValidateFunction;
  /** JSON pointers (inside the schema) of every `anyOf` array. */
  combinators: string[];
}

let compiled: CompiledSchema | undefined;

/** Compiled on first use (a few ms), then shared: the schema never changes at run time. */
function compiledSchema(): CompiledSchema {
  if (compiled === undefined) {
    // Ajv 8's default class implements draft-07, the dialect the official schema declares.
    const ajv = createAjv();
    const validate = ajv.compile(officialSchema);
    compiled = { ajv, validate, combinators: findCombinators(officialSchema, '') };
  }
  return compiled;
}

/**
 * Checks a document against the official server.json JSON Schema only. Semantic rules (allowed
 * registry types, https remotes, `$schema` presence and version, namespaces...) are the publisher's.
 * Issues carry dotted paths (`packages[0].transport.url`, `` for the root), without duplicates.
 */
export function validateServerJsonSchema(document: unknown): ServerJsonSchemaResult {
  const { validate } = compiledSchema();
  if (validate(document)) return { valid: true, issues: [] };
  return { valid: false, issues: explain(validate.errors ?? [], document) };
}

/*
 * Why errors are reduced, and how.
 *
 * With `allErrors`, Ajv reports a failed `anyOf` as every error of every branch followed by
 * "must match a schema in anyOf". For a package transport `{type: "websocket"}` that is six
 * errors: "url is required" twice (irrelevant: the type is the fault) and "type must be equal to
 * one of the allowed values" three times, each branch allowing one value. So each anyOf failure
 * is replaced by:
 *   1. one issue at its own path naming the alternatives (`must match one of: StdioTransport, ...`);
 *   2. the errors of the most specific branches:
 *      - a branch whose enum/const on a direct child failed (every alternative in this schema is
 *        told apart by its `type`) is a branch the author did not mean: it is set aside;
 *      - if every branch was set aside on the same child, that child gets one issue listing all
 *        the allowed values together (`must be one of "stdio", "streamable-http", "sse"`);
 *      - otherwise, among the remaining branches, those with the fewest (reduced) issues win;
 *        ties are all reported.
 *   Alternatives that only list `required` properties (a positional argument needs `valueHint`
 *   or `value`) get a single issue instead, `must have at least one of: valueHint, value`: their
 *   branch errors would each claim that one of them is required.
 *
 * Ajv gives no reliable way to tell which errors of its flat list came from which branch:
 * `schemaPath` is relative to whichever definition Ajv compiled as a separate function. So the
 * branches are validated again one by one against the same data (Ajv resolves
 * `<$id>#/definitions/.../anyOf/<i>` pointers), which gives each branch's errors exactly. Their
 * total is the length of the block that precedes the combinator error, and the block must equal
 * them error for error; if it does not (it always should), the raw errors are kept instead.
 */
function explain(errors: readonly ErrorObject[], document: unknown): ValidationIssue[] {
  const groups: ValidationIssue[][] = [];
  let end = errors.length;
  while (end > 0) {
    const last = errors[end - 1] as ErrorObject;
    const reduced = isCombinator(last) ? reduceCombinator(errors, end - 1, document) : undefined;
    if (reduced !== undefined) {
      groups.push(reduced.issues);
      end = reduced.start;
    } else {
      groups.push(issuesFromAjv([readable(last, document)]));
      end -= 1;
    }
  }
  return dedupe(groups.reverse().flat());
}

/** The official schema combines alternatives with anyOf only (no oneOf), so only anyOf is reduced. */
function isCombinator(error: ErrorObject): boolean {
  return error.keyword === 'anyOf';
}

function reduceCombinator(
  errors: readonly ErrorObject[],
  index: number,
  document: unknown,
): { start: number; issues: ValidationIssue[] } | undefined {
  const failure = errors[index] as ErrorObject;
  // The error's schemaPath is relative to an ancestor of the combinator, hence a suffix of its pointer.
  const suffix = failure.schemaPath.replace(/^#/, '');
  const data = valueAt(document, failure.instancePath);
  for (const pointer of compiledSchema().combinators.filter((candidate) => candidate.endsWith(suffix))) {
    const branches = branchErrors(pointer, data, failure.instancePath);
    const start = index - branches.reduce((count, branch) => count + branch.length, 0);
    if (start >= 0 && sameErrors(errors.slice(start, index), branches.flat())) {
      return { start, issues: describeCombinator(failure, pointer, branches, document) };
    }
  }
  return undefined;
}

function branchErrors(pointer: string, data: unknown, instancePath: string): ErrorObject[][] {
  const { ajv } = compiledSchema();
  const alternatives = schemaAt(pointer) as unknown[];
  return alternatives.map((_, branch) => {
    const validate = ajv.getSchema(`${OFFICIAL_SCHEMA_ID}#${pointer}/${branch}`);
    if (validate === undefined) throw new Error(`server.json schema has no subschema at ${pointer}/${branch}`);
    if (validate(data)) return [];
    return (validate.errors ?? []).map((error) => ({ ...error, instancePath: instancePath + error.instancePath }));
  });
}

function sameErrors(left: readonly ErrorObject[], right: readonly ErrorObject[]): boolean {
  return (
    left.length === right.length &&
    left.every((error, i) => {
      const other = right[i] as ErrorObject;
      return (
        error.instancePath === other.instancePath &&
        error.keyword === other.keyword &&
        JSON.stringify(error.params) === JSON.stringify(other.params)
      );
    })
  );
}

function describeCombinator(
  failure: ErrorObject,
  pointer: string,
  branches: ErrorObject[][],
  document: unknown,
): ValidationIssue[] {
  const alternatives = schemaAt(pointer) as unknown[];
  const path = pointerToPath(failure.instancePath);
  if (alternatives.every(isRequiredOnly)) {
    const names = alternatives.map((alternative) => (alternative as { required: string[] }).required.join(' and '));
    return [{ path, message: `must have at least one of: ${names.join(', ')}` }];
  }
  const head = { path, message: `must match one of: ${alternatives.map(alternativeName).join(', ')}` };
  return [head, ...specificBranchIssues(failure.instancePath, branches, document)];
}

function specificBranchIssues(parent: string, branches: ErrorObject[][], document: unknown): ValidationIssue[] {
  const mismatches = branches.map((branch) => branch.filter((error) => isDiscriminatorMismatch(error, parent)));
  const kept = branches.filter((_, i) => (mismatches[i] as ErrorObject[]).length === 0);
  if (kept.length === 0) {
    const merged = mergedDiscriminator(mismatches);
    if (merged !== undefined) return [merged];
  }
  const candidates = (kept.length > 0 ? kept : branches).map((branch) => explain(branch, document));
  const fewest = Math.min(...candidates.map((issues) => issues.length));
  return candidates.filter((issues) => issues.length === fewest).flat();
}

/** An enum/const failure on a direct child of the alternative's object, such as its `type`. */
function isDiscriminatorMismatch(error: ErrorObject, parent: string): boolean {
  if (error.keyword !== 'enum' && error.keyword !== 'const') return false;
  const rest = error.instancePath.slice(parent.length);
  return error.instancePath.startsWith(parent) && /^\/[^/]+$/.test(rest);
}

function mergedDiscriminator(mismatches: ErrorObject[][]): ValidationIssue | undefined {
  const firsts = mismatches.map((errors) => errors[0] as ErrorObject);
  const at = (firsts[0] as ErrorObject).instancePath;
  if (firsts.some((error) => error.instancePath !== at)) return undefined;
  const allowed = firsts.flatMap(allowedValues);
  const unique = [...new Set(allowed.map((value) => JSON.stringify(value)))];
  return { path: pointerToPath(at), message: `must be one of: ${unique.join(', ')}` };
}

function allowedValues(error: ErrorObject): unknown[] {
  if (error.keyword === 'const') return [(error.params as { allowedValue: unknown }).allowedValue];
  return (error.params as { allowedValues: unknown[] }).allowedValues;
}

/** Ajv's enum, const and not messages do not say what is allowed or what was wrong. */
function readable(error: ErrorObject, document: unknown): ErrorObject {
  if (error.keyword === 'enum' || error.keyword === 'const') {
    const values = allowedValues(error).map((value) => JSON.stringify(value));
    return { ...error, message: values.length === 1 ? `must be ${values[0]}` : `must be one of: ${values.join(', ')}` };
  }
  if (error.keyword === 'not') {
    // The value at the path is exactly what the `not` subschema matched, so it is the excluded one.
    return { ...error, message: `must not be ${JSON.stringify(valueAt(document, error.instancePath))}` };
  }
  return error;
}

function alternativeName(alternative: unknown, index: number): string {
  const ref = (alternative as { $ref?: unknown }).$ref;
  return typeof ref === 'string' ? (ref.split('/').pop() as string) : `alternative ${index + 1}`;
}

function isRequiredOnly(alternative: unknown): boolean {
  if (typeof alternative !== 'object' || alternative === null) return false;
  const keys = Object.keys(alternative);
  return keys.length === 1 && keys[0] === 'required';
}

function dedupe(issues: ValidationIssue[]): ValidationIssue[] {
  const seen = new Set<string>();
  return issues.filter((issue) => {
    const key = `${issue.path}\u0000${issue.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Draft-07 keywords that hold subschemas, so the walk never mistakes data (enum, examples...) for a schema. */
const SCHEMA_LISTS = new Set(['allOf', 'anyOf', 'oneOf']);
const SCHEMA_MAPS = new Set(['definitions', 'properties', 'patternProperties', 'dependencies']);
const SCHEMA_VALUES = new Set(['not', 'items', 'additionalItems', 'additionalProperties', 'contains', 'propertyNames', 'if', 'then', 'else']);

function findCombinators(schema: unknown, pointer: string): string[] {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return [];
  return Object.entries(schema).flatMap(([key, value]) => {
    const at = `${pointer}/${escapePointer(key)}`;
    if (SCHEMA_LISTS.has(key) && Array.isArray(value)) {
      const own = key === 'anyOf' ? [at] : [];
      return [...own, ...value.flatMap((sub, i) => findCombinators(sub, `${at}/${i}`))];
    }
    if (SCHEMA_MAPS.has(key) && typeof value === 'object' && value !== null) {
      return Object.entries(value).flatMap(([name, sub]) => findCombinators(sub, `${at}/${escapePointer(name)}`));
    }
    if (SCHEMA_VALUES.has(key)) {
      return Array.isArray(value) ? value.flatMap((sub, i) => findCombinators(sub, `${at}/${i}`)) : findCombinators(value, at);
    }
    return [];
  });
}

function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

function schemaAt(pointer: string): unknown {
  return valueAt(officialSchema, pointer);
}

/** RFC 6901 JSON pointer lookup; undefined when the path does not exist. */
function valueAt(root: unknown, pointer: string): unknown {
  if (pointer === '') return root;
  return pointer
    .split('/')
    .slice(1)
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<unknown>((node, segment) => {
      if (typeof node !== 'object' || node === null) return undefined;
      return Object.prototype.hasOwnProperty.call(node, segment) ? (node as Record<string, unknown>)[segment] : undefined;
    }, root);
}
