import type { Permission } from '@toolport/auth';
import { reverseDomain } from './exchange-domain';

/**
 * What each exchange grants, as in the official registry (BEHAVIOUR.md §1 "Token exchange and
 * JWT" and §3 "Namespaces"). Only the generic OIDC method (admins) and anonymous tokens get
 * `edit`; everyone else may publish (and change status) but not rewrite a published version.
 */

/** The official registry's namespace for anonymous development tokens. */
export const ANONYMOUS_NAMESPACE = 'io.modelcontextprotocol.anonymous';

export function anonymousPermissions(): Permission[] {
  return [
    { action: 'publish', resource: `${ANONYMOUS_NAMESPACE}/*` },
    { action: 'edit', resource: `${ANONYMOUS_NAMESPACE}/*` },
  ];
}

/**
 * `example.com` → publish `com.example/*`; with `includeSubdomains` (dns) also `com.example.*`,
 * i.e. `com.example.api/...`. DNS control of the apex implies control of its subdomains (as in
 * ACME DNS-01); serving a file on one host does not (ACME HTTP-01), so http gets the first only.
 */
export function domainPermissions(domain: string, includeSubdomains: boolean): Permission[] {
  const reversed = reverseDomain(domain);
  const permissions: Permission[] = [{ action: 'publish', resource: `${reversed}/*` }];
  if (includeSubdomains) permissions.push({ action: 'publish', resource: `${reversed}.*` });
  return permissions;
}

/** GitHub logins and organisation names, as the official registry validates them. */
export const GITHUB_NAME = /^[a-zA-Z0-9-]+$/;

/**
 * `io.github.<owner>/*`: the owner of the repository whose workflow asked for the token, not the
 * repository alone, because one repository often publishes several servers and GitHub Actions
 * may already push any package in the owner's namespace (official registry `github_oidc.go`).
 */
export function githubOwnerPermissions(owner: string): Permission[] {
  return [{ action: 'publish', resource: `io.github.${owner}/*` }];
}

/** The configured grants of the generic OIDC method (TOOLPORT_OIDC_PUBLISH/EDIT_PERMISSIONS). */
export function configuredPermissions(publish: readonly string[], edit: readonly string[]): Permission[] {
  return [
    ...publish.map((resource): Permission => ({ action: 'publish', resource })),
    ...edit.map((resource): Permission => ({ action: 'edit', resource })),
  ];
}
