import { OFFICIAL_SCHEMA_ID } from '@toolport/contracts';
import { type JsonObject, type ValidationReportIssue } from './validation-report';

/*
 * `$schema` handling, as the official registry does it (`internal/validators/schema.go` upstream,
 * BEHAVIOUR.md §2): missing → error; a URL that names no known schema → error; a known but older
 * schema → warning, and the document is still accepted.
 *
 * One deliberate difference. Upstream embeds every schema version and validates a document
 * against the one it names. Toolport embeds only the current one (libs/contracts) and validates
 * every document against it: Toolport stores and serves each version in the current shape (the
 * catalog answers in it), so a document must fit that shape whatever it names; the warning says
 * so. An older document that uses only fields still present validates cleanly; one that relies on
 * a dropped form (2025-07-09's snake_case fields) gets schema errors naming the current fields.
 *
 * Issues are located at `$schema`, the document's own key, so they line up with the schema
 * validator's issues for the same field (upstream names the Go struct field, `schema`).
 */

const SCHEMA_URL = /^https:\/\/static\.modelcontextprotocol\.io\/schemas\/([A-Za-z0-9_~.-]+)\/server\.schema\.json$/;
/** Upstream's extraction pattern: a version segment anywhere in the URL. */
const SCHEMA_SEGMENT = /\/schemas\/([A-Za-z0-9_~.-]+)\/server\.schema\.json/;

export const schemaUrlOf = (version: string): string => `https://static.modelcontextprotocol.io/schemas/${version}/server.schema.json`;

/** The version of the schema shipped in libs/contracts, read from its `$id`. */
export const CURRENT_SCHEMA_VERSION: string = (() => {
  const match = SCHEMA_URL.exec(OFFICIAL_SCHEMA_ID);
  if (!match) throw new Error(`the embedded server.json schema has an unexpected $id: ${OFFICIAL_SCHEMA_ID}`);
  return match[1] as string;
})();

/** Every schema version the official registry embeds (BEHAVIOUR.md §2), oldest first. */
export const OFFICIAL_SCHEMA_VERSIONS: readonly string[] = ['2025-07-09', '2025-09-16', '2025-09-29', '2025-10-11', '2025-10-17', '2025-12-11'];

export function schemaVersionIssues(document: JsonObject): ValidationReportIssue[] {
  const schema = document['$schema'];
  if (schema === undefined || schema === '') {
    return [{ type: 'semantic', path: '$schema', message: '$schema field is required', severity: 'error', reference: 'schema-field-required' }];
  }
  // Any other non-string is a type fault the schema validator reports at the same path.
  if (typeof schema !== 'string') return [];

  const segment = SCHEMA_SEGMENT.exec(schema);
  if (!segment) {
    return [schemaError(`failed to extract schema version from URL: invalid schema URL format: ${schema}`, 'schema-version-extraction-error')];
  }
  const version = segment[1] as string;
  if (!SCHEMA_URL.test(schema)) {
    return [schemaError(`$schema must be ${schemaUrlOf('<version>')}, got: ${schema}`, 'schema-url-not-official')];
  }
  if (!OFFICIAL_SCHEMA_VERSIONS.includes(version)) {
    return [schemaError(`schema version ${version} not available: known versions are ${OFFICIAL_SCHEMA_VERSIONS.join(', ')}`, 'schema-version-not-available')];
  }
  if (version !== CURRENT_SCHEMA_VERSION) {
    return [
      {
        type: 'semantic',
        path: '$schema',
        message:
          `schema version ${version} is not the current version (${CURRENT_SCHEMA_VERSION}). Consider updating to the latest schema version. ` +
          `Toolport checked this document against the ${CURRENT_SCHEMA_VERSION} schema, the only shape it stores and serves.`,
        severity: 'warning',
        reference: 'schema-version-deprecated',
      },
    ];
  }
  return [];
}

function schemaError(message: string, reference: string): ValidationReportIssue {
  return { type: 'schema', path: '$schema', message, severity: 'error', reference };
}
