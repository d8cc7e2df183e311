import { OFFICIAL_SCHEMA_ID } from '@toolport/contracts';
import { semanticIssues } from './semantic-rules';

// One row per server-level rule, valid and invalid; package, transport and _meta rules have
// their own tables. Each row states the exact issues (path, reference, message) it must produce.
type Expected = Array<[path: string, reference: string, message: string]>;

const server = (fields: Record<string, unknown>): Record<string, unknown> => ({
  $schema: OFFICIAL_SCHEMA_ID,
  name: 'com.example/server',
  description: 'A server',
  version: '1.0.0',
  ...fields,
});

const found = (fields: Record<string, unknown>): Expected =>
  semanticIssues(server(fields)).map((issue) => {
    expect([issue.type, issue.severity]).toEqual(['semantic', 'error']);
    return [issue.path, issue.reference, issue.message];
  });

const NAME_SHAPE = "server name must be in format 'dns-namespace/name' (e.g., 'com.example.api/server')";
const NAMESPACE_RULE = 'Namespace must start and end with alphanumeric characters, and may contain dots and hyphens in the middle';
const NAME_RULE = 'Name must start and end with alphanumeric characters, and may contain dots, underscores, and hyphens in the middle';

describe('server name (invalid-server-name)', () => {
  it.each([['io.github.user/my-server'], ['com.example.api/server_v2.beta'], ['a1/b2']])('accepts %s', (name) => {
    expect(found({ name })).toEqual([]);
  });
  it.each<[string, string]>([
    ['', 'server name is required and must be a string'],
    ['no-slash', NAME_SHAPE],
    ['com.example/a/b', 'server name cannot contain multiple slashes'],
    ['/server', "server name must be in format 'dns-namespace/name' with non-empty namespace and name parts"],
    ['com.example/', "server name must be in format 'dns-namespace/name' with non-empty namespace and name parts"],
    ['-com.example/server', `server name format is invalid: namespace '-com.example' is invalid. ${NAMESPACE_RULE}`],
    ['c/server', `server name format is invalid: namespace 'c' is invalid. ${NAMESPACE_RULE}`],
    ['com_example/server', `server name format is invalid: namespace 'com_example' is invalid. ${NAMESPACE_RULE}`],
    ['com.example/server-', `server name format is invalid: name 'server-' is invalid. ${NAME_RULE}`],
  ])('refuses %j', (name, message) => {
    expect(found({ name })).toEqual([['name', 'invalid-server-name', message]]);
  });
});

describe('server version (reserved-version-string, version-looks-like-range)', () => {
  it.each([['1.0.0'], ['v1.2.3'], ['2024.01.15'], ['1.2.3.4'], ['1.0.0-beta.1'], ['1.2.3-linux-x64'], ['nightly-20250101'], ['latest-1']])(
    'accepts %j',
    (version) => {
      expect(found({ version })).toEqual([]);
    },
  );
  it.each([[''], ['  ']])('refuses the empty or blank version %j', (version) => {
    expect(found({ version })).toEqual([['version', 'version-empty', 'version must not be empty or blank']]);
  });
  it('refuses latest', () => {
    expect(found({ version: 'latest' })).toEqual([['version', 'reserved-version-string', "version string 'latest' is reserved and cannot be used"]]);
  });
  it.each([['^1.2.3'], ['~1.2.3'], ['>=1.0.0'], ['<=1.0.0'], ['>1.0.0'], ['<1.0.0'], ['=1.0.0'], ['1.2.3 - 2.0.0'], ['1.2 || 1.3'], ['1.x'], ['1.2.*'], ['1.2.X'], ['x.x']])(
    'refuses the range %j',
    (version) => {
      expect(found({ version })).toEqual([['version', 'version-looks-like-range', `version must be a specific version, not a range: ${JSON.stringify(version)}`]]);
    },
  );
});

describe('title (title-whitespace-only)', () => {
  it('accepts a title with surrounding spaces', () => {
    expect(found({ title: ' Weather ' })).toEqual([]);
  });
  it('refuses a whitespace-only title', () => {
    expect(found({ title: ' \t ' })).toEqual([['title', 'title-whitespace-only', 'title cannot be only whitespace']]);
  });
});

