import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type ValidationIssue } from '../validation';
import { PUBLISHER_PROVIDED_META_KEY, type LocalTransport, type PositionalArgument, type ServerJSON } from './server-json';
import { OFFICIAL_SCHEMA_ID, SUPPORTED_SCHEMA_IDS, validateServerJsonSchema } from './server-json.validator';

/** SHA-256 recorded in ../shared/reference/official-registry/README.md (upstream commit 7722031). */
const OFFICIAL_SCHEMA_SHA256 = '3fba09590c99f61735d234822279f4223fab9e300c0a81e81c91ab62a4114de0';
const SCHEMA_FILE = join(__dirname, 'server.schema.2025-12-11.json');
const VALID_DIR = join(__dirname, '__fixtures__', 'valid');
const INVALID_DIR = join(__dirname, '__fixtures__', 'invalid');

const readJson = (path: string): unknown => JSON.parse(readFileSync(path, 'utf8'));
const example = (name: string): unknown => readJson(join(VALID_DIR, `${name}.server.json`));
const pathsOf = (issues: ValidationIssue[]): string[] => [...new Set(issues.map((issue) => issue.path))].sort();
const messagesAt = (issues: ValidationIssue[], path: string): string[] =>
  issues.filter((issue) => issue.path === path).map((issue) => issue.message);

const REMOVE = Symbol('remove');
type Segment = string | number;

/** Returns a changed deep copy of `document`: `value` set at `path`, or the property removed. */
function mutate(document: unknown, path: Segment[], value: unknown): unknown {
  const copy = structuredClone(document);
  const parent = path.slice(0, -1).reduce<unknown>((node, key) => (node as Record<Segment, unknown>)[key], copy);
  const target = parent as Record<Segment, unknown>;
  const last = path[path.length - 1] as Segment;
  if (value === REMOVE) delete target[last];
  else target[last] = value;
  return copy;
}

describe('the shipped official schema', () => {
  it('is byte-for-byte the official 2025-12-11 schema', () => {
    const digest = createHash('sha256').update(readFileSync(SCHEMA_FILE)).digest('hex');
    expect(digest).toBe(OFFICIAL_SCHEMA_SHA256);
  });

  it('gives OFFICIAL_SCHEMA_ID, the only supported id for now', () => {
    expect(OFFICIAL_SCHEMA_ID).toBe((readJson(SCHEMA_FILE) as { $id: string }).$id);
    expect(OFFICIAL_SCHEMA_ID).toBe('https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json');
    expect(SUPPORTED_SCHEMA_IDS).toEqual([OFFICIAL_SCHEMA_ID]);
  });
});

describe('official examples (__fixtures__/valid)', () => {
  const files = readdirSync(VALID_DIR).filter((file) => file.endsWith('.json')).sort();

  it('are the six examples of the official documentation', () => {
    expect(files).toEqual([
      'mcpb.server.json',
      'npm-basic.server.json',
      'oci-docker-complex.server.json',
      'pypi.server.json',
      'remote-and-package.server.json',
      'remote-streamable-http.server.json',
    ]);
  });

  it.each(files)('%s validates with zero issues', (file) => {
    expect(validateServerJsonSchema(readJson(join(VALID_DIR, file)))).toEqual({ valid: true, issues: [] });
  });
});

describe('the TypeScript types', () => {
  // Written against the types (tsc -p tsconfig.spec.json checks it) and using every definition:
  // a document the types accept must also pass the schema.
  const typed: ServerJSON = {
    $schema: OFFICIAL_SCHEMA_ID,
    name: 'io.github.example/everything',
    description: 'Uses every server.json definition',
    title: 'Everything',
    version: '1.2.3',
    websiteUrl: 'https://example.com/docs',
    repository: { url: 'https://github.com/example/everything', source: 'github', id: '42', subfolder: 'servers/all' },
    icons: [{ src: 'https://example.com/icon.svg', mimeType: 'image/svg+xml', sizes: ['any'], theme: 'dark' }],
    packages: [
      {
        registryType: 'oci',
        identifier: 'docker.io/example/everything:1.2.3',
        runtimeHint: 'docker',
        transport: { type: 'streamable-http', url: 'http://localhost:{port}/mcp', headers: [{ name: 'X-Key', isSecret: true }] },
        runtimeArguments: [{ type: 'named', name: '-p', value: '{port}:8080', variables: { port: { format: 'number', default: '8080' } } }],
        packageArguments: [
          { type: 'positional', valueHint: 'directory', isRepeated: true },
          { type: 'positional', value: '--stdio-off' },
        ],
        environmentVariables: [{ name: 'LOG_LEVEL', choices: ['info', 'debug'], default: 'info', placeholder: 'info' }],
      },
      {
        registryType: 'mcpb',
        identifier: 'https://github.com/example/everything/releases/download/v1.2.3/everything.mcpb',
        fileSha256: 'fe333e598595000ae021bd27117db32ec69af6987f507ba7a63c90638ff633ce',
        transport: { type: 'stdio' },
      },
    ],
    remotes: [
      { type: 'sse', url: 'https://{tenant}.example.com/sse', variables: { tenant: { isRequired: true, description: 'Tenant' } } },
    ],
    _meta: { [PUBLISHER_PROVIDED_META_KEY]: { tool: 'spec' }, 'com.example/other': 1 },
  };

  // Shapes the schema rejects are rejected by the types too (checked by tsc, not at run time).
  // @ts-expect-error a positional argument needs valueHint or value
  const noValue: PositionalArgument = { type: 'positional' };
  // @ts-expect-error an http transport needs a url
  const noUrl: LocalTransport = { type: 'sse' };
  // @ts-expect-error transport types are a closed set
  const websocket: LocalTransport = { type: 'websocket' };
  // Read them, so that @ts-expect-error can only be satisfied by the type error, not by noUnusedLocals.
  void [noValue, noUrl, websocket];

  it('describe documents that pass the schema', () => {
    expect(validateServerJsonSchema(typed)).toEqual({ valid: true, issues: [] });
  });
});

