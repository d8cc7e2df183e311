import { ToolportError } from '@toolport/contracts';

/** The token exchange methods, named as the JWT's `auth_method` and the URL path (`/auth/<method>`). */
export type ExchangeMethod = 'none' | 'http' | 'dns' | 'oidc' | 'github-oidc';

/** A proof that does not hold, with a reason fit to show the caller (never a token or signature). */
export class ExchangeRefused extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'ExchangeRefused';
  }
}

/** The official registry's 401 titles, kept as the first words of the detail so clients read alike. */
const SUMMARY: Record<ExchangeMethod, string> = {
  none: 'Anonymous authentication failed',
  http: 'HTTP authentication failed',
  dns: 'DNS authentication failed',
  oidc: 'Token exchange failed',
  'github-oidc': 'Token exchange failed',
};

const CODE: Record<ExchangeMethod, string> = {
  none: 'AUTH_NONE_FAILED',
  http: 'AUTH_HTTP_FAILED',
  dns: 'AUTH_DNS_FAILED',
  oidc: 'AUTH_OIDC_FAILED',
  'github-oidc': 'AUTH_GITHUB_OIDC_FAILED',
};

/**
 * 401 problem+json. The reason is both in `detail` and in `errors[0].message`, where the
 * official registry (Huma `Error401Unauthorized(title, err)`) puts it.
 */
export function exchangeFailed(method: ExchangeMethod, reason: string): ToolportError {
  return new ToolportError('unauthenticated', CODE[method], `${SUMMARY[method]}: ${reason}`, [{ message: reason }]);
}
