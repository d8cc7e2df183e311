import type { McpTool, ToolChange, ToolChangeKind } from '@toolport/contracts';
import { byCodeUnit, canonicalJson, isPlainObject, pathSegment, preview, sameMeaning } from './json-schema';
import { diffSchema, type SchemaChange } from './schema-diff';

type Impact = ToolChange['impact'];

/**
 * What each kind of change means for a caller. Every kind has exactly one impact because the
 * direction-dependent cases already have their own kinds (an output enum that gains a value is
 * `output-schema-narrowed`, not `enum-widened`); the Record makes a new kind fail to compile here.
 */
export const IMPACT_OF_KIND: Readonly<Record<ToolChangeKind, Impact>> = {
  'tool-removed': 'breaking',
  'tool-renamed': 'breaking',
  'required-parameter-added': 'breaking',
  'parameter-removed': 'breaking',
  'parameter-type-changed': 'breaking',
  'enum-narrowed': 'breaking',
  'output-schema-narrowed': 'breaking',
  'tool-added': 'compatible',
  'optional-parameter-added': 'compatible',
  'parameter-became-optional': 'compatible',
  'enum-widened': 'compatible',
  'parameter-type-widened': 'compatible',
  'output-schema-extended': 'compatible',
  'description-changed': 'note',
  'unanalysed-change': 'note',
};

/** Tool fields compared on their own; any other field that changes (`_meta`, `icons`...) is a note. */
const KNOWN_TOOL_FIELDS = new Set(['name', 'title', 'description', 'annotations', 'inputSchema', 'outputSchema']);

/**
 * Every difference between two versions' tool lists that a caller could notice, classified as
 * breaking, compatible or a note, in a deterministic order (tool, then path, then kind, then
 * detail). Nothing that differs is dropped: what cannot be analysed is an `unanalysed-change` note.
 */
export function diffTools(base: readonly McpTool[], next: readonly McpTool[]): ToolChange[] {
  const changes: ToolChange[] = [];
  const before = indexByName(base, 'the earlier version', changes);
  const after = indexByName(next, 'this version', changes);
  const removed = [...before.keys()].filter((name) => !after.has(name));
  const added = [...after.keys()].filter((name) => !before.has(name));
  const renames = findRenames(
    removed.map((name) => before.get(name)!),
    added.map((name) => after.get(name)!),
  );
  const renamedFrom = new Set(renames.map(([from]) => from.name));
  const renamedTo = new Set(renames.map(([, to]) => to.name));

  for (const name of removed) {
    if (!renamedFrom.has(name)) changes.push(change('tool-removed', name, undefined, `tool ${name} was removed`));
  }
  for (const name of added) {
    if (!renamedTo.has(name)) changes.push(change('tool-added', name, undefined, `tool ${name} was added`));
  }
  for (const [from, to] of renames) {
    changes.push(change('tool-renamed', from.name, undefined, `tool ${from.name} was renamed to ${to.name} (same input and output schema): callers using the old name fail`));
    changes.push(...compareTool(from, to));
  }
  for (const [name, tool] of before) {
    const counterpart = after.get(name);
    if (counterpart) changes.push(...compareTool(tool, counterpart));
  }
  return changes.sort(byPosition);
}

/** One tool's two versions (under the later version's name when it was renamed). */
function compareTool(base: McpTool, next: McpTool): ToolChange[] {
  const tool = next.name;
  const changes: ToolChange[] = [];
  for (const field of ['title', 'description'] as const) {
    if (base[field] !== next[field]) {
      changes.push(change('description-changed', tool, field, `${field} changed from ${preview(base[field])} to ${preview(next[field])}`));
    }
  }
  changes.push(...compareAnnotations(tool, base.annotations, next.annotations));
  const fromSchema = (c: SchemaChange) => change(c.kind, tool, c.path, c.detail);
  changes.push(...diffSchema(base.inputSchema, next.inputSchema, 'inputSchema', 'input').map(fromSchema));
  if (base.outputSchema === undefined && next.outputSchema !== undefined) {
    changes.push(change('output-schema-extended', tool, 'outputSchema', 'an output schema was added: the tool now promises structured content'));
  } else if (base.outputSchema !== undefined && next.outputSchema === undefined) {
    changes.push(change('output-schema-narrowed', tool, 'outputSchema', 'the output schema was removed: callers reading structured content no longer get it promised'));
  } else if (base.outputSchema !== undefined) {
    changes.push(...diffSchema(base.outputSchema, next.outputSchema, 'outputSchema', 'output').map(fromSchema));
  }
  const others = new Set([...Object.keys(base), ...Object.keys(next)].filter((field) => !KNOWN_TOOL_FIELDS.has(field)));
  for (const field of others) {
    const a = (base as Record<string, unknown>)[field];
    const b = (next as Record<string, unknown>)[field];
    if (canonicalJson(a) !== canonicalJson(b)) {
      changes.push(change('unanalysed-change', tool, field, `${field} changed from ${preview(a)} to ${preview(b)}; the compatibility check does not analyse it`));
    }
  }
  return changes;
}

