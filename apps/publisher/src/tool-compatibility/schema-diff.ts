import type { ToolChangeKind } from '@toolport/contracts';
import {
  admits,
  allowedValuesOf,
  ANALYSED_KEYWORDS,
  byCodeUnit,
  canonicalJson,
  COMPOSITION_KEYWORDS,
  DOCUMENTATION_KEYWORDS,
  isPlainObject,
  pathSegment,
  preview,
  sameMeaning,
  type SchemaNode,
  typesOf,
} from './json-schema';

/**
 * Which way data flows through a schema. A caller WRITES input: the new version must accept all
 * it accepted before, so narrowing breaks and widening is compatible. A caller READS output: the
 * new version must return nothing the caller did not expect and keep what it relied on, so the
 * rules turn around (an output enum that gains a value breaks, one that loses a value does not).
 */
export type Direction = 'input' | 'output';

/** A change found in one schema, before the tool name is attached. */
export interface SchemaChange {
  kind: ToolChangeKind;
  path: string;
  detail: string;
}

/** Deeper than any real tool schema; beyond it a difference is reported, not walked (no stack overflow on hostile input). */
export const MAX_SCHEMA_DEPTH = 32;

type Emit = (change: SchemaChange) => void;

/** Compares two versions of one schema node at `path` and reports every difference, classified or noted. */
export function diffSchema(base: unknown, next: unknown, path: string, direction: Direction): SchemaChange[] {
  const changes: SchemaChange[] = [];
  compareNode(base, next, path, direction, 0, (c) => changes.push(c));
  return changes;
}

function compareNode(base: unknown, next: unknown, path: string, direction: Direction, depth: number, emit: Emit): void {
  // `true` is the schema that admits everything, the same as `{}` (JSON Schema 2020-12 §4.3.2).
  const baseNode = base === true ? {} : base;
  const nextNode = next === true ? {} : next;
  if (!isPlainObject(baseNode) || !isPlainObject(nextNode)) {
    if (canonicalJson(baseNode) !== canonicalJson(nextNode)) {
      emit({ kind: 'unanalysed-change', path, detail: `the schema changed from ${preview(base)} to ${preview(next)}; it is not an object schema, so the change is not analysed` });
    }
    return;
  }
  if (depth >= MAX_SCHEMA_DEPTH) {
    if (canonicalJson(baseNode) !== canonicalJson(nextNode)) {
      emit({ kind: 'unanalysed-change', path, detail: `the schema changed below a nesting depth of ${MAX_SCHEMA_DEPTH}, which is not analysed` });
    }
    return;
  }
  compareDocumentation(baseNode, nextNode, path, emit);
  const composition = COMPOSITION_KEYWORDS.filter((k) => k in baseNode || k in nextNode);
  if (composition.length > 0) {
    if (!sameMeaning(baseNode, nextNode)) {
      emit({
        kind: 'unanalysed-change',
        path,
        detail: `the schema changed and uses ${composition.join(', ')}, which the compatibility check does not analyse: review this change by hand`,
      });
    } else {
      documentationInside(baseNode, nextNode, path, emit);
    }
    return;
  }
  compareOtherKeywords(baseNode, nextNode, path, emit);
  const sharedTypes = compareTypes(baseNode, nextNode, path, direction, emit);
  compareAllowedValues(baseNode, nextNode, path, direction, emit);
  if (sharedTypes.object) compareProperties(baseNode, nextNode, path, direction, depth, emit);
  if (sharedTypes.array) compareItems(baseNode, nextNode, path, direction, depth, emit);
}

function compareDocumentation(base: SchemaNode, next: SchemaNode, path: string, emit: Emit): void {
  for (const keyword of [...DOCUMENTATION_KEYWORDS].sort(byCodeUnit)) {
    if (canonicalJson(base[keyword]) !== canonicalJson(next[keyword])) {
      emit({ kind: 'description-changed', path: `${path}.${keyword}`, detail: `${keyword} changed from ${preview(base[keyword])} to ${preview(next[keyword])}` });
    }
  }
}

/** Inside a composition only documentation changed: one note, since its parts are not walked. */
function documentationInside(base: SchemaNode, next: SchemaNode, path: string, emit: Emit): void {
  const strip = (node: SchemaNode) => Object.fromEntries(Object.entries(node).filter(([k]) => !DOCUMENTATION_KEYWORDS.has(k)));
  if (canonicalJson(strip(base)) !== canonicalJson(strip(next))) {
    emit({ kind: 'description-changed', path, detail: 'documentation (titles, descriptions) inside the schema changed' });
  }
}

