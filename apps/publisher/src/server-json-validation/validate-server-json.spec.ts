import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OFFICIAL_SCHEMA_ID, type ServerDetail, ToolportError } from '@toolport/contracts';
import { assertPublishable, keptMeta, PUBLISH_INVALID_DETAIL, toolsOf, validateServerJson, validateServerJsonText } from './validate-server-json';

const FIXTURES = join(__dirname, '../../../../libs/contracts/src/server-json/__fixtures__/valid');
const officialExamples = readdirSync(FIXTURES).filter((file) => file.endsWith('.json'));

const minimal = (): Record<string, unknown> => ({
  $schema: OFFICIAL_SCHEMA_ID,
  name: 'com.example/test-server',
  description: 'A test server',
  version: '1.0.0',
});

describe('validateServerJson', () => {
  it('finds the six official examples', () => {
    expect(officialExamples).toHaveLength(6);
  });

  it.each(officialExamples)('accepts the official example %s without any issue', (file) => {
    const document: unknown = JSON.parse(readFileSync(join(FIXTURES, file), 'utf8'));
    expect(validateServerJson(document)).toEqual({ valid: true, issues: [] });
  });

  it('accepts the smallest valid document (upstream validate_test.go "valid server json")', () => {
    expect(validateServerJson(minimal())).toEqual({ valid: true, issues: [] });
  });

  it('reports text no server can store (NUL, unpaired surrogate) where it is, as publish refuses it', () => {
    const report = validateServerJson({ ...minimal(), description: 'bad\u0000text' });
    expect(report.valid).toBe(false);
    expect(report.issues).toEqual([expect.objectContaining({ type: 'semantic', path: 'description', severity: 'error', reference: 'toolport-unstorable-character' })]);
    expect(validateServerJson({ ...minimal(), _meta: { 'io.toolport/tools': [{ name: 'x\ud800' }] } }).issues).toContainEqual(
      expect.objectContaining({ path: '_meta["io.toolport/tools"][0].name', message: expect.stringContaining('unpaired UTF-16 surrogate') }),
    );
  });

  it('reports $schema, schema and semantic issues in that order, typed and referenced', () => {
    const document: Record<string, unknown> = { ...minimal(), description: 'x'.repeat(101), version: '^1.0.0' };
    delete document['$schema'];
    expect(validateServerJson(document)).toEqual({
      valid: false,
      issues: [
        { type: 'semantic', path: '$schema', message: '$schema field is required', severity: 'error', reference: 'schema-field-required' },
        { type: 'schema', path: 'description', message: 'must NOT have more than 100 characters', severity: 'error', reference: 'schema-validation' },
        {
          type: 'semantic',
          path: 'version',
          message: 'version must be a specific version, not a range: "^1.0.0"',
          severity: 'error',
          reference: 'version-looks-like-range',
        },
      ],
    });
  });

  // Limits the schema states are left to it (semantic-rules.ts): one fault, one issue.
  it.each<[string, Record<string, unknown>, string, string]>([
    ['an empty description', { description: '' }, 'description', 'must NOT have fewer than 1 characters'],
    ['a 101-character description', { description: 'd'.repeat(101) }, 'description', 'must NOT have more than 100 characters'],
    ['a 101-character title', { title: 't'.repeat(101) }, 'title', 'must NOT have more than 100 characters'],
    ['a 256-character icon src', { icons: [{ src: `https://example.com/${'i'.repeat(236)}` }] }, 'icons[0].src', 'must NOT have more than 255 characters'],
    [
      'an uppercase fileSha256',
      { packages: [{ registryType: 'mcpb', identifier: 'https://github.com/o/r-mcp/releases/download/v1/x.mcpb', fileSha256: 'A'.repeat(64), transport: { type: 'stdio' } }] },
      'packages[0].fileSha256',
      'must match pattern "^[a-f0-9]{64}$"',
    ],
  ])('reports %s once, as a schema issue', (_case, fields, path, message) => {
    expect(validateServerJson({ ...minimal(), ...fields })).toEqual({
      valid: false,
      issues: [{ type: 'schema', path, message, severity: 'error', reference: 'schema-validation' }],
    });
  });

  it('stays valid with a warning for an older official schema', () => {
    const report = validateServerJson({ ...minimal(), $schema: 'https://static.modelcontextprotocol.io/schemas/2025-07-09/server.schema.json' });
    expect(report.valid).toBe(true);
    expect(report.issues).toEqual([expect.objectContaining({ severity: 'warning', reference: 'schema-version-deprecated', path: '$schema' })]);
  });

  it('keeps linter infos from making a document invalid', () => {
    const report = validateServerJson({ ...minimal(), _meta: { 'com.example/extra': {} } });
    expect(report.valid).toBe(true);
    expect(report.issues.map((issue) => [issue.type, issue.severity])).toEqual([['linter', 'info']]);
  });

  it.each([[[]], [null], ['server.json'], [42]])('reports a non-object document %j as one schema error at the root', (document) => {
    expect(validateServerJson(document)).toEqual({
      valid: false,
      issues: [{ type: 'schema', path: '', message: 'must be object', severity: 'error', reference: 'schema-validation' }],
    });
  });
});

