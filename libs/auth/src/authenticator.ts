import { authErrors } from './auth-errors';
import type { BootstrapAdminKey } from './bootstrap-admin';
import type { Principal } from './principal';
import type { TokenService } from './tokens';

/**
 * The bearer token of an `Authorization` header value; null when there is no header.
 * The scheme is case-insensitive (RFC 9110 §11.1); anything but Bearer is refused as missing a
 * bearer token rather than guessed at.
 */
export function parseBearer(header: string | string[] | undefined): string | null {
  if (header === undefined) return null;
  if (Array.isArray(header)) throw authErrors.tokenMissing('several Authorization headers were sent');
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
  if (!match) {
    const scheme = header.trim().split(/[ \t]/, 1)[0] ?? '';
    throw authErrors.tokenMissing(
      /^bearer$/i.test(scheme) ? 'the Bearer scheme had no token' : 'the Authorization header does not use the Bearer scheme',
    );
  }
  return match[1]!;
}

/** Turns a bearer token into a Principal: the bootstrap admin key first, else a JWT. */
export class Authenticator {
  constructor(
    private readonly tokens: TokenService,
    private readonly adminKey: BootstrapAdminKey | null,
  ) {}

  async authenticate(token: string): Promise<Principal> {
    if (this.adminKey?.matches(token)) return this.adminKey.principal();
    return this.tokens.verify(token);
  }
}