/** Every keyword that is neither analysed nor documentation (`minimum`, `format`, `default`, `$defs`...). */
function compareOtherKeywords(base: SchemaNode, next: SchemaNode, path: string, emit: Emit): void {
  const keywords = [...new Set([...Object.keys(base), ...Object.keys(next)])].filter((k) => !ANALYSED_KEYWORDS.has(k) && !DOCUMENTATION_KEYWORDS.has(k));
  for (const keyword of keywords.sort(byCodeUnit)) {
    if (!sameMeaning(base[keyword], next[keyword])) {
      emit({
        kind: 'unanalysed-change',
        path: `${path}.${keyword}`,
        detail: `${keyword} changed from ${preview(base[keyword])} to ${preview(next[keyword])}; the compatibility check does not analyse ${keyword}: review this change by hand`,
      });
    }
  }
}

/** Reports a `type` change; says whether both versions admit objects and arrays (whose insides are then compared). */
function compareTypes(base: SchemaNode, next: SchemaNode, path: string, direction: Direction, emit: Emit): { object: boolean; array: boolean } {
  const baseTypes = typesOf(base);
  const nextTypes = typesOf(next);
  if (baseTypes === null || nextTypes === null) {
    if (!sameMeaning({ type: base['type'] }, { type: next['type'] })) {
      emit({ kind: 'unanalysed-change', path: `${path}.type`, detail: `type changed from ${preview(base['type'])} to ${preview(next['type'])}, which is not a valid type` });
    }
    return { object: false, array: false };
  }
  const shared = {
    object: admits(baseTypes, 'object') && admits(nextTypes, 'object'),
    array: admits(baseTypes, 'array') && admits(nextTypes, 'array'),
  };
  const nextKeepsBase = baseTypes === undefined ? nextTypes === undefined : [...baseTypes].every((t) => admits(nextTypes, t));
  const baseHadNext = nextTypes === undefined ? baseTypes === undefined : [...nextTypes].every((t) => admits(baseTypes, t));
  if (nextKeepsBase && baseHadNext) return shared;
  const from = describeTypes(baseTypes);
  const to = describeTypes(nextTypes);
  if (direction === 'input') {
    if (nextKeepsBase) emit({ kind: 'parameter-type-widened', path, detail: `type widened from ${from} to ${to}: every value accepted before is still accepted` });
    else emit({ kind: 'parameter-type-changed', path, detail: `type changed from ${from} to ${to}: values callers sent before may be refused` });
  } else if (baseHadNext) {
    emit({ kind: 'output-schema-extended', path, detail: `output type narrowed from ${from} to ${to}: callers receive only types they already handle` });
  } else {
    emit({ kind: 'output-schema-narrowed', path, detail: `output type changed from ${from} to ${to}: callers may receive a type they do not expect` });
  }
  return shared;
}

function describeTypes(types: ReadonlySet<string> | undefined): string {
  return types === undefined ? 'any type' : [...types].sort(byCodeUnit).join(' | ');
}

function compareAllowedValues(base: SchemaNode, next: SchemaNode, path: string, direction: Direction, emit: Emit): void {
  const before = allowedValuesOf(base);
  const after = allowedValuesOf(next);
  if (before === null || after === null) {
    if (!sameMeaning({ enum: base['enum'], const: base['const'] }, { enum: next['enum'], const: next['const'] })) {
      emit({ kind: 'unanalysed-change', path: `${path}.enum`, detail: `enum changed from ${preview(base['enum'])} to ${preview(next['enum'])}, which is not a valid enum` });
    }
    return;
  }
  if (before === undefined && after === undefined) return;
  // null: "every value but the other side's", when one side restricts nothing.
  const removed = before === undefined ? null : after === undefined ? [] : [...before].filter((v) => !after.has(v)).sort(byCodeUnit);
  const added = after === undefined ? null : before === undefined ? [] : [...after].filter((v) => !before.has(v)).sort(byCodeUnit);
  const lost = removed === null ? `any value other than ${[...after!].sort(byCodeUnit).join(', ')}` : removed.join(', ');
  const gained = added === null ? `any value besides ${[...before!].sort(byCodeUnit).join(', ')}` : added.join(', ');
  const narrowed = removed === null || removed.length > 0;
  const widened = added === null || added.length > 0;
  if (direction === 'input') {
    if (narrowed) emit({ kind: 'enum-narrowed', path, detail: `allowed values narrowed: ${lost} no longer accepted` });
    if (widened) emit({ kind: 'enum-widened', path, detail: `allowed values widened: ${gained} now accepted` });
  } else {
    if (widened) emit({ kind: 'output-schema-narrowed', path, detail: `output values widened: ${gained} may now be returned, which callers may not handle` });
    if (narrowed) emit({ kind: 'output-schema-extended', path, detail: `output values narrowed: ${lost} no longer returned` });
  }
}

