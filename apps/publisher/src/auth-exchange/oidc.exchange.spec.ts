import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT, type JWTPayload, type JWTVerifyGetKey, type KeyLike } from 'jose';
import { ExchangeRefused } from './exchange-failure';
import { exchangeGithubOidc, exchangeOidc } from './oidc.exchange';
import { GITHUB_OIDC_ALGORITHMS, OIDC_ALGORITHMS, OidcVerifier } from './oidc-verifier';

const NOW = new Date('2026-03-01T12:00:00Z');
const ISSUER = 'https://token.actions.githubusercontent.com';
let key: KeyLike;
let otherKey: KeyLike;
let keys: JWTVerifyGetKey;
let verifier: OidcVerifier;

beforeAll(async () => {
  const pair = await generateKeyPair('RS256');
  key = pair.privateKey;
  ({ privateKey: otherKey } = await generateKeyPair('RS256'));
  const unrelated = await exportJWK((await generateKeyPair('RS256')).publicKey);
  keys = createLocalJWKSet({ keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256' }, { ...unrelated, kid: 'k0' }] });
  verifier = new OidcVerifier({ jwksUrl: 'https://jwks.test/keys', issuer: ISSUER, audience: 'mcp-registry', algorithms: GITHUB_OIDC_ALGORITHMS, clock: () => NOW, keys });
});

function token(claims: JWTPayload, options: { signWith?: KeyLike; kid?: string; exp?: number; iss?: string; aud?: string } = {}): Promise<string> {
  const iat = Math.floor(NOW.getTime() / 1000);
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', kid: options.kid ?? 'k1' })
    .setIssuer(options.iss ?? ISSUER)
    .setAudience(options.aud ?? 'mcp-registry')
    .setSubject('repo:octo-org/octo-repo:ref:refs/heads/main')
    .setIssuedAt(iat)
    .setExpirationTime(options.exp ?? iat + 300)
    .sign(options.signWith ?? key);
}

async function refusal(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof ExchangeRefused)) throw new Error(`expected a refusal, got ${String(error)}`);
  return error.reason;
}

describe('exchangeGithubOidc', () => {
  it('grants io.github.<repository_owner>/* and keeps the workflow sub', async () => {
    const grant = await exchangeGithubOidc({ oidcToken: await token({ repository_owner: 'octo-org' }) }, verifier);
    expect(grant).toEqual({
      method: 'github-oidc',
      subject: 'github-oidc:octo-org',
      authMethodSub: 'repo:octo-org/octo-repo:ref:refs/heads/main',
      permissions: [{ action: 'publish', resource: 'io.github.octo-org/*' }],
    });
  });

  it('explains each refusal', async () => {
    const iat = Math.floor(NOW.getTime() / 1000);
    const cases: Array<[Promise<string>, RegExp]> = [
      [token({ repository_owner: 'octo-org' }, { aud: 'sigstore' }), /audience is "sigstore", this registry requires "mcp-registry"/],
      [token({ repository_owner: 'octo-org' }, { iss: 'https://evil.example' }), /issued by "https:\/\/evil.example", this registry accepts https:\/\/token/],
      [token({ repository_owner: 'octo-org' }, { exp: iat - 60 }), /expired at 2026-03-01T11:59:00.000Z/],
      [token({ repository_owner: 'octo-org' }, { signWith: otherKey }), /signature does not verify/],
      [token({ repository_owner: 'octo-org' }, { kid: 'nope' }), /no key of the provider's JWKS .* matches/],
      [token({ repository_owner: 'octo/org' }), /repository_owner claim "octo\/org" is not a valid GitHub name/],
      [token({}), /no repository_owner claim/],
      [Promise.resolve('not.a.jwt'), /not a well-formed signed JWT/],
    ];
    for (const [pending, reason] of cases) {
      expect(await refusal(exchangeGithubOidc({ oidcToken: await pending }, verifier))).toMatch(reason);
    }
  });

  it('accepts RS256 only', async () => {
    const { privateKey } = await generateKeyPair('ES256');
    const es = await new SignJWT({ repository_owner: 'o' }).setProtectedHeader({ alg: 'ES256', kid: 'k1' }).sign(privateKey);
    expect(await refusal(exchangeGithubOidc({ oidcToken: es }, verifier))).toMatch(/algorithm is not accepted \(allowed: RS256\)/);
  });
});

describe('exchangeOidc', () => {
  const settings = { extraClaims: [{ hd: 'acme.com' }], publishPermissions: ['*'], editPermissions: ['com.acme/*'] };

  it('grants the configured permissions to a token passing the extra claims, named by verified email', async () => {
    const oidc = new OidcVerifier({ jwksUrl: 'https://jwks.test/keys', issuer: ISSUER, audience: 'mcp-registry', algorithms: OIDC_ALGORITHMS, clock: () => NOW, keys });
    const grant = await exchangeOidc({ oidcToken: await token({ hd: 'acme.com', email: 'ada@acme.com', email_verified: true }) }, oidc, settings);
    expect(grant).toEqual({
      method: 'oidc',
      subject: 'oidc:ada@acme.com',
      authMethodSub: 'repo:octo-org/octo-repo:ref:refs/heads/main',
      permissions: [
        { action: 'publish', resource: '*' },
        { action: 'edit', resource: 'com.acme/*' },
      ],
    });
    expect(await refusal(exchangeOidc({ oidcToken: await token({ hd: 'evil.com' }) }, oidc, settings))).toMatch(/hd claim is "evil.com"/);
  });
});
