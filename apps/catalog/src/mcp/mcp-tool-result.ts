import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { toProblem } from '@toolport/platform';

/**
 * A tool's answer: the JSON as text (every MCP client can read it) and as `structuredContent`
 * (clients that read the tool's output schema). Serialised once and parsed back so both say the
 * same thing and the structured copy holds only JSON (no undefined, dates as strings).
 */
export function toolResult(value: unknown): CallToolResult {
  const text = JSON.stringify(value);
  return { content: [{ type: 'text', text }], structuredContent: JSON.parse(text) as Record<string, unknown> };
}

/**
 * A failed call as an MCP tool error (`isError: true`) carrying the same problem details the HTTP
 * API would send, so the agent can read why and correct itself; the session carries on. No
 * `structuredContent`: the SDK client validates it against the tool's output schema even on errors.
 * Errors that are not the caller's fault say nothing of internals and go to `onUnexpected`.
 */
export function toolError(error: unknown, onUnexpected: (error: unknown) => void): CallToolResult {
  const { problem, expected } = toProblem(error);
  if (!expected) onUnexpected(error);
  return { isError: true, content: [{ type: 'text', text: JSON.stringify(problem) }] };
}
