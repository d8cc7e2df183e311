import { ConfigError, EnvReader, type Env } from '@toolport/config';
import { parseAuthExchangeConfig } from './auth-exchange.config';

function parse(env: Env) {
  const read = new EnvReader(env);
  const options = parseAuthExchangeConfig(read);
  read.done();
  return options;
}

const problems = (env: Env): string[] => {
  try {
    parse(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
};

describe('parseAuthExchangeConfig', () => {
  it('defaults to the official registry: no anonymous, https only, 5-minute tokens, GitHub Actions OIDC, no generic OIDC', () => {
    expect(parse({})).toEqual({
      anonymous: false,
      allowInsecureLoopback: false,
      tokenTtlSeconds: 300,
      oidc: null,
      githubOidc: {
        jwksUrl: 'https://token.actions.githubusercontent.com/.well-known/jwks',
        issuer: 'https://token.actions.githubusercontent.com',
        audience: 'mcp-registry',
      },
    });
  });

  it('reads every setting', () => {
    expect(
      parse({
        TOOLPORT_AUTH_ANONYMOUS: 'true',
        TOOLPORT_AUTH_HTTP_ALLOW_INSECURE_LOOPBACK: 'yes',
        TOOLPORT_REGISTRY_TOKEN_TTL_SECONDS: '600',
        TOOLPORT_OIDC_ISSUER: 'https://accounts.google.com',
        TOOLPORT_OIDC_AUDIENCE: 'client-id',
        TOOLPORT_OIDC_JWKS_URL: 'https://www.googleapis.com/oauth2/v3/certs',
        TOOLPORT_OIDC_EXTRA_CLAIMS: '[{"hd":"acme.com"},{"email_verified":true}]',
        TOOLPORT_OIDC_PUBLISH_PERMISSIONS: ' * , com.acme/* ,',
        TOOLPORT_OIDC_EDIT_PERMISSIONS: 'com.acme/*',
        TOOLPORT_GITHUB_OIDC_JWKS_URL: 'http://127.0.0.1:8999/jwks',
        TOOLPORT_GITHUB_OIDC_ISSUER: 'https://ghe.acme.com/_services/token',
        TOOLPORT_GITHUB_OIDC_AUDIENCE: 'toolport',
      }),
    ).toEqual({
      anonymous: true,
      allowInsecureLoopback: true,
      tokenTtlSeconds: 600,
      oidc: {
        issuer: 'https://accounts.google.com',
        audience: 'client-id',
        jwksUrl: 'https://www.googleapis.com/oauth2/v3/certs',
        extraClaims: [{ hd: 'acme.com' }, { email_verified: true }],
        publishPermissions: ['*', 'com.acme/*'],
        editPermissions: ['com.acme/*'],
      },
      githubOidc: { jwksUrl: 'http://127.0.0.1:8999/jwks', issuer: 'https://ghe.acme.com/_services/token', audience: 'toolport' },
    });
  });

  it('reports every problem at once', () => {
    expect(
      problems({
        TOOLPORT_AUTH_ANONYMOUS: 'maybe',
        TOOLPORT_REGISTRY_TOKEN_TTL_SECONDS: '5',
        TOOLPORT_OIDC_ISSUER: 'https://idp.acme.com',
        TOOLPORT_OIDC_EXTRA_CLAIMS: '{"hd":"acme.com"}',
        TOOLPORT_OIDC_PUBLISH_PERMISSIONS: 'com.*.x',
        TOOLPORT_GITHUB_OIDC_JWKS_URL: 'http://jwks.example.com/keys',
      }),
    ).toEqual([
      'TOOLPORT_AUTH_ANONYMOUS=maybe must be true or false',
      'TOOLPORT_REGISTRY_TOKEN_TTL_SECONDS=5 must be an integer between 10 and 86400',
      'TOOLPORT_OIDC_AUDIENCE is required when TOOLPORT_OIDC_ISSUER is set',
      'TOOLPORT_OIDC_JWKS_URL is required when TOOLPORT_OIDC_ISSUER is set',
      'TOOLPORT_OIDC_PUBLISH_PERMISSIONS pattern "com.*.x" may contain \'*\' only as its last character',
      'TOOLPORT_OIDC_EXTRA_CLAIMS must be a JSON array of non-empty objects, e.g. [{"hd":"acme.com"}]',
      'TOOLPORT_GITHUB_OIDC_JWKS_URL must use https, or http to localhost only (got http://jwks.example.com/keys)',
    ]);
  });

  it('refuses OIDC settings without an issuer, and OIDC that grants nothing', () => {
    expect(problems({ TOOLPORT_OIDC_AUDIENCE: 'x' })).toEqual([
      'TOOLPORT_OIDC_AUDIENCE is set but TOOLPORT_OIDC_ISSUER is not: set it to enable POST /auth/oidc',
    ]);
    expect(
      problems({ TOOLPORT_OIDC_ISSUER: 'https://idp.acme.com', TOOLPORT_OIDC_AUDIENCE: 'x', TOOLPORT_OIDC_JWKS_URL: 'https://idp.acme.com/jwks' }),
    ).toEqual(['TOOLPORT_OIDC_PUBLISH_PERMISSIONS or TOOLPORT_OIDC_EDIT_PERMISSIONS must grant at least one pattern, else OIDC tokens allow nothing']);
    expect(
      problems({
        TOOLPORT_OIDC_ISSUER: 'https://idp.acme.com',
        TOOLPORT_OIDC_AUDIENCE: 'x',
        TOOLPORT_OIDC_JWKS_URL: 'https://idp.acme.com/jwks',
        TOOLPORT_OIDC_EDIT_PERMISSIONS: '*',
        TOOLPORT_OIDC_EXTRA_CLAIMS: 'not json',
      }),
    ).toEqual(['TOOLPORT_OIDC_EXTRA_CLAIMS must be JSON, e.g. [{"hd":"acme.com"}]']);
  });
});
