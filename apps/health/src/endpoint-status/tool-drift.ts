import { canonicalJson, type McpTool, type ToolDriftEntry, toolHash, toolHashInput } from '@toolport/contracts';

/** The tools a live list is compared with (DESIGN.md "health"; issue 6 "Drift"). */
export interface DriftBaseline {
  /** `approved`: the hashes of the scanner's VersionApproved; `declared`: the version's declared tools, before approval. */
  kind: 'approved' | 'declared';
  listHash: string;
  /** Per tool its hash, and its definition when known (an approved hash of a tool nobody declared has none). */
  tools: readonly { name: string; hash: string; tool: McpTool | null }[];
}

/** What one successful probe listed. */
export interface ObservedTools {
  listHash: string;
  tools: readonly McpTool[];
}

export interface ToolDriftReport {
  added: string[];
  removed: string[];
  changed: string[];
  tools: ToolDriftEntry[];
}

const FIELDS = ['description', 'inputSchema', 'outputSchema', 'annotations'] as const;
type Field = (typeof FIELDS)[number];
/** Events stay bounded: a 10,000-character description is cut (the contract's maxLength). */
export const DRIFT_TEXT_LIMIT = 4000;

const byCodeUnit = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The baseline from declared tools (before approval): hashes computed here with the shared toolHash. */
export function declaredBaseline(tools: readonly McpTool[], listHash: string): DriftBaseline {
  return { kind: 'declared', listHash, tools: tools.map((tool) => ({ name: tool.name, hash: toolHash(tool), tool })) };
}

/**
 * The approved hashes with, for each, the declared definition of the same hash (the before text
 * of a change); an approved hash no declared tool has keeps `tool: null`.
 */
export function approvedBaseline(approved: readonly { name: string; hash: string }[], listHash: string, declared: readonly McpTool[]): DriftBaseline {
  const byHash = new Map(declared.map((tool) => [toolHash(tool), tool] as const));
  return { kind: 'approved', listHash, tools: approved.map(({ name, hash }) => ({ name, hash, tool: byHash.get(hash) ?? null })) };
}

/**
 * Added, removed and changed tools (by name) of a live list against the baseline, with the
 * before/after text of what changed; null when every tool matches its hash. Pure.
 */
export function toolDrift(baseline: DriftBaseline, observed: ObservedTools): ToolDriftReport | null {
  const before = new Map<string, { hash: string; tool: McpTool | null }>();
  for (const entry of baseline.tools) if (!before.has(entry.name)) before.set(entry.name, entry);
  const after = new Map<string, { hash: string; tool: McpTool }>();
  for (const tool of observed.tools) if (!after.has(tool.name)) after.set(tool.name, { hash: toolHash(tool), tool });

  const entries: ToolDriftEntry[] = [];
  for (const [name, live] of after) {
    const known = before.get(name);
    if (!known) entries.push({ name, change: 'added', fields: [], before: null, after: text(canonicalJson(toolHashInput(live.tool))) });
    else if (known.hash !== live.hash) entries.push(changedEntry(name, known.tool, live.tool));
  }
  for (const [name, known] of before) {
    if (!after.has(name)) entries.push({ name, change: 'removed', fields: [], before: known.tool ? text(canonicalJson(toolHashInput(known.tool))) : null, after: null });
  }
  if (entries.length === 0) return null;
  entries.sort((a, b) => byCodeUnit(a.name, b.name));
  const named = (change: ToolDriftEntry['change']) => entries.filter((e) => e.change === change).map((e) => e.name);
  return { added: named('added'), removed: named('removed'), changed: named('changed'), tools: entries };
}

function changedEntry(name: string, was: McpTool | null, now: McpTool): ToolDriftEntry {
  // The approved hash matched no declared tool: the change is certain, its before text unknown.
  if (was === null) return { name, change: 'changed', fields: [], before: null, after: text(canonicalJson(toolHashInput(now))) };
  const fields = FIELDS.filter((field) => canonicalJson(was[field] ?? null) !== canonicalJson(now[field] ?? null));
  return { name, change: 'changed', fields, before: fieldsText(was, fields), after: fieldsText(now, fields) };
}

function fieldsText(tool: McpTool, fields: readonly Field[]): string | null {
  if (fields.length === 1) {
    const value = tool[fields[0]!];
    if (value === undefined) return null;
    return text(typeof value === 'string' ? value : canonicalJson(value));
  }
  const picked: Record<string, unknown> = {};
  for (const field of fields) if (tool[field] !== undefined) picked[field] = tool[field];
  return text(canonicalJson(picked));
}

function text(value: string): string {
  return value.length <= DRIFT_TEXT_LIMIT ? value : `${value.slice(0, DRIFT_TEXT_LIMIT - 1)}…`;
}
