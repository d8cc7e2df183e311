import { ToolportError } from '@toolport/contracts';
import { Authenticator, parseBearer } from './authenticator';
import { BootstrapAdminKey } from './bootstrap-admin';
import { generateSeedHex, signingKeyFromSeed } from './signing-keys';
import { TokenService } from './tokens';

describe('parseBearer', () => {
  it('returns null when there is no header', () => {
    expect(parseBearer(undefined)).toBeNull();
  });

  it.each([
    ['Bearer abc.def.ghi', 'abc.def.ghi'],
    ['bearer abc', 'abc'],
    ['BEARER   abc  ', 'abc'],
  ])('reads %j', (header, token) => {
    expect(parseBearer(header)).toBe(token);
  });

  it.each([
    ['Basic dXNlcjpwYXNz', /does not use the Bearer scheme/],
    ['Bearer', /had no token/],
    ['Bearer a b', /had no token|Bearer scheme/],
    ['abc.def.ghi', /does not use the Bearer scheme/],
  ])('refuses %j as TOKEN_MISSING', (header, detail) => {
    const error = (() => {
      try {
        parseBearer(header);
        return null;
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ToolportError);
    expect(error).toMatchObject({ kind: 'unauthenticated', code: 'TOKEN_MISSING' });
    expect((error as ToolportError).detail).toMatch(detail);
  });
});

describe('Authenticator', () => {
  const ADMIN_KEY = 'a-bootstrap-admin-key-of-enough-length-0123';

  it('accepts the bootstrap admin key, and JWTs from the token service', async () => {
    const tokens = new TokenService({ key: await signingKeyFromSeed(generateSeedHex()), audience: 'toolport' });
    const authenticator = new Authenticator(tokens, new BootstrapAdminKey(ADMIN_KEY));
    await expect(authenticator.authenticate(ADMIN_KEY)).resolves.toMatchObject({ roles: ['admin'], subject: 'bootstrap-admin' });
    const issued = await tokens.issue({
      subject: 'robot',
      roles: ['reader'],
      permissions: [],
      authMethod: 'api-token',
      expiresAt: new Date(Date.now() + 60_000),
    });
    await expect(authenticator.authenticate(issued.token)).resolves.toMatchObject({ subject: 'robot', roles: ['reader'] });
  });

  it('treats the admin key as an invalid token when no admin key is configured', async () => {
    const tokens = new TokenService({ key: await signingKeyFromSeed(generateSeedHex()), audience: 'toolport' });
    await expect(new Authenticator(tokens, null).authenticate(ADMIN_KEY)).rejects.toMatchObject({ code: 'TOKEN_INVALID' });
  });
});
