import { isDeepStrictEqual } from 'node:util';
import type { JWTPayload } from 'jose';
import type { Checked } from './proof-signature';
import { GITHUB_NAME } from './exchange-permissions';

/**
 * Claims an OIDC token must carry beyond issuer and audience (TOOLPORT_OIDC_EXTRA_CLAIMS), e.g.
 * `[{"hd":"acme.com"}]` so that only Google accounts of acme.com get in. Every key of every rule
 * must be present with exactly that value, as the official registry's `validateExtraClaims`.
 */
export type ExtraClaimRule = Readonly<Record<string, unknown>>;

/** Why the payload fails the rules, or null when it satisfies all of them. */
export function extraClaimsProblem(rules: readonly ExtraClaimRule[], payload: JWTPayload): string | null {
  for (const rule of rules) {
    for (const [claim, expected] of Object.entries(rule)) {
      if (!(claim in payload)) return `the token has no ${claim} claim, which this registry requires (${claim}=${JSON.stringify(expected)})`;
      const actual = payload[claim];
      if (!isDeepStrictEqual(actual, expected)) {
        return `the token's ${claim} claim is ${JSON.stringify(actual)}, this registry requires ${JSON.stringify(expected)}`;
      }
    }
  }
  return null;
}

/** The `repository_owner` of a GitHub Actions token, if it is a valid GitHub name. */
export function githubRepositoryOwner(payload: JWTPayload): Checked<string> {
  const owner = payload['repository_owner'];
  if (typeof owner !== 'string' || owner.length === 0) {
    return { ok: false, reason: 'the token has no repository_owner claim (is it a GitHub Actions OIDC token?)' };
  }
  if (!GITHUB_NAME.test(owner)) {
    return { ok: false, reason: `the repository_owner claim ${JSON.stringify(owner)} is not a valid GitHub name (letters, digits, hyphens)` };
  }
  return { ok: true, value: owner };
}

/**
 * How an OIDC user is named in the registry token: the email when the provider vouches for it
 * (`email_verified: true`), which is what an auditor recognises, else the stable `sub`.
 */
export function oidcIdentity(payload: JWTPayload): string {
  const email = payload['email'];
  if (typeof email === 'string' && email.length > 0 && payload['email_verified'] === true) return email;
  return payload.sub ?? 'unknown';
}
