import { semanticIssues } from './semantic-rules';
import { remoteIssues } from './transport-rules';

// One row per transport rule (BEHAVIOUR.md §2 "Transport", "Remotes"), valid and invalid.
type Expected = Array<[path: string, reference: string, message: string]>;

const issuesOf = (fields: Record<string, unknown>): Expected =>
  semanticIssues({ name: 'com.example/server', description: 'd', version: '1.0.0', ...fields }).map((issue) => [issue.path, issue.reference, issue.message]);

const withTransport = (transport: Record<string, unknown>, extra: Record<string, unknown> = {}): Expected =>
  issuesOf({ packages: [{ registryType: 'npm', identifier: '@example/server', version: '1.0.0', transport, ...extra }] });

describe('package transport', () => {
  it.each([
    [{ type: 'stdio' }, {}],
    [{ type: 'streamable-http', url: 'http://localhost:3000/mcp' }, {}],
    [{ type: 'sse', url: 'https://{host}:{port}/sse' }, { environmentVariables: [{ name: 'host' }], packageArguments: [{ type: 'named', name: 'port' }] }],
    [{ type: 'streamable-http', url: 'http://127.0.0.1:{port}/mcp' }, { runtimeArguments: [{ type: 'positional', valueHint: 'port' }] }],
  ])('accepts %j (a package runs next to its client: http and localhost are fine)', (transport, extra) => {
    expect(withTransport(transport, extra)).toEqual([]);
  });
  it('refuses a url on stdio (stdio-transport-url-not-empty)', () => {
    expect(withTransport({ type: 'stdio', url: 'http://localhost' })).toEqual([
      ['packages[0].transport.url', 'stdio-transport-url-not-empty', 'url must be empty for stdio transport type, got: http://localhost'],
    ]);
  });
  it('requires a url on streamable-http and sse (streamable-transport-url-required)', () => {
    expect(withTransport({ type: 'sse', url: '' })).toEqual([['packages[0].transport.url', 'streamable-transport-url-required', 'url is required for sse transport type']]);
  });
  it.each([['ftp://example.com/mcp'], ['https://'], ['localhost:3000']])('refuses the url %j (invalid-templated-url)', (url) => {
    expect(withTransport({ type: 'streamable-http', url })).toEqual([['packages[0].transport.url', 'invalid-templated-url', `invalid package transport URL: ${url}`]]);
  });
  it('refuses a {variable} no argument or environment variable defines (invalid-templated-url)', () => {
    expect(withTransport({ type: 'streamable-http', url: 'http://localhost:{port}/{tenant}' }, { environmentVariables: [{ name: 'port' }] })).toEqual([
      [
        'packages[0].transport.url',
        'invalid-templated-url',
        'invalid package transport URL: template variables in URL http://localhost:{port}/{tenant} reference undefined variables {tenant}. Available variables: port',
      ],
    ]);
  });
  it('refuses an unknown transport type (unsupported-transport-type)', () => {
    expect(withTransport({ type: 'websocket', url: 'wss://example.com' })).toEqual([['packages[0].transport.type', 'unsupported-transport-type', 'unsupported transport type: websocket']]);
  });
});

describe('remotes', () => {
  const remote = (entry: Record<string, unknown>): Expected => issuesOf({ remotes: [{ type: 'sse', url: 'https://mcp.example.com/sse' }, entry] });

  it.each([
    [{ type: 'streamable-http', url: 'https://mcp.example.com/mcp' }],
    [{ type: 'sse', url: 'https://{tenant}.example.com/sse', variables: { tenant: { isRequired: true } } }],
  ])('accepts %j', (entry) => {
    expect(remote(entry)).toEqual([]);
  });
  it('refuses stdio (unsupported-remote-transport-type)', () => {
    expect(remote({ type: 'stdio' })).toEqual([
      ['remotes[1].type', 'unsupported-remote-transport-type', 'unsupported transport type for remotes: stdio (only streamable-http and sse are supported)'],
    ]);
  });
  it('requires a url (remote-transport-url-required)', () => {
    expect(remote({ type: 'streamable-http', url: '' })).toEqual([['remotes[1].url', 'remote-transport-url-required', 'url is required for streamable-http transport type']]);
  });
  it.each<[string, string]>([
    ['http://mcp.example.com/mcp', ' (remotes must use https)'],
    ['https://localhost/mcp', ' (remotes must not point at localhost: clients would reach their own machine)'],
    ['https://127.0.0.1:8443/mcp', ' (remotes must not point at localhost: clients would reach their own machine)'],
    ['https://[::1]/mcp', ' (remotes must not point at localhost: clients would reach their own machine)'],
    ['https://api.LOCALHOST/mcp', ' (remotes must not point at localhost: clients would reach their own machine)'],
    ['mcp.example.com/mcp', ''],
  ])('refuses %s (invalid-remote-url)', (url, why) => {
    expect(remote({ type: 'streamable-http', url })).toEqual([['remotes[1].url', 'invalid-remote-url', `invalid remote URL: ${url}${why}`]]);
  });
  it('refuses a {variable} missing from variables (invalid-templated-url)', () => {
    expect(remote({ type: 'streamable-http', url: 'https://{tenant}.example.com/{region}', variables: { tenant: {} } })).toEqual([
      [
        'remotes[1].url',
        'invalid-templated-url',
        'invalid remote URL: template variables in URL https://{tenant}.example.com/{region} reference undefined variables {region}. Available variables: tenant',
      ],
    ]);
  });
  it('accepts http:// and loopback remotes only with TOOLPORT_ALLOW_LOCAL_REMOTES (allowLocalRemotes), still checking variables', () => {
    for (const url of ['http://127.0.0.1:4100/mcp', 'https://localhost/mcp', 'http://[::1]:80/sse']) {
      expect(remoteIssues('remotes[0]', { type: 'streamable-http', url }, true)).toEqual([]);
      expect(remoteIssues('remotes[0]', { type: 'streamable-http', url })).not.toEqual([]);
    }
    expect(remoteIssues('remotes[0]', { type: 'sse', url: 'http://127.0.0.1:{port}/sse' }, true).map((i) => i.reference)).toEqual(['invalid-templated-url']);
  });
});
