import { ToolportError } from '@toolport/contracts';
import type { Role } from './permissions';

/**
 * The errors of authentication and authorisation, in one place so that every service words
 * them alike. Details name what went wrong and what to do; they never echo the token.
 */
export const authErrors = {
  tokenMissing: (why = 'no Authorization header was sent'): ToolportError =>
    new ToolportError(
      'unauthenticated',
      'TOKEN_MISSING',
      `This request needs a bearer token (${why}): send "Authorization: Bearer <token>"`,
    ),
  tokenInvalid: (reason: string): ToolportError =>
    new ToolportError('unauthenticated', 'TOKEN_INVALID', `The bearer token is not valid: ${reason}`),
  tokenExpired: (expiredAt: Date | null): ToolportError =>
    new ToolportError(
      'unauthenticated',
      'TOKEN_EXPIRED',
      expiredAt
        ? `The bearer token expired at ${expiredAt.toISOString()}: get a new one`
        : 'The bearer token has expired: get a new one',
    ),
  tokenRevoked: (): ToolportError =>
    new ToolportError('unauthenticated', 'TOKEN_REVOKED', 'The bearer token has been revoked: get a new one'),
  missingRole: (required: readonly Role[], held: readonly Role[]): ToolportError =>
    new ToolportError(
      'forbidden',
      'ROLE_REQUIRED',
      `This action needs the role ${required.map((r) => `'${r}'`).join(' or ')}; ` +
        `the token has ${held.length === 0 ? 'no roles' : held.map((r) => `'${r}'`).join(', ')}`,
    ),
};