/** Property schemas by name, including names only listed in `required` (they admit any value). */
function propertiesOf(node: SchemaNode): { properties: Map<string, unknown>; required: Set<string> } | null {
  const declared = node['properties'] ?? {};
  const required = node['required'] ?? [];
  if (!isPlainObject(declared) || !Array.isArray(required) || !required.every((r) => typeof r === 'string')) return null;
  const properties = new Map<string, unknown>(Object.entries(declared));
  for (const name of required as string[]) if (!properties.has(name)) properties.set(name, {});
  return { properties, required: new Set(required as string[]) };
}

function compareProperties(base: SchemaNode, next: SchemaNode, path: string, direction: Direction, depth: number, emit: Emit): void {
  const before = propertiesOf(base);
  const after = propertiesOf(next);
  if (before === null || after === null) {
    if (!sameMeaning({ p: base['properties'], r: base['required'] }, { p: next['properties'], r: next['required'] })) {
      emit({ kind: 'unanalysed-change', path: `${path}.properties`, detail: 'properties or required changed but are malformed, so the change is not analysed' });
    }
    return;
  }
  const names = [...new Set([...before.properties.keys(), ...after.properties.keys()])].sort(byCodeUnit);
  for (const name of names) {
    const at = `${path}.properties${pathSegment(name)}`;
    const inBase = before.properties.has(name);
    const inNext = after.properties.has(name);
    const wasRequired = before.required.has(name);
    const isRequired = after.required.has(name);
    if (inBase && !inNext) {
      if (direction === 'input') emit({ kind: 'parameter-removed', path: at, detail: `${wasRequired ? 'required' : 'optional'} parameter ${name} was removed` });
      else emit({ kind: 'output-schema-narrowed', path: at, detail: `output property ${name} was removed` });
      continue;
    }
    if (!inBase && inNext) {
      if (direction === 'output') emit({ kind: 'output-schema-extended', path: at, detail: `output property ${name} was added` });
      else if (isRequired) emit({ kind: 'required-parameter-added', path: at, detail: `required parameter ${name} was added: callers that do not send it are refused` });
      else emit({ kind: 'optional-parameter-added', path: at, detail: `optional parameter ${name} was added` });
      continue;
    }
    if (!wasRequired && isRequired) {
      if (direction === 'input') emit({ kind: 'required-parameter-added', path: at, detail: `parameter ${name} became required: callers that do not send it are refused` });
      else emit({ kind: 'output-schema-extended', path: at, detail: `output property ${name} is now always returned` });
    } else if (wasRequired && !isRequired) {
      if (direction === 'input') emit({ kind: 'parameter-became-optional', path: at, detail: `parameter ${name} became optional` });
      else emit({ kind: 'output-schema-narrowed', path: at, detail: `output property ${name} is no longer required: callers may not receive it` });
    }
    compareNode(before.properties.get(name), after.properties.get(name), at, direction, depth + 1, emit);
  }
}

function compareItems(base: SchemaNode, next: SchemaNode, path: string, direction: Direction, depth: number, emit: Emit): void {
  // A missing `items` admits any item, like `{}`.
  const before = base['items'] ?? {};
  const after = next['items'] ?? {};
  if (Array.isArray(before) || Array.isArray(after)) {
    if (!sameMeaning(before, after)) {
      emit({ kind: 'unanalysed-change', path: `${path}.items`, detail: 'tuple items (an array of schemas) changed; they are not analysed: review this change by hand' });
    }
    return;
  }
  compareNode(before, after, `${path}.items`, direction, depth + 1, emit);
}