interface BrokenCase {
  title: string;
  from: string;
  at: Segment[];
  value: unknown;
  paths: string[];
}

const longText = 'x'.repeat(101);
const icon = { src: 'https://example.com/icon.png', mimeType: 'image/gif' };

/** Each case changes one thing in an official example; `paths` is the exact set of issue paths expected. */
const brokenCases: BrokenCase[] = [
  { title: 'missing name', from: 'npm-basic', at: ['name'], value: REMOVE, paths: ['name'] },
  { title: 'name without a slash', from: 'npm-basic', at: ['name'], value: 'brave-search', paths: ['name'] },
  { title: 'description not a string', from: 'pypi', at: ['description'], value: 42, paths: ['description'] },
  { title: 'description over 100 chars', from: 'pypi', at: ['description'], value: longText, paths: ['description'] },
  { title: 'version of the wrong type', from: 'remote-streamable-http', at: ['version'], value: 2, paths: ['version'] },
  { title: '$schema not a URI', from: 'mcpb', at: ['$schema'], value: 'server schema', paths: ['$schema'] },
  { title: 'packages not an array', from: 'npm-basic', at: ['packages'], value: {}, paths: ['packages'] },
  {
    title: 'unknown package transport type',
    from: 'npm-basic',
    at: ['packages', 0, 'transport', 'type'],
    value: 'websocket',
    paths: ['packages[0].transport', 'packages[0].transport.type'],
  },
  {
    title: 'package streamable-http transport with a URL that is not http(s)',
    from: 'npm-basic',
    at: ['packages', 0, 'transport'],
    value: { type: 'streamable-http', url: 'localhost:8080/mcp' },
    paths: ['packages[0].transport', 'packages[0].transport.url'],
  },
  {
    title: 'missing remote url',
    from: 'remote-streamable-http',
    at: ['remotes', 0, 'url'],
    value: REMOVE,
    paths: ['remotes[0]', 'remotes[0].url'],
  },
  {
    title: 'remote header isSecret not a boolean',
    from: 'remote-and-package',
    at: ['remotes', 0, 'headers', 0, 'isSecret'],
    value: 'yes',
    paths: ['remotes[0]', 'remotes[0].headers[0].isSecret'],
  },
  {
    title: 'remote variable isRequired not a boolean',
    from: 'remote-streamable-http',
    at: ['remotes', 0, 'variables'],
    value: { tenant: { isRequired: 'yes' } },
    paths: ['remotes[0].variables.tenant.isRequired'],
  },
  {
    title: 'missing registryType',
    from: 'pypi',
    at: ['packages', 0, 'registryType'],
    value: REMOVE,
    paths: ['packages[0].registryType'],
  },
  {
    title: 'package version "latest"',
    from: 'npm-basic',
    at: ['packages', 0, 'version'],
    value: 'latest',
    paths: ['packages[0].version'],
  },
  {
    title: 'fileSha256 in upper case',
    from: 'mcpb',
    at: ['packages', 0, 'fileSha256'],
    value: 'FE333E598595000AE021BD27117DB32EC69AF6987F507BA7A63C90638FF633CE',
    paths: ['packages[0].fileSha256'],
  },
  {
    title: 'missing repository.source',
    from: 'mcpb',
    at: ['repository', 'source'],
    value: REMOVE,
    paths: ['repository.source'],
  },
  { title: 'icon with a bad mimeType', from: 'npm-basic', at: ['icons'], value: [icon], paths: ['icons[0].mimeType'] },
  {
    title: 'environment variable isSecret not a boolean',
    from: 'npm-basic',
    at: ['packages', 0, 'environmentVariables', 0, 'isSecret'],
    value: 'true',
    paths: ['packages[0].environmentVariables[0].isSecret'],
  },
  {
    title: 'named argument without name',
    from: 'oci-docker-complex',
    at: ['packages', 0, 'runtimeArguments', 0, 'name'],
    value: REMOVE,
    paths: ['packages[0].runtimeArguments[0]', 'packages[0].runtimeArguments[0].name'],
  },
  {
    title: 'positional argument without valueHint or value',
    from: 'oci-docker-complex',
    at: ['packages', 0, 'packageArguments', 2, 'valueHint'],
    value: REMOVE,
    paths: ['packages[0].packageArguments[2]'],
  },
];

