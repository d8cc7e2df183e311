import { resolveRemoteUrl } from './remote-url';

describe('resolveRemoteUrl', () => {
  it('passes a URL without variables through', () => {
    expect(resolveRemoteUrl({ type: 'streamable-http', url: 'https://mcp.example.com/mcp' })).toEqual({
      probeable: true,
      transport: 'streamable-http',
      url: 'https://mcp.example.com/mcp',
    });
  });

  it('substitutes defaults, and fixed values before defaults, everywhere in the URL', () => {
    const result = resolveRemoteUrl({
      type: 'sse',
      url: 'https://{tenant}.example.com:{port}/{region}/sse?v={tenant}',
      variables: {
        tenant: { default: 'acme', description: 'tenant' },
        port: { value: '8443', default: '443' },
        region: { default: 'eu-west-1', choices: ['eu-west-1', 'us-east-1'] },
      },
    });
    expect(result).toEqual({ probeable: true, transport: 'sse', url: 'https://acme.example.com:8443/eu-west-1/sse?v=acme' });
  });

  it('reports a variable without a default as not probeable, naming it, and never guesses', () => {
    const result = resolveRemoteUrl({
      type: 'streamable-http',
      url: 'https://{tenant}.example.com/{region}/mcp',
      variables: { tenant: { isRequired: true, description: 'your tenant' }, region: { default: 'eu' } },
    });
    expect(result).toEqual({
      probeable: false,
      transport: 'streamable-http',
      reason: 'URL template variable {tenant} has no default',
      missing: ['tenant'],
    });
  });

  it('names every missing variable once, including ones not declared at all', () => {
    const result = resolveRemoteUrl({ type: 'sse', url: 'https://{a}.example.com/{b}/{a}', variables: { a: { choices: ['x', 'y'] } } });
    expect(result).toMatchObject({ probeable: false, missing: ['a', 'b'], reason: 'URL template variables {a}, {b} have no default' });
  });

  it('refuses what is not an http(s) URL once substituted', () => {
    expect(resolveRemoteUrl({ type: 'sse', url: 'https://{host}/sse', variables: { host: { default: 'bad host' } } })).toMatchObject({
      probeable: false,
      reason: 'not a valid URL after substituting its variables',
    });
    expect(resolveRemoteUrl({ type: 'sse', url: '{scheme}://example.com/', variables: { scheme: { default: 'file' } } })).toMatchObject({
      probeable: false,
    });
  });
});
