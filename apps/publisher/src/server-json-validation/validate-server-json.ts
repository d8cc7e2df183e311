import { type McpTool, type ServerDetail, TOOLS_META_KEY, ToolportError, validateServerJsonSchema } from '@toolport/contracts';
import { findUnstorableText } from '@toolport/platform';
import { isKeptMetaKey } from './meta-rules';
import type { ServerJsonRuleOptions } from './remote-url-policy';
import { schemaVersionIssues } from './schema-version';
import { semanticIssues } from './semantic-rules';
import { isObject, reportOf, semanticError, type ValidationReport, type ValidationReportIssue } from './validation-report';

export type { ValidationReport, ValidationReportIssue } from './validation-report';

/** The official publish failure detail (BEHAVIOUR.md §1, 422); the issues follow in `errors`. */
export const PUBLISH_INVALID_DETAIL = 'Failed to publish server, invalid schema: call /validate for details';

/**
 * Everything `/validate` checks, in the official order: `$schema`, then the JSON Schema (the
 * current official schema, see schema-version.ts), then the semantic rules and Toolport's
 * `_meta` rules. Pure: no network, no database (ownership and remote-URL conflicts are publish-time checks).
 */
export function validateServerJson(document: unknown, options: ServerJsonRuleOptions = {}): ValidationReport {
  // A non-object has no fields to check further; the schema validator says what it is instead.
  if (!isObject(document)) return reportOf(schemaIssues(document));
  return reportOf([...schemaVersionIssues(document), ...schemaIssues(document), ...semanticIssues(document, options), ...unstorableTextIssues(document)]);
}

/**
 * Toolport's own rule: text no server can store (a NUL, an unpaired surrogate; publish refuses it
 * with a 400, libs/platform input-text-guard.ts), so /validate does not call such a document valid.
 */
function unstorableTextIssues(document: unknown): ValidationReportIssue[] {
  const problem = findUnstorableText(document, '');
  if (problem === null) return [];
  const { message, location = '' } = problem.errors[0]!;
  const path = location.replace(/^\./, '');
  return [semanticError(path, 'toolport-unstorable-character', `${path} ${message}`)];
}

/** The same, for a request body as text: a body that is not JSON gets one `json` issue. */
export function validateServerJsonText(text: string, options: ServerJsonRuleOptions = {}): ValidationReport {
  // Editors on Windows save JSON with a byte order mark; JSON.parse refuses it.
  const body = text.replace(/^\uFEFF/, '');
  if (body.trim() === '') {
    return reportOf([jsonIssue('request body is empty: send a server.json document', 'json-empty-body')]);
  }
  let document: unknown;
  try {
    document = JSON.parse(body);
  } catch (error) {
    return reportOf([jsonIssue(`invalid JSON: ${(error as Error).message}`, 'invalid-json')]);
  }
  return validateServerJson(document, options);
}

/**
 * For the publish path: the document typed, or a 422 ToolportError carrying the official detail
 * and every error-severity issue as `{message, location}` (warnings and infos never block).
 */
export function assertPublishable(document: unknown, options: ServerJsonRuleOptions = {}): ServerDetail {
  const errors = validateServerJson(document, options).issues.filter((issue) => issue.severity === 'error');
  if (errors.length > 0) {
    throw new ToolportError(
      'unprocessable',
      'SERVER_JSON_INVALID',
      PUBLISH_INVALID_DETAIL,
      errors.map((issue) => ({ message: issue.message, location: issue.path })),
    );
  }
  return document as ServerDetail;
}

/** The tools a (validated) server declares in `_meta["io.toolport/tools"]`, or none. */
export function toolsOf(server: ServerDetail): McpTool[] {
  const tools = server._meta?.[TOOLS_META_KEY];
  return Array.isArray(tools) ? (tools as McpTool[]) : [];
}

/**
 * The server as Toolport stores it: `_meta` reduced to publisher-provided and `io.toolport/*`
 * keys, and left out when none remains (upstream drops the other keys the same way). Spread and
 * Object.fromEntries copy own data properties, so a `__proto__` key parsed from JSON stays data.
 */
export function keptMeta(server: ServerDetail): ServerDetail {
  const { _meta: meta, ...rest } = server;
  if (meta === undefined) return server;
  const kept = Object.entries(meta).filter(([key]) => isKeptMetaKey(key));
  return kept.length === 0 ? rest : { ...rest, _meta: Object.fromEntries(kept) };
}

function schemaIssues(document: unknown): ValidationReportIssue[] {
  // Upstream's references here are resolved schema pointers; the shared validator reduces anyOf
  // cascades to one issue per fault and keeps no pointer, so the issues carry upstream's generic
  // schema reference instead.
  return validateServerJsonSchema(document).issues.map(({ path, message }) => ({
    type: 'schema' as const,
    path,
    message,
    severity: 'error' as const,
    reference: 'schema-validation',
  }));
}

function jsonIssue(message: string, reference: string): ValidationReportIssue {
  return { type: 'json', path: '', message, severity: 'error', reference };
}
