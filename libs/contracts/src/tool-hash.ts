import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json';
import type { McpTool } from './tools';

/**
 * Tool pinning (security-checks.md §3.B14, mcp-scan's rug-pull check). The scanner records these
 * hashes in ScanCompleted/VersionApproved and the health service recomputes them from a live
 * server's `tools/list`, so the definition below is a contract between services:
 *
 *   toolHash(tool)      = lowercase hex SHA-256 of the UTF-8 bytes of canonicalJson(H(tool)), where
 *                         H(tool) = { name, description, inputSchema, outputSchema, annotations }
 *                         with every field that is absent (undefined) left out. `title`, `_meta`,
 *                         `icons` and any other member are NOT part of the hash.
 *   toolListHash(tools) = lowercase hex SHA-256 of canonicalJson([H(t) for t in tools sorted by name]),
 *                         names compared by UTF-16 code units; equal names keep canonical-JSON order.
 *   canonicalJson(v)    = RFC 8785-style canonical JSON (./canonical-json.ts): members sorted by
 *                         key in UTF-16 code units, no whitespace, undefined members omitted.
 */

const byCodeUnit = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The hashed part of a tool: H(tool) above. */
export function toolHashInput(tool: McpTool): Record<string, unknown> {
  const input: Record<string, unknown> = { name: tool.name };
  if (tool.description !== undefined) input.description = tool.description;
  if (tool.inputSchema !== undefined) input.inputSchema = tool.inputSchema;
  if (tool.outputSchema !== undefined) input.outputSchema = tool.outputSchema;
  if (tool.annotations !== undefined) input.annotations = tool.annotations;
  return input;
}

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

export function toolHash(tool: McpTool): string {
  return sha256(canonicalJson(toolHashInput(tool)));
}

export function toolListHash(tools: readonly McpTool[]): string {
  const entries = tools.map((tool) => ({ name: tool.name, json: canonicalJson(toolHashInput(tool)) }));
  entries.sort((a, b) => byCodeUnit(a.name, b.name) || byCodeUnit(a.json, b.json));
  return sha256(`[${entries.map((e) => e.json).join(',')}]`);
}
