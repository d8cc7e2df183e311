import { ExchangeRefused } from './exchange-failure';
import { configuredPermissions, githubOwnerPermissions } from './exchange-permissions';
import type { OidcTokenRequest } from './exchange-request';
import { extraClaimsProblem, githubRepositoryOwner, oidcIdentity, type ExtraClaimRule } from './oidc-claims';
import type { OidcVerifier } from './oidc-verifier';
import type { ExchangeGrant } from './registry-token.issuer';

export interface OidcGrantSettings {
  extraClaims: readonly ExtraClaimRule[];
  publishPermissions: readonly string[];
  editPermissions: readonly string[];
}

/**
 * `POST /auth/oidc`: a token of the company's identity provider (Google Workspace, Entra,
 * Keycloak…) for registry administrators. What it grants is configuration, not the token: the
 * same patterns for everyone who passes the extra-claim rules (official registry `oidc.go`).
 */
export async function exchangeOidc(request: OidcTokenRequest, verifier: OidcVerifier, settings: OidcGrantSettings): Promise<ExchangeGrant> {
  const payload = await verifier.verify(request.oidcToken);
  const problem = extraClaimsProblem(settings.extraClaims, payload);
  if (problem !== null) throw new ExchangeRefused(problem);
  return {
    method: 'oidc',
    subject: `oidc:${oidcIdentity(payload)}`,
    authMethodSub: payload.sub ?? oidcIdentity(payload),
    permissions: configuredPermissions(settings.publishPermissions, settings.editPermissions),
  };
}

/**
 * `POST /auth/github-oidc`: a GitHub Actions ID token (`mcp-publisher login github-oidc`).
 * Grants `io.github.<repository_owner>/*`; `auth_method_sub` keeps the workflow's `sub`
 * (`repo:octo-org/octo-repo:ref:refs/heads/main`) so the exact repository stays on record.
 */
export async function exchangeGithubOidc(request: OidcTokenRequest, verifier: OidcVerifier): Promise<ExchangeGrant> {
  const payload = await verifier.verify(request.oidcToken);
  const owner = githubRepositoryOwner(payload);
  if (!owner.ok) throw new ExchangeRefused(owner.reason);
  return {
    method: 'github-oidc',
    subject: `github-oidc:${owner.value}`,
    authMethodSub: payload.sub ?? owner.value,
    permissions: githubOwnerPermissions(owner.value),
  };
}
