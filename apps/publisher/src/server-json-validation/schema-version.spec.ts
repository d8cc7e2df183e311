import { OFFICIAL_SCHEMA_ID } from '@toolport/contracts';
import { CURRENT_SCHEMA_VERSION, OFFICIAL_SCHEMA_VERSIONS, schemaUrlOf, schemaVersionIssues } from './schema-version';

const issuesOf = (schema: unknown) => schemaVersionIssues(schema === undefined ? {} : { $schema: schema });

describe('$schema', () => {
  it('reads the current version from the embedded schema', () => {
    expect(CURRENT_SCHEMA_VERSION).toBe('2025-12-11');
    expect(schemaUrlOf(CURRENT_SCHEMA_VERSION)).toBe(OFFICIAL_SCHEMA_ID);
    expect(OFFICIAL_SCHEMA_VERSIONS.at(-1)).toBe(CURRENT_SCHEMA_VERSION);
  });

  it('accepts the current schema silently', () => {
    expect(issuesOf(OFFICIAL_SCHEMA_ID)).toEqual([]);
  });

  it.each([[undefined], ['']])('requires it (%j → schema-field-required)', (schema) => {
    expect(issuesOf(schema)).toEqual([
      { type: 'semantic', path: '$schema', message: '$schema field is required', severity: 'error', reference: 'schema-field-required' },
    ]);
  });

  it('leaves a non-string to the schema validator', () => {
    expect(issuesOf(20251211)).toEqual([]);
  });

  it.each(OFFICIAL_SCHEMA_VERSIONS.filter((version) => version !== CURRENT_SCHEMA_VERSION))(
    'accepts the older official version %s with a warning that says what it was checked against',
    (version) => {
      expect(issuesOf(schemaUrlOf(version))).toEqual([
        {
          type: 'semantic',
          path: '$schema',
          message:
            `schema version ${version} is not the current version (2025-12-11). Consider updating to the latest schema version. ` +
            'Toolport checked this document against the 2025-12-11 schema, the only shape it stores and serves.',
          severity: 'warning',
          reference: 'schema-version-deprecated',
        },
      ]);
    },
  );

  it.each<[string, string, string]>([
    ['https://example.com/server.json', 'schema-version-extraction-error', 'failed to extract schema version from URL: invalid schema URL format: https://example.com/server.json'],
    [
      'https://static.modelcontextprotocol.io/schemas/2025-01-27/server.schema.json',
      'schema-version-not-available',
      'schema version 2025-01-27 not available: known versions are 2025-07-09, 2025-09-16, 2025-09-29, 2025-10-11, 2025-10-17, 2025-12-11',
    ],
    [
      'https://static.modelcontextprotocol.io/schemas/draft/server.schema.json',
      'schema-version-not-available',
      'schema version draft not available: known versions are 2025-07-09, 2025-09-16, 2025-09-29, 2025-10-11, 2025-10-17, 2025-12-11',
    ],
    [
      'http://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json',
      'schema-url-not-official',
      '$schema must be https://static.modelcontextprotocol.io/schemas/<version>/server.schema.json, got: http://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json',
    ],
    [
      'https://mirror.example.com/schemas/2025-12-11/server.schema.json',
      'schema-url-not-official',
      '$schema must be https://static.modelcontextprotocol.io/schemas/<version>/server.schema.json, got: https://mirror.example.com/schemas/2025-12-11/server.schema.json',
    ],
  ])('refuses %s (%s)', (schema, reference, message) => {
    expect(issuesOf(schema)).toEqual([{ type: 'schema', path: '$schema', message, severity: 'error', reference }]);
  });
});
