import { collectIssues, createAjv, McpToolSchema, PUBLISHER_PROVIDED_META_KEY, TOOLS_META_KEY } from '@toolport/contracts';
import { field, index, isObject, type JsonObject, semanticError, type ValidationReportIssue } from './validation-report';

/*
 * `_meta` rules. The official registry keeps only `io.modelcontextprotocol.registry/publisher-provided`
 * (at most 4 KB of JSON) and silently drops every other key (BEHAVIOUR.md §2). Toolport also keeps
 * `io.toolport/tools`, the server's declared MCP tools (what the scanner hashes and the health
 * service compares). Other `io.toolport/*` keys are Toolport's to set in responses (security,
 * health): a publisher must not be able to pre-fill them, so they are dropped like any other.
 * Dropped keys are reported as linter infos, so a publisher knows instead of guessing.
 */

/** Upstream's limit on the publisher-provided extension, in bytes of JSON (`validatePublisherExtensions`). */
export const PUBLISHER_PROVIDED_MAX_BYTES = 4096;
/** Far above real servers (tens of tools), low enough that one version cannot flood the tool index. */
export const MAX_DECLARED_TOOLS = 500;
/** Registry-managed metadata: set in responses, never taken from a publisher. */
const OFFICIAL_META_KEY = 'io.modelcontextprotocol.registry/official';

export function isKeptMetaKey(key: string): boolean {
  return key === PUBLISHER_PROVIDED_META_KEY || key === TOOLS_META_KEY;
}

const validateTool = createAjv().compile(McpToolSchema);

export function metaIssues(meta: JsonObject): ValidationReportIssue[] {
  const issues: ValidationReportIssue[] = [];
  if (meta[PUBLISHER_PROVIDED_META_KEY] !== undefined) {
    const bytes = goJsonByteLength(meta[PUBLISHER_PROVIDED_META_KEY]);
    if (bytes > PUBLISHER_PROVIDED_MAX_BYTES) {
      issues.push(
        semanticError(
          field('_meta', PUBLISHER_PROVIDED_META_KEY),
          'publisher-provided-meta-too-large',
          `_meta.${PUBLISHER_PROVIDED_META_KEY} extension exceeds 4KB limit (${bytes} bytes)`,
        ),
      );
    }
  }
  if (meta[TOOLS_META_KEY] !== undefined) issues.push(...toolsIssues(meta[TOOLS_META_KEY]));
  for (const key of Object.keys(meta).filter((name) => !isKeptMetaKey(name))) {
    const reason =
      key === OFFICIAL_META_KEY
        ? 'is set by the registry in its responses; a value sent by the publisher is dropped'
        : `is dropped: Toolport keeps only ${PUBLISHER_PROVIDED_META_KEY} and ${TOOLS_META_KEY} (the official registry drops other keys silently)`;
    issues.push({ type: 'linter', path: field('_meta', key), message: `_meta key '${key}' ${reason}`, severity: 'info', reference: 'meta-key-dropped' });
  }
  return issues;
}

function toolsIssues(tools: unknown): ValidationReportIssue[] {
  const at = field('_meta', TOOLS_META_KEY);
  if (!Array.isArray(tools)) {
    return [semanticError(at, 'toolport-tools-not-array', `_meta.${TOOLS_META_KEY} must be an array of MCP tools, as a tools/list result lists them`)];
  }
  const issues: ValidationReportIssue[] = [];
  if (tools.length > MAX_DECLARED_TOOLS) {
    issues.push(semanticError(at, 'toolport-tools-too-many', `a server may declare at most ${MAX_DECLARED_TOOLS} tools, this one declares ${tools.length}`));
  }
  const firstByName = new Map<string, number>();
  tools.forEach((tool, position) => {
    const base = index(at, position);
    for (const fault of collectIssues(validateTool, tool)) {
      issues.push(semanticError(fault.path === '' ? base : field(base, fault.path), 'toolport-tool-invalid', fault.message));
    }
    const name = isObject(tool) ? tool['name'] : undefined;
    if (typeof name !== 'string') return;
    const first = firstByName.get(name);
    if (first === undefined) firstByName.set(name, position);
    else issues.push(semanticError(field(base, 'name'), 'toolport-tool-name-duplicate', `tool name '${name}' is already declared at ${index(at, first)}`));
  });
  return issues;
}

/**
 * Size of `value` as Go's encoding/json writes it, which is what upstream measures: like
 * JSON.stringify, except that it escapes <, > and & (\u003c...) and U+2028/U+2029, each escape
 * taking 6 bytes. Go sorts map keys, which changes no length. (Number formatting may differ by a
 * byte or two for exponents; the limit is about kilobytes.)
 */
export function goJsonByteLength(value: unknown): number {
  const json = JSON.stringify(value) ?? 'null';
  return Buffer.byteLength(json.replace(/[<>&\u2028\u2029]/g, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`), 'utf8');
}
