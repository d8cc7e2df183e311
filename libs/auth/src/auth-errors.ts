import { type AuthFailureReason, ToolportError } from '@toolport/contracts';
import type { Role } from './permissions';

/**
 * A 401: a ToolportError `unauthenticated` that also says why in one word, so failed
 * authentications can be counted by reason (auth-failures/) without parsing messages.
 */
export class AuthenticationError extends ToolportError {
  constructor(
    code: string,
    detail: string,
    readonly reason: AuthFailureReason,
  ) {
    super('unauthenticated', code, detail);
  }
}

/**
 * The errors of authentication and authorisation, in one place so that every service words
 * them alike. Details name what went wrong and what to do; they never echo the token.
 */
export const authErrors = {
  tokenMissing: (why = 'no Authorization header was sent'): AuthenticationError =>
    new AuthenticationError('TOKEN_MISSING', `This request needs a bearer token (${why}): send "Authorization: Bearer <token>"`, 'missing'),
  /** `failure` classifies the reason for counting; the default is a claim the token lacks or gets wrong. */
  tokenInvalid: (reason: string, failure: Exclude<AuthFailureReason, 'missing' | 'expired' | 'revoked'> = 'invalid_claims'): AuthenticationError =>
    new AuthenticationError('TOKEN_INVALID', `The bearer token is not valid: ${reason}`, failure),
  tokenExpired: (expiredAt: Date | null): AuthenticationError =>
    new AuthenticationError(
      'TOKEN_EXPIRED',
      expiredAt
        ? `The bearer token expired at ${expiredAt.toISOString()}: get a new one`
        : 'The bearer token has expired: get a new one',
      'expired',
    ),
  tokenRevoked: (): AuthenticationError =>
    new AuthenticationError('TOKEN_REVOKED', 'The bearer token has been revoked: get a new one', 'revoked'),
  missingRole: (required: readonly Role[], held: readonly Role[]): ToolportError =>
    new ToolportError(
      'forbidden',
      'ROLE_REQUIRED',
      `This action needs the role ${required.map((r) => `'${r}'`).join(' or ')}; ` +
        `the token has ${held.length === 0 ? 'no roles' : held.map((r) => `'${r}'`).join(', ')}`,
    ),
};