describe('websiteUrl (https, absolute)', () => {
  it('accepts an https URL', () => {
    expect(found({ websiteUrl: 'https://example.com/docs' })).toEqual([]);
  });
  it.each<[string, Expected]>([
    ['http://example.com', [['websiteUrl', 'website-url-invalid-scheme', 'websiteUrl must use https scheme: http://example.com']]],
    [
      'example.com/docs',
      [
        ['websiteUrl', 'website-url-must-be-absolute', 'websiteUrl must be absolute (include scheme): example.com/docs'],
        ['websiteUrl', 'website-url-invalid-scheme', 'websiteUrl must use https scheme: example.com/docs'],
      ],
    ],
    ['https://exa mple.com', [['websiteUrl', 'invalid-website-url', 'invalid websiteUrl: https://exa mple.com']]],
  ])('refuses %j', (websiteUrl, expected) => {
    expect(found({ websiteUrl })).toEqual(expected);
  });
});

describe('repository (invalid-repository-url, invalid-subfolder-path)', () => {
  it.each([
    [{ url: 'https://github.com/modelcontextprotocol/servers', source: 'github' }],
    [{ url: 'https://www.github.com/user/repo.js/', source: 'github' }],
    [{ url: 'https://gitlab.com/group/subgroup/project', source: 'gitlab' }],
    [{ url: 'https://github.com/user/repo', source: 'github', subfolder: 'src/everything' }],
    [{}],
  ])('accepts %j', (repository) => {
    expect(found({ repository })).toEqual([]);
  });
  it.each<[Record<string, string>, string]>([
    [{ url: 'https://github.com/user/repo/tree/main', source: 'github' }, 'invalid repository URL: https://github.com/user/repo/tree/main'],
    [{ url: 'https://gitlab.com/project', source: 'gitlab' }, 'invalid repository URL: https://gitlab.com/project'],
    [{ url: 'https://gitlab.com/group/project', source: 'github' }, 'invalid repository URL: https://gitlab.com/group/project'],
    [
      { url: 'https://bitbucket.org/user/repo', source: 'bitbucket' },
      "invalid repository URL: https://bitbucket.org/user/repo (source must be github or gitlab, got 'bitbucket')",
    ],
  ])('refuses the URL of %j', (repository, message) => {
    expect(found({ repository })).toEqual([['repository.url', 'invalid-repository-url', message]]);
  });
  it.each([['/src'], ['src/'], ['a//b'], ['./src'], ['src/../..'], ['..'], ['src dir']])('refuses the subfolder %j', (subfolder) => {
    expect(found({ repository: { url: 'https://github.com/user/repo', source: 'github', subfolder } })).toEqual([
      ['repository.subfolder', 'invalid-subfolder-path', `invalid subfolder path: ${subfolder}`],
    ]);
  });
});

describe('icons (https src)', () => {
  it('accepts an https icon', () => {
    expect(found({ icons: [{ src: 'https://example.com/icon.png', mimeType: 'image/png' }] })).toEqual([]);
  });
  it.each<[string, Expected]>([
    ['http://example.com/icon.png', [['icons[1].src', 'icon-src-invalid-scheme', 'icon src must use https scheme (got http): http://example.com/icon.png']]],
    ['data:image/png;base64,AAAA', [['icons[1].src', 'icon-src-invalid-scheme', 'icon src must use https scheme (got data): data:image/png;base64,AAAA']]],
    [
      'icon.png',
      [
        ['icons[1].src', 'icon-src-not-absolute', 'icon src must be an absolute URL (include scheme): icon.png'],
        ['icons[1].src', 'icon-src-invalid-scheme', 'icon src must use https scheme (got ): icon.png'],
      ],
    ],
    ['https://exa mple.com/i.png', [['icons[1].src', 'icon-src-invalid-url', 'invalid icon src URL: https://exa mple.com/i.png']]],
  ])('refuses %j, at its own index', (src, expected) => {
    expect(found({ icons: [{ src: 'https://example.com/ok.png' }, { src }] })).toEqual(expected);
  });
});

describe('documents that break the schema', () => {
  it('checks only fields of the right type, and leaves the rest to the schema', () => {
    expect(
      found({ name: 42, version: ['1'], title: null, websiteUrl: 7, repository: 'github', icons: 'x', packages: [null, 'npm'], remotes: {}, _meta: [] }),
    ).toEqual([]);
  });
  it('leaves constraints the schema states to the schema (description length, title length)', () => {
    expect(found({ description: 'x'.repeat(101), title: 'x'.repeat(101) })).toEqual([]);
  });
});
