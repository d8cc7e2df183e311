import { semanticIssues } from './semantic-rules';

// One row per package rule (BEHAVIOUR.md §2 "Package", §3 "Package ownership"), valid and invalid.
type Expected = Array<[path: string, reference: string, message: string]>;

const SHA = 'fe333e598595000ae021bd27117db32ec69af6987f507ba7a63c90638ff633ce';
const MCPB_URL = 'https://github.com/modelcontextprotocol/text-editor-mcpb/releases/download/v1.0.2/text-editor.mcpb';
const BASE: Record<string, Record<string, unknown>> = {
  npm: { registryType: 'npm', identifier: '@example/server', version: '1.0.0', transport: { type: 'stdio' } },
  pypi: { registryType: 'pypi', identifier: 'weather-mcp', version: '0.5.0', transport: { type: 'stdio' } },
  nuget: { registryType: 'nuget', identifier: 'Example.Mcp', version: '1.0.0', transport: { type: 'stdio' } },
  oci: { registryType: 'oci', identifier: 'docker.io/example/server:1.0.0', transport: { type: 'stdio' } },
  mcpb: { registryType: 'mcpb', identifier: MCPB_URL, fileSha256: SHA, transport: { type: 'stdio' } },
};

/** The issues of a server whose second package is `base` (by registry type) with `changes` applied. */
function found(type: string, changes: Record<string, unknown>): Expected {
  const pkg = Object.fromEntries(Object.entries({ ...BASE[type], ...changes }).filter(([, value]) => value !== undefined));
  const document = { name: 'com.example/server', description: 'd', version: '1.0.0', packages: [BASE['npm'], pkg] };
  return semanticIssues(document).map((issue) => [issue.path, issue.reference, issue.message]);
}

describe('registry types', () => {
  it.each(Object.keys(BASE))('accepts a well-formed %s package', (type) => {
    expect(found(type, {})).toEqual([]);
  });
  it('refuses an unknown registry type (unsupported-registry-type)', () => {
    expect(found('npm', { registryType: 'cargo' })).toEqual([
      ['packages[1].registryType', 'unsupported-registry-type', 'unsupported registry type: cargo (supported: npm, pypi, nuget, oci, mcpb)'],
    ]);
  });
});

describe('identifier and version', () => {
  it('refuses an identifier with spaces (package-name-has-spaces)', () => {
    expect(found('npm', { identifier: '@example/my server' })).toEqual([['packages[1].identifier', 'package-name-has-spaces', 'package name cannot contain spaces']]);
  });
  it.each<[string, string, string]>([
    ['latest', 'reserved-version-string', "version string 'latest' is reserved and cannot be used"],
    ['^1.0.0', 'version-looks-like-range', 'version must be a specific version, not a range: "^1.0.0"'],
  ])('refuses the package version %j', (version, reference, message) => {
    expect(found('pypi', { version })).toEqual([['packages[1].version', reference, message]]);
  });
  it.each([['npm', 'NPM'], ['pypi', 'PyPI'], ['nuget', 'NuGet']])('requires a version for %s (package-version-required)', (type, label) => {
    expect(found(type, { version: undefined })).toEqual([['packages[1].version', 'package-version-required', `version is required for ${label} packages`]]);
  });
  it('lets an mcpb package carry a version or not', () => {
    expect(found('mcpb', { version: '1.0.2' })).toEqual([]);
  });
  it('refuses a version on an oci package (package-version-forbidden)', () => {
    expect(found('oci', { version: '1.0.0' })).toEqual([
      ['packages[1].version', 'package-version-forbidden', "OCI packages must not have 'version' field: the tag or digest belongs in 'identifier'"],
    ]);
  });
});

describe('fileSha256 and registryBaseUrl', () => {
  it('requires fileSha256 for mcpb (package-file-sha256-required)', () => {
    expect(found('mcpb', { fileSha256: undefined })).toEqual([
      ['packages[1].fileSha256', 'package-file-sha256-required', 'MCPB packages must include a fileSha256 hash for integrity verification'],
    ]);
  });
  it.each([['npm', 'NPM'], ['pypi', 'PyPI'], ['nuget', 'NuGet'], ['oci', 'OCI']])('refuses fileSha256 on %s (package-file-sha256-forbidden)', (type, label) => {
    expect(found(type, { fileSha256: SHA })).toEqual([
      ['packages[1].fileSha256', 'package-file-sha256-forbidden', `${label} packages must not have 'fileSha256' field - this is only for MCPB packages`],
    ]);
  });
  it('refuses registryBaseUrl on mcpb (mcpb-registry-base-url-forbidden)', () => {
    expect(found('mcpb', { registryBaseUrl: 'https://github.com' })).toEqual([
      [
        'packages[1].registryBaseUrl',
        'mcpb-registry-base-url-forbidden',
        "MCPB packages must not have 'registryBaseUrl' field - use the full download URL in 'identifier' instead",
      ],
    ]);
  });
});