describe('validateServerJsonText', () => {
  it('reports malformed JSON as one json issue', () => {
    const report = validateServerJsonText('{"name": }');
    expect(report.valid).toBe(false);
    expect(report.issues).toEqual([
      { type: 'json', path: '', message: expect.stringMatching(/^invalid JSON: /), severity: 'error', reference: 'invalid-json' },
    ]);
  });

  it.each(['', '  \n'])('reports an empty body %j as one json issue', (text) => {
    expect(validateServerJsonText(text)).toEqual({
      valid: false,
      issues: [{ type: 'json', path: '', message: 'request body is empty: send a server.json document', severity: 'error', reference: 'json-empty-body' }],
    });
  });

  it('validates a well-formed body, byte order mark included', () => {
    expect(validateServerJsonText(`\uFEFF${JSON.stringify(minimal())}`)).toEqual({ valid: true, issues: [] });
    expect(validateServerJsonText(JSON.stringify({ ...minimal(), version: 'latest' })).valid).toBe(false);
  });
});

describe('assertPublishable', () => {
  it('returns a valid document as it came', () => {
    const document = minimal();
    expect(assertPublishable(document)).toBe(document);
  });

  it('lets warnings and infos through', () => {
    const document = { ...minimal(), $schema: 'https://static.modelcontextprotocol.io/schemas/2025-10-17/server.schema.json', _meta: { other: 1 } };
    expect(assertPublishable(document)).toBe(document);
  });

  it('throws the official 422 detail with every error as {message, location}', () => {
    const document = { ...minimal(), name: 'no-slash', version: 'latest', websiteUrl: 'http://example.com' };
    let thrown: unknown;
    try {
      assertPublishable(document);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ToolportError);
    const error = thrown as ToolportError;
    expect([error.kind, error.code, error.detail]).toEqual(['unprocessable', 'SERVER_JSON_INVALID', PUBLISH_INVALID_DETAIL]);
    expect(error.errors).toEqual([
      { location: 'name', message: 'must match pattern "^[a-zA-Z0-9.-]+/[a-zA-Z0-9._-]+$"' },
      { location: 'name', message: "server name must be in format 'dns-namespace/name' (e.g., 'com.example.api/server')" },
      { location: 'version', message: "version string 'latest' is reserved and cannot be used" },
      { location: 'websiteUrl', message: 'websiteUrl must use https scheme: http://example.com' },
    ]);
  });
});

describe('toolsOf', () => {
  const tool = { name: 'search', inputSchema: { type: 'object' } };

  it('returns the declared tools', () => {
    expect(toolsOf({ ...(minimal() as unknown as ServerDetail), _meta: { 'io.toolport/tools': [tool] } })).toEqual([tool]);
  });

  it.each([[undefined], [{}], [{ 'io.toolport/tools': 'search' }]])('returns no tools for _meta %j', (meta) => {
    const server = { ...(minimal() as unknown as ServerDetail), ...(meta === undefined ? {} : { _meta: meta }) };
    expect(toolsOf(server)).toEqual([]);
  });
});

describe('keptMeta', () => {
  const server = minimal() as unknown as ServerDetail;

  it('keeps publisher-provided and io.toolport/tools only', () => {
    const meta = {
      'io.modelcontextprotocol.registry/publisher-provided': { tool: 'ci' },
      'io.toolport/tools': [],
      'io.modelcontextprotocol.registry/official': { status: 'active' },
      'com.example/other': 1,
    };
    expect(keptMeta({ ...server, _meta: meta })).toEqual({
      ...server,
      _meta: { 'io.modelcontextprotocol.registry/publisher-provided': { tool: 'ci' }, 'io.toolport/tools': [] },
    });
  });

  it('leaves _meta out when nothing is kept, and a server without _meta untouched', () => {
    expect(keptMeta({ ...server, _meta: { 'com.example/other': 1 } })).toEqual(server);
    expect(keptMeta(server)).toBe(server);
  });

  it('copies a __proto__ key from JSON as data, never as a prototype', () => {
    const parsed = JSON.parse('{"io.toolport/tools": [], "__proto__": {"polluted": true}}') as Record<string, unknown>;
    const result = keptMeta({ ...server, _meta: parsed });
    expect(result._meta).toEqual({ 'io.toolport/tools': [] });
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(Object.getPrototypeOf(result._meta)).toBe(Object.prototype);
  });
});
