import { type McpTool, toolHash } from '@toolport/contracts';

export interface ToolSide {
  name: string;
  hash: string;
  description: string | null;
}

export interface ToolDiff {
  /** The version compared against: the server's last approved version, or null when none is. */
  against: string | null;
  added: ToolSide[];
  removed: ToolSide[];
  changed: { name: string; before: ToolSide; after: ToolSide }[];
  unchanged: string[];
}

const side = (tool: McpTool): ToolSide => ({ name: tool.name, hash: toolHash(tool), description: tool.description ?? null });
const byName = (a: { name: string }, b: { name: string }): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/**
 * The tools of a version against those of an earlier one, matched by name and compared by tool
 * hash (name, description, schemas, annotations: what the model sees). Without an earlier
 * version every tool is added, so a first review shows everything it approves.
 */
export function diffTools(before: { version: string; tools: readonly McpTool[] } | null, after: readonly McpTool[]): ToolDiff {
  const old = new Map((before?.tools ?? []).map((tool) => [tool.name, side(tool)]));
  const diff: ToolDiff = { against: before?.version ?? null, added: [], removed: [], changed: [], unchanged: [] };
  const seen = new Set<string>();
  for (const tool of after) {
    const now = side(tool);
    seen.add(now.name);
    const was = old.get(now.name);
    if (!was) diff.added.push(now);
    else if (was.hash !== now.hash) diff.changed.push({ name: now.name, before: was, after: now });
    else diff.unchanged.push(now.name);
  }
  for (const [name, was] of old) if (!seen.has(name)) diff.removed.push(was);
  diff.added.sort(byName);
  diff.removed.sort(byName);
  diff.changed.sort(byName);
  diff.unchanged.sort();
  return diff;
}