describe('mcpb download URL', () => {
  it.each([
    ['https://github.com/org/tool-mcp/releases/download/v1/tool.mcpb'],
    ['https://gitlab.com/group/sub/mcp-tool/-/releases/v1.0.0/downloads/tool.mcpb'],
    ['https://gitlab.com/group/mcp-tool/-/package_files/12345/download'],
  ])('accepts %s', (identifier) => {
    expect(found('mcpb', { identifier })).toEqual([]);
  });
  const GITHUB_ASSET = "GitHub MCPB packages must be release assets following the pattern '/owner/repo/releases/download/tag/filename'";
  const GITLAB_ASSET =
    "GitLab MCPB packages must be release assets following patterns '/owner/repo/-/releases/tag/downloads/filename' or '/owner/repo/-/package_files/id/download'";
  it.each<[string, string, string]>([
    ['text-editor.mcpb', 'invalid-mcpb-url', 'invalid MCPB package URL: text-editor.mcpb'],
    [
      'http://github.com/org/tool-mcp/releases/download/v1/tool.mcpb',
      'mcpb-url-not-https',
      'invalid MCPB package URL, must use HTTPS: http://github.com/org/tool-mcp/releases/download/v1/tool.mcpb',
    ],
    [
      'https://downloads.example.com/mcp/tool.mcpb',
      'mcpb-url-host-not-allowed',
      "MCPB packages must be hosted on allowlisted providers (GitHub or GitLab). Host 'downloads.example.com' is not allowed",
    ],
    ['https://github.com/org/tool-mcp/archive/refs/tags/v1.zip', 'mcpb-url-not-release-asset', GITHUB_ASSET],
    ['https://gitlab.com/group/mcp-tool/-/raw/main/tool.mcpb', 'mcpb-url-not-release-asset', GITLAB_ASSET],
    [
      'https://github.com/org/tool/releases/download/v1/tool.zip',
      'mcpb-url-missing-mcp',
      "MCPB package URL must contain 'mcp': https://github.com/org/tool/releases/download/v1/tool.zip",
    ],
  ])('refuses %s', (identifier, reference, message) => {
    expect(found('mcpb', { identifier })).toEqual([['packages[1].identifier', reference, message]]);
  });
});

describe('named arguments', () => {
  const named = (argument: Record<string, unknown>) => ({ runtimeArguments: [{ type: 'named', name: '--verbose' }, { type: 'named', ...argument }] });

  it.each([[{ name: '--port', value: '8080' }], [{ name: '-e', value: 'DB_TYPE={db_type}' }], [{ name: '--host', default: 'localhost' }]])(
    'accepts %j',
    (argument) => {
      expect(found('oci', named(argument))).toEqual([]);
    },
  );
  it('does not apply to positional arguments', () => {
    expect(found('oci', { packageArguments: [{ type: 'positional', valueHint: 'path with spaces <x>', value: 'path' }] })).toEqual([]);
  });
  it('requires a non-empty name (named-argument-name-required)', () => {
    expect(found('oci', named({ name: '' }))).toEqual([['packages[1].runtimeArguments[1].name', 'named-argument-name-required', 'named argument name is required']]);
  });
  it.each([['--port 8080'], ['--dir <path>'], ['--token=$TOKEN'], ['<flag>']])('refuses the name %j (invalid-named-argument-name)', (name) => {
    expect(found('oci', named({ name }))).toEqual([
      [
        'packages[1].runtimeArguments[1].name',
        'invalid-named-argument-name',
        `invalid named argument name format: ${name} (the name is the flag alone, e.g. --port; put the value in value, default or variables)`,
      ],
    ]);
  });
  it('refuses a value or default that repeats the name (argument-value/default-starts-with-name)', () => {
    expect(found('npm', { packageArguments: [{ type: 'named', name: '--port', value: '--port=8080', default: '--port 3000' }] })).toEqual([
      [
        'packages[1].packageArguments[0].value',
        'argument-value-starts-with-name',
        "argument value cannot start with the argument name: value starts with argument name '--port': --port=8080",
      ],
      [
        'packages[1].packageArguments[0].default',
        'argument-default-starts-with-name',
        "argument default cannot start with the argument name: default starts with argument name '--port': --port 3000",
      ],
    ]);
  });
});
