import { generateKeyPairSync } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader, SignJWT } from 'jose';
import { ToolportError } from '@toolport/contracts';
import type { RevocationLookup } from './revocation';
import { generateSeedHex, signingKeyFromSeed, type SigningKey } from './signing-keys';
import { TokenService } from './tokens';

const NOW = new Date('2026-05-01T12:00:00.000Z');
const HOUR = 3600 * 1000;

/** The revocation port's twin: a set of revoked token ids. */
class RevokedSet implements RevocationLookup {
  readonly ids = new Set<string>();
  async isRevoked(tokenId: string): Promise<boolean> {
    return this.ids.has(tokenId);
  }
}

async function expectAuthError(promise: Promise<unknown>, code: string, detail: RegExp): Promise<void> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ToolportError);
  expect(error).toMatchObject({ kind: 'unauthenticated', code });
  expect((error as ToolportError).detail).toMatch(detail);
}

describe('TokenService', () => {
  let key: SigningKey;
  let revoked: RevokedSet;
  let service: TokenService;
  const grant = {
    subject: 'ci-bot',
    roles: ['publisher' as const],
    permissions: [{ action: 'publish' as const, resource: 'io.github.acme/*' }],
    authMethod: 'api-token',
  };

  beforeAll(async () => {
    key = await signingKeyFromSeed(generateSeedHex());
  });

  beforeEach(() => {
    revoked = new RevokedSet();
    service = new TokenService({ key, audience: 'https://registry.example', revocations: revoked, clock: () => NOW });
  });

  it('issues an EdDSA JWT with the registered and Toolport claims, and verifies it back', async () => {
    const issued = await service.issue({ ...grant, expiresAt: new Date(NOW.getTime() + HOUR + 999) });
    expect(decodeProtectedHeader(issued.token)).toEqual({ alg: 'EdDSA', kid: key.kid, typ: 'JWT' });
    const claims = decodeJwt(issued.token);
    expect(claims).toEqual({
      iss: 'toolport',
      aud: 'https://registry.example',
      sub: 'ci-bot',
      jti: issued.tokenId,
      iat: NOW.getTime() / 1000,
      exp: (NOW.getTime() + HOUR) / 1000,
      roles: ['publisher'],
      permissions: [{ action: 'publish', resource: 'io.github.acme/*' }],
      auth_method: 'api-token',
      auth_method_sub: 'ci-bot',
    });
    expect(issued.tokenId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7/);
    expect(issued.expiresAt).toEqual(new Date(NOW.getTime() + HOUR));

    const principal = await service.verify(issued.token);
    expect(principal).toEqual({
      subject: 'ci-bot',
      tokenId: issued.tokenId,
      roles: ['publisher'],
      permissions: [{ action: 'publish', resource: 'io.github.acme/*' }],
      authMethod: 'api-token',
      expiresAt: new Date(NOW.getTime() + HOUR),
      actor: { kind: 'token', id: 'ci-bot' },
    });
  });

  it('uses a configured issuer such as the official mcp-registry, and records exchange users as users', async () => {
    const official = new TokenService({ key, issuer: 'mcp-registry', audience: 'a', clock: () => NOW });
    const issued = await official.issue({
      ...grant,
      subject: 'octocat',
      authMethod: 'github-oidc',
      authMethodSub: 'octocat',
      expiresAt: new Date(NOW.getTime() + 300_000),
    });
    expect(decodeJwt(issued.token).iss).toBe('mcp-registry');
    expect((await official.verify(issued.token)).actor).toEqual({ kind: 'user', id: 'octocat' });
    await expectAuthError(service.verify(issued.token), 'TOKEN_INVALID', /"iss"/);
  });

  it('refuses an expired token as TOKEN_EXPIRED, naming when it expired', async () => {
    const issued = await service.issue({ ...grant, expiresAt: new Date(NOW.getTime() + HOUR) });
    const later = new TokenService({ key, audience: 'https://registry.example', clock: () => new Date(NOW.getTime() + HOUR + 1000) });
    await expectAuthError(later.verify(issued.token), 'TOKEN_EXPIRED', /expired at 2026-05-01T13:00:00.000Z/);
  });

  it('refuses a token whose payload was changed as TOKEN_INVALID', async () => {
    const issued = await service.issue({ ...grant, expiresAt: new Date(NOW.getTime() + HOUR) });
    const [header, payload, signature] = issued.token.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8')) as Record<string, unknown>;
    const forged = Buffer.from(JSON.stringify({ ...claims, roles: ['admin'] })).toString('base64url');
    await expectAuthError(service.verify(`${header}.${forged}.${signature}`), 'TOKEN_INVALID', /signature/);
  });

  it('refuses a token signed by another Ed25519 key as TOKEN_INVALID', async () => {
    const other = new TokenService({ key: await signingKeyFromSeed(generateSeedHex()), audience: 'https://registry.example', clock: () => NOW });
    const issued = await other.issue({ ...grant, expiresAt: new Date(NOW.getTime() + HOUR) });
    await expectAuthError(service.verify(issued.token), 'TOKEN_INVALID', /signature/);
  });

  it('accepts EdDSA only: HS256 (alg confusion) and ES256 tokens are TOKEN_INVALID', async () => {
    const claims = { roles: ['admin'], permissions: [], auth_method: 'api-token' };
    const hs256 = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('toolport')
      .setAudience('https://registry.example')
      .setSubject('mallory')
      .setJti('x')
      .setExpirationTime(NOW.getTime() / 1000 + 60)
      .sign(Buffer.from(key.publicJwk.x!, 'base64url'));
    await expectAuthError(service.verify(hs256), 'TOKEN_INVALID', /only EdDSA/);

    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const es256 = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'ES256' })
      .setIssuer('toolport')
      .setAudience('https://registry.example')
      .setSubject('mallory')
      .setJti('x')
      .setExpirationTime(NOW.getTime() / 1000 + 60)
      .sign(privateKey);
    await expectAuthError(service.verify(es256), 'TOKEN_INVALID', /only EdDSA/);
  });

  it('refuses an unsigned (alg none) token and garbage as TOKEN_INVALID', async () => {
    const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const unsigned = `${part({ alg: 'none' })}.${part({ sub: 'mallory', roles: ['admin'], exp: NOW.getTime() / 1000 + 60 })}.`;
    await expectAuthError(service.verify(unsigned), 'TOKEN_INVALID', /not valid/);
    await expectAuthError(service.verify('not-a-jwt'), 'TOKEN_INVALID', /well-formed/);
  });

  it('refuses a token for another audience as TOKEN_INVALID', async () => {
    const other = new TokenService({ key, audience: 'https://other.example', clock: () => NOW });
    const issued = await other.issue({ ...grant, expiresAt: new Date(NOW.getTime() + HOUR) });
    await expectAuthError(service.verify(issued.token), 'TOKEN_INVALID', /"aud"/);
  });

  it('refuses a revoked token as TOKEN_REVOKED', async () => {
    const issued = await service.issue({ ...grant, expiresAt: new Date(NOW.getTime() + HOUR) });
    await expect(service.verify(issued.token)).resolves.toMatchObject({ tokenId: issued.tokenId });
    revoked.ids.add(issued.tokenId);
    await expectAuthError(service.verify(issued.token), 'TOKEN_REVOKED', /revoked/);
  });

  it('drops roles and permission actions it does not know instead of refusing the token', async () => {
    const token = await new SignJWT({
      roles: ['reviewer', 'superuser'],
      permissions: [{ action: 'publish', resource: 'com.example/*' }, { action: 'delete', resource: '*' }, 'junk'],
      auth_method: 'api-token',
    })
      .setProtectedHeader({ alg: 'EdDSA' })
      .setIssuer('toolport')
      .setAudience('https://registry.example')
      .setSubject('robot')
      .setJti('t-1')
      .setExpirationTime(NOW.getTime() / 1000 + 60)
      .sign(key.privateKey);
    await expect(service.verify(token)).resolves.toMatchObject({
      roles: ['reviewer'],
      permissions: [{ action: 'publish', resource: 'com.example/*' }],
    });
  });

  it('requires jti and auth_method', async () => {
    const base = () =>
      new SignJWT({ roles: [], permissions: [] })
        .setProtectedHeader({ alg: 'EdDSA' })
        .setIssuer('toolport')
        .setAudience('https://registry.example')
        .setSubject('robot')
        .setExpirationTime(NOW.getTime() / 1000 + 60);
    await expectAuthError(service.verify(await base().sign(key.privateKey)), 'TOKEN_INVALID', /"jti"/);
    await expectAuthError(service.verify(await base().setJti('t').sign(key.privateKey)), 'TOKEN_INVALID', /auth_method/);
  });

  it('will not issue a token that is already expired', async () => {
    await expect(service.issue({ ...grant, expiresAt: NOW })).rejects.toThrow(/expire in the future/);
  });
});