/**
 * MCP annotations are hints (`readOnlyHint`, `destructiveHint`...): the MCP specification says
 * clients must not rely on them for behaviour, so a changed hint is a note - one per key, since a
 * `destructiveHint` turning true is worth a reviewer's eye.
 */
function compareAnnotations(tool: string, base: unknown, next: unknown): ToolChange[] {
  if (base !== undefined && !isPlainObject(base)) return wholeAnnotations(tool, base, next);
  if (next !== undefined && !isPlainObject(next)) return wholeAnnotations(tool, base, next);
  const before = base ?? {};
  const after = next ?? {};
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  return keys
    .filter((key) => canonicalJson(before[key]) !== canonicalJson(after[key]))
    .map((key) => change('description-changed', tool, `annotations${pathSegment(key)}`, `annotation ${key} changed from ${preview(before[key])} to ${preview(after[key])}`));
}

function wholeAnnotations(tool: string, base: unknown, next: unknown): ToolChange[] {
  if (canonicalJson(base) === canonicalJson(next)) return [];
  return [change('description-changed', tool, 'annotations', `annotations changed from ${preview(base)} to ${preview(next)}`)];
}

/**
 * A removed and an added tool are one renamed tool when
 *  (a) their input and output schemas are identical, documentation included, and the input
 *      declares at least one property; or
 *  (b) their descriptions are equal and non-empty and their schemas mean the same (documentation
 *      aside);
 * and the pairing is unambiguous: each is the other's only candidate. (a) needs a property
 * because every argument-less tool has the same schema `{"type": "object"}`; identical property
 * descriptions make two different tools that merely share a `path` parameter unlikely to match.
 * The heuristic only chooses the label: a rename and a removal are both breaking, so a wrong
 * guess can never turn a breaking release into a compatible one.
 */
function findRenames(removed: readonly McpTool[], added: readonly McpTool[]): Array<[McpTool, McpTool]> {
  const candidates = (tool: McpTool, others: readonly McpTool[]) => others.filter((other) => looksRenamed(tool, other));
  const pairs: Array<[McpTool, McpTool]> = [];
  for (const from of removed) {
    const matches = candidates(from, added);
    if (matches.length !== 1) continue;
    const to = matches[0]!;
    if (candidates(to, removed).length === 1) pairs.push([from, to]);
  }
  return pairs;
}

function looksRenamed(a: McpTool, b: McpTool): boolean {
  const identical = canonicalJson(a.inputSchema) === canonicalJson(b.inputSchema) && canonicalJson(a.outputSchema) === canonicalJson(b.outputSchema);
  const properties = (a.inputSchema as Record<string, unknown>)['properties'];
  if (identical && isPlainObject(properties) && Object.keys(properties).length > 0) return true;
  const sameDescription = a.description !== undefined && a.description.trim() !== '' && a.description === b.description;
  return sameDescription && sameMeaning(a.inputSchema, b.inputSchema) && sameMeaning(a.outputSchema, b.outputSchema);
}

/** Tools by name; a name declared twice is a note, and its first declaration is the one compared. */
function indexByName(tools: readonly McpTool[], which: string, changes: ToolChange[]): Map<string, McpTool> {
  const byName = new Map<string, McpTool>();
  const repeated = new Set<string>();
  for (const tool of tools) {
    if (byName.has(tool.name)) repeated.add(tool.name);
    else byName.set(tool.name, tool);
  }
  for (const name of repeated) {
    changes.push(change('unanalysed-change', name, undefined, `tool ${name} is declared more than once in ${which}; only its first declaration is compared`));
  }
  return byName;
}

function change(kind: ToolChangeKind, tool: string, path: string | undefined, detail: string): ToolChange {
  return { kind, impact: IMPACT_OF_KIND[kind], tool, ...(path !== undefined ? { path } : {}), detail };
}

function byPosition(a: ToolChange, b: ToolChange): number {
  return byCodeUnit(a.tool, b.tool) || byCodeUnit(a.path ?? '', b.path ?? '') || byCodeUnit(a.kind, b.kind) || byCodeUnit(a.detail, b.detail);
}