describe('broken variants of the official examples', () => {
  it.each(brokenCases)('$title → $paths', ({ from, at, value, paths }) => {
    const result = validateServerJsonSchema(mutate(example(from), at, value));
    expect(result.valid).toBe(false);
    expect(pathsOf(result.issues)).toEqual([...paths].sort());
  });

  it.each(brokenCases)('$title: no raw anyOf cascade and no duplicate', ({ from, at, value }) => {
    const { issues } = validateServerJsonSchema(mutate(example(from), at, value));
    expect(issues.map((issue) => issue.message)).not.toContain('must match a schema in anyOf');
    const keys = issues.map((issue) => `${issue.path} ${issue.message}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it.each([[[]], ['server'], [42], [null], [true]])('a non-object document (%j) fails at the root', (document) => {
    expect(validateServerJsonSchema(document)).toEqual({ valid: false, issues: [{ path: '', message: 'must be object' }] });
  });
});

describe('issue messages', () => {
  const validateEdit = (from: string, at: Segment[], value: unknown) =>
    validateServerJsonSchema(mutate(example(from), at, value)).issues;

  it('an unknown transport type lists every allowed type once, without the other branches’ errors', () => {
    const issues = validateEdit('npm-basic', ['packages', 0, 'transport', 'type'], 'websocket');
    expect(issues).toEqual([
      { path: 'packages[0].transport', message: 'must match one of: StdioTransport, StreamableHttpTransport, SseTransport' },
      { path: 'packages[0].transport.type', message: 'must be one of: "stdio", "streamable-http", "sse"' },
    ]);
  });

  it('a remote with a known type reports only that type’s faults', () => {
    const issues = validateEdit('remote-and-package', ['remotes', 1], { type: 'sse' });
    expect(issues).toEqual([
      { path: 'remotes[1]', message: 'must match one of: StreamableHttpTransport, SseTransport' },
      { path: 'remotes[1].url', message: 'is required' },
    ]);
  });

  it('a positional argument without valueHint or value says that either is needed', () => {
    const issues = validateEdit('oci-docker-complex', ['packages', 0, 'packageArguments', 2, 'valueHint'], REMOVE);
    expect(messagesAt(issues, 'packages[0].packageArguments[2]')).toEqual([
      'must match one of: PositionalArgument, NamedArgument',
      'must have at least one of: valueHint, value',
    ]);
  });

  it('enum and not failures name the allowed and the excluded values', () => {
    expect(validateEdit('npm-basic', ['icons'], [icon])).toEqual([
      {
        path: 'icons[0].mimeType',
        message: 'must be one of: "image/png", "image/jpeg", "image/jpg", "image/svg+xml", "image/webp"',
      },
    ]);
    expect(validateEdit('npm-basic', ['packages', 0, 'version'], 'latest')).toEqual([
      { path: 'packages[0].version', message: 'must not be "latest"' },
    ]);
  });

  it('faults in several places are all reported', () => {
    const twice = mutate(mutate(example('oci-docker-complex'), ['name'], REMOVE), ['packages', 0, 'transport'], 'stdio');
    expect(validateServerJsonSchema(twice).issues).toEqual([
      { path: 'name', message: 'is required' },
      { path: 'packages[0].transport', message: 'must match one of: StdioTransport, StreamableHttpTransport, SseTransport' },
      { path: 'packages[0].transport', message: 'must be object' },
    ]);
  });
});

describe('invalid fixtures (__fixtures__/invalid: <case>.server.json + <case>.expected-paths.json)', () => {
  const files = readdirSync(INVALID_DIR).sort();
  const cases = files.filter((file) => file.endsWith('.server.json')).map((file) => file.replace(/\.server\.json$/, ''));

  it('come in complete pairs and nothing else', () => {
    expect(cases.length).toBeGreaterThan(0);
    const expected = cases.flatMap((name) => [`${name}.expected-paths.json`, `${name}.server.json`]).sort();
    expect(files).toEqual(expected);
  });

  it.each(cases)('%s fails at exactly its expected paths', (name) => {
    const result = validateServerJsonSchema(readJson(join(INVALID_DIR, `${name}.server.json`)));
    const expected = readJson(join(INVALID_DIR, `${name}.expected-paths.json`)) as string[];
    expect(result.valid).toBe(false);
    expect(pathsOf(result.issues)).toEqual([...expected].sort());
  });
});
